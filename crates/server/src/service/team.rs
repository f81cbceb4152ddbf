//! Team Settings > General and Members: the team's name and SSO setting, its people's team
//! roles, and removing someone from the team. Each change is one transaction holding the
//! team's lock, audited under the team.

use partner_api::audit::{AuditAction, MAX_RETENTION_DAYS, MIN_RETENTION_DAYS};
use partner_api::expiry::AccessPeriod;
use partner_api::partnerships::WorkspaceRef;
use partner_api::team::{
    HeldGrant, HeldRole, IMPACT_LISTED, MemberPatch, MemberRemoved, RemovalImpact, TeamName,
    TeamPatch, TeamPermissions, TeamSettings,
};
use partner_api::workspaces::Publisher;
use partner_api::{PageRequest, Paginated, PartnerRole, Plan, TeamRole, WorkspaceRole};
use serde_json::json;

use crate::db::{AuditEntry, Db, TeamMemberRow, Tx, like_pattern};
use crate::domain::audit::{on_off, shown};
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::service::membership;

fn count(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// `GET /api/team`: every member of the team sees it.
pub async fn settings(db: &Db, caller: &Caller) -> Result<TeamSettings, AppError> {
    let team = authz::require_team_member(caller)?;
    let row = db
        .team_settings(team.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let seats = db.seats(team.as_str()).await?;
    Ok(TeamSettings {
        id: row.id.into(),
        name: row.name,
        plan: row.plan.parse().unwrap_or(Plan::Free),
        domains: vec![row.domain],
        sso_enforced: row.sso_enforced,
        editor_seats_included: count(row.editor_seats_included.max(0)),
        editor_seats_used: seats.editor_seats_used,
        member_count: count(row.member_count.max(0)),
        pending_invitations: count(row.pending_invitations.max(0)),
        default_access: row.default_access.parse().unwrap_or(AccessPeriod::Never),
        audit_retention_days: count(row.audit_retention_days.max(0)),
        permissions: TeamPermissions {
            manage_team: caller.is_team_admin(),
            manage_partnerships: authz::can_manage_partnerships(caller),
            read_audit_log: authz::can_read_audit_log(caller),
        },
    })
}

/// Starts a change to the caller's team (Team Admins): a transaction holding the team's
/// lock, and the team.
pub(crate) async fn begin_team_change(db: &Db, caller: &Caller) -> Result<(Tx, String), AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let mut tx = db.begin().await?;
    tx.lock_team(&team).await?;
    Ok((tx, team))
}

/// One person of the team, or 404.
async fn member_of(tx: &mut Tx, team: &str, user_id: &str) -> Result<TeamMemberRow, AppError> {
    tx.team_member(team, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Audits a change to the team, inside its transaction.
async fn audit_team(
    tx: &mut Tx,
    caller: &Caller,
    team: &str,
    action: AuditAction,
    subject_id: Option<&str>,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: team,
        action,
        workspace_id: None,
        partner_team_id: None,
        subject_id,
        detail,
    })
    .await
}

/// `PATCH /api/team`: the name, "require SSO for our people", the default access period
/// and the audit log's retention (Team Admins). The partnership summaries follow the
/// first two, so publishers see the change at once.
pub async fn update(db: &Db, caller: &Caller, patch: &TeamPatch) -> Result<TeamSettings, AppError> {
    authz::require_team_admin(caller)?;
    if let Some(days) = patch.audit_retention_days
        && !(MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(&days)
    {
        return Err(AppError::invalid_field(
            "audit_retention_days",
            format!("Keep the audit log {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days."),
        ));
    }
    let name = patch
        .name
        .as_deref()
        .map(TeamName::parse)
        .transpose()
        .map_err(|why| AppError::invalid_field("name", why))?;
    let (mut tx, team) = begin_team_change(db, caller).await?;
    let (old_name, old_sso) = tx.team_flags(&team).await?;
    if let Some(name) = name
        && name.as_str() != old_name
    {
        tx.set_team_name(&team, name.as_str()).await?;
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::TeamRenamed,
            None,
            json!({ "before": old_name, "after": name.as_str() }),
        )
        .await?;
    }
    if let Some(on) = patch.sso_enforced
        && on != old_sso
    {
        tx.set_team_sso(&team, on).await?;
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::TeamSsoChanged,
            None,
            json!({ "before": on_off(old_sso), "after": on_off(on) }),
        )
        .await?;
    }
    let (old_default, old_retention) = tx.team_governance(&team).await?;
    let default = patch
        .default_access
        .map_or(old_default.clone(), |d| d.as_str().to_owned());
    let retention = patch.audit_retention_days.map_or(old_retention, i64::from);
    if default != old_default || retention != old_retention {
        tx.set_team_governance(&team, &default, retention).await?;
    }
    if default != old_default {
        let label = |stored: &str| shown(stored, AccessPeriod::label);
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::TeamDefaultAccessChanged,
            None,
            json!({ "before": label(&old_default), "after": label(&default) }),
        )
        .await?;
    }
    if retention != old_retention {
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::TeamRetentionChanged,
            None,
            json!({ "before": format!("{old_retention} days"), "after": format!("{retention} days") }),
        )
        .await?;
    }
    tx.commit().await?;
    settings(db, caller).await
}

