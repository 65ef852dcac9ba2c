//! Query strings, decoded strictly: repeated keys kept in order, `+` as a
//! space, percent-escapes decoded to bytes that must be UTF-8 (anything
//! else is a 400 naming the parameter, never a lossy guess). Parameters
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
            let key = decode(key).map_err(|_| not_utf8("a parameter name"))?;
            let value = decode(value).map_err(|_| not_utf8(&format!("parameter {key:?}")))?;
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

/// Percent-decodes `s` (`+` is a space) into UTF-8.
pub fn decode(s: &str) -> Result<String, std::str::Utf8Error> {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|d| d.into_owned())
}

/// The error for percent-decoded bytes of `what` that are not UTF-8.
pub fn not_utf8(what: &str) -> Error {
    Error::new(Code::InvalidUtf8, format!("{what} is not valid UTF-8"))
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
        assert_eq!(decode("100%").unwrap(), "100%");
        assert_eq!(decode("%e2%9c%93").unwrap(), "✓");
        assert_eq!(decode("a%2Bb+c").unwrap(), "a+b c");
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
