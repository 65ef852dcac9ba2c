//! Values several subcommands take, resolved the same way for each: the
//! synonyms file, the article URL pattern and the Strapi API token.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use index::{OpenOptions, Synonyms};
use indexer::Taxonomy;

use crate::error::{Code, Error};

/// The text of a file the user named; `what` names it in the error
/// ("cannot read synonyms file x.txt: No such file or directory").
pub fn read_text(path: &Path, what: &str) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            format!(
                "cannot read {what} {}: {}",
                path.display(),
                indexer::io_reason(&e)
            ),
        )
    })
}

/// The synonyms file given, or the built-in list.
pub fn synonyms(path: Option<&Path>) -> Result<Synonyms, Error> {
    match path {
        None => Ok(Synonyms::builtin()),
        Some(path) => Ok(Synonyms::parse(&read_text(path, "synonyms file")?)),
    }
}

/// The taxonomy for a site whose articles that name no locale are in
/// `default_locale`.
pub fn taxonomy(default_locale: &str) -> Result<Arc<Taxonomy>, Error> {
    index::check_locale(default_locale).map_err(|e| {
        Error::new(
            Code::InvalidArgument,
            format!("default locale: {}", Error::from(e).message()),
        )
    })?;
    Ok(Arc::new(
        Taxonomy::builtin().with_default_locale(default_locale),
    ))
}

/// `LOCALE=PATTERN` pairs (or a settings table), each pattern checked, the
/// locales in lower case.
pub fn locale_url_patterns(
    pairs: impl IntoIterator<Item = (String, String)>,
) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for (locale, pattern) in pairs {
        index::check_locale(&locale).map_err(|e| {
            Error::new(
                Code::InvalidArgument,
                format!("locale URL pattern: {}", Error::from(e).message()),
            )
        })?;
        let name = format!("the URL pattern of locale {locale}");
        out.insert(locale.to_lowercase(), url_pattern(pattern, &name)?);
    }
    Ok(out)
}

/// A share written `20%` or `0.2`, from 0 to 1.
pub fn share(text: &str, name: &str) -> Result<f64, Error> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    };
    match value {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(Error::new(
            Code::InvalidArgument,
            format!("{name} {text:?} must be a share from 0% to 100% (or 0 to 1)"),
        )),
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

/// How to open the index for searching: the taxonomy, these synonyms,
/// these URL patterns, and `cached` recent answers kept.
pub fn open_options(
    taxonomy: Arc<Taxonomy>,
    synonyms: Synonyms,
    url_pattern: String,
    locale_url_patterns: BTreeMap<String, String>,
    cached: usize,
) -> OpenOptions {
    OpenOptions {
        taxonomy,
        synonyms: Arc::new(synonyms),
        url_pattern,
        locale_url_patterns,
        cached_responses: cached,
        ..OpenOptions::default()
    }
}

/// The Strapi API token, from `ROLESEARCH_STRAPI_TOKEN` (none when unset
/// or blank).
pub fn strapi_token() -> Option<String> {
    std::env::var("ROLESEARCH_STRAPI_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
}
