use leptos::prelude::*;

/// Seconds since the Unix epoch of an RFC 3339 time ("2026-05-01T12:34:56.789Z",
/// "…+02:00"), or `None` when it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' {
        return None;
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') || bytes[16] != b':' {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // Skip fractional seconds.
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            sign * (rest[1..3].parse::<i64>().ok()? * 3600 + rest[4..6].parse::<i64>().ok()? * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second.min(60) - offset)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn date(at: i64) -> String {
    let (year, month, day) = civil_from_days(at.div_euclid(86_400));
    format!("{day} {} {year}", MONTHS[(month - 1) as usize])
}

/// The day of an RFC 3339 time or of a YYYY-MM-DD date, as people read it: "12 Jan 2027"
/// (UTC, the day the server counts in); `None` when it is neither.
pub fn calendar_day(text: &str) -> Option<String> {
    if let Some(at) = parse_rfc3339(text) {
        return Some(date(at));
    }
    let midnight = format!("{}T00:00:00Z", text.get(..10)?);
    (text.len() == 10).then(|| parse_rfc3339(&midnight).map(date))?
}

/// "Ends 12 Jan 2027" for access that ends, nothing for access without an end.
pub fn ends_line(ends_at: Option<&str>) -> Option<String> {
    ends_at.map(|at| format!("Ends {}", calendar_day(at).unwrap_or_else(|| at.to_owned())))
}

/// A day `days` after `at` (Unix seconds), as YYYY-MM-DD: what `<input type="date">` reads.
pub fn iso_day(at: i64, days: i64) -> String {
    let (year, month, day) = civil_from_days(at.div_euclid(86_400) + days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The browser's clock, in Unix seconds.
pub fn now_seconds() -> i64 {
    now()
}

/// The exact time, for a tooltip: "12 Mar 2026, 14:05 UTC".
pub fn exact_time(at: i64) -> String {
    let seconds = at.rem_euclid(86_400);
    format!(
        "{}, {:02}:{:02} UTC",
        date(at),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit} ago")
    } else {
        format!("{n} {unit}s ago")
    }
}

/// How long ago `at` was, seen at `now` (both Unix seconds): "just now", "5 minutes ago",
/// "yesterday", "3 weeks ago"; older than a year, the date.
pub fn relative_time(at: i64, now: i64) -> String {
    let ago = now - at;
    match ago {
        // A clock a little ahead of the browser's still reads as now.
        ..60 => "just now".to_owned(),
        60..3600 => plural(ago / 60, "minute"),
        3600..86_400 => plural(ago / 3600, "hour"),
        86_400..172_800 => "yesterday".to_owned(),
        172_800..1_209_600 => plural(ago / 86_400, "day"),
        1_209_600..5_184_000 => plural(ago / 604_800, "week"),
        5_184_000..31_536_000 => plural(ago / 2_592_000, "month"),
        _ => date(at),
    }
}

/// The browser's clock, in Unix seconds.
fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A time as people read it ("3 hours ago"), with the exact time on hover and for
/// assistive technology; `never` when there is none.
#[component]
pub fn RelativeTime(
    /// RFC 3339, as the API sends times.
    at: Option<String>,
    /// What to say when there is no time.
    #[prop(default = "Never")]
    never: &'static str,
) -> impl IntoView {
    match at.as_deref().and_then(parse_rfc3339) {
        Some(seconds) => {
            let exact = exact_time(seconds);
            view! {
                <time datetime=at title=exact>
                    {relative_time(seconds, now())}
                </time>
            }
            .into_any()
        }
        None => view! { <span>{never}</span> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_times_read_as_unix_seconds() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-03-12T14:05:09.123456789Z"),
            Some(1_773_324_309)
        );
        assert_eq!(
            parse_rfc3339("2026-03-12T16:05:09+02:00"),
            Some(1_773_324_309)
        );
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00Z"), Some(951_782_400));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-03-12T14:05:09",
            "2026-03-12T14:05:09+2",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_read_as_people_write_them() {
        assert_eq!(
            calendar_day("2027-01-12T23:59:59Z").as_deref(),
            Some("12 Jan 2027")
        );
        assert_eq!(calendar_day("2027-01-12").as_deref(), Some("12 Jan 2027"));
        assert_eq!(calendar_day("2027-13-12"), None);
        assert_eq!(calendar_day("soon"), None);
        assert_eq!(
            ends_line(Some("2027-01-12T23:59:59Z")).as_deref(),
            Some("Ends 12 Jan 2027")
        );
        assert_eq!(ends_line(None), None);
        assert_eq!(iso_day(1_773_324_309, 0), "2026-03-12");
        assert_eq!(iso_day(1_773_324_309, 20), "2026-04-01");
    }

    #[test]
    fn the_exact_time_names_the_day_and_the_zone() {
        assert_eq!(exact_time(1_773_324_309), "12 Mar 2026, 14:05 UTC");
        assert_eq!(exact_time(951_782_400), "29 Feb 2000, 00:00 UTC");
    }

    #[test]
    fn recent_times_read_as_how_long_ago() {
        let now = 1_773_324_309;
        for (ago, text) in [
            (-30, "just now"),
            (0, "just now"),
            (59, "just now"),
            (60, "1 minute ago"),
            (45 * 60, "45 minutes ago"),
            (3600, "1 hour ago"),
            (5 * 3600, "5 hours ago"),
            (30 * 3600, "yesterday"),
            (3 * 86_400, "3 days ago"),
            (15 * 86_400, "2 weeks ago"),
            (70 * 86_400, "2 months ago"),
        ] {
            assert_eq!(relative_time(now - ago, now), text, "{ago}");
        }
        assert_eq!(relative_time(now - 400 * 86_400, now), "5 Feb 2025");
    }
}
