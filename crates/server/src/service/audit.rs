//! Team Settings > Audit log: a team's Team Admins and Partner Managers read their own
//! team's entries, newest first, a keyset page at a time, and export them as CSV (streamed
//! in keyset batches, so memory stays flat at any size). Old entries go in batches.

use futures_util::{Stream, StreamExt};
use partner_api::audit::{
    AuditEvent, AuditFilter, AuditFilterChoices, AuditPage, AuditQuery, FILTER_CHOICES_LISTED,
};
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime};

use crate::db::{AuditFilterRow, AuditRow, Db, timestamp};
use crate::domain::authz::{self, Caller};
use crate::error::AppError;

/// Entries per page unless the query says.
const DEFAULT_PER_PAGE: u32 = 50;
/// Entries per page at most.
const MAX_PER_PAGE: u32 = 200;
/// Entries the CSV export reads per statement.
pub const CSV_BATCH: u32 = 1000;

/// The CSV's columns.
const CSV_HEADER: [&str; 12] = [
    "Time (UTC)",
    "Action",
    "What happened",
    "Actor",
    "Actor email",
    "Workspace",
    "Other team",
    "Person",
    "Person email",
    "Before",
    "After",
    "Access ends",
];

/// The filters as stored values, or 422 naming the field.
fn checked(filter: &AuditFilter) -> Result<AuditFilterRow, AppError> {
    let day = |field: &str, text: &Option<String>| -> Result<Option<Date>, AppError> {
        text.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| {
                Date::parse(t, format_description!("[year]-[month]-[day]")).map_err(|_| {
                    AppError::invalid_field(field, format!("{t:?} isn't a date: use YYYY-MM-DD."))
                })
            })
            .transpose()
    };
    let from = day("from", &filter.from)?;
    let to = day("to", &filter.to)?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::invalid_field(
            "to",
            "The end of the range is before its start.",
        ));
    }
    let start = |date: Date| timestamp(date.midnight().assume_utc());
    Ok(AuditFilterRow {
        actor: filter.actor.as_ref().map(|id| id.as_str().to_owned()),
        workspace: filter.workspace.as_ref().map(|id| id.as_str().to_owned()),
        partner_team: filter
            .partner_team
            .as_ref()
            .map(|id| id.as_str().to_owned()),
        action: filter.action,
        from: from.map(start),
        // The whole of the last day: before the next day's start.
        until: to.map(|to| start(to + Duration::days(1))),
    })
}

/// `GET /api/team/audit-log`: one page, newest first.
pub async fn page(db: &Db, caller: &Caller, query: &AuditQuery) -> Result<AuditPage, AppError> {
    let team = authz::require_audit_reader(caller)?;
    let filter = checked(&query.filter())?;
    let per_page = query.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::invalid_field(
            "per_page",
            format!("Ask for 1 to {MAX_PER_PAGE} entries per page."),
        ));
    }
    let before = query
        .before
        .as_deref()
        .map(|cursor| {
            AuditRow::parse_cursor(cursor).ok_or_else(|| {
                AppError::invalid_field(
                    "before",
                    "This page link is broken: start from the newest.",
                )
            })
        })
        .transpose()?;
    // One more than the page: whether older entries match.
    let mut rows = db
        .audit_entries(
            team.as_str(),
            &filter,
            before.as_ref().map(|(at, id)| (at.as_str(), *id)),
            per_page + 1,
        )
        .await?;
    let more = rows.len() > per_page as usize;
    rows.truncate(per_page as usize);
    let next = more.then(|| rows.last().map(AuditRow::cursor)).flatten();
    Ok(AuditPage {
        entries: rows.into_iter().filter_map(AuditRow::into_api).collect(),
        next,
    })
}

/// `GET /api/team/audit-log/filters`.
pub async fn choices(db: &Db, caller: &Caller) -> Result<AuditFilterChoices, AppError> {
    let team = authz::require_audit_reader(caller)?;
    let rows = db
        .audit_filter_choices(team.as_str(), FILTER_CHOICES_LISTED)
        .await?;
    Ok(AuditFilterChoices {
        people: rows
            .people
            .into_iter()
            .map(|(id, name, email)| UserRef {
                id: id.into(),
                name,
                email,
            })
            .collect(),
        workspaces: rows
            .workspaces
            .into_iter()
            .map(|(id, name)| WorkspaceRef {
                id: id.into(),
                name,
            })
            .collect(),
        partner_teams: rows
            .teams
            .into_iter()
            .map(|(id, name, domain)| TeamRef {
                id: id.into(),
                name,
                domain,
            })
            .collect(),
    })
}

