//! Access that expires, as a job: reminders a few days before a grant's end (one email to
//! the partner, one digest per Partner Manager and Team Admin of the publisher), then the
//! end itself (the grant ends, audited, an email to the partner). Each publisher's batch
//! is one transaction under its lock; every write is conditional on what was read, and
//! every email has a dedupe key, so two servers running a pass at once change nothing twice.

use std::collections::BTreeMap;

use partner_api::audit::AuditAction;
use serde_json::json;
use time::OffsetDateTime;

use crate::db::{AuditEntry, Db, ExpiringRow, timestamp};
use crate::domain::expiry::{day_of, reminders_before};
use crate::email::Links;
use crate::email::expiry::{self as emails, EndingLine};
use crate::email::templates::{Recipient, WorkspaceLink};

/// Grants one statement of a pass reads.
const BATCH: u32 = 500;

/// What a pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    /// Grants whose partner was reminded.
    pub reminded: u64,
    /// Grants ended.
    pub expired: u64,
}

/// One pass at `now` (the job passes the clock's time; tests pass theirs).
pub async fn pass(db: &Db, links: &Links, now: OffsetDateTime) -> anyhow::Result<ExpiryReport> {
    let at = timestamp(now);
    let mut report = ExpiryReport::default();
    loop {
        let rows = db.grants_ended_by(&at, BATCH).await?;
        let full = rows.len() == BATCH as usize;
        let ended = end_grants(db, links, &at, rows).await?;
        report.expired += ended;
        // A full batch where nothing changed was ended elsewhere meanwhile: read again
        // only while this pass makes progress.
        if !full || ended == 0 {
            break;
        }
    }
    let before = timestamp(reminders_before(now));
    loop {
        let rows: Vec<ExpiringRow> = db.grants_to_remind(&before, BATCH).await?;
        let full = rows.len() == BATCH as usize;
        // A grant already at its end is ended above, not reminded.
        let due: Vec<ExpiringRow> = rows.into_iter().filter(|r| r.ends_at > at).collect();
        let reminded = remind(db, links, &at, due).await?;
        report.reminded += reminded;
        if !full || reminded == 0 {
            break;
        }
    }
    Ok(report)
}

fn by_publisher(rows: Vec<ExpiringRow>) -> BTreeMap<String, Vec<ExpiringRow>> {
    let mut grouped: BTreeMap<String, Vec<ExpiringRow>> = BTreeMap::new();
    for row in rows {
        grouped
            .entry(row.publisher_team_id.clone())
            .or_default()
            .push(row);
    }
    grouped
}

async fn end_grants(
    db: &Db,
    links: &Links,
    at: &str,
    rows: Vec<ExpiringRow>,
) -> anyhow::Result<u64> {
    let mut ended = 0;
    for (publisher, grants) in by_publisher(rows) {
        let mut tx = db.begin().await?;
        tx.lock_publisher(&publisher).await?;
        for grant in &grants {
            if !tx
                .expire_grant(&grant.workspace_id, &grant.user_id, &grant.ends_at, at)
                .await?
            {
                continue;
            }
            ended += 1;
            let day = day_of(&grant.ends_at);
            tx.audit(AuditEntry {
                at: Some(at),
                actor_id: None,
                team_id: &publisher,
                action: AuditAction::PartnerAccessExpired,
                workspace_id: Some(&grant.workspace_id),
                partner_team_id: Some(&grant.partner_team_id),
                subject_id: Some(&grant.user_id),
                detail: json!({ "until": day }),
            })
            .await?;
            let message = emails::access_expired(
                links,
                Recipient {
                    name: &grant.user_name,
                    email: &grant.user_email,
                },
                &grant.publisher_name,
                WorkspaceLink {
                    id: &grant.workspace_id,
                    name: &grant.workspace_name,
                },
                &day,
            );
            let key = format!(
                "access-expired:{}:{}:{}",
                grant.workspace_id, grant.user_id, grant.ends_at
            );
            tx.enqueue(&key, &message).await?;
        }
        tx.commit().await?;
    }
    Ok(ended)
}

async fn remind(db: &Db, links: &Links, at: &str, rows: Vec<ExpiringRow>) -> anyhow::Result<u64> {
    let mut reminded = 0;
    for (publisher, grants) in by_publisher(rows) {
        let mut tx = db.begin().await?;
        tx.lock_publisher(&publisher).await?;
        let mut lines = Vec::new();
        for grant in &grants {
            if !tx
                .mark_reminded(&grant.workspace_id, &grant.user_id, &grant.ends_at, at)
                .await?
            {
                continue;
            }
            reminded += 1;
            let day = day_of(&grant.ends_at);
            let message = emails::access_ending(
                links,
                Recipient {
                    name: &grant.user_name,
                    email: &grant.user_email,
                },
                &grant.publisher_name,
                WorkspaceLink {
                    id: &grant.workspace_id,
                    name: &grant.workspace_name,
                },
                &day,
            );
            let key = format!(
                "access-ending:{}:{}:{}",
                grant.workspace_id, grant.user_id, grant.ends_at
            );
            tx.enqueue(&key, &message).await?;
            lines.push((grant, day));
        }
        if !lines.is_empty() {
            let lines: Vec<EndingLine<'_>> = lines
                .iter()
                .map(|(grant, day)| EndingLine {
                    name: &grant.user_name,
                    email: &grant.user_email,
                    team: &grant.partner_team_name,
                    workspace: &grant.workspace_name,
                    day,
                })
                .collect();
            for manager in tx.team_managers(&publisher).await? {
                let message = emails::ending_digest(
                    links,
                    Recipient {
                        name: &manager.name,
                        email: &manager.email,
                    },
                    &lines,
                );
                tx.enqueue(
                    &format!("access-ending-digest:{}:{at}", manager.id),
                    &message,
                )
                .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(reminded)
}
