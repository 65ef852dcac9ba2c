//! RFC 3339 timestamps, read and written with the `time` crate: what the
//! index records of when it was made and changed, and what webhook change
//! versions are (compared as instants, never as text).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// An instant, from an RFC 3339 timestamp: nanoseconds since the Unix
/// epoch, so equal instants in other notations or offsets are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(i128);

/// Parses `2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.123Z`,
/// `2024-05-01 10:00:00+02:00` and the like (RFC 3339, strictly).
pub(crate) fn parse(text: &str) -> Option<Instant> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .ok()
        .map(|t| Instant(t.unix_timestamp_nanos()))
}

impl Instant {
    /// Seconds since the Unix epoch.
    pub(crate) fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000_000) as i64
    }

    /// The instant one millisecond later, as an RFC 3339 UTC timestamp with
    /// milliseconds (sub-millisecond digits are dropped first).
    pub(crate) fn one_ms_later(self) -> Option<String> {
        let millis = self.0.div_euclid(1_000_000) + 1;
        let later = OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).ok()?;
        later
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
            ))
            .ok()
    }
}

/// How far ahead of this machine's clock a version may be (clocks differ a
/// little between a CMS and a search host).
pub const CLOCK_TOLERANCE: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The latest instant a version may be: now, plus [`CLOCK_TOLERANCE`].
pub(crate) fn latest_acceptable() -> Instant {
    let now = OffsetDateTime::now_utc() + CLOCK_TOLERANCE;
    Instant(now.unix_timestamp_nanos())
}

/// Now, as `2026-11-29T11:40:45Z`.
pub fn now_rfc3339() -> String {
    let secs = OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
    format_unix_fraction(secs, "")
}

/// Seconds since the Unix epoch as an RFC 3339 UTC timestamp, with
/// `fraction` (e.g. `.123`, or nothing) before the `Z`.
pub fn format_unix_fraction(secs: u64, fraction: &str) -> String {
    let at = i64::try_from(secs)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let civil = at
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    format!("{civil}{fraction}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_unix_fraction(0, ""), "1970-01-01T00:00:00Z");
        assert_eq!(
            format_unix_fraction(1_795_952_445, ""),
            "2026-11-29T11:40:45Z"
        );
        assert_eq!(
            format_unix_fraction(1_795_952_445, ".123"),
            "2026-11-29T11:40:45.123Z"
        );
    }

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
        assert_eq!(p.unix_seconds(), 1_795_952_445);
        assert_eq!(parse("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
        assert_eq!(parse("1969-12-31T23:59:59Z").unwrap().unix_seconds(), -1);
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
    fn one_millisecond_later_has_millisecond_digits() {
        let t = parse("2024-05-01T10:00:00.1239Z").unwrap();
        assert_eq!(t.one_ms_later().unwrap(), "2024-05-01T10:00:00.124Z");
    }
}