/// `GET /api/team/audit-log.csv`: every entry the filters select, newest first.
pub fn csv(
    db: &Db,
    caller: &Caller,
    filter: &AuditFilter,
) -> Result<impl Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    csv_in_batches(db, caller, filter, CSV_BATCH)
}

/// [`csv`] with a batch size of the caller's choosing (tests read several batches).
pub fn csv_in_batches(
    db: &Db,
    caller: &Caller,
    filter: &AuditFilter,
    batch: u32,
) -> Result<impl Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    let team = authz::require_audit_reader(caller)?.as_str().to_owned();
    let filter = checked(filter)?;
    let db = db.clone();
    let header = futures_util::stream::once(async {
        crate::domain::csv::lines(&[CSV_HEADER.map(str::to_owned)]).map_err(AppError::from)
    });
    // State: the last entry written (None before the first batch), or the end.
    let rows = futures_util::stream::unfold(Some(None::<(String, i64)>), move |state| {
        let (db, team, filter) = (db.clone(), team.clone(), filter.clone());
        async move {
            let after = state?;
            let cursor = after.as_ref().map(|(at, id)| (at.as_str(), *id));
            let rows = match db.audit_entries(&team, &filter, cursor, batch).await {
                Ok(rows) => rows,
                Err(error) => return Some((Err(AppError::from(error)), None)),
            };
            let last = rows.last()?;
            let next = (rows.len() == batch as usize).then(|| Some((last.at.clone(), last.id)));
            let cells: Vec<[String; 12]> = rows
                .into_iter()
                .filter_map(AuditRow::into_api)
                .map(csv_cells)
                .collect();
            Some((
                crate::domain::csv::lines(&cells).map_err(AppError::from),
                next,
            ))
        }
    });
    Ok(header.chain(rows))
}

/// One entry as the CSV's cells.
fn csv_cells(event: AuditEvent) -> [String; 12] {
    let sentence = event.sentence();
    let (actor, actor_email) = event
        .actor
        .map_or((String::new(), String::new()), |a| (a.name, a.email));
    let (person, person_email) = event
        .subject
        .map_or((String::new(), String::new()), |s| (s.name, s.email));
    [
        event.at,
        event.action.label().to_owned(),
        sentence,
        actor,
        actor_email,
        event.workspace.map(|w| w.name).unwrap_or_default(),
        event.partner_team.map(|t| t.name).unwrap_or_default(),
        person,
        person_email,
        event.before.unwrap_or_default(),
        event.after.unwrap_or_default(),
        event.until.unwrap_or_default(),
    ]
}

/// Deletes entries older than each team's retention, a batch per statement; returns how
/// many went.
pub async fn apply_retention(db: &Db, now: OffsetDateTime, batch: u32) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    for days in db.audit_retentions().await? {
        let before = timestamp(now - Duration::days(days));
        loop {
            let gone = db.delete_audit_before(days, &before, batch).await?;
            deleted += gone;
            if gone < u64::from(batch) {
                break;
            }
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_range_covers_whole_days_and_refuses_nonsense() {
        let filter = AuditFilter {
            from: Some("2026-12-01".into()),
            to: Some("2026-12-03".into()),
            ..AuditFilter::default()
        };
        let row = checked(&filter).unwrap();
        assert_eq!(row.from.as_deref(), Some("2026-12-01T00:00:00.000000000Z"));
        assert_eq!(row.until.as_deref(), Some("2026-12-04T00:00:00.000000000Z"));
        let backwards = AuditFilter {
            from: Some("2026-12-03".into()),
            to: Some("2026-12-01".into()),
            ..AuditFilter::default()
        };
        assert!(checked(&backwards).is_err());
        let garbage = AuditFilter {
            from: Some("yesterday".into()),
            ..AuditFilter::default()
        };
        assert!(checked(&garbage).is_err());
    }
}
