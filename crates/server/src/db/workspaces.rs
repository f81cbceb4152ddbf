//! Workspaces, what a caller is in them, and their member lists.

use partner_api::partnerships::TeamRef;
use partner_api::session::UserRef;
use partner_api::workspaces::{
    MEMBERS_LISTED, Members, PartnerMember, Publisher, PublisherMember, Visibility, Workspace,
    WorkspacePermissions,
};
use partner_api::{
    PageRequest, Paginated, PartnerRole, Plan, WorkspaceRole, WorkspaceTab, YourRole,
};
use sqlx::{FromRow, SqliteConnection};

use super::{Db, like_pattern};
use crate::domain::authz::{self, Caller, PartnerVisibility, WorkspaceFacts};
use crate::domain::migration;

/// A grant gives access only while it is not revoked and its holder is still in the
/// team it was given to.
macro_rules! active_grant {
    ($g:literal) => {
        concat!(
            $g,
            ".revoked_at IS NULL AND ",
            $g,
            ".partner_team_id = (SELECT team_id FROM users WHERE users.id = ",
            $g,
            ".user_id)"
        )
    };
}
pub(crate) use active_grant;

/// A workspace row with the caller's relation to it.
#[derive(Debug, Clone, FromRow)]
pub struct WorkspaceRow {
    pub id: String,
    pub team_id: String,
    pub publisher_name: String,
    pub name: String,
    pub summary: String,
    pub visibility: String,
    pub multi_partner_mode: bool,
    pub legacy: bool,
    pub migration_state: Option<String>,
    pub publisher_plan: String,
    pub member_role: Option<String>,
    pub partner_role: Option<String>,
    pub access_ended: bool,
}

const WORKSPACE_SELECT: &str = concat!(
    "SELECT w.id, w.team_id, t.name AS publisher_name, w.name, w.summary, w.visibility,
            w.multi_partner_mode, w.legacy, w.migration_state, t.plan AS publisher_plan,
            (SELECT m.role FROM workspace_members m WHERE m.workspace_id = w.id AND m.user_id = ?1) AS member_role,
            (SELECT g.role FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1 AND ",
    active_grant!("g"),
    ") AS partner_role,
            EXISTS (SELECT 1 FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1
                    AND g.revoked_reason = 'left_team') AS access_ended
     FROM workspaces w JOIN teams t ON t.id = w.team_id"
);

impl WorkspaceRow {
    /// The facts the authorization rules need.
    pub fn facts(&self) -> WorkspaceFacts {
        WorkspaceFacts {
            publisher_team_id: self.team_id.clone().into(),
            is_partner_workspace: self.visibility == "partner",
            multi_partner_mode: self.multi_partner_mode,
            member_role: self.member_role.as_deref().and_then(|r| r.parse().ok()),
            partner_role: self.partner_role.as_deref().and_then(|r| r.parse().ok()),
            access_ended: self.access_ended,
        }
    }

    /// The API shape, for a caller whose role is already known.
    pub fn to_api(&self, caller: &Caller, your_role: YourRole) -> Workspace {
        let facts = self.facts();
        Workspace {
            id: self.id.clone().into(),
            name: self.name.clone(),
            summary: self.summary.clone(),
            publisher: Publisher {
                id: self.team_id.clone().into(),
                name: self.publisher_name.clone(),
            },
            visibility: self.visibility.parse().unwrap_or(Visibility::Internal),
            multi_partner_mode: self.multi_partner_mode,
            legacy: self.legacy,
            migration_state: migration::state(
                self.legacy,
                self.migration_state.as_deref() == Some("migrated"),
                self.publisher_plan.parse().unwrap_or(Plan::Free),
            ),
            your_role,
            permissions: WorkspacePermissions {
                manage_settings: authz::can_manage_settings(caller, &facts),
                manage_partners: authz::can_manage_partners(caller, &facts)
                    && facts.is_partner_workspace,
            },
        }
    }
}

#[derive(FromRow)]
struct MemberRow {
    id: String,
    name: String,
    email: String,
    role: String,
}

#[derive(FromRow)]
pub(crate) struct PartnerRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_id: String,
    pub team_name: String,
    pub team_domain: String,
    pub sso_enforced: bool,
    pub role: String,
}

