//! Changes to who is a partner in a workspace, and the Partner Editor seats they take.
//! Each change is one transaction that first takes the publisher's lock, so seat checks
//! and the change that takes the seat cannot interleave with another change of that
//! publisher's partner access — on any number of servers.

use partner_api::audit::AuditAction;
use partner_api::expiry::{AccessEnd, AccessExtended, AccessPeriod};
use partner_api::workspaces::{
    PartnerMember, RoleChange, SettingsChanged, SettingsPatch, Visibility, WorkspaceName,
    WorkspaceSummary,
};
use partner_api::{Email, PartnerRole};
use serde_json::json;
use time::OffsetDateTime;

use crate::db::{AuditEntry, Db, Grant, PartnerRow, PersonRow, Tx, WorkspaceRow, now, timestamp};
use crate::domain::audit::{on_off, shown};
use crate::domain::authz::{self, Caller};
use crate::domain::expiry;
use crate::email::Links;
use crate::email::templates::{self, Inviter, Recipient, WorkspaceLink};
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
const INVITE_PARTNERS: Needs = Needs {
    allowed: authz::can_invite_partners,
    refusal: "Only Workspace Admins, Team Admins, Partner Managers and Partner Leads can invite partners.",
};
const MANAGE_SETTINGS: Needs = Needs {
    allowed: authz::can_manage_settings,
    refusal: "Only Workspace Admins and Team Admins can change these settings.",
};

/// Starts a change to a workspace: a transaction holding its publisher's lock, the
/// workspace as the caller relates to it (read after the lock), and the permission decided
/// by the authorization module.
async fn begin_change(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    needs: &Needs,
) -> Result<(Tx, WorkspaceRow), AppError> {
    let mut tx = db.begin().await?;
    let publisher = tx
        .publisher_of(workspace_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.lock_publisher(&publisher).await?;
    let ws = tx
        .workspace(workspace_id, caller)
        .await?
        .ok_or(AppError::NotFound)?;
    authz::require(caller, &ws.facts(), needs.allowed, needs.refusal)?;
    Ok((tx, ws))
}

/// One active partner of a workspace, or 404.
async fn active_partner(
    tx: &mut Tx,
    workspace_id: &str,
    user_id: &str,
) -> Result<PartnerMember, AppError> {
    Ok(tx
        .partner(workspace_id, user_id)
        .await?
        .ok_or(AppError::NotFound)?
        .into_api())
}

/// Refuses an Editor role where the rules do not allow one: multi-partner mode, or no free
/// seat (read under the publisher's lock).
pub(crate) async fn check_editor_allowed(
    tx: &mut Tx,
    publisher: &str,
    multi_partner_mode: bool,
) -> Result<(), AppError> {
    if multi_partner_mode {
        return Err(AppError::EditorNotAllowed);
    }
    if !tx.seats(publisher).await?.has_free_editor_seat() {
        return Err(AppError::NoEditorSeat);
    }
    Ok(())
}

/// Audits a change the caller made to `ws`: recorded under the publisher's team, inside the
/// change's transaction.
async fn audit_change(
    tx: &mut Tx,
    caller: &Caller,
    ws: &WorkspaceRow,
    action: AuditAction,
    partner: Option<(&str, &str)>,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: &ws.team_id,
        action,
        workspace_id: Some(&ws.id),
        partner_team_id: partner.map(|(team, _)| team),
        subject_id: partner.map(|(_, user)| user),
        detail,
    })
    .await
}

