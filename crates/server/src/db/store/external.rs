// External access: what a team's people (?1) can open in other companies' workspaces.
// Driven by the team's own grants (`partner_grants_partner_team`), so its cost is the
// team's own data.

/// A team's people's active grants, with publisher, workspace and person; `?1` the team,
/// `?2` a publisher or NULL, `?3` a role or NULL, `?4` a LIKE pattern or NULL.
macro_rules! external_select {
    () => {
        "SELECT p.id AS publisher_id, p.name AS publisher_name, w.id AS workspace_id,
                w.name AS workspace_name, u.id AS user_id, u.name AS user_name, u.email AS user_email,
                g.role, g.is_lead AS lead, g.created_at AS since, g.last_opened_at, g.ends_at
         FROM partner_grants g JOIN users u ON u.id = g.user_id
              JOIN workspaces w ON w.id = g.workspace_id JOIN teams p ON p.id = g.publisher_team_id
         WHERE g.partner_team_id = ?1 AND g.revoked_at IS NULL AND u.team_id = ?1
           AND (?2 IS NULL OR g.publisher_team_id = ?2) AND (?3 IS NULL OR g.role = ?3)"
    };
}

fn external_search() -> String {
    format!(
        "(?4 IS NULL OR {} OR {} OR {})",
        D.like("u.name", "?4"),
        D.like("u.email", "?4"),
        D.like("w.name", "?4")
    )
}

fn external_order() -> String {
    format!(
        "{}, p.id, {}, w.id, {}, u.id",
        D.nocase("p.name"),
        D.nocase("w.name"),
        D.nocase("u.name")
    )
}

impl Store {
    /// One page of a team's external grants (by publisher, workspace, person) and their total.
    pub async fn external_grants(
        &self,
        team_id: &str,
        filter: &ExternalFilter,
        page: partner_api::PageRequest,
    ) -> Result<(u64, Vec<ExternalGrantRow>), sqlx::Error> {
        let rows = sqlx::query_as(built!(format!(
            "{} AND {} ORDER BY {} LIMIT ?5 OFFSET ?6",
            external_select!(),
            external_search(),
            external_order()
        )))
        .bind(team_id)
        .bind(filter.publisher.as_deref())
        .bind(filter.role.map(|r| r.as_str()))
        .bind(filter.pattern.as_deref())
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query_scalar(built!(format!(
            "SELECT COUNT(*) FROM ({} AND {}) AS matching",
            external_select!(),
            external_search()
        )))
        .bind(team_id)
        .bind(filter.publisher.as_deref())
        .bind(filter.role.map(|r| r.as_str()))
        .bind(filter.pattern.as_deref())
        .fetch_one(&self.pool)
        .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }

    /// The next `limit` external grants the filters select after `after` (publisher,
    /// workspace, person ids), in that order: the CSV export reads them a batch at a time
    /// along the team's index, so its memory and each batch's cost stay bounded.
    pub async fn external_grants_after(
        &self,
        team_id: &str,
        filter: &ExternalFilter,
        after: Option<(&str, &str, &str)>,
        limit: u32,
    ) -> Result<Vec<ExternalGrantRow>, sqlx::Error> {
        let (publisher, workspace, person) = match after {
            Some((p, w, u)) => (Some(p), Some(w), Some(u)),
            None => (None, None, None),
        };
        sqlx::query_as(built!(format!(
            "{} AND {} AND (?5 IS NULL OR (g.publisher_team_id, g.workspace_id, g.user_id) > (?5, ?6, ?7))
             ORDER BY g.publisher_team_id, g.workspace_id, g.user_id LIMIT ?8",
            external_select!(),
            external_search()
        )))
        .bind(team_id)
        .bind(filter.publisher.as_deref())
        .bind(filter.role.map(|r| r.as_str()))
        .bind(filter.pattern.as_deref())
        .bind(publisher)
        .bind(workspace)
        .bind(person)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
    }

    /// The publishers a team's people have access with, by name, with their grant counts.
    pub async fn external_publishers(&self, team_id: &str, limit: usize) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "SELECT p.id, p.name, COUNT(*)
             FROM partner_grants g JOIN users u ON u.id = g.user_id JOIN teams p ON p.id = g.publisher_team_id
             WHERE g.partner_team_id = ?1 AND g.revoked_at IS NULL AND u.team_id = ?1
             GROUP BY p.id, p.name ORDER BY {}, p.id LIMIT ?2",
            D.nocase("p.name")
        )))
        .bind(team_id)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
    }

    /// How many publishers a team's people have access with.
    pub async fn external_publisher_count(&self, team_id: &str) -> Result<u64, sqlx::Error> {
        let count: i64 = sqlx::query_scalar(sql!(
            "SELECT COUNT(DISTINCT g.publisher_team_id)
             FROM partner_grants g JOIN users u ON u.id = g.user_id
             WHERE g.partner_team_id = ?1 AND g.revoked_at IS NULL AND u.team_id = ?1"
        ))
        .bind(team_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Records that a partner opened a workspace, at most once per `stale_before` window
    /// (one small write when the stored time is older).
    pub async fn mark_opened(&self, workspace_id: &str, user_id: &str, at: &str, stale_before: &str) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "UPDATE partner_grants SET last_opened_at = ?1
             WHERE workspace_id = ?2 AND user_id = ?3 AND revoked_at IS NULL
               AND (last_opened_at IS NULL OR last_opened_at < ?4)"
        ))
        .bind(at)
        .bind(workspace_id)
        .bind(user_id)
        .bind(stale_before)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

impl Tx {
    /// A team's people's active grants: with one publisher, or the ones named as
    /// "workspace_id user_id" in a JSON array of strings.
    pub async fn external_grants_to_end(
        &mut self,
        team_id: &str,
        publisher: Option<&str>,
        keys_json: Option<&str>,
    ) -> Result<Vec<ExternalGrantRow>, sqlx::Error> {
        sqlx::query_as(built!(format!(
            "{} AND (?4 IS NULL OR (g.workspace_id || ' ' || g.user_id) IN ({})) ORDER BY {}",
            external_select!(),
            D.json_strings("?4"),
            external_order()
        )))
        .bind(team_id)
        .bind(publisher)
        .bind(None::<&str>)
        .bind(keys_json)
        .fetch_all(self.conn())
        .await
    }
}
