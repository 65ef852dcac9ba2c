//! RFC 3339 timestamps without a date-time crate: the index only ever needs
//! "now", in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, as `2026-11-29T11:40:45Z`.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format_unix(secs)
}

/// Formats seconds since the Unix epoch (civil-from-days, proleptic
/// Gregorian calendar).
pub fn format_unix(secs: u64) -> String {
    format_unix_fraction(secs, "")
}

/// As [`format_unix`], with `fraction` (e.g. `.123`) before the `Z`.
pub fn format_unix_fraction(secs: u64, fraction: &str) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_known_instants() {
        assert_eq!(super::format_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::format_unix(1_795_952_445), "2026-11-29T11:40:45Z");
        assert_eq!(
            super::format_unix_fraction(1_795_952_445, ".123"),
            "2026-11-29T11:40:45.123Z"
        );
    }
}
