//! Versions of webhook changes: RFC 3339 timestamps (a Strapi event's
//! `createdAt`, an entry's `updatedAt`), compared as instants, not as text,
//! so `…T10:00:00Z`, `…T10:00:00.000Z` and `…T12:00:00+02:00` are equal.

use std::cmp::Ordering;

use crate::error::{Error, Parameter, Result};
pub(crate) use crate::timestamp::{parse, Instant};

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
    fn unparsable_versions_are_oldest() {
        assert_eq!(compare(None, Some("2024-05-01T10:00:00Z")), Ordering::Less);
        assert_eq!(compare(Some("junk"), None), Ordering::Equal);
    }
}