/// `GET /api/team/members`: every member of the team sees the list.
pub async fn members(
    db: &Db,
    caller: &Caller,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Paginated<partner_api::team::TeamMember>, AppError> {
    let team = authz::require_team_member(caller)?;
    let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
    let (total, rows) = db
        .team_members(team.as_str(), pattern.as_deref(), page)
        .await?;
    Ok(page.wrap(
        rows.into_iter().map(TeamMemberRow::into_api).collect(),
        total,
    ))
}

/// Refuses a change that would leave the team without a Team Admin (read under the lock).
async fn keep_an_admin(
    tx: &mut Tx,
    team: &str,
    member: &TeamMemberRow,
    to: Option<TeamRole>,
) -> Result<(), AppError> {
    let admins = tx.team_admin_count(team).await?;
    if authz::leaves_no_admin(member.role(), to, admins) {
        let what = if to.is_none() {
            "removed"
        } else {
            "made a member"
        };
        return Err(AppError::LastAdmin(format!(
            "{} is the team's only Team Admin and can't be {what}. Make someone else a Team \
             Admin first.",
            member.name
        )));
    }
    Ok(())
}

/// `PATCH /api/team/members/{user_id}`: team role and Partner Manager (Team Admins). The
/// last Team Admin stays one.
pub async fn update_member(
    db: &Db,
    caller: &Caller,
    user_id: &str,
    patch: &MemberPatch,
) -> Result<partner_api::team::TeamMember, AppError> {
    let (mut tx, team) = begin_team_change(db, caller).await?;
    let member = member_of(&mut tx, &team, user_id).await?;
    let role = patch.team_role.unwrap_or(member.role());
    let manager = patch
        .is_partner_manager
        .unwrap_or(member.is_partner_manager);
    if role == member.role() && manager == member.is_partner_manager {
        return Ok(member.into_api());
    }
    keep_an_admin(&mut tx, &team, &member, Some(role)).await?;
    tx.set_member_roles(user_id, role, manager).await?;
    if role != member.role() {
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::MemberRoleChanged,
            Some(user_id),
            json!({ "before": member.role().label(), "after": role.label() }),
        )
        .await?;
    }
    if manager != member.is_partner_manager {
        audit_team(
            &mut tx,
            caller,
            &team,
            AuditAction::PartnerManagerChanged,
            Some(user_id),
            json!({ "before": on_off(member.is_partner_manager), "after": on_off(manager) }),
        )
        .await?;
    }
    let updated = member_of(&mut tx, &team, user_id).await?;
    tx.commit().await?;
    Ok(updated.into_api())
}

/// `GET /api/team/members/{user_id}/removal`: what removing someone ends (Team Admins).
pub async fn removal_impact(
    db: &Db,
    caller: &Caller,
    user_id: &str,
) -> Result<RemovalImpact, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let mut tx = db.begin().await?;
    let member = member_of(&mut tx, &team, user_id).await?;
    let blocked = keep_an_admin(&mut tx, &team, &member, None)
        .await
        .err()
        .map(|e| e.body().error.message);
    drop(tx);
    let impact = db.removal_impact(user_id, IMPACT_LISTED).await?;
    Ok(RemovalImpact {
        member: member.into_api(),
        partner_grants: impact
            .grants
            .into_iter()
            .map(|g| HeldGrant {
                publisher: Publisher {
                    id: g.publisher_id.into(),
                    name: g.publisher_name,
                },
                workspace: WorkspaceRef {
                    id: g.workspace_id.into(),
                    name: g.workspace_name,
                },
                role: g.role.parse().unwrap_or(PartnerRole::Viewer),
            })
            .collect(),
        partner_grants_total: count(impact.grants_total),
        workspace_roles: impact
            .roles
            .into_iter()
            .map(|r| HeldRole {
                workspace: WorkspaceRef {
                    id: r.workspace_id.into(),
                    name: r.workspace_name,
                },
                role: r.role.parse().unwrap_or(WorkspaceRole::Viewer),
            })
            .collect(),
        workspace_roles_total: count(impact.roles_total),
        sessions: count(impact.sessions),
        blocked,
    })
}

/// `DELETE /api/team/members/{user_id}` (Team Admins): in one transaction their partner
/// grants in other companies' workspaces and their workspace roles end, their pending
/// requests are dropped, their sessions end and they leave the team. The last Team Admin
/// can't be removed.
pub async fn remove_member(
    db: &Db,
    caller: &Caller,
    user_id: &str,
) -> Result<MemberRemoved, AppError> {
    let (mut tx, team) = begin_team_change(db, caller).await?;
    let member = member_of(&mut tx, &team, user_id).await?;
    keep_an_admin(&mut tx, &team, &member, None).await?;
    let ended =
        membership::leave_team_in(&mut tx, &team, user_id, Some(caller.user_id.as_str())).await?;
    let sessions_ended = tx.end_sessions_of(user_id).await?;
    tx.commit().await?;
    Ok(MemberRemoved {
        partner_grants_ended: count(ended.partner_grants),
        workspace_roles_ended: count(ended.workspace_roles),
        sessions_ended: count(sessions_ended),
    })
}
