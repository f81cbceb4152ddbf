//! The migration of legacy partner workspaces: when each plan migrates and what state a
//! workspace is in. The dates are promises made to customers (the FAQ): they live here
//! and nowhere else.

use std::time::Duration;

use partner_api::Plan;
use partner_api::workspaces::MigrationState;
use time::Date;
use time::macros::date;

/// Professional teams migrate in mid-December.
pub const PROFESSIONAL_MIGRATION_DATE: Date = date!(2026 - 12 - 15);
/// Enterprise teams migrate after the holidays, in January.
pub const ENTERPRISE_MIGRATION_DATE: Date = date!(2027 - 01 - 12);

/// The day a plan's legacy workspaces migrate automatically; other plans migrate on demand.
pub fn scheduled_date(plan: Plan) -> Option<Date> {
    match plan {
        Plan::Professional => Some(PROFESSIONAL_MIGRATION_DATE),
        Plan::Enterprise => Some(ENTERPRISE_MIGRATION_DATE),
        Plan::Free => None,
    }
}

/// Whether a team on `plan` with legacy workspaces left should be migrated on `today`.
pub fn is_due(plan: Plan, today: Date) -> bool {
    scheduled_date(plan).is_some_and(|day| today >= day)
}

/// Where a workspace stands: `None` if it was never legacy. The database records only
/// whether it has migrated; "scheduled" follows from the plan, so a change of plan
/// changes it at once.
pub fn state(legacy: bool, migrated: bool, plan: Plan) -> Option<MigrationState> {
    if !legacy {
        None
    } else if migrated {
        Some(MigrationState::Migrated)
    } else if scheduled_date(plan).is_some() {
        Some(MigrationState::Scheduled)
    } else {
        Some(MigrationState::Legacy)
    }
}

/// The first retry of a failed migration attempt comes after this long; each further one
/// waits twice as long as the last, up to [`MAX_RETRY_DELAY`].
pub const FIRST_RETRY_DELAY: Duration = Duration::from_secs(60);
/// The longest wait between two attempts of a failed migration.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60 * 60);

/// How long to wait before the next attempt once `failed_attempts` attempts (≥ 1) of a
/// run have failed: 1 min, 2, 4, … capped at 1 h. A run is never given up: the error may
/// be one a person fixes (a full disk), and every attempt is harmless.
pub fn retry_delay(failed_attempts: u32) -> Duration {
    let doublings = failed_attempts.saturating_sub(1).min(16);
    (FIRST_RETRY_DELAY * 2u32.pow(doublings)).min(MAX_RETRY_DELAY)
}

/// What stopped a migration attempt, as far as the people who see it need to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureCause {
    /// The database was busy or could not be reached: it usually passes by itself.
    Unavailable,
    /// The database refused a change (a constraint, a trigger, a full disk).
    Refused,
    /// Anything else.
    Other,
}

/// The sentence a Team Admin reads about a failed attempt; `workspace` is the one it was
/// migrating, when known. Never the database's own words: they stay in the server's log.
pub fn failure_message(cause: FailureCause, workspace: Option<&str>) -> String {
    let on = workspace.map_or_else(String::new, |name| {
        format!(" while migrating \u{201c}{name}\u{201d}")
    });
    match cause {
        FailureCause::Unavailable => format!("The database was busy or out of reach{on}."),
        FailureCause::Refused => format!("The database refused a change{on}."),
        FailureCause::Other => format!("Something went wrong on our side{on}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn professional_migrates_in_mid_december_and_enterprise_in_january() {
        assert_eq!(PROFESSIONAL_MIGRATION_DATE.month(), time::Month::December);
        assert!((10..=20).contains(&PROFESSIONAL_MIGRATION_DATE.day()));
        assert_eq!(ENTERPRISE_MIGRATION_DATE.month(), time::Month::January);
        assert!(ENTERPRISE_MIGRATION_DATE > PROFESSIONAL_MIGRATION_DATE);
        assert_eq!(scheduled_date(Plan::Free), None);
    }

    #[test]
    fn a_plan_is_due_from_its_date_on() {
        assert!(!is_due(Plan::Professional, date!(2026 - 12 - 14)));
        assert!(is_due(Plan::Professional, date!(2026 - 12 - 15)));
        assert!(!is_due(Plan::Enterprise, date!(2026 - 12 - 31)));
        assert!(is_due(Plan::Enterprise, date!(2027 - 02 - 01)));
        assert!(!is_due(Plan::Free, date!(2030 - 01 - 01)));
    }

    #[test]
    fn states_follow_the_record_and_the_plan() {
        assert_eq!(state(false, false, Plan::Professional), None);
        assert_eq!(
            state(true, false, Plan::Professional),
            Some(MigrationState::Scheduled)
        );
        assert_eq!(state(true, false, Plan::Free), Some(MigrationState::Legacy));
        assert_eq!(
            state(true, true, Plan::Enterprise),
            Some(MigrationState::Migrated)
        );
    }

    #[test]
    fn retries_back_off_from_a_minute_to_an_hour() {
        let minutes = |n| retry_delay(n).as_secs() / 60;
        assert_eq!(
            (1..=8).map(minutes).collect::<Vec<_>>(),
            [1, 2, 4, 8, 16, 32, 60, 60]
        );
        assert_eq!(retry_delay(u32::MAX), MAX_RETRY_DELAY);
        assert_eq!(retry_delay(0), FIRST_RETRY_DELAY);
    }

    #[test]
    fn failures_read_as_sentences_without_the_database_s_words() {
        assert_eq!(
            failure_message(FailureCause::Refused, Some("Refunds API")),
            "The database refused a change while migrating \u{201c}Refunds API\u{201d}."
        );
        assert_eq!(
            failure_message(FailureCause::Unavailable, None),
            "The database was busy or out of reach."
        );
    }
}
