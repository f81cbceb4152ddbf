//! External access: a team's Team Admins see what their people can open in other
//! companies' workspaces, export it, and end it. Ending takes each publisher's lock (in
//! one order), is audited under the publisher and the team, and tells each publisher's
//! Partner Managers and Team Admins in one email per batch.

use std::collections::BTreeMap;

use futures_util::{Stream, StreamExt};
use partner_api::audit::AuditAction;
use partner_api::external_access::{
    AccessEnded, END_ACCESS_MAX, EndAccess, ExternalAccess, ExternalAccessQuery, PUBLISHERS_LISTED,
    PublisherCount,
};
use partner_api::workspaces::Publisher;
use partner_api::{PageRequest, PartnerRole};
use serde_json::json;

use crate::db::{AuditEntry, Db, ExternalFilter, ExternalGrantRow, like_pattern, now};
use crate::domain::audit::shown;
use crate::domain::authz::{self, Caller};
use crate::email::Links;
use crate::email::templates::{self, EndedLine, Recipient};
use crate::error::AppError;

/// The query's filters, checked.
pub fn filter(query: &ExternalAccessQuery) -> ExternalFilter {
    ExternalFilter {
        pattern: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(like_pattern),
        publisher: query.publisher.as_ref().map(|p| p.as_str().to_owned()),
        role: query.role,
    }
}

/// `GET /api/team/external-access` (Team Admins).
pub async fn list(
    db: &Db,
    caller: &Caller,
    query: &ExternalAccessQuery,
    page: PageRequest,
) -> Result<ExternalAccess, AppError> {
    let team = authz::require_team_admin(caller)?;
    let (total, rows) = db
        .external_grants(team.as_str(), &filter(query), page)
        .await?;
    let publishers = db
        .external_publishers(team.as_str(), PUBLISHERS_LISTED)
        .await?
        .into_iter()
        .map(|(id, name, grants)| PublisherCount {
            publisher: Publisher {
                id: id.into(),
                name,
            },
            grants: u32::try_from(grants).unwrap_or(u32::MAX),
        })
        .collect();
    Ok(ExternalAccess {
        grants: page.wrap(
            rows.into_iter().map(ExternalGrantRow::into_api).collect(),
            total,
        ),
        publishers,
        publishers_total: u32::try_from(db.external_publisher_count(team.as_str()).await?)
            .unwrap_or(u32::MAX),
    })
}

/// Rows the CSV export reads and writes at a time.
pub const CSV_BATCH: u32 = 1_000;

/// The CSV's header row.
const CSV_HEADER: [&str; 8] = [
    "publisher",
    "workspace",
    "person",
    "email",
    "role",
    "partner_lead",
    "since",
    "last_opened",
];

/// `GET /api/team/external-access.csv` (Team Admins): every row the filters select, by
/// publisher, workspace and person, streamed [`CSV_BATCH`] rows at a time (memory stays
/// the same however many rows there are). The permission is decided before the first byte.
pub fn csv(
    db: &Db,
    caller: &Caller,
    query: &ExternalAccessQuery,
) -> Result<impl Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    csv_in_batches(db, caller, query, CSV_BATCH)
}

/// [`csv`] with a batch size of the caller's choosing (tests read several batches).
pub fn csv_in_batches(
    db: &Db,
    caller: &Caller,
    query: &ExternalAccessQuery,
    batch: u32,
) -> Result<impl Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let filter = filter(query);
    let db = db.clone();
    // State: the last row written (None before the first batch), or the end.
    let start = Some(None::<(String, String, String)>);
    let header = futures_util::stream::once(async {
        crate::domain::csv::lines(&[CSV_HEADER.map(str::to_owned)]).map_err(AppError::from)
    });
    let rows = futures_util::stream::unfold(start, move |state| {
        let (db, team, filter) = (db.clone(), team.clone(), filter.clone());
        async move {
            let after = state?;
            let cursor = after
                .as_ref()
                .map(|(p, w, u)| (p.as_str(), w.as_str(), u.as_str()));
            let rows = match db
                .external_grants_after(&team, &filter, cursor, batch)
                .await
            {
                Ok(rows) => rows,
                Err(error) => return Some((Err(AppError::from(error)), None)),
            };
            let last = rows.last()?;
            // A full batch may have more after it; a short one is the last.
            let next = (rows.len() == batch as usize).then(|| {
                Some((
                    last.publisher_id.clone(),
                    last.workspace_id.clone(),
                    last.user_id.clone(),
                ))
            });
            let cells: Vec<[String; 8]> = rows.into_iter().map(csv_cells).collect();
            Some((
                crate::domain::csv::lines(&cells).map_err(AppError::from),
                next,
            ))
        }
    });
    Ok(header.chain(rows))
}

