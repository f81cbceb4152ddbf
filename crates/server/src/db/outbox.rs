//! The transactional outbox: emails are written in the transaction of the change that
//! causes them and leave through the delivery worker (`email::delivery`).

use std::time::Duration;

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
/// written before is not written again (`false`): one cause, one email (its delivery is
/// at-least-once, see `email::delivery`).
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

/// An email claimed for delivery.
#[derive(Debug, Clone, FromRow)]
pub struct PendingEmail {
    pub id: String,
    pub to_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
    pub created_at: String,
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

    /// Claims up to `limit` due emails (not sent, not given up on, not waiting for a retry,
    /// not claimed by a live process) for `claimer` until `at + lease`, oldest first.
    /// Selecting and claiming are one statement, so two processes never claim the same
    /// email; an email whose claim ran out (its process died) is claimed again.
    pub async fn claim_due_emails(
        &self,
        claimer: &str,
        at: OffsetDateTime,
        lease: Duration,
        limit: u32,
    ) -> Result<Vec<PendingEmail>, sqlx::Error> {
        let now = unix_millis(at);
        // PostgreSQL also needs FOR UPDATE SKIP LOCKED in the subquery: there a concurrent
        // claim would otherwise wait for, then take, the rows another one just claimed.
        let mut claimed: Vec<PendingEmail> = sqlx::query_as(
            "UPDATE email_outbox SET claimed_by = ?, claimed_until = ?
             WHERE id IN (
                 SELECT id FROM email_outbox
                 WHERE sent_at IS NULL AND attempts < ?
                   AND (retry_at IS NULL OR retry_at <= ?)
                   AND (claimed_until IS NULL OR claimed_until < ?)
                 ORDER BY created_at, id
                 LIMIT ?)
             RETURNING id, to_email, subject, text_body, html_body, attempts, created_at",
        )
        .bind(claimer)
        .bind(unix_millis(at + lease))
        .bind(MAX_ATTEMPTS)
        .bind(now)
        .bind(now)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        // RETURNING follows no ORDER BY.
        claimed.sort_by(|a, b| (&a.created_at, &a.id).cmp(&(&b.created_at, &b.id)));
        Ok(claimed)
    }

    /// Counts an attempt just before it is made and renews `claimer`'s claim on the email to
    /// `at + lease` for it; `false` when the claim was lost (it ran out and another process
    /// took the email). Counted first, so an email that crashes the sender cannot be
    /// retried for ever.
    pub async fn start_email_attempt(
        &self,
        id: &str,
        claimer: &str,
        at: OffsetDateTime,
        lease: Duration,
    ) -> Result<bool, sqlx::Error> {
        let started = sqlx::query(
            "UPDATE email_outbox SET attempts = attempts + 1, claimed_until = ?
             WHERE id = ? AND claimed_by = ? AND claimed_until IS NOT NULL AND sent_at IS NULL",
        )
        .bind(unix_millis(at + lease))
        .bind(id)
        .bind(claimer)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(started == 1)
    }

    /// Records a delivery by `claimer` and releases its claim (`claimed_by` keeps naming
    /// the sender); `false` (nothing recorded) when another process holds the email now.
    pub async fn mark_email_sent(&self, id: &str, claimer: &str) -> Result<bool, sqlx::Error> {
        let marked = sqlx::query(
            "UPDATE email_outbox SET sent_at = ?, last_error = NULL, retry_at = NULL,
                 claimed_until = NULL
             WHERE id = ? AND claimed_by = ? AND claimed_until IS NOT NULL AND sent_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(claimer)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(marked == 1)
    }

    /// Records a failed delivery by `claimer` and when to try again, and releases its
    /// claim; `false` (nothing recorded) when another process holds the email now.
    pub async fn mark_email_failed(
        &self,
        id: &str,
        claimer: &str,
        error: &str,
        retry_at: OffsetDateTime,
    ) -> Result<bool, sqlx::Error> {
        let marked = sqlx::query(
            "UPDATE email_outbox SET last_error = ?, retry_at = ?, claimed_until = NULL
             WHERE id = ? AND claimed_by = ? AND claimed_until IS NOT NULL AND sent_at IS NULL",
        )
        .bind(error)
        .bind(unix_millis(retry_at))
        .bind(id)
        .bind(claimer)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(marked == 1)
    }

    /// Without SMTP, emails are delivered to the dev mailbox: every unsent one that no
    /// process holds a live claim on is marked sent, once, in one statement.
    pub async fn deliver_to_dev_mailbox(&self, at: OffsetDateTime) -> Result<u64, sqlx::Error> {
        let waiting: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM email_outbox WHERE sent_at IS NULL)")
                .fetch_one(&self.pool)
                .await?;
        if !waiting {
            return Ok(0);
        }
        Ok(sqlx::query(
            "UPDATE email_outbox SET sent_at = ?, attempts = attempts + 1,
                 claimed_by = NULL, claimed_until = NULL
             WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?)",
        )
        .bind(timestamp(at))
        .bind(unix_millis(at))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}

/// Milliseconds since the Unix epoch: how the outbox stores the times delivery compares.
fn unix_millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
