//! Query strings, decoded strictly: repeated keys kept in order, `+` as a
//! space, percent-escapes (a `%` and two hex digits, nothing else) decoded
//! to bytes that must be UTF-8 (anything else is a 400 naming the
//! parameter, never a lossy guess). Parameters
//! are typed: each knows its name and the code of its errors.

use percent_encoding::percent_decode_str;

use crate::error::{Code, Error};

/// The text parameters the API reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param {
    Q,
    Role,
    Category,
    Locale,
}

/// The whole-number parameters, each with the code of a bad value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Number {
    Limit,
    Offset,
    Sections,
}

/// A parameter's name in the query string.
pub trait Name: Copy {
    fn name(self) -> &'static str;
}

impl Name for Param {
    fn name(self) -> &'static str {
        match self {
            Param::Q => "q",
            Param::Role => "role",
            Param::Category => "category",
            Param::Locale => "locale",
        }
    }
}

impl Name for Number {
    fn name(self) -> &'static str {
        match self {
            Number::Limit => "limit",
            Number::Offset => "offset",
            Number::Sections => "sections",
        }
    }
}

impl Number {
    fn code(self) -> Code {
        match self {
            Number::Limit => Code::InvalidLimit,
            Number::Offset => Code::InvalidOffset,
            Number::Sections => Code::InvalidSections,
        }
    }
}

/// Decoded `key=value` pairs, in order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &str) -> Result<Params, Error> {
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let key = decode(key).map_err(|e| e.error("a parameter name"))?;
            let value = decode(value).map_err(|e| e.error(&format!("parameter {key:?}")))?;
            pairs.push((key, value));
        }
        Ok(Params(pairs))
    }

    fn first(&self, param: impl Name) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == param.name())
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable parameter, comma-separated ones split.
    /// The `locale` values, with `*` (every locale, as a widget says it)
    /// meaning no locale filter.
    pub fn locales(&self) -> Vec<String> {
        let all = self.all(Param::Locale);
        if all.iter().any(|l| l == "*") {
            return Vec::new();
        }
        all
    }

    pub fn all(&self, param: Param) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == param.name())
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            })
            .collect()
    }

    /// The `q` parameter, within the index's bound on a query's length.
    pub fn query(&self) -> Result<String, Error> {
        let q = self.first(Param::Q).unwrap_or_default();
        index::check_query(q)?;
        Ok(q.to_string())
    }

    /// A whole number parameter, or its default.
    pub fn number(&self, param: Number, default: usize) -> Result<usize, Error> {
        match self.first(param) {
            None => Ok(default),
            Some(v) => v.trim().parse::<usize>().map_err(|_| {
                Error::new(
                    param.code(),
                    format!("{} must be a whole number, not {v:?}", param.name()),
                )
            }),
        }
    }
}

/// Why a percent-encoded text could not be decoded.
#[derive(Debug, PartialEq, Eq)]
pub enum Undecodable {
    /// A `%` not followed by two hex digits (`%`, `%G1`, `%2`).
    Escape,
    /// The decoded bytes are not UTF-8.
    Utf8,
}

impl Undecodable {
    /// The error for `what` (a parameter, the slug).
    pub fn error(self, what: &str) -> Error {
        match self {
            Undecodable::Escape => Error::new(
                Code::InvalidEscape,
                format!("{what} has a % that is not followed by two hex digits (write a literal % as %25)"),
            ),
            Undecodable::Utf8 => Error::new(Code::InvalidUtf8, format!("{what} is not valid UTF-8")),
        }
    }
}

/// Percent-decodes `s` (`+` is a space) into UTF-8.
pub fn decode(s: &str) -> Result<String, Undecodable> {
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err(Undecodable::Escape);
            }
        }
    }
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|d| d.into_owned())
        .map_err(|_| Undecodable::Utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_repeats() {
        let p = Params::parse("q=product+owner%21&role=po&role=ba,pm&x").unwrap();
        assert_eq!(p.first(Param::Q), Some("product owner!"));
        assert_eq!(p.all(Param::Role), ["po", "ba", "pm"]);
        assert_eq!(Params::parse("x").unwrap().0, [("x".into(), "".into())]);
        assert_eq!(decode("100%25").unwrap(), "100%");
        assert_eq!(decode("%e2%9c%93").unwrap(), "✓");
        assert_eq!(decode("a%2Bb+c").unwrap(), "a+b c");
    }

    #[test]
    fn a_percent_without_two_hex_digits_is_an_error_naming_the_parameter() {
        for raw in ["q=%", "q=%G1", "q=%2", "q=a%2", "q=100%"] {
            let err = Params::parse(raw).err().unwrap();
            assert_eq!(err.code(), Code::InvalidEscape, "{raw}");
            assert!(err.message().starts_with("parameter \"q\""), "{raw}");
        }
        assert_eq!(decode("%2b%2B"), Ok("++".into()));
    }

    #[test]
    fn invalid_utf8_is_an_error_naming_the_parameter() {
        let err = Params::parse("q=%ff%fe").err().unwrap();
        assert_eq!(
            err,
            Error::new(Code::InvalidUtf8, "parameter \"q\" is not valid UTF-8")
        );
    }
}
