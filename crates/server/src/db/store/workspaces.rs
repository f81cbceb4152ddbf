// Workspaces, what a caller is in them, and their member lists.

/// A workspace with the caller's (?1) relation to it: their workspace role, their active
/// partner grant, and whether a grant of theirs ended when they left its team.
macro_rules! workspace_select {
    () => {
        concat!(
            "SELECT w.id, w.team_id, t.name AS publisher_name, w.name, w.summary, w.visibility,
                w.multi_partner_mode, w.legacy, w.migration_state, t.plan AS publisher_plan,
                (SELECT m.role FROM workspace_members m WHERE m.workspace_id = w.id AND m.user_id = ?1) AS member_role,
                (SELECT g.role FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1 AND ",
            active_grant!("g"),
            ") AS partner_role,
                COALESCE((SELECT g.is_lead FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1 AND ",
            active_grant!("g"),
            "), FALSE) AS partner_lead,
                EXISTS (SELECT 1 FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1
                        AND g.revoked_reason = 'left_team') AS access_ended,
                (SELECT g.ends_at FROM partner_grants g WHERE g.workspace_id = w.id AND g.user_id = ?1
                        AND g.revoked_at IS NOT NULL AND g.revoked_reason IS NULL
                        AND g.ends_at <= g.revoked_at) AS expired_at,
                EXISTS (SELECT 1 FROM partner_sso_requirements r
                        WHERE r.publisher_team_id = w.team_id
                          AND r.partner_team_id = (SELECT cu.team_id FROM users cu WHERE cu.id = ?1)) AS sso_required,
                (SELECT ct.name FROM users cu JOIN teams ct ON ct.id = cu.team_id WHERE cu.id = ?1) AS caller_team_name
             FROM workspaces w JOIN teams t ON t.id = w.team_id"
        )
    };
}

/// The active partners of a workspace (?1), with their teams.
macro_rules! partner_select {
    () => {
        concat!(
            "SELECT u.id, u.name, u.email, t.id AS team_id, t.name AS team_name, t.domain AS team_domain,
                t.sso_enforced, g.role, g.is_lead AS lead, g.invited_by AS invited_by_id,
                ib.name AS invited_by_name, ib.email AS invited_by_email, g.ends_at
             FROM partner_grants g JOIN users u ON u.id = g.user_id JOIN teams t ON t.id = g.partner_team_id
                  LEFT JOIN users ib ON ib.id = g.invited_by
             WHERE g.workspace_id = ?1 AND ",
            active_grant!("g")
        )
    };
}

async fn load_workspace(
    conn: &mut Conn,
    id: &str,
    caller: &crate::domain::authz::Caller,
) -> Result<Option<WorkspaceRow>, sqlx::Error> {
    sqlx::query_as(sql!(concat!(workspace_select!(), " WHERE w.id = ?2")))
    .bind(caller.user_id.as_str())
    .bind(id)
    .fetch_optional(conn)
    .await
}

async fn load_partner(
    conn: &mut Conn,
    workspace_id: &str,
    user_id: &str,
) -> Result<Option<PartnerRow>, sqlx::Error> {
    sqlx::query_as(sql!(concat!(partner_select!(), " AND g.user_id = ?2")))
    .bind(workspace_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

impl Store {
    /// One workspace as the caller relates to it; `None` when the id is unknown.
    pub async fn workspace(
        &self,
        id: &str,
        caller: &crate::domain::authz::Caller,
    ) -> Result<Option<WorkspaceRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        load_workspace(&mut conn, id, caller).await
    }

    /// A tab of Workspaces as rows with the caller's relation to each, and the tab's total:
    /// the team's own (`all`, `mine`) or other teams' shared with the caller
    /// (`shared_partner`), ordered by publisher then name, searched by workspace and (on
    /// External Workspaces) publisher name.
    pub async fn workspace_rows(
        &self,
        caller: &crate::domain::authz::Caller,
        tab: partner_api::WorkspaceTab,
        q: Option<&str>,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<WorkspaceRow>), sqlx::Error> {
        use partner_api::WorkspaceTab;
        // `mine` and `shared_partner` are driven by the caller's own rows, read first (a
        // materialized CTE): a correlated EXISTS was checked against every workspace of
        // every team, and PostgreSQL's generic plan of an IN (…) joined every workspace to
        // the caller's grants once a prepared statement had run a few times.
        let (caller_rows, filter) = match tab {
            WorkspaceTab::All => ("", "w.team_id = ?2"),
            WorkspaceTab::Mine => (
                "WITH caller_rows AS MATERIALIZED (
                     SELECT m.workspace_id FROM workspace_members m WHERE m.user_id = ?1) ",
                "w.id IN (SELECT workspace_id FROM caller_rows) AND w.team_id = ?2",
            ),
            WorkspaceTab::SharedPartner => (
                concat!(
                    "WITH caller_rows AS MATERIALIZED (
                         SELECT g.workspace_id FROM partner_grants g WHERE g.user_id = ?1 AND ",
                    active_grant!("g"),
                    ") "
                ),
                // A "view as partner" session sees only the publisher's workspaces (?4),
                // one of them with ?5.
                "w.id IN (SELECT workspace_id FROM caller_rows) AND (?2 IS NULL OR w.team_id <> ?2)
                 AND (?4 IS NULL OR w.team_id = ?4) AND (?5 IS NULL OR w.id = ?5)",
            ),
        };
        let shared = tab == WorkspaceTab::SharedPartner;
        if caller.view.is_some() && !shared {
            return Ok((0, Vec::new()));
        }
        let view_publisher = caller.view.as_ref().map(|v| v.publisher.as_str().to_owned());
        let view_workspace = caller
            .view
            .as_ref()
            .and_then(|v| v.workspace.as_ref())
            .map(|w| w.as_str().to_owned());
        let paging = if shared {
            "LIMIT ?6 OFFSET ?7"
        } else {
            "LIMIT ?4 OFFSET ?5"
        };
        let search = format!(
            "(?3 IS NULL OR {} OR {})",
            D.like("w.name", "?3"),
            D.like("t.name", "?3")
        );
        let pattern = q.map(like_pattern);
        let team = caller.team_id.as_ref().map(|t| t.as_str().to_owned());
        if tab != WorkspaceTab::SharedPartner && team.is_none() {
            return Ok((0, Vec::new()));
        }
        let count_statement = D.sql(&format!(
            "{caller_rows}SELECT COUNT(*) FROM workspaces w JOIN teams t ON t.id = w.team_id
             WHERE {filter} AND {search}"
        ));
        let mut count = sqlx::query_scalar(&count_statement)
            .bind(caller.user_id.as_str())
            .bind(&team)
            .bind(&pattern);
        if shared {
            count = count.bind(&view_publisher).bind(&view_workspace);
        }
        let total: i64 = count.fetch_one(&self.pool).await?;
        let rows_statement = D.sql(&format!(
            "{caller_rows}{} WHERE {filter} AND {search}
             ORDER BY {}, {}, w.id {paging}",
            workspace_select!(),
            D.nocase("t.name"),
            D.nocase("w.name")
        ));
        let mut rows = sqlx::query_as(&rows_statement)
            .bind(caller.user_id.as_str())
            .bind(&team)
            .bind(&pattern);
        if shared {
            rows = rows.bind(&view_publisher).bind(&view_workspace);
        }
        let rows: Vec<WorkspaceRow> = rows
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// One partner of a workspace, if their grant is active.
    pub async fn partner(
        &self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<PartnerRow>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        load_partner(&mut conn, workspace_id, user_id).await
    }

    /// A workspace's publisher members (at most `limit`, by name) and their total, only
    /// those whose name or email matches the LIKE `pattern` when given.
    pub async fn publisher_members(
        &self,
        workspace_id: &str,
        pattern: Option<&str>,
        limit: usize,
    ) -> Result<(u64, Vec<MemberRow>), sqlx::Error> {
        let rows = format!(
            "FROM workspaces w JOIN users u ON u.team_id = w.team_id
             LEFT JOIN workspace_members m ON m.workspace_id = w.id AND m.user_id = u.id
             WHERE w.id = ?1 AND (m.role IS NOT NULL OR u.team_role = 'admin')
               AND (?2 IS NULL OR {} OR {})",
            D.like("u.name", "?2"),
            D.like("u.email", "?2")
        );
        let members: Vec<MemberRow> = sqlx::query_as(&D.sql(&format!(
            "SELECT u.id, u.name, u.email,
                    CASE WHEN u.team_role = 'admin' THEN 'admin' ELSE m.role END AS role
             {rows} ORDER BY {}, u.id LIMIT ?3",
            D.nocase("u.name")
        )))
        .bind(workspace_id)
        .bind(pattern)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&D.sql(&format!("SELECT COUNT(*) {rows}")))
            .bind(workspace_id)
            .bind(pattern)
            .fetch_one(&self.pool)
            .await?;
        Ok((u64::try_from(total).unwrap_or(0), members))
    }

    /// A workspace's active partners (at most `limit`, by team then name) and their total:
    /// only those of `own_team` when given, and whose name or email matches `pattern`.
    pub async fn workspace_partners(
        &self,
        workspace_id: &str,
        own_team: Option<&str>,
        pattern: Option<&str>,
        limit: usize,
    ) -> Result<(u64, Vec<PartnerRow>), sqlx::Error> {
        let visible = format!(
            "AND (?3 IS NULL OR g.partner_team_id = ?3) AND (?2 IS NULL OR {} OR {})",
            D.like("u.name", "?2"),
            D.like("u.email", "?2")
        );
        // The workspace's partners first, then ordered (a materialized CTE): with the
        // ORDER BY … LIMIT beside the join, PostgreSQL's generic plan walked every team in
        // name order to find this workspace's partners.
        let partners: Vec<PartnerRow> = sqlx::query_as(&D.sql(&format!(
            "WITH listed AS MATERIALIZED ({} {visible})
             SELECT * FROM listed ORDER BY {}, team_id, {}, id LIMIT ?4",
            partner_select!(),
            D.nocase("team_name"),
            D.nocase("name")
        )))
        .bind(workspace_id)
        .bind(pattern)
        .bind(own_team)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(&D.sql(&format!(
            "SELECT COUNT(*) FROM partner_grants g JOIN users u ON u.id = g.user_id
             WHERE g.workspace_id = ?1 AND {} {visible}",
            active_grant!("g")
        )))
        .bind(workspace_id)
        .bind(pattern)
        .bind(own_team)
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), partners))
    }
}

impl Tx {
    /// One workspace as the caller relates to it, read inside the transaction.
    pub async fn workspace(
        &mut self,
        id: &str,
        caller: &crate::domain::authz::Caller,
    ) -> Result<Option<WorkspaceRow>, sqlx::Error> {
        load_workspace(self.conn(), id, caller).await
    }

    /// The publisher of a workspace, if it exists.
    pub async fn publisher_of(&mut self, workspace_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT team_id FROM workspaces WHERE id = ?1"))
            .bind(workspace_id)
            .fetch_optional(self.conn())
            .await
    }

    /// One partner of a workspace, if their grant is active.
    pub async fn partner(
        &mut self,
        workspace_id: &str,
        user_id: &str,
    ) -> Result<Option<PartnerRow>, sqlx::Error> {
        load_partner(self.conn(), workspace_id, user_id).await
    }
}
