//! Team Settings > Partnerships: the partner teams of a publisher, seen from above.

use std::collections::BTreeMap;

use partner_api::partnerships::{
    PartnerPerson, PartnerTeamDetail, PartnerTeamSummary, PartnershipRemoved, PartnershipSort,
    PartnershipSortKey, SsoCoverage, SsoFilter, TeamRef, WorkspaceGrant, WorkspaceRef,
};
use partner_api::session::UserRef;
use partner_api::{PageRequest, Paginated, PartnerRole};
use serde_json::json;
use sqlx::FromRow;

use super::audit::{self, Entry};
use super::workspaces::active_grant;
use super::{Db, like_pattern, now};
use crate::domain::authz::Caller;
use crate::error::AppError;

/// Active grants in a publisher's workspaces (?1), with their holders.
const ACTIVE: &str = concat!(
    "WITH active AS (
        SELECT g.partner_team_id, g.user_id, g.workspace_id, g.role, u.last_sign_in_at
        FROM partner_grants g JOIN users u ON u.id = g.user_id
        WHERE g.publisher_team_id = ?1 AND ",
    active_grant!("g"),
    ")"
);

#[derive(FromRow)]
struct SummaryRow {
    id: String,
    name: String,
    domain: String,
    sso_enforced: bool,
    partner_count: i64,
    workspace_count: i64,
    last_active_at: Option<String>,
}

#[derive(FromRow)]
struct DetailRow {
    user_id: String,
    user_name: String,
    email: String,
    last_sign_in_sso: bool,
    last_sign_in_at: Option<String>,
    workspace_id: String,
    workspace_name: String,
    role: String,
}

fn order_by(sort: PartnershipSort) -> String {
    let direction = if sort.descending { "DESC" } else { "ASC" };
    let primary = match sort.key {
        PartnershipSortKey::Name => format!("t.name COLLATE NOCASE {direction}"),
        PartnershipSortKey::Partners => format!("partner_count {direction}"),
        PartnershipSortKey::Workspaces => format!("workspace_count {direction}"),
        // Teams nobody has signed in from come last either way.
        PartnershipSortKey::LastActive => {
            format!("last_active_at IS NULL, last_active_at {direction}")
        }
    };
    format!("{primary}, t.name COLLATE NOCASE, t.id")
}

