//! Sends what the outbox holds: over SMTP with `--smtp-url`, or into the dev mailbox.
//!
//! Delivery is at-least-once: an email is marked sent only after the SMTP server has
//! accepted it, so a crash between the two sends it again on restart. Each email's
//! Message-ID is derived from its outbox id and never changes, so a resend is the same
//! message to every mail system that de-duplicates (and a crash before the server's
//! acceptance is not a delivery at all).

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use time::OffsetDateTime;

use crate::config::Config;
use crate::db::Db;
use crate::db::outbox::PendingEmail;

/// How many emails are read from the outbox at a time.
const BATCH: u32 = 50;

/// Where emails go.
pub enum Transport {
    /// No SMTP server: emails stay readable in the outbox and are marked delivered.
    DevMailbox,
    /// An SMTP server.
    Smtp(SmtpSender),
}

/// An SMTP connection pool and the sender's address.
pub struct SmtpSender {
    mailer: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
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
        Ok(Self::Smtp(SmtpSender { mailer, from }))
    }
}

/// Delivers every email that is due; returns how many were delivered.
pub async fn deliver_due(db: &Db, transport: &Transport) -> anyhow::Result<u64> {
    match transport {
        Transport::DevMailbox => Ok(db.deliver_to_dev_mailbox().await?),
        Transport::Smtp(sender) => {
            let mut delivered = 0;
            loop {
                let due = db.due_emails(BATCH).await?;
                if due.is_empty() {
                    return Ok(delivered);
                }
                let mut failed = 0;
                for email in &due {
                    db.count_email_attempt(&email.id).await?;
                    match sender.send(email).await {
                        Ok(()) => {
                            db.mark_email_sent(&email.id).await?;
                            delivered += 1;
                        }
                        Err(error) => {
                            failed += 1;
                            let error = format!("{error:#}");
                            tracing::warn!(email = %email.id, %error, "email delivery failed");
                            let retry_at = OffsetDateTime::now_utc() + backoff(email.attempts + 1);
                            db.mark_email_failed(&email.id, &error, retry_at).await?;
                        }
                    }
                }
                // Every email of this batch is now sent or waiting for a retry; stop when the
                // server refuses everything rather than spin on the next batch.
                if failed == due.len() {
                    return Ok(delivered);
                }
            }
        }
    }
}

/// Waits 10 s, 20 s, 40 s … up to an hour between attempts.
fn backoff(attempts: i64) -> time::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 10) - 1).unwrap_or(0);
    time::Duration::seconds((10_i64 << exponent).min(3600))
}

impl SmtpSender {
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
        let mut config = Config::for_tests("x.db".into());
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
        config.smtp_url = Some("http://mail.example.com".into());
        assert!(Transport::from_config(&config).is_err());
    }
}
