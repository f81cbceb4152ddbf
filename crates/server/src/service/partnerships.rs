//! Team Settings > Partnerships: the partner teams of a publisher, seen from above.

use partner_api::audit::AuditAction;
use partner_api::partnerships::{
    DETAIL_PARTNERS_LISTED, DETAIL_WORKSPACES_LISTED, PartnerPerson, PartnerTeamDetail,
    PartnerTeamSummary, PartnershipRemoved, PartnershipSort, SsoCoverage, SsoFilter, TeamRef,
    WorkspaceGrant, WorkspaceRef,
};
use partner_api::session::UserRef;
use partner_api::{PageRequest, Paginated, PartnerRole};
use serde_json::json;

use crate::db::{AuditEntry, Db, like_pattern, now};
use crate::domain::authz::Caller;
use crate::error::AppError;

fn decoded<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("{what}: {e}").into()))
}

/// The partner teams of `publisher`: searched, filtered, sorted and paged from the
/// summaries the triggers keep; the count and the page come from one statement, so they
/// always agree.
pub async fn list(
    db: &Db,
    publisher: &str,
    q: Option<&str>,
    sso: Option<SsoFilter>,
    sort: PartnershipSort,
    page: PageRequest,
) -> Result<Paginated<PartnerTeamSummary>, sqlx::Error> {
    let (total, items) = db
        .partnerships_page(
            publisher,
            q,
            sso.map(|f| f == SsoFilter::Enforced),
            sort,
            page,
        )
        .await?;
    Ok(page.wrap(decoded(&items, "a page of partner teams")?, total))
}

/// How many partner teams enforce SSO and how many partners last signed in with it.
pub async fn sso_coverage(db: &Db, publisher: &str) -> Result<SsoCoverage, sqlx::Error> {
    let totals = db.partnership_totals(publisher).await?;
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    Ok(SsoCoverage {
        partner_teams: count(totals.teams),
        partner_teams_sso_enforced: count(totals.teams_sso_enforced),
        partners: count(totals.partners),
        partners_last_sign_in_sso: count(totals.partners_sso),
    })
}

/// One partner team of `publisher`; `None` when it is not one (unknown or not a partner).
/// At most [`DETAIL_PARTNERS_LISTED`] partners (those whose name or email contains `q`, if
/// given), each with at most [`DETAIL_WORKSPACES_LISTED`] workspaces, and as many of the
/// team's workspaces; the totals say how many there are.
pub async fn detail(
    db: &Db,
    publisher: &str,
    team_id: &str,
    q: Option<&str>,
) -> Result<Option<PartnerTeamDetail>, sqlx::Error> {
    let Some((id, name, domain, sso_enforced)) = db.team_ref(team_id).await? else {
        return Ok(None);
    };
    let (workspaces_total, workspaces) = db
        .team_workspaces(publisher, team_id, DETAIL_WORKSPACES_LISTED)
        .await?;
    if workspaces_total == 0 {
        return Ok(None);
    }
    let workspaces: Vec<WorkspaceRef> = decoded(&workspaces, "a partner team's workspaces")?;
    let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
    let (partners_total, rows) = db
        .team_partners(
            publisher,
            team_id,
            pattern.as_deref(),
            DETAIL_PARTNERS_LISTED,
            DETAIL_WORKSPACES_LISTED,
        )
        .await?;
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut partners: Vec<PartnerPerson> = Vec::new();
    for row in rows {
        let grant = WorkspaceGrant {
            workspace: WorkspaceRef {
                id: row.workspace_id.into(),
                name: row.workspace_name,
            },
            role: row.role.parse().unwrap_or(PartnerRole::Viewer),
            ends_at: row.ends_at,
        };
        match partners.last_mut() {
            Some(person) if person.user.id.as_str() == row.user_id => person.workspaces.push(grant),
            _ => partners.push(PartnerPerson {
                user: UserRef {
                    id: row.user_id.into(),
                    name: row.user_name,
                    email: row.email,
                },
                last_sign_in_sso: row.last_sign_in_sso,
                last_sign_in_at: row.last_sign_in_at,
                workspaces: vec![grant],
                workspaces_total: u32::try_from(row.workspaces_total).unwrap_or(u32::MAX),
            }),
        }
    }
    let (sso_required, sso_available) = db.sso_requirement(publisher, team_id).await?;
    Ok(Some(PartnerTeamDetail {
        team: TeamRef {
            id: id.into(),
            name,
            domain,
        },
        sso_enforced,
        sso_required,
        sso_available,
        partners,
        partners_total: count(partners_total),
        workspaces,
        workspaces_total: count(workspaces_total),
    }))
}

/// Removes every partner of `team_id` from every workspace of the publisher, each removal
/// audited, in one transaction under the publisher's lock.
pub async fn remove(
    db: &Db,
    caller: &Caller,
    publisher: &str,
    team_id: &str,
) -> Result<PartnershipRemoved, AppError> {
    let mut tx = db.begin().await?;
    tx.lock_publisher(publisher).await?;
    let grants = tx.pair_grants(publisher, team_id).await?;
    if grants.is_empty() {
        return Err(AppError::NotFound);
    }
    let at = now();
    for (workspace_id, user_id) in &grants {
        tx.revoke_grant(workspace_id, user_id, &at).await?;
        tx.audit(AuditEntry {
            at: None,
            actor_id: Some(caller.user_id.as_str()),
            team_id: publisher,
            action: AuditAction::PartnerRemoved,
            workspace_id: Some(workspace_id),
            partner_team_id: Some(team_id),
            subject_id: Some(user_id),
            detail: json!({ "via": "partnership_removed" }),
        })
        .await?;
    }
    tx.commit().await?;
    let mut people: Vec<&String> = grants.iter().map(|(_, user)| user).collect();
    people.sort();
    people.dedup();
    Ok(PartnershipRemoved {
        partners_removed: people.len() as u32,
        grants_removed: grants.len() as u32,
    })
}
