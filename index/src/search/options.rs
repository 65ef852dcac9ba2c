//! How an opened index understands and answers: the taxonomy and synonyms
//! a query is read with, the article URL pattern, the answer cache size.

use std::collections::BTreeMap;
use std::sync::Arc;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use indexer::Taxonomy;

use super::understand::synonyms::Synonyms;

pub const DEFAULT_URL_PATTERN: &str = "/articles/{slug}";

/// Settings of an opened index.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub taxonomy: Arc<Taxonomy>,
    /// Query-time synonyms.
    pub synonyms: Arc<Synonyms>,
    /// Article URLs: `{slug}` is replaced by the article's slug and
    /// `{locale}` by its locale.
    pub url_pattern: String,
    /// Patterns for the articles of some locales (lower case), over
    /// `url_pattern`: a site whose default locale has no prefix
    /// (`/articles/{slug}` for en, `/fr/articles/{slug}` for fr).
    pub locale_url_patterns: BTreeMap<String, String>,
    /// Recent answers kept for repeated requests (0: none). Worth it in a
    /// server; a one-off CLI query or a benchmark of the search itself
    /// wants none.
    pub cached_responses: usize,
    /// The most bytes the cached answers may take, as JSON (0: no cache):
    /// one article with long fields cannot make the cache unbounded.
    pub cached_bytes: usize,
}

/// The default of [`OpenOptions::cached_bytes`]: 32 MiB.
pub const DEFAULT_CACHED_BYTES: usize = 32 << 20;

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            taxonomy: Arc::new(Taxonomy::builtin()),
            synonyms: Arc::new(Synonyms::builtin()),
            url_pattern: DEFAULT_URL_PATTERN.to_string(),
            locale_url_patterns: BTreeMap::new(),
            cached_responses: 0,
            cached_bytes: DEFAULT_CACHED_BYTES,
        }
    }
}

/// What a slug keeps unescaped in a URL: RFC 3986's unreserved characters.
const SLUG: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

impl OpenOptions {
    /// The URL of the article with `slug` in `locale`.
    pub fn article_url(&self, slug: &str, locale: Option<&str>) -> String {
        let locale = locale.unwrap_or(self.taxonomy.default_locale());
        let pattern = self
            .locale_url_patterns
            .get(&locale.to_lowercase())
            .unwrap_or(&self.url_pattern);
        pattern
            .replace("{slug}", &utf8_percent_encode(slug, SLUG).to_string())
            .replace("{locale}", &utf8_percent_encode(locale, SLUG).to_string())
    }
}
