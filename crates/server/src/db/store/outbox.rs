// The transactional outbox: emails are written in the transaction of the change that
// causes them and leave through the delivery worker (`email::delivery`).

impl Tx {
    /// Writes an email inside the caller's transaction. An email whose `dedupe_key` was
    /// written before is not written again (`false`): one cause, one email (its delivery is
    /// at-least-once, see `email::delivery`).
    pub async fn enqueue(
        &mut self,
        dedupe_key: &str,
        message: &crate::email::Message,
    ) -> Result<bool, sqlx::Error> {
        let written = sqlx::query(
            sql!("INSERT INTO email_outbox (id, dedupe_key, to_email, subject, text_body, html_body, link, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (dedupe_key) DO NOTHING"))
        .bind(new_id())
        .bind(dedupe_key)
        .bind(&message.to)
        .bind(&message.subject)
        .bind(&message.text)
        .bind(&message.html)
        .bind(&message.link)
        .bind(now())
        .execute(self.conn())
        .await?
        .rows_affected();
        Ok(written == 1)
    }
}

impl Store {
    /// The outbox, newest first (the dev mailbox), optionally only one address's emails.
    pub async fn mailbox(
        &self,
        to: Option<&str>,
        page: partner_api::PageRequest,
    ) -> Result<partner_api::Paginated<partner_api::mailbox::MailboxEmail>, sqlx::Error> {
        let to = to.map(str::trim).filter(|t| !t.is_empty());
        let total: i64 = sqlx::query_scalar(
            &D.sql(&format!(
                "SELECT COUNT(*) FROM email_outbox WHERE ?1 IS NULL OR {}",
                D.eq_nocase("to_email", "?1")
            )))
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<MailboxRow> = sqlx::query_as(
            &D.sql(&format!(
                "SELECT id, to_email, subject, text_body, html_body, link, created_at, sent_at
                 FROM email_outbox WHERE ?1 IS NULL OR {}
                 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
                D.eq_nocase("to_email", "?1")
            )))
        .bind(to)
        .bind(i64::from(page.per_page()))
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(|row| partner_api::mailbox::MailboxEmail {
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
        at: time::OffsetDateTime,
        lease: std::time::Duration,
        limit: u32,
    ) -> Result<Vec<PendingEmail>, sqlx::Error> {
        let now = unix_millis(at);
        // On PostgreSQL the subquery skips rows another claim has locked: a concurrent claim
        // would otherwise wait for, then take, the rows another one just claimed.
        let mut claimed: Vec<PendingEmail> = sqlx::query_as(
            &D.sql(&format!(
                "UPDATE email_outbox SET claimed_by = ?1, claimed_until = ?2
                 WHERE id IN (
                     SELECT id FROM email_outbox
                     WHERE sent_at IS NULL AND attempts < ?3
                       AND (retry_at IS NULL OR retry_at <= ?4)
                       AND (claimed_until IS NULL OR claimed_until < ?5)
                     ORDER BY created_at, id
                     LIMIT ?6{})
                 RETURNING id, to_email, subject, text_body, html_body, attempts, created_at",
                D.skip_locked()
            )),
        )
        .bind(claimer)
        .bind(unix_millis(at + lease))
        .bind(crate::db::MAX_EMAIL_ATTEMPTS)
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
        at: time::OffsetDateTime,
        lease: std::time::Duration,
    ) -> Result<bool, sqlx::Error> {
        let started = sqlx::query(
            sql!("UPDATE email_outbox SET attempts = attempts + 1, claimed_until = ?1
             WHERE id = ?2 AND claimed_by = ?3 AND claimed_until IS NOT NULL AND sent_at IS NULL"))
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
            sql!("UPDATE email_outbox SET sent_at = ?1, last_error = NULL, retry_at = NULL,
                 claimed_until = NULL
             WHERE id = ?2 AND claimed_by = ?3 AND claimed_until IS NOT NULL AND sent_at IS NULL"))
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
        retry_at: time::OffsetDateTime,
    ) -> Result<bool, sqlx::Error> {
        let marked = sqlx::query(
            sql!("UPDATE email_outbox SET last_error = ?1, retry_at = ?2, claimed_until = NULL
             WHERE id = ?3 AND claimed_by = ?4 AND claimed_until IS NOT NULL AND sent_at IS NULL"))
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
    pub async fn deliver_to_dev_mailbox(&self, at: time::OffsetDateTime) -> Result<u64, sqlx::Error> {
        let waiting: bool =
            sqlx::query_scalar(sql!("SELECT EXISTS (SELECT 1 FROM email_outbox WHERE sent_at IS NULL)"))
                .fetch_one(&self.pool)
                .await?;
        if !waiting {
            return Ok(0);
        }
        Ok(sqlx::query(
            sql!("UPDATE email_outbox SET sent_at = ?1, attempts = attempts + 1,
                 claimed_by = NULL, claimed_until = NULL
             WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < ?2)"))
        .bind(timestamp(at))
        .bind(unix_millis(at))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }
}

/// Milliseconds since the Unix epoch: how the outbox stores the times delivery compares.
fn unix_millis(at: time::OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