impl Db {
    /// The partner teams of `publisher`: searched, filtered, sorted and paged in SQL.
    pub async fn partnerships(
        &self,
        publisher: &str,
        q: Option<&str>,
        sso: Option<SsoFilter>,
        sort: PartnershipSort,
        page: PageRequest,
    ) -> Result<Paginated<PartnerTeamSummary>, sqlx::Error> {
        let pattern = q.map(like_pattern);
        let sso = sso.map(|f| f == SsoFilter::Enforced);
        let filter = "(?2 IS NULL OR t.name LIKE ?2 ESCAPE '\\' OR t.domain LIKE ?2 ESCAPE '\\')
                      AND (?3 IS NULL OR t.sso_enforced = ?3)";
        let total: i64 = sqlx::query_scalar(&format!(
            "{ACTIVE} SELECT COUNT(*) FROM teams t
             WHERE t.id IN (SELECT partner_team_id FROM active) AND {filter}"
        ))
        .bind(publisher)
        .bind(&pattern)
        .bind(sso)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
            "{ACTIVE}
             SELECT t.id, t.name, t.domain, t.sso_enforced,
                    COUNT(DISTINCT a.user_id) AS partner_count,
                    COUNT(DISTINCT a.workspace_id) AS workspace_count,
                    MAX(a.last_sign_in_at) AS last_active_at
             FROM active a JOIN teams t ON t.id = a.partner_team_id
             WHERE {filter}
             GROUP BY t.id
             ORDER BY {}
             LIMIT ?4 OFFSET ?5",
            order_by(sort)
        ))
        .bind(publisher)
        .bind(&pattern)
        .bind(sso)
        .bind(i64::from(page.per_page()))
        .bind(page.offset() as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|row| PartnerTeamSummary {
                team: TeamRef {
                    id: row.id.into(),
                    name: row.name,
                    domain: row.domain,
                },
                sso_enforced: row.sso_enforced,
                partner_count: row.partner_count as u32,
                workspace_count: row.workspace_count as u32,
                last_active_at: row.last_active_at,
            })
            .collect();
        Ok(page.wrap(items, total as u64))
    }

    /// How many partner teams enforce SSO and how many partners last signed in with it.
    pub async fn sso_coverage(&self, publisher: &str) -> Result<SsoCoverage, sqlx::Error> {
        let (teams, teams_sso, partners, partners_sso): (i64, i64, i64, i64) = sqlx::query_as(&format!(
            "{ACTIVE}
             SELECT COUNT(DISTINCT a.partner_team_id),
                    COUNT(DISTINCT CASE WHEN t.sso_enforced THEN a.partner_team_id END),
                    COUNT(DISTINCT a.user_id),
                    COUNT(DISTINCT CASE WHEN u.last_sign_in_sso THEN a.user_id END)
             FROM active a JOIN teams t ON t.id = a.partner_team_id JOIN users u ON u.id = a.user_id"
        ))
        .bind(publisher)
        .fetch_one(&self.pool)
        .await?;
        Ok(SsoCoverage {
            partner_teams: teams as u32,
            partner_teams_sso_enforced: teams_sso as u32,
            partners: partners as u32,
            partners_last_sign_in_sso: partners_sso as u32,
        })
    }

    /// One partner team of `publisher`; `None` when it is not one (unknown or not a partner).
    pub async fn partnership(
        &self,
        publisher: &str,
        team_id: &str,
    ) -> Result<Option<PartnerTeamDetail>, sqlx::Error> {
        let team: Option<(String, String, String, bool)> =
            sqlx::query_as("SELECT id, name, domain, sso_enforced FROM teams WHERE id = ?")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, name, domain, sso_enforced)) = team else {
            return Ok(None);
        };
        let rows: Vec<DetailRow> = sqlx::query_as(&format!(
            "{ACTIVE}
             SELECT u.id AS user_id, u.name AS user_name, u.email, u.last_sign_in_sso, u.last_sign_in_at,
                    w.id AS workspace_id, w.name AS workspace_name, a.role
             FROM active a JOIN users u ON u.id = a.user_id JOIN workspaces w ON w.id = a.workspace_id
             WHERE a.partner_team_id = ?2
             ORDER BY u.name COLLATE NOCASE, u.id, w.name COLLATE NOCASE"
        ))
        .bind(publisher)
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let mut workspaces = BTreeMap::new();
        let mut partners: Vec<PartnerPerson> = Vec::new();
        for row in rows {
            let workspace = WorkspaceRef {
                id: row.workspace_id.into(),
                name: row.workspace_name,
            };
            workspaces.insert(
                (workspace.name.to_lowercase(), workspace.id.clone()),
                workspace.clone(),
            );
            let grant = WorkspaceGrant {
                workspace,
                role: row.role.parse().unwrap_or(PartnerRole::Viewer),
            };
            match partners.last_mut() {
                Some(person) if person.user.id.as_str() == row.user_id => {
                    person.workspaces.push(grant)
                }
                _ => partners.push(PartnerPerson {
                    user: UserRef {
                        id: row.user_id.into(),
                        name: row.user_name,
                        email: row.email,
                    },
                    last_sign_in_sso: row.last_sign_in_sso,
                    last_sign_in_at: row.last_sign_in_at,
                    workspaces: vec![grant],
                }),
            }
        }
        Ok(Some(PartnerTeamDetail {
            team: TeamRef {
                id: id.into(),
                name,
                domain,
            },
            sso_enforced,
            partners,
            workspaces: workspaces.into_values().collect(),
        }))
    }

    /// Removes every partner of `team_id` from every workspace of the caller's team.
    pub async fn remove_partnership(
        &self,
        caller: &Caller,
        publisher: &str,
        team_id: &str,
    ) -> Result<PartnershipRemoved, AppError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let grants: Vec<(String, String)> = sqlx::query_as(concat!(
            "SELECT g.workspace_id, g.user_id FROM partner_grants g
             WHERE g.publisher_team_id = ? AND g.partner_team_id = ? AND ",
            active_grant!("g")
        ))
        .bind(publisher)
        .bind(team_id)
        .fetch_all(&mut *tx)
        .await?;
        if grants.is_empty() {
            return Err(AppError::NotFound);
        }
        let at = now();
        for (workspace_id, user_id) in &grants {
            sqlx::query(
                "UPDATE partner_grants SET revoked_at = ?, revoked_reason = 'removed'
                 WHERE workspace_id = ? AND user_id = ?",
            )
            .bind(&at)
            .bind(workspace_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
            audit::record(
                &mut tx,
                Entry {
                    actor_id: Some(caller.user_id.as_str()),
                    team_id: publisher,
                    action: "partner.removed",
                    workspace_id: Some(workspace_id),
                    subject_id: Some(user_id),
                    detail: json!({ "partner_team_id": team_id, "via": "partnership_removed" }),
                },
            )
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
}
