//! Calendar arithmetic for UTC timestamps, without a clock: the caller always passes the time.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::text::{decimal, whole_number};

/// `YYYY-MM-DD` of a Unix timestamp in UTC (the TC3 credential date; never local time).
pub fn utc_date(timestamp: u64) -> String {
    let (year, month, day) = civil_from_days(timestamp / 86_400);
    let mut date = String::with_capacity(10);
    push_padded(&mut date, year, 4);
    date.push('-');
    push_padded(&mut date, month, 2);
    date.push('-');
    push_padded(&mut date, day, 2);
    date
}

/// Seconds since the epoch from an HTTP `Date` header (IMF-fixdate, e.g.
/// `Thu, 26 Nov 2026 19:07:42 GMT`). Other obsolete formats are not sent by Tencent.
pub fn parse_http_date(value: &str) -> Option<u64> {
    let rest = value.trim().split_once(',')?.1.strip_prefix(' ')?;
    let mut parts = rest.split(' ');
    let day: u64 = parse_digits(parts.next()?, 2)?;
    let month_name = parts.next()?;
    let year: u64 = parse_digits(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = parse_digits(clock.next()?, 2)?;
    let minute: u64 = parse_digits(clock.next()?, 2)?;
    let second: u64 = parse_digits(clock.next()?, 2)?;
    if parts.next()? != "GMT" || parts.next().is_some() || clock.next().is_some() {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|name| *name == month_name)? as u64 + 1;
    if year < 1970
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn parse_digits(text: &str, width: usize) -> Option<u64> {
    if text.len() != width || !crate::text::is_digits(text) {
        return None;
    }
    whole_number(text)
}

fn push_padded(out: &mut String, value: u64, width: usize) {
    let digits = decimal(value);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

// Howard Hinnant's days<->civil algorithms, restricted to dates from 1970 on.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let month_index = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_around_utc_midnight() {
        // 2019-02-25T00:00:00Z
        assert_eq!(utc_date(1_551_052_800 - 1), "2019-02-24");
        assert_eq!(utc_date(1_551_052_800), "2019-02-25");
        assert_eq!(utc_date(1_551_052_800 + 1), "2019-02-25");
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(253_402_300_799), "9999-12-31");
    }

    #[test]
    fn http_dates_round_trip_to_seconds() {
        assert_eq!(
            parse_http_date("Mon, 25 Feb 2019 16:44:25 GMT"),
            Some(1_551_113_065)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"),
            Some(951_782_400)
        );
    }

    #[test]
    fn malformed_http_dates_are_none() {
        for bad in [
            "",
            "yesterday",
            "Mon, 25 Feb 2019 16:44:25 UTC",
            "Mon, 25 Foo 2019 16:44:25 GMT",
            "Mon, 25 Feb 2019 16:44 GMT",
            "Mon, 25 Feb 2019 24:00:00 GMT",
            "Mon, 5 Feb 2019 16:44:25 GMT",
            "Mon, 25 Feb 1969 16:44:25 GMT",
            "Mon, 25 Feb 2019 16:44:25 GMT extra",
            "Sun, 31 Feb 2019 00:00:00 GMT",
            "Thu, 29 Feb 2100 00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
