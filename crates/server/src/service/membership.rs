//! Who someone is and which team they are in.

use partner_api::audit::AuditAction;
use partner_api::session::{MyTeam, UserRef};
use partner_api::{Me, PartnerRole, Plan, WorkspaceRole};
use serde_json::json;

use crate::db::{AuditEntry, Db, Tx, now};
use crate::domain::audit::shown;
use crate::domain::authz::Caller;

/// `GET /api/me` for a caller.
pub async fn me(db: &Db, caller: &Caller) -> Result<Me, sqlx::Error> {
    let team = match &caller.team_id {
        Some(team) => db.team(team.as_str()).await?,
        None => None,
    };
    Ok(Me {
        user: UserRef {
            id: caller.user_id.clone(),
            name: caller.name.clone(),
            email: caller.email.clone(),
        },
        team: team.map(|(id, name, plan)| MyTeam {
            id: id.into(),
            name,
            plan: plan.parse().unwrap_or(Plan::Free),
        }),
        team_role: caller.team_role,
        is_partner_manager: caller.is_partner_manager,
    })
}

/// Takes a person out of their team, in one transaction (see [`leave_team_in`]).
/// `actor_id` is who removed them (`None`: they left, or the server did it).
pub async fn remove_from_team(
    db: &Db,
    user_id: &str,
    actor_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    let Some(membership) = tx.membership(user_id).await? else {
        return Ok(());
    };
    let Some(team_id) = membership.team_id else {
        return Ok(());
    };
    tx.lock_team(&team_id).await?;
    leave_team_in(&mut tx, &team_id, user_id, actor_id).await?;
    tx.commit().await
}

/// What a person's leaving ended.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ended {
    pub partner_grants: u64,
    pub workspace_roles: u64,
}

/// Takes a person out of `team_id` inside `tx` (which holds the team's lock): their
/// partner access, which belonged to that team, ends at once; their workspace roles in the
/// team's workspaces end too, so rejoining later starts from none; their pending access
/// requests are dropped. Each ended grant and role is audited under the team it belonged
/// to.
pub async fn leave_team_in(
    tx: &mut Tx,
    team_id: &str,
    user_id: &str,
    actor_id: Option<&str>,
) -> Result<Ended, sqlx::Error> {
    let at = now();
    let Some(membership) = tx.membership(user_id).await? else {
        return Ok(Ended::default());
    };
    if membership.team_id.as_deref() != Some(team_id) {
        return Ok(Ended::default());
    }
    let grants = tx.grants_held(user_id).await?;
    tx.end_grants_of_leaver(user_id, &at).await?;
    for grant in &grants {
        tx.audit(AuditEntry {
            at: None,
            actor_id,
            team_id: &grant.publisher_team_id,
            action: AuditAction::PartnerAccessEnded,
            workspace_id: Some(&grant.workspace_id),
            partner_team_id: Some(team_id),
            subject_id: Some(user_id),
            detail: json!({ "reason": "left_team", "before": shown(&grant.role, PartnerRole::label) }),
        })
        .await?;
    }
    let roles = tx.workspace_roles(user_id).await?;
    tx.end_workspace_roles(user_id).await?;
    for (workspace_id, role) in &roles {
        tx.audit(AuditEntry {
            at: None,
            actor_id,
            team_id,
            action: AuditAction::WorkspaceRoleEnded,
            workspace_id: Some(workspace_id),
            partner_team_id: None,
            subject_id: Some(user_id),
            detail: json!({ "reason": "left_team", "before": shown(role, WorkspaceRole::label) }),
        })
        .await?;
    }
    tx.drop_pending_requests_of(user_id, &at).await?;
    tx.leave_team(user_id).await?;
    tx.audit(AuditEntry {
        at: None,
        actor_id,
        team_id,
        action: if actor_id.is_some_and(|a| a != user_id) {
            AuditAction::MemberRemoved
        } else {
            AuditAction::MemberLeft
        },
        workspace_id: None,
        partner_team_id: None,
        subject_id: Some(user_id),
        detail: json!({
            "team_role": membership.team_role,
            "partner_manager": membership.is_partner_manager,
            "partner_grants_ended": grants.len(),
            "workspace_roles_ended": roles.len(),
        }),
    })
    .await?;
    Ok(Ended {
        partner_grants: grants.len() as u64,
        workspace_roles: roles.len() as u64,
    })
}
