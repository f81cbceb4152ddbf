// Access reviews: a team's reviews, their reviewers, and the grants each one covers.

/// A review with its progress (`r` the review).
macro_rules! review_select {
    () => {
        "SELECT r.id, r.team_id, r.scope_kind, r.scope_id, r.scope_label, r.created_by AS created_by_id,
                c.name AS created_by_name, c.email AS created_by_email, r.created_at, r.due_at,
                r.undecided, r.state,
                (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id) AS total,
                (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id AND i.decision IS NOT NULL) AS decided,
                (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id AND i.decision = 'keep') AS kept,
                (SELECT COUNT(*) FROM access_review_items i WHERE i.review_id = r.id AND i.decision = 'remove') AS removed
         FROM access_reviews r LEFT JOIN users c ON c.id = r.created_by"
    };
}

/// A review's grants with names (`?1` the review, `?2` only undecided when true).
macro_rules! review_items_select {
    () => {
        "FROM access_review_items i JOIN users u ON u.id = i.user_id
              JOIN teams t ON t.id = i.partner_team_id JOIN workspaces w ON w.id = i.workspace_id
              LEFT JOIN users d ON d.id = i.decided_by
              LEFT JOIN partner_grants g ON g.workspace_id = i.workspace_id AND g.user_id = i.user_id
         WHERE i.review_id = ?1 AND (?2 = FALSE OR i.decision IS NULL)"
    };
}

impl Store {
    /// The reviews of a team; with `reviewer`, only theirs. Open ones first, newest first.
    pub async fn reviews(&self, team_id: &str, reviewer: Option<&str>) -> Result<Vec<ReviewRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            review_select!(),
            " WHERE r.team_id = ?1 AND (?2 IS NULL OR EXISTS (
                 SELECT 1 FROM access_review_reviewers v WHERE v.review_id = r.id AND v.user_id = ?2))
             ORDER BY r.state DESC, r.created_at DESC, r.id LIMIT 200"
        )))
        .bind(team_id)
        .bind(reviewer)
        .fetch_all(&self.pool)
        .await
    }

    /// One review of a team.
    pub async fn review(&self, team_id: &str, review_id: &str) -> Result<Option<ReviewRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(review_select!(), " WHERE r.team_id = ?1 AND r.id = ?2")))
            .bind(team_id)
            .bind(review_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The reviewers of a team's reviews: (review, id, name, email), read along the team's
    /// reviews.
    pub async fn review_reviewers(&self, team_id: &str) -> Result<Vec<(String, String, String, String)>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "SELECT v.review_id, u.id, u.name, u.email
             FROM access_reviews r JOIN access_review_reviewers v ON v.review_id = r.id
                  JOIN users u ON u.id = v.user_id
             WHERE r.team_id = ?1 ORDER BY v.review_id, {}, u.id",
            D.nocase("u.name")
        )))
        .bind(team_id)
        .fetch_all(&self.pool)
        .await
    }

    /// One page of a review's grants (by partner team, person, workspace) and their total.
    pub async fn review_items(
        &self,
        review_id: &str,
        undecided_only: bool,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<ReviewItemRow>), sqlx::Error> {
        let total: i64 = sqlx::query_scalar(sql!(concat!("SELECT COUNT(*) ", review_items_select!())))
            .bind(review_id)
            .bind(undecided_only)
            .fetch_one(&self.pool)
            .await?;
        let rows = self.review_items_after(review_id, undecided_only, page.per_page(), page.offset()).await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// `limit` grants of a review from `offset` on, in the review's order.
    pub async fn review_items_after(
        &self,
        review_id: &str,
        undecided_only: bool,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<ReviewItemRow>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "SELECT i.workspace_id, w.name AS workspace_name, i.user_id, u.name AS user_name,
                    u.email AS user_email, i.partner_team_id, t.name AS team_name, t.domain AS team_domain,
                    i.role, i.granted_at, g.last_opened_at, i.decision, i.decided_by AS decided_by_id,
                    d.name AS decided_by_name, d.email AS decided_by_email,
                    (g.user_id IS NULL OR g.revoked_at IS NOT NULL OR g.created_at <> i.granted_at) AS ended
             {} ORDER BY {}, t.id, {}, u.id, {}, w.id LIMIT ?3 OFFSET ?4",
            review_items_select!(),
            D.nocase("t.name"),
            D.nocase("u.name"),
            D.nocase("w.name")
        )))
        .bind(review_id)
        .bind(undecided_only)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
    }

    /// Of these people (a JSON array of ids), those of the team who may review: Team
    /// Admins, Partner Managers and Workspace Admins of its workspaces.
    pub async fn eligible_reviewers(&self, team_id: &str, ids_json: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(built!(format!(
            "SELECT u.id FROM users u
             WHERE u.team_id = ?1 AND u.id IN ({})
               AND (u.team_role = 'admin' OR u.is_partner_manager OR EXISTS (
                    SELECT 1 FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
                    WHERE m.user_id = u.id AND m.role = 'admin' AND w.team_id = ?1))",
            D.json_strings("?2")
        )))
        .bind(team_id)
        .bind(ids_json)
        .fetch_all(&self.pool)
        .await
    }

    /// What "Start a review" offers: (people who may review with why, partner teams with
    /// active grants, the team's workspaces), each by name and at most `limit`.
    #[allow(clippy::type_complexity)]
    pub async fn review_choices(
        &self,
        team_id: &str,
        limit: usize,
    ) -> Result<(Vec<ReviewerRow>, Vec<(String, String, String)>, Vec<(String, String)>), sqlx::Error> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let reviewers = sqlx::query_as(built!(format!(
            "SELECT * FROM (
                 SELECT u.id, u.name, u.email, u.team_role = 'admin' AS team_admin,
                        u.is_partner_manager AS partner_manager,
                        EXISTS (SELECT 1 FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
                                WHERE m.user_id = u.id AND m.role = 'admin' AND w.team_id = ?1) AS workspace_admin
                 FROM users u WHERE u.team_id = ?1) AS people
             WHERE team_admin OR partner_manager OR workspace_admin
             ORDER BY {}, id LIMIT ?2",
            D.nocase("name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let teams = sqlx::query_as(built!(format!(
            "SELECT t.id, t.name, t.domain
             FROM (SELECT DISTINCT partner_team_id AS id FROM partner_grants
                   WHERE publisher_team_id = ?1 AND revoked_at IS NULL) AS partners
                  JOIN teams t ON t.id = partners.id
             ORDER BY {}, t.id LIMIT ?2",
            D.nocase("t.name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let workspaces = sqlx::query_as(built!(format!(
            "SELECT id, name FROM workspaces WHERE team_id = ?1 ORDER BY {}, id LIMIT ?2",
            D.nocase("name")
        )))
        .bind(team_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok((reviewers, teams, workspaces))
    }

    /// Open reviews whose due time has come by `at`.
    pub async fn due_reviews(&self, at: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT id, team_id FROM access_reviews WHERE state = 'open' AND due_at <= ?1 ORDER BY due_at, id"
        ))
        .bind(at)
        .fetch_all(&self.pool)
        .await
    }
}