impl PartnerRow {
    pub(crate) fn into_api(self) -> PartnerMember {
        PartnerMember {
            user: UserRef {
                id: self.id.into(),
                name: self.name,
                email: self.email,
            },
            team: TeamRef {
                id: self.team_id.into(),
                name: self.team_name,
                domain: self.team_domain,
            },
            sso_enforced: self.sso_enforced,
            role: self.role.parse().unwrap_or(PartnerRole::Viewer),
        }
    }
}

pub(crate) const PARTNER_SELECT: &str = concat!(
    "SELECT u.id, u.name, u.email, t.id AS team_id, t.name AS team_name, t.domain AS team_domain,
            t.sso_enforced, g.role
     FROM partner_grants g JOIN users u ON u.id = g.user_id JOIN teams t ON t.id = g.partner_team_id
     WHERE g.workspace_id = ?1 AND ",
    active_grant!("g")
);

/// Loads one workspace as the caller relates to it (inside a transaction).
pub async fn load(
    conn: &mut SqliteConnection,
    id: &str,
    caller: &Caller,
) -> Result<Option<WorkspaceRow>, sqlx::Error> {
    sqlx::query_as(&format!("{WORKSPACE_SELECT} WHERE w.id = ?2"))
        .bind(caller.user_id.as_str())
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// One partner of a workspace, if their grant is active.
pub(crate) async fn partner(
    conn: &mut SqliteConnection,
    workspace_id: &str,
    user_id: &str,
) -> Result<Option<PartnerMember>, sqlx::Error> {
    let row: Option<PartnerRow> = sqlx::query_as(&format!("{PARTNER_SELECT} AND g.user_id = ?2"))
        .bind(workspace_id)
        .bind(user_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(PartnerRow::into_api))
}

impl Db {
    /// One workspace as the caller relates to it; `None` when the id is unknown.
    pub async fn workspace(
        &self,
        id: &str,
        caller: &Caller,
    ) -> Result<Option<WorkspaceRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, id, caller).await
    }

    /// A tab of Workspaces: the team's own (`all`, `mine`) or other teams' shared with
    /// the caller (`shared_partner`), ordered by publisher then name.
    pub async fn workspaces(
        &self,
        caller: &Caller,
        tab: WorkspaceTab,
        q: Option<&str>,
        page: PageRequest,
    ) -> Result<Paginated<Workspace>, sqlx::Error> {
        let filter = match tab {
            WorkspaceTab::All => "w.team_id = ?2",
            WorkspaceTab::Mine => {
                "w.team_id = ?2 AND EXISTS (SELECT 1 FROM workspace_members m
                                             WHERE m.workspace_id = w.id AND m.user_id = ?1)"
            }
            // Driven by the caller's own grants (`IN`, not a correlated EXISTS: that one
            // was checked against every workspace of every team).
            WorkspaceTab::SharedPartner => concat!(
                "w.id IN (SELECT g.workspace_id FROM partner_grants g WHERE g.user_id = ?1 AND ",
                active_grant!("g"),
                ") AND w.team_id IS NOT ?2"
            ),
        };
        let search = "(?3 IS NULL OR w.name LIKE ?3 ESCAPE '\\' OR t.name LIKE ?3 ESCAPE '\\')";
        let pattern = q.map(like_pattern);
        let team = caller.team_id.as_ref().map(|t| t.as_str().to_owned());
        if tab != WorkspaceTab::SharedPartner && team.is_none() {
            return Ok(page.wrap(Vec::new(), 0));
        }
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM workspaces w JOIN teams t ON t.id = w.team_id WHERE {filter} AND {search}"
        ))
        .bind(caller.user_id.as_str())
        .bind(&team)
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<WorkspaceRow> = sqlx::query_as(&format!(
            "{WORKSPACE_SELECT} WHERE {filter} AND {search}
             ORDER BY t.name COLLATE NOCASE, w.name COLLATE NOCASE, w.id LIMIT ?4 OFFSET ?5"
        ))
        .bind(caller.user_id.as_str())
        .bind(&team)
        .bind(&pattern)
        .bind(i64::from(page.per_page()))
        .bind(page.offset() as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .filter_map(|row| {
                authz::workspace_role(caller, &row.facts()).map(|role| row.to_api(caller, role))
            })
            .collect();
        Ok(page.wrap(items, total as u64))
    }

    /// The member list of a workspace, with other partner teams hidden when the rules say
    /// so: at most [`MEMBERS_LISTED`] people in each list, with the totals, optionally only
    /// those whose name or email contains `q`.
    pub async fn members(
        &self,
        workspace_id: &str,
        visibility: &PartnerVisibility,
        q: Option<&str>,
    ) -> Result<Members, sqlx::Error> {
        let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
        let matches = "(?2 IS NULL OR u.name LIKE ?2 ESCAPE '\\' OR u.email LIKE ?2 ESCAPE '\\')";
        let publisher_members = format!(
            "FROM workspaces w JOIN users u ON u.team_id = w.team_id
             LEFT JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = u.id
             WHERE w.id = ?1 AND (m.role IS NOT NULL OR u.team_role = 'admin') AND {matches}"
        );
        let publisher: Vec<MemberRow> = sqlx::query_as(&format!(
            "SELECT u.id, u.name, u.email,
                    CASE WHEN u.team_role = 'admin' THEN 'admin' ELSE m.role END AS role
             {publisher_members}
             ORDER BY u.name COLLATE NOCASE, u.id LIMIT ?3"
        ))
        .bind(workspace_id)
        .bind(&pattern)
        .bind(MEMBERS_LISTED as i64)
        .fetch_all(&self.pool)
        .await?;
        let publisher_total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) {publisher_members}"))
                .bind(workspace_id)
                .bind(&pattern)
                .fetch_one(&self.pool)
                .await?;
        let own_team = match visibility {
            PartnerVisibility::Everyone => None,
            PartnerVisibility::OwnTeamOnly(team) => Some(team.as_str()),
        };
        let visible = format!("AND (?3 IS NULL OR g.partner_team_id = ?3) AND {matches}");
        let partners: Vec<PartnerRow> = sqlx::query_as(&format!(
            "{PARTNER_SELECT} {visible}
             ORDER BY t.name COLLATE NOCASE, t.id, u.name COLLATE NOCASE, u.id LIMIT ?4"
        ))
        .bind(workspace_id)
        .bind(&pattern)
        .bind(own_team)
        .bind(MEMBERS_LISTED as i64)
        .fetch_all(&self.pool)
        .await?;
        let partners_total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM partner_grants g JOIN users u ON u.id = g.user_id
             WHERE g.workspace_id = ?1 AND {} {visible}",
            active_grant!("g")
        ))
        .bind(workspace_id)
        .bind(&pattern)
        .bind(own_team)
        .fetch_one(&self.pool)
        .await?;
        Ok(Members {
            publisher_members: publisher
                .into_iter()
                .map(|row| PublisherMember {
                    user: UserRef {
                        id: row.id.into(),
                        name: row.name,
                        email: row.email,
                    },
                    role: row.role.parse().unwrap_or(WorkspaceRole::Viewer),
                })
                .collect(),
            publisher_members_total: u32::try_from(publisher_total).unwrap_or(u32::MAX),
            partners: partners.into_iter().map(PartnerRow::into_api).collect(),
            partners_total: u32::try_from(partners_total).unwrap_or(u32::MAX),
        })
    }
}
