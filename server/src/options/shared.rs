//! Values several subcommands take, resolved the same way for each: where
//! the index is (a folder or a cluster), the synonyms file, the article
//! URL pattern and the Strapi API token.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use index::{Location, OpenOptions, Synonyms};
use indexer::Taxonomy;

use super::settings::{FileSettings, OneOrMany};
use crate::cli::{Engine, EngineArgs, IndexLocation};
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

/// Where the index is, from the engine flags, an `--index` flag and the
/// settings file (whose keys are taken): a folder for the tantivy
/// engine, a cluster for OpenSearch, checked (URLs, prefix, credentials,
/// the CA file) before any work starts.
pub fn location(
    args: &EngineArgs,
    index: Option<PathBuf>,
    file: &mut FileSettings,
) -> Result<Location, Error> {
    let engine = args.engine.or(file.engine).unwrap_or(Engine::Tantivy);
    let urls = if args.opensearch_urls.is_empty() {
        file.opensearch_url
            .take()
            .map(OneOrMany::into_vec)
            .unwrap_or_default()
    } else {
        args.opensearch_urls.clone()
    };
    let index = index.or(file.index.take());
    let invalid = |m: String| Error::new(Code::InvalidArgument, m);
    match engine {
        Engine::Tantivy => {
            if !urls.is_empty() {
                return Err(invalid(
                    "opensearch_url is set but the engine is tantivy: set engine = \"opensearch\" (--engine opensearch, ROLESEARCH_ENGINE) to use the cluster, or remove the URL".into(),
                ));
            }
            Ok(Location::Folder(
                index.unwrap_or_else(|| ".rolesearch-index".into()),
            ))
        }
        Engine::Opensearch => {
            if urls.iter().all(|u| u.trim().is_empty()) {
                return Err(invalid(
                    "engine opensearch needs the nodes' URLs: opensearch_url (--opensearch-url, ROLESEARCH_OPENSEARCH_URL), e.g. https://127.0.0.1:9200".into(),
                ));
            }
            let prefix = args
                .opensearch_prefix
                .clone()
                .or(file.opensearch_prefix.take())
                .unwrap_or_else(|| index::DEFAULT_OPENSEARCH_PREFIX.into());
            let mut config = index::OpenSearchConfig::from_env(&urls, &prefix)?;
            if let Some(ca) = args
                .opensearch_ca_file
                .clone()
                .or(file.opensearch_ca_file.take())
            {
                // Read here, so that a missing file is named before any work.
                read_bytes(&ca, "OpenSearch CA file")?;
                config.ca_file = Some(ca);
            }
            if let Some(shards) = args.opensearch_shards.or(file.opensearch_shards) {
                if !(1..=1024).contains(&shards) {
                    return Err(invalid(format!(
                        "opensearch_shards {shards} must be from 1 to 1024"
                    )));
                }
                config.shards = shards;
            }
            if let Some(replicas) = args.opensearch_replicas.or(file.opensearch_replicas) {
                if replicas > 16 {
                    return Err(invalid(format!(
                        "opensearch_replicas {replicas} must be from 0 to 16"
                    )));
                }
                config.replicas = replicas;
            }
            Ok(Location::OpenSearch(index::OpenSearch::new(config)?))
        }
    }
}

/// The bytes of a file the user named.
fn read_bytes(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| {
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

/// Where the index is and the taxonomy, for the commands that take an
/// [`IndexLocation`] (all but `serve`, `roles` and `pieces`).
pub fn located(args: IndexLocation) -> Result<(Location, Arc<Taxonomy>), Error> {
    let mut file = super::settings::read(args.config.as_deref())?;
    let location = location(&args.engine, args.index, &mut file)?;
    let default_locale = args
        .default_locale
        .or(file.default_locale)
        .unwrap_or_else(|| indexer::DEFAULT_LOCALE.into());
    Ok((location, taxonomy(&default_locale)?))
}