/// Invites a person of another team as a partner; their "Go to workspace" email is written
/// in the same transaction.
pub async fn invite(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    email: &Email,
    (role, ends): (PartnerRole, Option<&AccessEnd>),
    links: &Links,
) -> Result<PartnerMember, AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &INVITE_PARTNERS).await?;
    // A Partner Lead invites people of their own team only: decided before anything
    // about the address is looked at beyond whether it is one of theirs.
    let lead_team = if authz::can_manage_partners(caller, &ws.facts()) {
        None
    } else {
        let team = caller.team_id.clone().ok_or(AppError::NotFound)?;
        let (name, domain, _) = tx
            .team_ref(team.as_str())
            .await?
            .ok_or(AppError::NotFound)?;
        let invitee_team = tx
            .person_by_email(email.as_str())
            .await?
            .and_then(|p| p.team_id)
            .map(partner_api::TeamId::from);
        authz::lead_may_invite(email, invitee_team.as_ref(), &team, &name, &domain)?;
        if ends.is_some_and(|end| *end != AccessEnd::TeamDefault) {
            return Err(AppError::NotAllowed(format!(
                "{} decides how long access to its workspaces lasts; leave the end out.",
                ws.publisher_name
            )));
        }
        Some(name)
    };
    let default = tx.team_default_access(&ws.team_id).await?;
    let ends_at = expiry::end_of(
        ends,
        default.parse().unwrap_or(AccessPeriod::Never),
        OffsetDateTime::now_utc(),
    )
    .map_err(|why| AppError::invalid_field("ends", why))?
    .map(timestamp);
    if ws.visibility != "partner" {
        return Err(AppError::Conflict(
            "This is an internal workspace. Only partner workspaces can have partners.".into(),
        ));
    }
    let Some(PersonRow {
        id: user_id,
        name: invitee_name,
        email: invitee_email,
        team_id: Some(partner_team),
    }) = tx.person_by_email(email.as_str()).await?
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
    if tx.partner(workspace_id, &user_id).await?.is_some() {
        return Err(AppError::AlreadyPartner(format!(
            "{email} is already a partner in this workspace."
        )));
    }
    if role == PartnerRole::Editor {
        check_editor_allowed(&mut tx, &ws.team_id, ws.multi_partner_mode).await?;
    }
    let granted_at = now();
    tx.grant(Grant {
        workspace_id,
        user_id: &user_id,
        partner_team_id: &partner_team,
        publisher_team_id: &ws.team_id,
        role,
        at: &granted_at,
        invited_by: Some(caller.user_id.as_str()),
        ends_at: ends_at.as_deref(),
    })
    .await?;
    let inviter = match &lead_team {
        Some(team) => Inviter::Lead {
            name: &caller.name,
            team,
        },
        None => Inviter::Publisher(&caller.name),
    };
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
        inviter,
    );
    tx.enqueue(
        &format!("invitation:{workspace_id}:{user_id}:{granted_at}"),
        &message,
    )
    .await?;
    audit_change(
        &mut tx,
        caller,
        &ws,
        AuditAction::PartnerInvited,
        Some((&partner_team, &user_id)),
        json!({
            "after": role.label(),
            "until": ends_at.as_deref().map(expiry::day_of),
            "by_partner_lead": lead_team.is_some(),
        }),
    )
    .await?;
    let member = tx
        .partner(workspace_id, &user_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("grant missing after insert"))?;
    tx.commit().await?;
    Ok(member.into_api())
}

/// Changes a partner's role; Editor takes a seat and is refused in multi-partner mode.
pub async fn change_role(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
    role: PartnerRole,
) -> Result<PartnerMember, AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &MANAGE_PARTNERS).await?;
    let current = active_partner(&mut tx, workspace_id, user_id).await?;
    if current.role == role {
        return Ok(current);
    }
    if role == PartnerRole::Editor {
        check_editor_allowed(&mut tx, &ws.team_id, ws.multi_partner_mode).await?;
    }
    tx.set_grant_role(workspace_id, user_id, role).await?;
    audit_change(
        &mut tx,
        caller,
        &ws,
        AuditAction::PartnerRoleChanged,
        Some((current.team.id.as_str(), user_id)),
        json!({ "before": current.role.label(), "after": role.label() }),
    )
    .await?;
    tx.commit().await?;
    Ok(PartnerMember { role, ..current })
}

