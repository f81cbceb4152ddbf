//! The transactional outbox: emails are written in the transaction of the change that
//! causes them and leave through the delivery worker (`email::delivery`).

use partner_api::mailbox::MailboxEmail;
use partner_api::{PageRequest, Paginated};
use sqlx::{FromRow, SqliteConnection};
use time::OffsetDateTime;

use super::{Db, new_id, now, timestamp};
use crate::email::Message;

/// Deliveries are tried this many times; then the email stays in the outbox with its
/// last error for a person to look at.
pub const MAX_ATTEMPTS: i64 = 8;

/// Writes an email inside the caller's transaction. An email whose `dedupe_key` was
/// written before is not written again (`false`): the same cause never sends twice.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    dedupe_key: &str,
    message: &Message,
) -> Result<bool, sqlx::Error> {
    let written = sqlx::query(
        "INSERT INTO email_outbox (id, dedupe_key, to_email, subject, text_body, html_body, link, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(new_id())
    .bind(dedupe_key)
    .bind(&message.to)
    .bind(&message.subject)
    .bind(&message.text)
    .bind(&message.html)
    .bind(&message.link)
    .bind(now())
    .execute(conn)
    .await?
    .rows_affected();
    Ok(written == 1)
}

/// An email waiting for delivery.
#[derive(Debug, Clone, FromRow)]
pub struct PendingEmail {
    pub id: String,
    pub to_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
}

#[derive(FromRow)]
struct MailboxRow {
    id: String,
    to_email: String,
    subject: String,
    text_body: String,
    html_body: String,
    link: Option<String>,
    created_at: String,
    sent_at: Option<String>,
}

impl Db {
    /// The outbox, newest first (the dev mailbox), optionally only one address's emails.
    pub async fn mailbox(
        &self,
        to: Option<&str>,
        page: PageRequest,
    ) -> Result<Paginated<MailboxEmail>, sqlx::Error> {
        let to = to.map(str::trim).filter(|t| !t.is_empty());
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM email_outbox WHERE ?1 IS NULL OR to_email = ?1 COLLATE NOCASE",
        )
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<MailboxRow> = sqlx::query_as(
            "SELECT id, to_email, subject, text_body, html_body, link, created_at, sent_at
             FROM email_outbox WHERE ?1 IS NULL OR to_email = ?1 COLLATE NOCASE
             ORDER BY rowid DESC LIMIT ?2 OFFSET ?3",
        )
        .bind(to)
        .bind(i64::from(page.per_page()))
        .bind(page.offset() as i64)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|row| MailboxEmail {
                id: row.id,
                to: row.to_email,
                subject: row.subject,
                text: row.text_body,
                html: row.html_body,
                link: row.link,
                created_at: row.created_at,
                sent_at: row.sent_at,
            })
            .collect();
        Ok(page.wrap(items, total as u64))
    }

    /// Emails due for delivery, oldest first: not sent, not given up on, not waiting for
    /// a retry.
    pub async fn due_emails(&self, limit: u32) -> Result<Vec<PendingEmail>, sqlx::Error> {
        sqlx::query_as(
            "SELECT id, to_email, subject, text_body, html_body, attempts FROM email_outbox
             WHERE sent_at IS NULL AND attempts < ?
               AND (next_attempt_at IS NULL OR julianday(next_attempt_at) <= julianday(?))
             ORDER BY rowid LIMIT ?",
        )
        .bind(MAX_ATTEMPTS)
        .bind(now())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
    }

    /// Counts an attempt before it is made, so an email that crashes the sender cannot be
    /// retried for ever.
    pub async fn count_email_attempt(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE email_outbox SET attempts = attempts + 1 WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a delivery (once: a delivered email keeps its first time).
    pub async fn mark_email_sent(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE email_outbox SET sent_at = ?, last_error = NULL, next_attempt_at = NULL
             WHERE id = ? AND sent_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed delivery and when to try again.
    pub async fn mark_email_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE email_outbox SET last_error = ?, next_attempt_at = ? WHERE id = ?")
            .bind(error)
            .bind(timestamp(retry_at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Without SMTP, emails are delivered to the dev mailbox: all pending ones are marked
    /// sent in one statement.
    pub async fn deliver_to_dev_mailbox(&self) -> Result<u64, sqlx::Error> {
        let waiting: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM email_outbox WHERE sent_at IS NULL)")
                .fetch_one(&self.pool)
                .await?;
        if !waiting {
            return Ok(0);
        }
        Ok(sqlx::query(
            "UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1 WHERE sent_at IS NULL",
        )
        .bind(now())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}
