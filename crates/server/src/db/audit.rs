//! The audit log: one row for every change to partner access.

use sqlx::SqliteConnection;

use super::now;

/// One audited change.
pub struct Entry<'a> {
    /// `None` for changes the server makes on its own (scheduled migrations).
    pub actor_id: Option<&'a str>,
    pub team_id: &'a str,
    pub action: &'a str,
    pub workspace_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// Appends an entry inside the caller's transaction.
pub async fn record(conn: &mut SqliteConnection, entry: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now())
    .bind(entry.actor_id)
    .bind(entry.team_id)
    .bind(entry.action)
    .bind(entry.workspace_id)
    .bind(entry.subject_id)
    .bind(entry.detail.to_string())
    .execute(conn)
    .await?;
    Ok(())
}
