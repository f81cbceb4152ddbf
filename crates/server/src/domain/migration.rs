//! The migration of legacy partner workspaces: when each plan migrates and what state a
//! workspace is in. The dates are promises made to customers (the FAQ): they live here
//! and nowhere else.

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
}
