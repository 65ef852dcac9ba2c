//! A search as asked: the query text, filters and paging, and every limit
//! on what a caller may ask, checked here before any work:
//! [`SearchRequest::validate`] bounds paging (the ranking reserves memory
//! for `offset + limit` results) and sections; [`check_query`] bounds the
//! text of an API query (searches and suggestions). Any text is understood,
//! whatever its length: at most [`MAX_WORDS`](crate::MAX_WORDS) of its
//! words count.

use crate::error::{Error, Parameter, Result};

/// Most articles a page shows.
pub const MAX_LIMIT: usize = 100;
/// `offset + limit` at most: how deep paging goes.
pub const MAX_WINDOW: usize = 1000;
/// Most sections shown per article.
pub const MAX_SECTIONS: usize = 10;
/// Longest query text, in bytes.
pub const MAX_QUERY_BYTES: usize = 512;

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// Role ids or names; a piece must be filed under any of them.
    pub roles: Vec<String>,
    /// Category names; an article must be in any of them.
    pub categories: Vec<String>,
    /// Locales ("fr", "fr-CA"); an article must be in any of them ("fr"
    /// takes in "fr-CA", and "fr-CA" an article in plain "fr"). None: all,
    /// and the query is read in every language the index has.
    pub locales: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// Sections per article.
    pub sections: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            roles: Vec::new(),
            categories: Vec::new(),
            locales: Vec::new(),
            limit: 10,
            offset: 0,
            sections: 3,
        }
    }
}

impl SearchRequest {
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// Checks paging, sections and locales.
    pub fn validate(&self) -> Result<()> {
        for locale in &self.locales {
            check_locale(locale)?;
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Limit,
                message: format!("limit must be between 1 and {MAX_LIMIT}"),
            });
        }
        if self.offset > MAX_WINDOW || self.offset + self.limit > MAX_WINDOW {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Offset,
                message: format!("offset + limit must be at most {MAX_WINDOW}"),
            });
        }
        if self.sections == 0 || self.sections > MAX_SECTIONS {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Sections,
                message: format!("sections must be between 1 and {MAX_SECTIONS}"),
            });
        }
        Ok(())
    }
}

/// Checks the length of a query text sent to the API (searches and
/// suggestions alike).
pub fn check_query(q: &str) -> Result<()> {
    if q.len() > MAX_QUERY_BYTES {
        return Err(Error::InvalidParameter {
            parameter: Parameter::Query,
            message: format!("q must be at most {MAX_QUERY_BYTES} bytes"),
        });
    }
    Ok(())
}

/// Checks that `locale` looks like a locale code: letters, then subtags of
/// letters and digits after `-` or `_` ("en", "fr-CA", "zh-Hant-TW").
pub fn check_locale(locale: &str) -> Result<()> {
    let mut parts = locale.split(['-', '_']);
    let language_ok = parts
        .next()
        .is_some_and(|l| (2..=8).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if language_ok && rest_ok && locale.len() <= 35 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            parameter: Parameter::Locale,
            message: format!("locale {locale:?} is not a locale code such as en or fr-CA"),
        })
    }
}
