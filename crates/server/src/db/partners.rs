//! Changes to who is a partner in a workspace, and the Partner Editor seats they take.
//! Each change is one IMMEDIATE transaction: seat checks and the change that takes the
//! seat cannot interleave with another writer.

use partner_api::partnerships::Seats;
use partner_api::workspaces::{
    PartnerMember, RoleChange, SettingsChanged, SettingsPatch, Visibility, WorkspaceName,
    WorkspaceSummary,
};
use partner_api::{Email, PartnerRole, Plan};
use serde_json::json;
use sqlx::{FromRow, Sqlite, SqliteConnection, Transaction};

use super::audit::{self, Entry};
use super::outbox;
use super::workspaces::{self, PARTNER_SELECT, PartnerRow, WorkspaceRow, active_grant};
use super::{Db, now};
use crate::domain::authz::{self, Caller};
use crate::email::Links;
use crate::email::templates::{self, Recipient, WorkspaceLink};
use crate::error::AppError;

/// A permission a change needs, decided by the authorization module, and what a refusal says.
struct Needs {
    allowed: fn(&Caller, &authz::WorkspaceFacts) -> bool,
    refusal: &'static str,
}

const MANAGE_PARTNERS: Needs = Needs {
    allowed: authz::can_manage_partners,
    refusal: "Only Workspace Admins, Team Admins and Partner Managers can change partners.",
};
const MANAGE_SETTINGS: Needs = Needs {
    allowed: authz::can_manage_settings,
    refusal: "Only Workspace Admins and Team Admins can change these settings.",
};

/// Editor seats used across a publisher's workspaces: its active Editor grants, counted
/// by the triggers of migration 0003.
async fn editor_seats_used(
    conn: &mut SqliteConnection,
    publisher: &str,
) -> Result<u32, sqlx::Error> {
    let used: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT editor_grants FROM partnership_totals WHERE publisher_team_id = ?), 0)",
    )
    .bind(publisher)
    .fetch_one(conn)
    .await?;
    Ok(u32::try_from(used).unwrap_or(u32::MAX))
}

/// Seat usage of a publisher, read inside the caller's transaction.
pub(crate) async fn seats_in(
    conn: &mut SqliteConnection,
    publisher: &str,
) -> Result<Seats, sqlx::Error> {
    let (plan, included): (String, i64) =
        sqlx::query_as("SELECT plan, editor_seats_included FROM teams WHERE id = ?")
            .bind(publisher)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Seats {
        plan: plan.parse().unwrap_or(Plan::Free),
        editor_seats_included: u32::try_from(included).unwrap_or(0),
        editor_seats_used: editor_seats_used(conn, publisher).await?,
    })
}

/// Refuses an Editor role where the rules do not allow one.
pub(crate) async fn check_editor_allowed(
    conn: &mut SqliteConnection,
    publisher: &str,
    multi_partner_mode: bool,
) -> Result<(), AppError> {
    if multi_partner_mode {
        return Err(AppError::EditorNotAllowed);
    }
    if !seats_in(conn, publisher).await?.has_free_editor_seat() {
        return Err(AppError::NoEditorSeat);
    }
    Ok(())
}

#[derive(FromRow)]
struct Invitee {
    id: String,
    name: String,
    email: String,
    team_id: Option<String>,
}

/// A partner's grant to one workspace of a publisher, as it is given.
pub(crate) struct Grant<'a> {
    pub workspace_id: &'a str,
    pub user_id: &'a str,
    pub partner_team_id: &'a str,
    pub publisher_team_id: &'a str,
    pub role: PartnerRole,
    pub at: &'a str,
}

