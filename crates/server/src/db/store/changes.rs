// Live updates: the change log every open page's events come from (see `crate::live`).

/// Sessions read by one statement (its parameters stay well under either database's limit).
const SESSIONS_PER_QUERY: usize = 500;

impl Tx {
    /// Records a change inside this transaction; it is announced to every server once the
    /// transaction commits (and never if it rolls back).
    pub async fn record_change(&mut self, change: NewChange<'_>) -> Result<(), sqlx::Error> {
        let row: ChangeRow = sqlx::query_as(sql!(
            "INSERT INTO change_log (at, action, team_id, workspace_id, partner_team_id, subject_id, actor_id, origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             RETURNING id, at, action, team_id, workspace_id, partner_team_id, subject_id, actor_id, origin"
        ))
        .bind(now())
        .bind(change.action)
        .bind(change.team_id)
        .bind(change.workspace_id)
        .bind(change.partner_team_id)
        .bind(change.subject_id)
        .bind(change.actor_id)
        .bind(crate::db::origin::current())
        .fetch_one(self.conn())
        .await?;
        self.announce(Notice::Change(row)).await
    }
}

impl Store {
    /// The changes after `after` (and those recorded since `since`, which a slower
    /// transaction may have committed after `after` was seen), oldest first, at most `limit`;
    /// `None` when `after` is no longer (or never was) in the log.
    pub async fn changes_after(
        &self,
        after: i64,
        slack: time::Duration,
        limit: u32,
    ) -> Result<Option<Vec<ChangeRow>>, sqlx::Error> {
        let at: Option<String> = sqlx::query_scalar(sql!("SELECT at FROM change_log WHERE id = ?1"))
            .bind(after)
            .fetch_optional(&self.pool)
            .await?;
        let Some(at) = at else { return Ok(None) };
        let since = time::OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339)
            .map_or(at, |at| timestamp(at - slack));
        sqlx::query_as(sql!(
            "SELECT id, at, action, team_id, workspace_id, partner_team_id, subject_id, actor_id, origin
             FROM change_log WHERE id > ?1 OR (at >= ?2 AND id <> ?1)
             ORDER BY id LIMIT ?3"
        ))
        .bind(after)
        .bind(since)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map(Some)
    }

    /// Deletes up to `batch` changes recorded before `before`.
    pub async fn delete_changes_before(&self, before: &str, batch: u32) -> Result<u64, sqlx::Error> {
        sqlx::query(sql!(
            "DELETE FROM change_log WHERE id IN
                 (SELECT id FROM change_log WHERE at < ?1 ORDER BY at LIMIT ?2)"
        ))
        .bind(before)
        .bind(i64::from(batch))
        .execute(&self.pool)
        .await
        .map(|done| done.rows_affected())
    }

    /// The people with active partner access to a workspace.
    pub async fn workspace_grantees(&self, workspace_id: &str) -> Result<Vec<String>, sqlx::Error> {
        sqlx::query_scalar(sql!(concat!(
            "SELECT g.user_id FROM partner_grants g WHERE g.workspace_id = ?1 AND ",
            active_grant!("g")
        )))
        .bind(workspace_id)
        .fetch_all(&self.pool)
        .await
    }

    /// The people behind many sessions at once (live ones, not views), by token hash.
    pub async fn session_callers(
        &self,
        token_hashes: &[Vec<u8>],
    ) -> Result<Vec<SessionCallerRow>, sqlx::Error> {
        let mut found = Vec::with_capacity(token_hashes.len());
        for chunk in token_hashes.chunks(SESSIONS_PER_QUERY) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("?{}", i + 2)).collect();
            let statement = D.sql(&format!(
                "SELECT s.token_hash, u.id, u.name, u.email, u.team_id, u.team_role,
                        u.is_partner_manager, s.method, s.created_at AS signed_in_at,
                        NULL AS viewer_id, NULL AS view_publisher_id, NULL AS view_workspace_id
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash IN ({}) AND s.expires_at > ?1 AND s.view_parent IS NULL",
                marks.join(", ")
            ));
            let mut query = sqlx::query_as(&statement).bind(now());
            for hash in chunk {
                query = query.bind(hash.as_slice());
            }
            found.extend(query.fetch_all(&self.pool).await?);
        }
        Ok(found)
    }

    /// A workspace as each of several people stands to it: the same row as
    /// [`Store::workspace`] gives each of them (none when the workspace is gone).
    pub async fn workspace_for_people(
        &self,
        workspace_id: &str,
        people: &[String],
    ) -> Result<Vec<PersonWorkspaceRow>, sqlx::Error> {
        // `workspace_select!` reads the caller as ?1: here, each person of the list.
        let statement = built!(format!(
            "{} JOIN users person ON {} WHERE w.id = ?2",
            workspace_select!()
                .replace("?1", "person.id")
                .replacen("SELECT ", "SELECT person.id AS person_id, ", 1),
            D.in_subquery("person.id", &D.json_strings("?1"))
        ));
        let people = serde_json::to_string(people).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query_as(statement)
            .bind(people)
            .bind(workspace_id)
            .fetch_all(&self.pool)
            .await
    }

    /// Which of `people` hold active partner access from `publisher`.
    pub async fn partners_among(
        &self,
        publisher: &str,
        people: &[String],
    ) -> Result<Vec<String>, sqlx::Error> {
        let statement = built!(format!(
            "SELECT DISTINCT g.user_id FROM partner_grants g
             WHERE g.publisher_team_id = ?1 AND {} AND {}",
            D.in_subquery("g.user_id", &D.json_strings("?2")),
            active_grant!("g")
        ));
        let people = serde_json::to_string(people).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
        sqlx::query_scalar(statement)
            .bind(publisher)
            .bind(people)
            .fetch_all(&self.pool)
            .await
    }

    /// A person's name.
    pub async fn user_name(&self, user_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(sql!("SELECT name FROM users WHERE id = ?1"))
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }
}
