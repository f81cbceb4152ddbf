//! Sends what the outbox holds: over SMTP with `--smtp-url`, or into the dev mailbox.
//!
//! Each process claims the due emails it sends (`Db::claim_due_emails`) for
//! `--email-lease-secs`, so processes sharing a database never send the same email at the
//! same time. Delivery is at-least-once: an email is marked sent only after the SMTP
//! server has accepted it, so when a process dies between the two, another process (or
//! the restarted one) sends it again once the claim has run out. Each email's Message-ID
//! is derived from its outbox id and never changes, so a resend is the same message to
//! every mail system that de-duplicates (and a crash before the server's acceptance is
//! not a delivery at all).

use std::time::Duration;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use time::OffsetDateTime;
use tokio::sync::Mutex;

use crate::config::Config;
use crate::db::PendingEmail;
use crate::db::{Db, new_id};

/// How many emails are claimed at a time: few, so that processes share the work and a
/// process that dies holds few emails back until their claims run out.
const BATCH: u32 = 10;

/// Where emails go.
pub enum Transport {
    /// No SMTP server: emails stay readable in the outbox and are marked delivered.
    DevMailbox,
    /// An SMTP server.
    Smtp(SmtpSender),
}

/// An SMTP connection pool, the sender's address, and this process's claims on emails.
pub struct SmtpSender {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Names this process in the claims it makes (random per start).
    claimer: String,
    lease: Duration,
    /// One delivery pass at a time: a pass's claims are known by `claimer` alone.
    one_pass: Mutex<()>,
}

impl Transport {
    /// The transport the configuration asks for.
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let Some(url) = &config.smtp_url else {
            return Ok(Self::DevMailbox);
        };
        let mailer = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .context("--smtp-url must look like smtp://host:port, smtp://user:pass@host:587?tls=required or smtps://user:pass@host")?
            .build();
        let from = config
            .email_from
            .parse()
            .with_context(|| format!("--email-from {:?} isn't an address", config.email_from))?;
        anyhow::ensure!(
            config.email_lease >= Duration::from_millis(100),
            "--email-lease-secs must be at least 0.1"
        );
        let claimer = format!("pid{}-{}", std::process::id(), &new_id()[..12]);
        tracing::info!(claimer, "delivering emails over SMTP");
        Ok(Self::Smtp(SmtpSender {
            mailer,
            from,
            claimer,
            lease: config.email_lease,
            one_pass: Mutex::new(()),
        }))
    }
}

/// Delivers every email that is due; returns how many were delivered.
pub async fn deliver_due(db: &Db, transport: &Transport) -> anyhow::Result<u64> {
    match transport {
        Transport::DevMailbox => Ok(db.deliver_to_dev_mailbox(OffsetDateTime::now_utc()).await?),
        Transport::Smtp(sender) => sender.deliver_due(db).await,
    }
}

/// Waits 10 s, 20 s, 40 s … up to an hour between attempts.
fn backoff(attempts: i64) -> time::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    time::Duration::seconds((10_i64 << exponent).min(3600))
}

impl SmtpSender {
    async fn deliver_due(&self, db: &Db) -> anyhow::Result<u64> {
        let _one_pass = self.one_pass.lock().await;
        let mut delivered = 0;
        loop {
            let claimed = db
                .claim_due_emails(&self.claimer, OffsetDateTime::now_utc(), self.lease, BATCH)
                .await?;
            if claimed.is_empty() {
                return Ok(delivered);
            }
            let mut failed = 0;
            for email in &claimed {
                // The claim is renewed for this send; a batch that took longer than the
                // lease may have lost the rest of its emails to another process.
                let started = db
                    .start_email_attempt(
                        &email.id,
                        &self.claimer,
                        OffsetDateTime::now_utc(),
                        self.lease,
                    )
                    .await?;
                if !started {
                    continue;
                }
                // Half the lease: the send ends while the claim still holds, with room for
                // the clocks of two processes to differ.
                let limit = self.lease / 2;
                let sent = tokio::time::timeout(limit, self.send(email))
                    .await
                    .unwrap_or_else(|_| {
                        Err(anyhow::anyhow!(
                            "the SMTP server did not answer within {} s",
                            limit.as_secs_f64()
                        ))
                    });
                match sent {
                    Ok(()) => {
                        if db.mark_email_sent(&email.id, &self.claimer).await? {
                            delivered += 1;
                        }
                    }
                    Err(error) => {
                        failed += 1;
                        let error = format!("{error:#}");
                        tracing::warn!(email = %email.id, %error, "email delivery failed");
                        let retry_at = OffsetDateTime::now_utc() + backoff(email.attempts + 1);
                        db.mark_email_failed(&email.id, &self.claimer, &error, retry_at)
                            .await?;
                    }
                }
            }
            // Every email of this batch is now sent, waiting for a retry or another
            // process's; stop when the server refuses everything rather than spin on the
            // next batch.
            if failed == claimed.len() {
                return Ok(delivered);
            }
        }
    }

    async fn send(&self, email: &PendingEmail) -> anyhow::Result<()> {
        let to: Mailbox = email
            .to_email
            .parse()
            .with_context(|| format!("{:?} isn't an address", email.to_email))?;
        let domain = self.from.email.domain().to_owned();
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", email.id)))
            .multipart(MultiPart::alternative_plain_html(
                email.text_body.clone(),
                email.html_body.clone(),
            ))
            .context("building the message")?;
        self.mailer
            .send(message)
            .await
            .context("the SMTP server refused the message")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_up_to_an_hour() {
        assert_eq!(backoff(1), time::Duration::seconds(10));
        assert_eq!(backoff(2), time::Duration::seconds(20));
        assert_eq!(backoff(4), time::Duration::seconds(80));
        assert_eq!(backoff(50), time::Duration::seconds(3600));
    }

    // The SMTP pool needs a runtime, as it has in the server.
    #[tokio::test]
    async fn smtp_urls_are_checked_at_start_up() {
        let mut config = Config::for_tests(std::path::PathBuf::from("x.db"));
        assert!(matches!(
            Transport::from_config(&config),
            Ok(Transport::DevMailbox)
        ));
        config.smtp_url = Some("smtp://127.0.0.1:2525".into());
        assert!(matches!(
            Transport::from_config(&config),
            Ok(Transport::Smtp(_))
        ));
        config.smtp_url = Some("smtps://user:secret@mail.example.com".into());
        assert!(Transport::from_config(&config).is_ok());
        config.email_lease = Duration::ZERO;
        assert!(
            Transport::from_config(&config).is_err(),
            "a lease is needed"
        );
        config.email_lease = Duration::from_secs(300);
        config.smtp_url = Some("http://mail.example.com".into());
        assert!(Transport::from_config(&config).is_err());
    }
}