/// Gives a partner a grant; the row of an ended grant (kept for the audit trail) is revived.
pub(crate) async fn grant(
    conn: &mut SqliteConnection,
    grant: Grant<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET
             partner_team_id = excluded.partner_team_id, role = excluded.role,
             created_at = excluded.created_at, revoked_at = NULL, revoked_reason = NULL",
    )
    .bind(grant.workspace_id)
    .bind(grant.user_id)
    .bind(grant.partner_team_id)
    .bind(grant.publisher_team_id)
    .bind(grant.role.as_str())
    .bind(grant.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends one partner's grant because the publisher removed it (kept for the audit trail;
/// a later invitation revives the row).
pub(crate) async fn revoke_grant(
    conn: &mut SqliteConnection,
    workspace_id: &str,
    user_id: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE partner_grants SET revoked_at = ?, revoked_reason = 'removed'
         WHERE workspace_id = ? AND user_id = ?",
    )
    .bind(at)
    .bind(workspace_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Audits a change the caller made to `ws`: recorded under the publisher's team, inside the
/// change's transaction.
async fn audit_change(
    conn: &mut SqliteConnection,
    caller: &Caller,
    ws: &WorkspaceRow,
    action: &str,
    subject_id: Option<&str>,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    audit::record(
        conn,
        Entry {
            actor_id: Some(caller.user_id.as_str()),
            team_id: &ws.team_id,
            action,
            workspace_id: Some(&ws.id),
            subject_id,
            detail,
        },
    )
    .await
}

impl Db {
    /// Starts a change to a workspace: an IMMEDIATE transaction (no other writer can slip
    /// between a check and the change), the workspace as the caller relates to it, and the
    /// permission decided by the authorization module.
    async fn begin_change(
        &self,
        caller: &Caller,
        workspace_id: &str,
        needs: &Needs,
    ) -> Result<(Transaction<'static, Sqlite>, WorkspaceRow), AppError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ws = workspaces::load(&mut tx, workspace_id, caller)
            .await?
            .ok_or(AppError::NotFound)?;
        authz::require(caller, &ws.facts(), needs.allowed, needs.refusal)?;
        Ok((tx, ws))
    }

    /// `GET /api/seats` for a team.
    pub async fn seats(&self, team: &str) -> Result<Seats, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        seats_in(&mut conn, team).await
    }

    /// Invites a person of another team as a partner; their "Go to workspace" email is
    /// written in the same transaction.
    pub async fn invite_partner(
        &self,
        caller: &Caller,
        workspace_id: &str,
        email: &Email,
        role: PartnerRole,
        links: &Links,
    ) -> Result<PartnerMember, AppError> {
        let (mut tx, ws) = self
            .begin_change(caller, workspace_id, &MANAGE_PARTNERS)
            .await?;
        if ws.visibility != "partner" {
            return Err(AppError::Conflict(
                "This is an internal workspace. Only partner workspaces can have partners.".into(),
            ));
        }
        let invitee: Option<Invitee> =
            sqlx::query_as("SELECT id, name, email, team_id FROM users WHERE email = ?")
                .bind(email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let Some(Invitee {
            id: user_id,
            name: invitee_name,
            email: invitee_email,
            team_id: Some(partner_team),
        }) = invitee
        else {
            return Err(AppError::NotAllowed(format!(
                "{email} isn't in a team yet. Partners join from their own company's team; ask them to \
                 join it, then invite them again."
            )));
        };
        if partner_team == ws.team_id {
            return Err(AppError::NotAllowed(format!(
                "{email} is in your own team. Add them to the workspace as a member instead."
            )));
        }
        if workspaces::partner(&mut tx, workspace_id, &user_id)
            .await?
            .is_some()
        {
            return Err(AppError::AlreadyPartner(format!(
                "{email} is already a partner in this workspace."
            )));
        }
        if role == PartnerRole::Editor {
            check_editor_allowed(&mut tx, &ws.team_id, ws.multi_partner_mode).await?;
        }
        let granted_at = now();
        grant(
            &mut tx,
            Grant {
                workspace_id,
                user_id: &user_id,
                partner_team_id: &partner_team,
                publisher_team_id: &ws.team_id,
                role,
                at: &granted_at,
            },
        )
        .await?;
        let message = templates::invitation(
            links,
            Recipient {
                name: &invitee_name,
                email: &invitee_email,
            },
            &ws.publisher_name,
            WorkspaceLink {
                id: workspace_id,
                name: &ws.name,
            },
            role,
            &caller.name,
        );
        outbox::enqueue(
            &mut tx,
            &format!("invitation:{workspace_id}:{user_id}:{granted_at}"),
            &message,
        )
        .await?;
        audit_change(
            &mut tx,
            caller,
            &ws,
            "partner.invited",
            Some(&user_id),
            json!({ "role": role, "partner_team_id": partner_team }),
        )
        .await?;
        let member = workspaces::partner(&mut tx, workspace_id, &user_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("grant missing after insert"))?;
        tx.commit().await?;
        Ok(member)
    }

    /// Changes a partner's role; Editor takes a seat and is refused in multi-partner mode.
    pub async fn change_partner_role(
        &self,
        caller: &Caller,
        workspace_id: &str,
        user_id: &str,
        role: PartnerRole,
    ) -> Result<PartnerMember, AppError> {
        let (mut tx, ws) = self
            .begin_change(caller, workspace_id, &MANAGE_PARTNERS)
            .await?;
        let current = workspaces::partner(&mut tx, workspace_id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if current.role == role {
            return Ok(current);
        }
        if role == PartnerRole::Editor {
            check_editor_allowed(&mut tx, &ws.team_id, ws.multi_partner_mode).await?;
        }
        sqlx::query("UPDATE partner_grants SET role = ? WHERE workspace_id = ? AND user_id = ?")
            .bind(role.as_str())
            .bind(workspace_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit_change(
            &mut tx,
            caller,
            &ws,
            "partner.role_changed",
            Some(user_id),
            json!({ "from": current.role, "to": role }),
        )
        .await?;
        tx.commit().await?;
        Ok(PartnerMember { role, ..current })
    }

    /// Removes a partner from one workspace.
    pub async fn remove_partner(
        &self,
        caller: &Caller,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<(), AppError> {
        let (mut tx, ws) = self
            .begin_change(caller, workspace_id, &MANAGE_PARTNERS)
            .await?;
        let current = workspaces::partner(&mut tx, workspace_id, user_id)
            .await?
            .ok_or(AppError::NotFound)?;
        revoke_grant(&mut tx, workspace_id, user_id, &now()).await?;
        audit_change(
            &mut tx,
            caller,
            &ws,
            "partner.removed",
            Some(user_id),
            json!({ "role": current.role, "partner_team_id": current.team.id }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes name, summary and multi-partner mode. Turning the mode on turns every
    /// Partner Editor into a Viewer (freeing their seats) and says who.
    pub async fn update_settings(
        &self,
        caller: &Caller,
        workspace_id: &str,
        patch: &ValidSettings,
    ) -> Result<SettingsChanged, AppError> {
        let (mut tx, ws) = self
            .begin_change(caller, workspace_id, &MANAGE_SETTINGS)
            .await?;
        let mut role_changes = Vec::new();
        if let Some(on) = patch.multi_partner_mode
            && on != ws.multi_partner_mode
        {
            if on {
                let editors: Vec<PartnerRow> = sqlx::query_as(&format!(
                    "{PARTNER_SELECT} AND g.role = 'editor' ORDER BY t.name COLLATE NOCASE, u.name COLLATE NOCASE"
                ))
                .bind(workspace_id)
                .fetch_all(&mut *tx)
                .await?;
                sqlx::query(concat!(
                    "UPDATE partner_grants AS g SET role = 'viewer' WHERE g.workspace_id = ? AND g.role = 'editor' AND ",
                    active_grant!("g")
                ))
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
                role_changes = editors
                    .into_iter()
                    .map(|row| {
                        let member = row.into_api();
                        RoleChange {
                            user: member.user,
                            team: member.team,
                            from: PartnerRole::Editor,
                            to: PartnerRole::Viewer,
                        }
                    })
                    .collect();
            }
            sqlx::query("UPDATE workspaces SET multi_partner_mode = ? WHERE id = ?")
                .bind(on)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
            let action = if on {
                "workspace.multi_partner_on"
            } else {
                "workspace.multi_partner_off"
            };
            let made_viewers: Vec<_> = role_changes.iter().map(|c| &c.user.id).collect();
            audit_change(
                &mut tx,
                caller,
                &ws,
                action,
                None,
                json!({ "editors_made_viewers": made_viewers }),
            )
            .await?;
        }
        let mut partners_removed = 0;
        if let Some(visibility) = patch.visibility
            && visibility.as_str() != ws.visibility
        {
            if visibility == Visibility::Internal {
                let at = now();
                partners_removed = sqlx::query(concat!(
                    "UPDATE partner_grants AS g SET revoked_at = ?, revoked_reason = 'removed'
                     WHERE g.workspace_id = ? AND ",
                    active_grant!("g")
                ))
                .bind(&at)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?
                .rows_affected() as u32;
                sqlx::query(
                    "UPDATE access_requests SET status = 'denied', decided_at = ?, decided_by = ?
                     WHERE workspace_id = ? AND status = 'pending'",
                )
                .bind(&at)
                .bind(caller.user_id.as_str())
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query(
                "UPDATE workspaces SET visibility = ?, multi_partner_mode = 0 WHERE id = ?",
            )
            .bind(visibility.as_str())
            .bind(workspace_id)
            .execute(&mut *tx)
            .await?;
            audit_change(
                &mut tx,
                caller,
                &ws,
                "workspace.visibility_changed",
                None,
                json!({ "to": visibility, "partners_removed": partners_removed }),
            )
            .await?;
        }
        if let Some(name) = &patch.name {
            sqlx::query("UPDATE workspaces SET name = ? WHERE id = ?")
                .bind(name)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(summary) = &patch.summary {
            sqlx::query("UPDATE workspaces SET summary = ? WHERE id = ?")
                .bind(summary)
                .bind(workspace_id)
                .execute(&mut *tx)
                .await?;
        }
        let updated = workspaces::load(&mut tx, workspace_id, caller)
            .await?
            .ok_or(AppError::NotFound)?;
        let role = authz::require_view(caller, &updated.facts())?;
        tx.commit().await?;
        Ok(SettingsChanged {
            workspace: updated.to_api(caller, role),
            role_changes,
            partners_removed,
        })
    }
}

/// A settings change whose fields have been checked.
#[derive(Debug, Default)]
pub struct ValidSettings {
    pub multi_partner_mode: Option<bool>,
    pub visibility: Option<Visibility>,
    pub name: Option<String>,
    pub summary: Option<String>,
}

impl TryFrom<SettingsPatch> for ValidSettings {
    type Error = AppError;

    fn try_from(patch: SettingsPatch) -> Result<Self, AppError> {
        let mut fields = std::collections::BTreeMap::new();
        let name = patch
            .name
            .as_deref()
            .map(WorkspaceName::parse)
            .transpose()
            .unwrap_or_else(|why| {
                fields.insert("name".to_owned(), why.to_owned());
                None
            });
        let summary = patch
            .summary
            .as_deref()
            .map(WorkspaceSummary::parse)
            .transpose()
            .unwrap_or_else(|why| {
                fields.insert("summary".to_owned(), why.to_owned());
                None
            });
        if !fields.is_empty() {
            return Err(AppError::Invalid {
                message: "Some settings aren't valid.".into(),
                fields,
            });
        }
        Ok(Self {
            multi_partner_mode: patch.multi_partner_mode,
            visibility: patch.visibility,
            name: name.map(String::from),
            summary: summary.map(String::from),
        })
    }
}
