// Access that expires: grants with an end, their reminders, and the job that ends them.
// Driven by `partner_grants_ends` (active grants with an end), so a pass reads only the
// grants near their end.

/// An active grant with an end, with the names its emails need (`?1` a time, `?2` a limit).
macro_rules! expiring_select {
    () => {
        "SELECT g.workspace_id, w.name AS workspace_name, g.user_id, u.name AS user_name,
                u.email AS user_email, g.publisher_team_id, p.name AS publisher_name,
                g.partner_team_id, pt.name AS partner_team_name, g.role, g.ends_at
         FROM partner_grants g JOIN workspaces w ON w.id = g.workspace_id
              JOIN users u ON u.id = g.user_id JOIN teams p ON p.id = g.publisher_team_id
              JOIN teams pt ON pt.id = g.partner_team_id
         WHERE g.ends_at IS NOT NULL AND g.revoked_at IS NULL AND g.ends_at < ?1"
    };
}

impl Store {
    /// Active grants ending before `before` whose reminder hasn't been sent, soonest first.
    pub async fn grants_to_remind(&self, before: &str, limit: u32) -> Result<Vec<ExpiringRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            expiring_select!(),
            " AND g.reminded_at IS NULL ORDER BY g.ends_at, g.workspace_id, g.user_id LIMIT ?2"
        )))
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
    }

    /// Active grants whose end is at or before `at`, soonest first.
    pub async fn grants_ended_by(&self, at: &str, limit: u32) -> Result<Vec<ExpiringRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            // `< ?1` over the end plus a nanosecond is `<=` over the end.
            expiring_select!(),
            " ORDER BY g.ends_at, g.workspace_id, g.user_id LIMIT ?2"
        )))
        .bind(format!("{at}\u{1}"))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
    }
}

impl Tx {
    /// How long a team's new partner grants last by default.
    pub async fn team_default_access(&mut self, team_id: &str) -> Result<String, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT default_access FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_one(self.conn())
            .await
    }

    /// The end of an active grant: `None` without an active grant, `Some(None)` when it
    /// has no end.
    pub async fn grant_end(&mut self, workspace_id: &str, user_id: &str) -> Result<Option<Option<String>>, sqlx::Error> {
        sqlx::query_scalar(sql!(concat!(
            "SELECT g.ends_at FROM partner_grants g WHERE g.workspace_id = ?1 AND g.user_id = ?2 AND ",
            active_grant!("g")
        )))
        .bind(workspace_id)
        .bind(user_id)
        .fetch_optional(self.conn())
        .await
    }

    /// Sets an active grant's end; its reminder is due again for the new end.
    pub async fn set_grant_end(&mut self, workspace_id: &str, user_id: &str, ends_at: Option<&str>) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE partner_grants SET ends_at = ?3, reminded_at = NULL
             WHERE workspace_id = ?1 AND user_id = ?2 AND revoked_at IS NULL"
        ))
        .bind(workspace_id)
        .bind(user_id)
        .bind(ends_at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that the reminder for a grant's current end was written, unless it already
    /// was (another server's pass) or the end changed since it was read.
    pub async fn mark_reminded(&mut self, workspace_id: &str, user_id: &str, ends_at: &str, at: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE partner_grants SET reminded_at = ?4
             WHERE workspace_id = ?1 AND user_id = ?2 AND ends_at = ?3 AND revoked_at IS NULL
               AND reminded_at IS NULL"
        ))
        .bind(workspace_id)
        .bind(user_id)
        .bind(ends_at)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends a grant whose end has come (at `at`), unless it changed since it was read.
    pub async fn expire_grant(&mut self, workspace_id: &str, user_id: &str, ends_at: &str, at: &str) -> Result<bool, sqlx::Error> {
        let done = sqlx::query(sql!(
            "UPDATE partner_grants SET revoked_at = ?4, revoked_reason = NULL, is_lead = FALSE
             WHERE workspace_id = ?1 AND user_id = ?2 AND ends_at = ?3 AND ends_at <= ?4
               AND revoked_at IS NULL"
        ))
        .bind(workspace_id)
        .bind(user_id)
        .bind(ends_at)
        .bind(at)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }
}
