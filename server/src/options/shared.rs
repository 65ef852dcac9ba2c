//! Values several subcommands take, resolved the same way for each: the
//! synonyms file, the article URL pattern and the Strapi API token.

use std::path::Path;
use std::sync::Arc;

use index::{OpenOptions, Synonyms};
use indexer::Taxonomy;

use crate::error::{Code, Error};

/// The synonyms file given, or the built-in list.
pub fn synonyms(path: Option<&Path>) -> Result<Synonyms, Error> {
    match path {
        None => Ok(Synonyms::builtin()),
        Some(path) => Synonyms::from_file(path).map_err(|e| {
            Error::new(
                Code::InvalidInput,
                format!("cannot read synonyms file {}: {e}", path.display()),
            )
        }),
    }
}

/// An article URL pattern, which must have a `{slug}` to replace; `name`
/// is how the user set it (a flag or a settings key).
pub fn url_pattern(pattern: String, name: &str) -> Result<String, Error> {
    if pattern.contains("{slug}") {
        Ok(pattern)
    } else {
        Err(Error::new(
            Code::InvalidArgument,
            format!("{name} {pattern:?} must contain {{slug}}"),
        ))
    }
}

/// How to open the index for searching: the built-in taxonomy, these
/// synonyms, this URL pattern, and `cached` recent answers kept.
pub fn open_options(synonyms: Synonyms, url_pattern: String, cached: usize) -> OpenOptions {
    OpenOptions {
        taxonomy: Arc::new(Taxonomy::builtin()),
        synonyms: Arc::new(synonyms),
        url_pattern,
        locale_url_patterns: Default::default(),
        cached_responses: cached,
    }
}

/// The Strapi API token, from `ROLESEARCH_STRAPI_TOKEN` (none when unset
/// or blank).
pub fn strapi_token() -> Option<String> {
    std::env::var("ROLESEARCH_STRAPI_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
}
