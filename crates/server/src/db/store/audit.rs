// The audit log: one row for every change to partner access and to a team.

impl Tx {
    /// Appends an entry, inside this transaction.
    pub async fn audit(&mut self, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ))
        .bind(now())
        .bind(entry.actor_id)
        .bind(entry.team_id)
        .bind(entry.action)
        .bind(entry.workspace_id)
        .bind(entry.subject_id)
        .bind(entry.detail.to_string())
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
