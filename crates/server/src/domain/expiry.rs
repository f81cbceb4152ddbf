//! When partner access ends: the end a grant gets, reminders before it, extensions.

use partner_api::expiry::{AccessEnd, AccessPeriod, REMINDER_DAYS};
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, Time};

/// How far ahead an end may be set.
pub const LONGEST_DAYS: i64 = 5 * 366;

/// How long an extension without a period lasts when the team has no default.
pub const EXTENSION_WITHOUT_DEFAULT: Duration = Duration::days(30);

/// The end a new grant gets at `now` (`None`: no end), or why the requested end is refused.
pub fn end_of(
    end: Option<&AccessEnd>,
    team_default: AccessPeriod,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, String> {
    let period = match end {
        None | Some(AccessEnd::TeamDefault) => team_default,
        Some(AccessEnd::Period(period)) => *period,
        Some(AccessEnd::On(day)) => return end_on(day, now).map(Some),
    };
    Ok(period
        .days()
        .map(|days| now + Duration::days(i64::from(days))))
}

/// The end of a day given as YYYY-MM-DD: after today, at most [`LONGEST_DAYS`] ahead.
fn end_on(day: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let date = Date::parse(day.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| format!("{day:?} isn't a date: use YYYY-MM-DD."))?;
    if date <= now.date() {
        return Err("The end must be after today.".into());
    }
    if date > now.date() + Duration::days(LONGEST_DAYS) {
        return Err("The end can be at most five years ahead.".into());
    }
    Ok(date
        .with_time(Time::from_hms(23, 59, 59).expect("a valid time"))
        .assume_utc())
}

/// The new end of a grant extended at `now`: by `end` when given, else by the team's
/// default period (30 days without one) from the later of its current end and now.
pub fn extended(
    end: Option<&AccessEnd>,
    current: Option<OffsetDateTime>,
    team_default: AccessPeriod,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, String> {
    let from = current.map_or(now, |current| current.max(now));
    match end {
        Some(AccessEnd::On(day)) => end_on(day, now).map(Some),
        Some(AccessEnd::Period(AccessPeriod::Never)) => Ok(None),
        Some(AccessEnd::Period(period)) => Ok(Some(
            from + Duration::days(i64::from(period.days().unwrap_or(30))),
        )),
        None | Some(AccessEnd::TeamDefault) => Ok(Some(
            from + team_default
                .days()
                .map_or(EXTENSION_WITHOUT_DEFAULT, |d| Duration::days(i64::from(d))),
        )),
    }
}

/// Grants ending before this time are due a reminder at `now`.
pub fn reminders_before(now: OffsetDateTime) -> OffsetDateTime {
    now + Duration::days(i64::from(REMINDER_DAYS))
}

/// The day (YYYY-MM-DD) of a stored time.
pub fn day_of(stored: &str) -> String {
    stored.get(..10).unwrap_or(stored).to_owned()
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    const NOW: OffsetDateTime = datetime!(2026-12-04 10:00 UTC);

    #[test]
    fn a_grant_ends_after_its_period_or_at_the_end_of_its_day() {
        let days_7 = AccessEnd::Period(AccessPeriod::Days7);
        assert_eq!(
            end_of(Some(&days_7), AccessPeriod::Never, NOW),
            Ok(Some(datetime!(2026-12-11 10:00 UTC)))
        );
        assert_eq!(
            end_of(None, AccessPeriod::Days30, NOW),
            Ok(Some(datetime!(2027-01-03 10:00 UTC)))
        );
        assert_eq!(
            end_of(Some(&AccessEnd::TeamDefault), AccessPeriod::Never, NOW),
            Ok(None)
        );
        let never = AccessEnd::Period(AccessPeriod::Never);
        assert_eq!(end_of(Some(&never), AccessPeriod::Days7, NOW), Ok(None));
        let on = AccessEnd::On("2027-01-31".into());
        assert_eq!(
            end_of(Some(&on), AccessPeriod::Never, NOW),
            Ok(Some(datetime!(2027-01-31 23:59:59 UTC)))
        );
    }

    #[test]
    fn an_end_date_must_be_a_later_day_within_five_years() {
        for bad in ["2026-12-04", "2026-12-01", "2031-12-31", "31/01/2027", ""] {
            let end = AccessEnd::On(bad.into());
            assert!(
                end_of(Some(&end), AccessPeriod::Never, NOW).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn an_extension_runs_from_the_later_of_the_end_and_now() {
        let soon = datetime!(2026-12-06 10:00 UTC);
        assert_eq!(
            extended(None, Some(soon), AccessPeriod::Days7, NOW),
            Ok(Some(datetime!(2026-12-13 10:00 UTC)))
        );
        assert_eq!(
            extended(None, Some(soon), AccessPeriod::Never, NOW),
            Ok(Some(datetime!(2027-01-05 10:00 UTC)))
        );
        let past = datetime!(2026-11-01 10:00 UTC);
        assert_eq!(
            extended(None, Some(past), AccessPeriod::Days7, NOW),
            Ok(Some(datetime!(2026-12-11 10:00 UTC)))
        );
        let never = AccessEnd::Period(AccessPeriod::Never);
        assert_eq!(
            extended(Some(&never), Some(soon), AccessPeriod::Days7, NOW),
            Ok(None)
        );
    }

    #[test]
    fn reminders_go_five_days_ahead() {
        assert_eq!(reminders_before(NOW), datetime!(2026-12-09 10:00 UTC));
        assert_eq!(day_of("2026-12-09T10:00:00.000000000Z"), "2026-12-09");
    }
}