/// One grant as the CSV's cells.
fn csv_cells(row: ExternalGrantRow) -> [String; 8] {
    [
        row.publisher_name,
        row.workspace_name,
        row.user_name,
        row.user_email,
        row.role,
        if row.lead { "yes" } else { "no" }.to_owned(),
        row.since,
        row.last_opened_at.unwrap_or_default(),
    ]
}

/// `POST /api/team/external-access/end` (Team Admins).
pub async fn end(
    db: &Db,
    caller: &Caller,
    body: &EndAccess,
    links: &Links,
) -> Result<AccessEnded, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let (publisher, keys) = match body {
        EndAccess::Publisher(publisher) => (Some(publisher.as_str()), None),
        EndAccess::Grants(grants) if grants.is_empty() => {
            return Err(AppError::invalid_field(
                "grants",
                "Name at least one grant.",
            ));
        }
        EndAccess::Grants(grants) if grants.len() > END_ACCESS_MAX => {
            return Err(AppError::invalid_field(
                "grants",
                format!("End at most {END_ACCESS_MAX} grants at a time."),
            ));
        }
        EndAccess::Grants(grants) => {
            let keys: Vec<String> = grants
                .iter()
                .map(|g| format!("{} {}", g.workspace_id, g.user_id))
                .collect();
            (
                None,
                Some(serde_json::to_string(&keys).map_err(anyhow::Error::from)?),
            )
        }
    };
    let mut tx = db.begin().await?;
    // Which publishers: read first, then their locks in one order (no two ends, approvals
    // or seat checks wait for each other in opposite orders), then the grants again.
    let first = tx
        .external_grants_to_end(&team, publisher, keys.as_deref())
        .await?;
    let publishers: std::collections::BTreeSet<&str> =
        first.iter().map(|g| g.publisher_id.as_str()).collect();
    for publisher in &publishers {
        tx.lock_publisher(publisher).await?;
    }
    let grants = tx
        .external_grants_to_end(&team, publisher, keys.as_deref())
        .await?;
    if grants.is_empty() {
        return Err(AppError::NotFound);
    }
    let at = now();
    let mut by_publisher: BTreeMap<&str, Vec<&ExternalGrantRow>> = BTreeMap::new();
    for grant in &grants {
        tx.revoke_grant(&grant.workspace_id, &grant.user_id, &at)
            .await?;
        tx.audit(AuditEntry {
            at: None,
            actor_id: Some(caller.user_id.as_str()),
            team_id: &grant.publisher_id,
            action: AuditAction::PartnerEndedByTeam,
            workspace_id: Some(&grant.workspace_id),
            partner_team_id: Some(&team),
            subject_id: Some(&grant.user_id),
            detail: json!({ "before": shown(&grant.role, PartnerRole::label) }),
        })
        .await?;
        by_publisher
            .entry(grant.publisher_id.as_str())
            .or_default()
            .push(grant);
    }
    let team_name = tx.team_name(&team).await?;
    for (publisher, ended) in &by_publisher {
        tx.audit(AuditEntry {
            at: None,
            actor_id: Some(caller.user_id.as_str()),
            team_id: &team,
            action: AuditAction::ExternalAccessEnded,
            workspace_id: None,
            partner_team_id: Some(publisher),
            subject_id: None,
            detail: json!({ "count": ended.len() }),
        })
        .await?;
        let lines: Vec<EndedLine<'_>> = ended
            .iter()
            .map(|g| EndedLine {
                name: &g.user_name,
                email: &g.user_email,
                workspace: &g.workspace_name,
            })
            .collect();
        for recipient in tx.team_managers(publisher).await? {
            let message = templates::external_access_ended(
                links,
                Recipient {
                    name: &recipient.name,
                    email: &recipient.email,
                },
                &team_name,
                &caller.name,
                &lines,
            );
            tx.enqueue(
                &format!("external-access-ended:{publisher}:{}:{at}", recipient.email),
                &message,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(AccessEnded {
        ended: u32::try_from(grants.len()).unwrap_or(u32::MAX),
        publishers: u32::try_from(by_publisher.len()).unwrap_or(u32::MAX),
    })
}
