//! Times as the CLI's tables show them: `Sun, 02 Jun 2024 11:40:00 UTC • 2 years ago`, and
//! RFC 3339 timestamps (GitHub's) read into Unix seconds. Observed from CLI v2.43.1: the
//! relative part rounds to the nearest unit (second, minute, hour, day, 30-day month, 365-day
//! year), moves up a unit when the rounded value reaches the next one, says `about a ...` /
//! `one ...` for 1, and gives the date (`2017-07-14`) from 1080 days on.

use std::time::{SystemTime, UNIX_EPOCH};

/// `<RFC 1123 date in UTC> • <how long ago>`, relative to now.
pub fn date_and_ago(epoch: f64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    format!("{} • {}", rfc1123(epoch), ago(epoch, now))
}

/// `Mon, 02 Jan 2006 15:04:05 UTC` (seconds truncated).
pub fn rfc1123(epoch: f64) -> String {
    let secs = epoch.floor() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} UTC",
        WEEKDAYS[days.rem_euclid(7) as usize],
        MONTHS[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `2006-01-02T15:04:05Z` of `epoch` (seconds truncated), as `list environments` shows times.
pub fn rfc3339(epoch: f64) -> String {
    let secs = epoch.floor() as i64;
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(epoch),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `2006-01-02` of `epoch` in UTC.
pub fn date(epoch: f64) -> String {
    let (y, m, d) = civil_from_days((epoch.floor() as i64).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// How long ago `then` was at `now`: `about an hour ago`, `3 days ago`, `in 2 minutes`, or the
/// date from 1080 days on.
pub fn ago(then: f64, now: f64) -> String {
    const DAY: f64 = 86_400.0;
    const PERIODS: [(f64, &str, &str); 6] = [
        (1.0, "about a second", "seconds"),
        (60.0, "about a minute", "minutes"),
        (3600.0, "about an hour", "hours"),
        (DAY, "one day", "days"),
        (30.0 * DAY, "one month", "months"),
        (365.0 * DAY, "one year", "years"),
    ];
    let past = now >= then;
    let d = (now - then).abs();
    if d >= 1080.0 * DAY {
        return date(then);
    }
    let mut text = String::new();
    for (i, (unit, one, many)) in PERIODS.iter().enumerate() {
        let n = (d / unit).round().max(1.0);
        let next = PERIODS.get(i + 1).map(|p| p.0);
        // A count that rounds to the next unit's size in this unit is said in the next unit
        // (observed: 350 days is "one year ago", 340 days "11 months ago").
        if next.is_some_and(|next| d >= next || n == (next / unit).round()) {
            continue;
        }
        text = if n <= 1.0 {
            (*one).to_string()
        } else {
            format!("{n} {many}")
        };
        break;
    }
    if past {
        format!("{text} ago")
    } else {
        format!("in {text}")
    }
}

/// Howard Hinnant's `civil_from_days`: (year, month, day) of days since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_like_go() {
        // From CLI v2.43.1's `get flow` tables.
        assert_eq!(rfc1123(1717328400.0), "Sun, 02 Jun 2024 11:40:00 UTC");
        assert_eq!(rfc1123(1500000000.5), "Fri, 14 Jul 2017 02:40:00 UTC");
        assert_eq!(rfc1123(0.0), "Thu, 01 Jan 1970 00:00:00 UTC");
        assert_eq!(date(1500000000.5), "2017-07-14");
        assert_eq!(rfc3339(1718000000.9), "2024-06-10T06:13:20Z");
    }

    #[test]
    fn relative_times_observed_from_the_cli() {
        let now = 1_795_953_083.0;
        // (seconds ago, what the CLI printed), measured with the CLI against a capture server.
        for (d, want) in [
            (0.5, "about a second ago"),
            (6.0, "6 seconds ago"),
            (59.0, "59 seconds ago"),
            (59.6, "about a minute ago"),
            (89.0, "about a minute ago"),
            (90.0, "2 minutes ago"),
            (5399.0, "about an hour ago"),
            (5401.0, "2 hours ago"),
            (43_100.0, "12 hours ago"),
            (129_000.0, "one day ago"),
            (130_000.0, "2 days ago"),
            (1_315_000.0, "15 days ago"),
            (2_591_000.0, "one month ago"),
            (3_887_000.0, "one month ago"),
            (3_889_000.0, "2 months ago"),
            (47_000_000.0, "one year ago"),
            (47_400_000.0, "2 years ago"),
            (93_000_000.0, "3 years ago"),
            (93_312_003.0, "2023-12-15"),
            // Observed for the environments' views (tests/fixtures/ops/env).
            (29_376_000.5, "11 months ago"),
            (30_240_000.5, "one year ago"),
            (84_600.5, "one day ago"),
            (78_840_000.5, "3 years ago"),
        ] {
            assert_eq!(ago(now - d, now), want, "{d} s");
        }
        assert_eq!(ago(now + 5000.0, now), "in about an hour");
    }
}