impl Tx {
    /// Starts a review and puts every active grant of its scope in it; returns how many.
    pub async fn create_review(&mut self, review: &NewReviewRow<'_>) -> Result<u64, sqlx::Error> {
        sqlx::query(sql!(
            "INSERT INTO access_reviews (id, team_id, scope_kind, scope_id, scope_label, created_by, created_at,
                                         due_at, undecided, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'open')"
        ))
        .bind(review.id)
        .bind(review.team_id)
        .bind(review.scope_kind)
        .bind(review.scope_id)
        .bind(review.scope_label)
        .bind(review.created_by)
        .bind(review.created_at)
        .bind(review.due_at)
        .bind(review.undecided)
        .execute(self.conn())
        .await?;
        sqlx::query(built!(format!(
            "INSERT INTO access_review_reviewers (review_id, user_id)
             SELECT ?1, u.id FROM users u WHERE u.id IN ({})",
            D.json_strings("?2")
        )))
        .bind(review.id)
        .bind(review.reviewers_json)
        .execute(self.conn())
        .await?;
        let items = sqlx::query(sql!(concat!(
            "INSERT INTO access_review_items (review_id, workspace_id, user_id, partner_team_id, role, granted_at)
             SELECT ?1, g.workspace_id, g.user_id, g.partner_team_id, g.role, g.created_at
             FROM partner_grants g
             WHERE g.publisher_team_id = ?2 AND ",
            active_grant!("g"),
            " AND (?3 <> 'partner_team' OR g.partner_team_id = ?4)
               AND (?3 <> 'workspace' OR g.workspace_id = ?4)"
        )))
        .bind(review.id)
        .bind(review.team_id)
        .bind(review.scope_kind)
        .bind(review.scope_id)
        .execute(self.conn())
        .await?;
        Ok(items.rows_affected())
    }

    /// Records one decision for some grants of an open review (a JSON array of
    /// "workspace_id user_id"); returns the (workspace, user, partner team) of each grant
    /// whose decision changed.
    pub async fn decide_review_items(
        &mut self,
        review_id: &str,
        keys_json: &str,
        decision: &str,
        by: &str,
        at: &str,
    ) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        let changed: Vec<(String, String, String)> = sqlx::query_as(built!(format!(
            "SELECT i.workspace_id, i.user_id, i.partner_team_id FROM access_review_items i
             WHERE i.review_id = ?1 AND (i.workspace_id || ' ' || i.user_id) IN ({})
               AND (i.decision IS NULL OR i.decision <> ?2)
             ORDER BY i.workspace_id, i.user_id",
            D.json_strings("?3")
        )))
        .bind(review_id)
        .bind(decision)
        .bind(keys_json)
        .fetch_all(self.conn())
        .await?;
        sqlx::query(built!(format!(
            "UPDATE access_review_items SET decision = ?2, decided_by = ?4, decided_at = ?5
             WHERE review_id = ?1 AND (workspace_id || ' ' || user_id) IN ({})",
            D.json_strings("?3")
        )))
        .bind(review_id)
        .bind(decision)
        .bind(keys_json)
        .bind(by)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(changed)
    }

    /// How many of these grants (a JSON array of "workspace_id user_id") are in the review.
    pub async fn review_item_count(&mut self, review_id: &str, keys_json: &str) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(built!(format!(
            "SELECT COUNT(*) FROM access_review_items
             WHERE review_id = ?1 AND (workspace_id || ' ' || user_id) IN ({})",
            D.json_strings("?2")
        )))
        .bind(review_id)
        .bind(keys_json)
        .fetch_one(self.conn())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// A review's state, read under the team's lock.
    pub async fn review_state(&mut self, review_id: &str) -> Result<Option<(String, String, String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT state, undecided, scope_label, team_id FROM access_reviews WHERE id = ?1"
        ))
        .bind(review_id)
        .fetch_optional(self.conn())
        .await
    }

    /// Up to `limit` grants the review removes and hasn't applied yet (decided Remove, or
    /// undecided when `undecided` is "remove"), still the grants reviewed.
    pub async fn review_removals(&mut self, review_id: &str, undecided: &str, limit: u32) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            "SELECT i.workspace_id, i.user_id, i.partner_team_id FROM access_review_items i
             JOIN partner_grants g ON g.workspace_id = i.workspace_id AND g.user_id = i.user_id
             WHERE i.review_id = ?1 AND i.applied_at IS NULL
               AND (i.decision = 'remove' OR (i.decision IS NULL AND ?2 = 'remove'))
               AND g.created_at = i.granted_at AND ",
            active_grant!("g"),
            " ORDER BY i.workspace_id, i.user_id LIMIT ?3"
        )))
        .bind(review_id)
        .bind(undecided)
        .bind(i64::from(limit))
        .fetch_all(self.conn())
        .await
    }

    /// Marks one grant of a review applied.
    pub async fn mark_review_item_applied(&mut self, review_id: &str, workspace_id: &str, user_id: &str, at: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE access_review_items SET applied_at = ?4 WHERE review_id = ?1 AND workspace_id = ?2 AND user_id = ?3"
        ))
        .bind(review_id)
        .bind(workspace_id)
        .bind(user_id)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Closes a review; `false` if it was already closed (another server's pass).
    pub async fn finish_review(&mut self, review_id: &str, at: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE access_reviews SET state = 'applied', applied_at = ?2 WHERE id = ?1 AND state = 'open'"
        ))
        .bind(review_id)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// A review's reviewers: (id, name, email).
    pub async fn review_reviewer_people(&mut self, review_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email FROM access_review_reviewers v JOIN users u ON u.id = v.user_id
             WHERE v.review_id = ?1 ORDER BY u.id"
        ))
        .bind(review_id)
        .fetch_all(self.conn())
        .await
    }

    /// Who hears how a review ended: its reviewers and whoever started it.
    pub async fn review_audience(&mut self, review_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT u.id, u.name, u.email FROM users u
             WHERE u.id IN (SELECT user_id FROM access_review_reviewers WHERE review_id = ?1)
                OR u.id = (SELECT created_by FROM access_reviews WHERE id = ?1)
             ORDER BY u.id"
        ))
        .bind(review_id)
        .fetch_all(self.conn())
        .await
    }

    /// How many grants a review covers.
    pub async fn review_total(&mut self, review_id: &str) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(sql!("SELECT COUNT(*) FROM access_review_items WHERE review_id = ?1"))
            .bind(review_id)
            .fetch_one(self.conn())
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many grants a review removed.
    pub async fn review_removed_count(&mut self, review_id: &str) -> Result<u64, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(sql!(
            "SELECT COUNT(*) FROM access_review_items WHERE review_id = ?1 AND applied_at IS NOT NULL"
        ))
        .bind(review_id)
        .fetch_one(self.conn())
        .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