/// Removes a partner from one workspace: the publisher's partner managers, or a Partner
/// Lead for a colleague of their own team.
pub async fn remove(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
) -> Result<(), AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &INVITE_PARTNERS).await?;
    let current = active_partner(&mut tx, workspace_id, user_id).await?;
    authz::may_remove_partner(caller, &ws.facts(), &current.team.id, current.lead)?;
    tx.revoke_grant(workspace_id, user_id, &now()).await?;
    audit_change(
        &mut tx,
        caller,
        &ws,
        AuditAction::PartnerRemoved,
        Some((current.team.id.as_str(), user_id)),
        json!({ "before": current.role.label() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Extends a partner's access (the publisher's partner managers): to `ends`, or by the
/// team's default period from the current end.
pub async fn extend(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
    ends: Option<&AccessEnd>,
) -> Result<AccessExtended, AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &MANAGE_PARTNERS).await?;
    let current = active_partner(&mut tx, workspace_id, user_id).await?;
    let now = OffsetDateTime::now_utc();
    let current_end = current.ends_at.as_deref().and_then(|end| {
        OffsetDateTime::parse(end, &time::format_description::well_known::Rfc3339).ok()
    });
    let default = tx.team_default_access(&ws.team_id).await?;
    let ends_at = expiry::extended(
        ends,
        current_end,
        default.parse().unwrap_or(AccessPeriod::Never),
        now,
    )
    .map_err(|why| AppError::invalid_field("ends", why))?
    .map(timestamp);
    tx.set_grant_end(workspace_id, user_id, ends_at.as_deref())
        .await?;
    audit_change(
        &mut tx,
        caller,
        &ws,
        AuditAction::PartnerAccessExtended,
        Some((current.team.id.as_str(), user_id)),
        json!({
            "before": current.ends_at.as_deref().map(expiry::day_of),
            "until": ends_at.as_deref().map(expiry::day_of),
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(AccessExtended { ends_at })
}

/// Makes a partner Partner Lead of the workspace, or not (the publisher's partner
/// managers).
pub async fn set_lead(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    user_id: &str,
    lead: bool,
) -> Result<PartnerMember, AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &MANAGE_PARTNERS).await?;
    let current = active_partner(&mut tx, workspace_id, user_id).await?;
    if current.lead == lead {
        return Ok(current);
    }
    tx.set_grant_lead(workspace_id, user_id, lead).await?;
    audit_change(
        &mut tx,
        caller,
        &ws,
        if lead {
            AuditAction::PartnerLeadGranted
        } else {
            AuditAction::PartnerLeadRevoked
        },
        Some((current.team.id.as_str(), user_id)),
        json!({}),
    )
    .await?;
    let updated = active_partner(&mut tx, workspace_id, user_id).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Changes name, summary, visibility and multi-partner mode. Turning the mode on turns
/// every Partner Editor into a Viewer (freeing their seats) and says who; making the
/// workspace internal removes every partner and denies the pending requests.
pub async fn update_settings(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    patch: &ValidSettings,
) -> Result<SettingsChanged, AppError> {
    let (mut tx, ws) = begin_change(db, caller, workspace_id, &MANAGE_SETTINGS).await?;
    let mut role_changes = Vec::new();
    if let Some(on) = patch.multi_partner_mode
        && on != ws.multi_partner_mode
    {
        if on {
            let editors = tx.workspace_editors(workspace_id).await?;
            tx.demote_editors(workspace_id).await?;
            role_changes = editors
                .into_iter()
                .map(PartnerRow::into_api)
                .map(|member| RoleChange {
                    user: member.user,
                    team: member.team,
                    from: PartnerRole::Editor,
                    to: PartnerRole::Viewer,
                })
                .collect();
        }
        tx.set_multi_partner_mode(workspace_id, on).await?;
        let action = if on {
            AuditAction::MultiPartnerOn
        } else {
            AuditAction::MultiPartnerOff
        };
        let made_viewers: Vec<_> = role_changes.iter().map(|c| &c.user.id).collect();
        audit_change(
            &mut tx,
            caller,
            &ws,
            action,
            None,
            json!({ "editors_made_viewers": made_viewers, "before": on_off(!on), "after": on_off(on) }),
        )
        .await?;
    }
    let mut partners_removed = 0;
    if let Some(visibility) = patch.visibility
        && visibility.as_str() != ws.visibility
    {
        if visibility == Visibility::Internal {
            let at = now();
            partners_removed =
                u32::try_from(tx.revoke_all_partners(workspace_id, &at).await?).unwrap_or(u32::MAX);
            tx.deny_pending_requests(workspace_id, caller.user_id.as_str(), &at)
                .await?;
        }
        tx.set_visibility(workspace_id, visibility.as_str()).await?;
        audit_change(
            &mut tx,
            caller,
            &ws,
            AuditAction::VisibilityChanged,
            None,
            json!({
                "before": shown(&ws.visibility, Visibility::label),
                "after": visibility.label(),
                "count": partners_removed,
            }),
        )
        .await?;
    }
    if let Some(name) = &patch.name {
        tx.set_workspace_name(workspace_id, name).await?;
    }
    if let Some(summary) = &patch.summary {
        tx.set_workspace_summary(workspace_id, summary).await?;
    }
    let updated = tx
        .workspace(workspace_id, caller)
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
