//! Query strings, decoded strictly: repeated keys kept in order, `+` as a
//! space, percent-escapes decoded to bytes that must be UTF-8 (anything
//! else is a 400 naming the parameter, never a lossy guess).

use super::error::ApiError;

/// Decoded `key=value` pairs, in order.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: &str) -> Result<Params, ApiError> {
        let mut pairs = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let key = decode(key).map_err(|_| ApiError::InvalidUtf8 {
                parameter: "a parameter name".into(),
            })?;
            let value = decode(value).map_err(|_| ApiError::InvalidUtf8 {
                parameter: format!("parameter {key:?}"),
            })?;
            pairs.push((key, value));
        }
        Ok(Params(pairs))
    }

    pub fn first(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
            })
            .collect()
    }

    /// A whole number parameter, or its default; `code` names the error.
    pub fn number(&self, key: &str, default: usize, code: &'static str) -> Result<usize, ApiError> {
        match self.first(key) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse::<usize>()
                .map_err(|_| ApiError::InvalidParameter {
                    code,
                    message: format!("{key} must be a whole number, not {v:?}"),
                }),
        }
    }
}

/// Percent-decodes `s` (`+` is a space) into UTF-8.
pub fn decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_percent_and_repeats() {
        let p = Params::parse("q=product+owner%21&role=po&role=ba,pm&x").unwrap();
        assert_eq!(p.first("q"), Some("product owner!"));
        assert_eq!(p.all("role"), ["po", "ba", "pm"]);
        assert_eq!(p.first("x"), Some(""));
        assert_eq!(decode("100%").unwrap(), "100%");
        assert_eq!(decode("%e2%9c%93").unwrap(), "✓");
    }

    #[test]
    fn invalid_utf8_is_an_error_naming_the_parameter() {
        let err = Params::parse("q=%ff%fe").err().unwrap();
        assert_eq!(
            err,
            ApiError::InvalidUtf8 {
                parameter: "parameter \"q\"".into()
            }
        );
    }
}
