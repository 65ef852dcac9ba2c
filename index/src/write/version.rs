//! Versions of webhook changes: RFC 3339 timestamps (a Strapi event's
//! `createdAt`, an entry's `updatedAt`), compared as instants, not as text,
//! so `…T10:00:00Z`, `…T10:00:00.000Z` and `…T12:00:00+02:00` are equal.

use std::cmp::Ordering;

use crate::error::{Error, Parameter, Result};

/// An instant parsed from an RFC 3339 timestamp: seconds since the Unix
/// epoch and nanoseconds, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant {
    secs: i64,
    nanos: u32,
}

/// Parses `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123Z`,
/// `2024-05-01 10:00:00+02:00` and the like.
pub(crate) fn parse(text: &str) -> Option<Instant> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let year = num(0..4)?;
    let month = num(5..7)?;
    let day = num(8..10)?;
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let second = num(17..19)?;
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanos: u32 = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 9 {
                nanos = nanos * 10 + u32::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            let h = num(i + 1..i + 3)?;
            let m = num(i + 4..i + 6)?;
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
    Some(Instant { secs, nanos })
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Instant {
    /// The instant one millisecond later, as an RFC 3339 UTC timestamp with
    /// milliseconds (sub-millisecond digits are dropped first).
    pub(crate) fn one_ms_later(self) -> Option<String> {
        let millis = self.secs.checked_mul(1000)? + i64::from(self.nanos / 1_000_000) + 1;
        let secs = u64::try_from(millis.div_euclid(1000)).ok()?;
        Some(crate::time::format_unix_fraction(
            secs,
            &format!(".{:03}", millis.rem_euclid(1000)),
        ))
    }
}

/// Checks a change's version, for a clear error before anything is written.
pub(crate) fn check(version: &str) -> Result<Instant> {
    parse(version).ok_or_else(|| Error::InvalidParameter {
        parameter: Parameter::Version,
        message: format!(
            "{version:?} is not an RFC 3339 timestamp such as 2024-05-01T10:00:00.000Z"
        ),
    })
}

/// Orders two stored versions; one that does not parse (never stored by
/// `apply`, which checks) is older than any that does.
pub(crate) fn compare(a: Option<&str>, b: Option<&str>) -> Ordering {
    a.and_then(parse).cmp(&b.and_then(parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_instants_in_different_notations_compare_equal() {
        let a = parse("2024-05-01T10:00:00Z").unwrap();
        assert_eq!(parse("2024-05-01T10:00:00.000Z"), Some(a));
        assert_eq!(parse("2024-05-01T12:00:00+02:00"), Some(a));
        assert_eq!(parse("2024-05-01 09:30:00-00:30"), Some(a));
        assert!(parse("2024-05-01T10:00:00.001Z").unwrap() > a);
        assert!(parse("2024-04-30T23:59:59.999999999Z").unwrap() < a);
    }

    #[test]
    fn agrees_with_the_formatter() {
        let p = parse("2026-11-29T11:40:45Z").unwrap();
        assert_eq!(p.secs, 1_795_952_445);
        assert_eq!(parse("1970-01-01T00:00:00Z").unwrap().secs, 0);
        assert_eq!(parse("1969-12-31T23:59:59Z").unwrap().secs, -1);
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T10:00:00",
            "2024-13-01T10:00:00Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00Zjunk",
            "yesterday",
            "2024-05-01T10:00:00+0200",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn unparsable_versions_are_oldest() {
        assert_eq!(compare(None, Some("2024-05-01T10:00:00Z")), Ordering::Less);
        assert_eq!(compare(Some("junk"), None), Ordering::Equal);
    }
}
