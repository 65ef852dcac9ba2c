//! Pulling published articles from a Strapi server's REST API, Strapi 4 or
//! 5, page by page, with the populate parameters that bring the dynamic
//! zone's components and their media.

use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

use indexer::{Article, Problem, Taxonomy};

use crate::error::{Code, Error};

/// The populate parameters of a full article: every blog-template component
/// of the `blocks` dynamic zone, with the media inside them, and the
/// relations. (`populate=*` goes one level deep only: media blocks would
/// come back without their file.)
const POPULATE: &[(&str, &str)] = &[
    ("populate[blocks][on][shared.media][populate]", "file"),
    ("populate[blocks][on][shared.quote]", "true"),
    ("populate[blocks][on][shared.rich-text]", "true"),
    ("populate[blocks][on][shared.slider][populate]", "files"),
    ("populate[blocks][on][shared.seo]", "true"),
    ("populate[category]", "true"),
    ("populate[author]", "true"),
    ("populate[cover]", "true"),
];

/// Where and how to read articles.
#[derive(Debug, Clone)]
pub struct Source {
    /// The Strapi server, e.g. `https://cms.example.com`.
    pub url: String,
    /// An API token with read access, if the API is not public.
    pub token: Option<String>,
    /// The collection's REST path segment (the plural name), e.g. `articles`.
    pub collection: String,
    pub page_size: usize,
}

/// What a pull brought back.
#[derive(Debug, Default)]
pub struct Pulled {
    /// Published articles, each with its version (when it last changed).
    pub articles: Vec<(Article, String)>,
    /// Entries that could not be read (skipped).
    pub problems: Vec<Problem>,
    pub pages: usize,
    /// The locales read, when not all of them were (a Strapi that knows
    /// neither `locale=*` nor `locale=all`: its default locale only).
    pub locales: Option<Vec<String>>,
}

/// How to ask for every locale: Strapi 5 lists them all for `locale=*`
/// (and answers `locale=all` with nothing at all); Strapi 4 for
/// `locale=all`; without a `locale`, both answer the default one only.
const LOCALE_PARAMS: [Option<&str>; 3] = [Some("*"), Some("all"), None];

/// What stays as it is in a path segment: RFC 3986's unreserved
/// characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Fetches every published article of every locale.
pub fn pull(source: &Source, taxonomy: &Taxonomy) -> Result<Pulled, Error> {
    pull_locales(source, taxonomy).map_err(|e| Error::new(Code::StrapiFailed, format!("{e:#}")))
}

fn pull_locales(source: &Source, taxonomy: &Taxonomy) -> Result<Pulled> {
    for locale in LOCALE_PARAMS {
        match pull_pages(source, taxonomy, locale)? {
            // Not understood (400): ask the next way.
            None => continue,
            // Nothing for `locale=all` may be Strapi 5 saying nothing.
            Some(p) if p.articles.is_empty() && p.problems.is_empty() && locale == Some("all") => {
                continue
            }
            Some(mut pulled) => {
                if locale.is_none() {
                    let seen: std::collections::BTreeSet<String> = pulled
                        .articles
                        .iter()
                        .filter_map(|(a, _)| a.locale.clone())
                        .chain(std::iter::once(taxonomy.default_locale().to_string()))
                        .collect();
                    pulled.locales = Some(seen.into_iter().collect());
                }
                return Ok(pulled);
            }
        }
    }
    bail!("Strapi refused every way of listing {}", source.collection)
}

/// Every page of the collection for one `locale` parameter; `None` when
/// Strapi does not understand the parameter (400).
fn pull_pages(
    source: &Source,
    taxonomy: &Taxonomy,
    locale: Option<&str>,
) -> Result<Option<Pulled>> {
    let base = source.url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        bail!("the Strapi URL {base:?} must start with http:// or https://");
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .http_status_as_error(false)
        .build()
        .into();
    let mut pulled = Pulled::default();
    let mut page = 1usize;
    loop {
        let url = format!(
            "{base}/api/{}",
            utf8_percent_encode(&source.collection, SEGMENT)
        );
        let (page_text, size_text) = (page.to_string(), source.page_size.to_string());
        let mut request = agent
            .get(&url)
            .query_pairs(POPULATE.iter().copied())
            .query_pairs(locale.map(|l| ("locale", l)))
            .query("pagination[page]", &page_text)
            .query("pagination[pageSize]", &size_text)
            .header("Accept", "application/json");
        if let Some(token) = &source.token {
            request = request.header("Authorization", &format!("Bearer {token}"));
        }
        let mut response = request
            .call()
            .with_context(|| format!("cannot reach Strapi at {base}"))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .with_context(|| format!("cannot read the response of {base}"))?;
        if status == 401 || status == 403 {
            bail!(
                "Strapi refused the request ({status}): set ROLESEARCH_STRAPI_TOKEN to an API token that can read {}",
                source.collection
            );
        }
        if status == 400 && locale.is_some() && page == 1 {
            return Ok(None);
        }
        if status != 200 {
            bail!(
                "Strapi answered {status} for page {page} of {}: {}",
                source.collection,
                snippet(&text)
            );
        }
        let body: Value = serde_json::from_str(&text)
            .map_err(|e| anyhow!("Strapi's answer for page {page} is not JSON: {e}"))?;
        let items = match body.get("data") {
            Some(Value::Array(items)) => items,
            _ => bail!(
                "Strapi's answer for page {page} has no `data` list: {}",
                snippet(&text)
            ),
        };
        pulled.pages += 1;
        for (i, item) in items.iter().enumerate() {
            let source_name = format!("{base}/api/{} page {page} item {i}", source.collection);
            match indexer::parse_entry(&source_name, item, taxonomy) {
                Ok((article, warnings)) => {
                    pulled.problems.extend(warnings);
                    let version = version_of(item, &article);
                    pulled.articles.push((article, version));
                }
                Err(problem) => pulled.problems.push(problem),
            }
        }
        let page_count = body
            .pointer("/meta/pagination/pageCount")
            .and_then(Value::as_u64)
            .unwrap_or(1) as usize;
        if items.is_empty() || page >= page_count {
            break;
        }
        page += 1;
        if page > 100_000 {
            bail!("Strapi reports more than 100,000 pages: giving up");
        }
    }
    Ok(Some(pulled))
}

/// When an entry last changed: the later of its update and publish times
/// (Strapi 4 keeps them inside `attributes`).
fn version_of(item: &Value, article: &Article) -> String {
    let field = |name: &str| {
        item.get(name)
            .or_else(|| item.get("attributes").and_then(|a| a.get(name)))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let updated = field("updatedAt").or_else(|| article.updated_at.clone());
    let published = field("publishedAt").or_else(|| article.published_at.clone());
    match (updated, published) {
        (Some(u), Some(p)) => std::cmp::max(u, p),
        (Some(v), None) | (None, Some(v)) => v,
        (None, None) => "1970-01-01T00:00:00Z".into(),
    }
}

fn snippet(text: &str) -> String {
    indexer::text::truncate_at_char(text, 200).to_string()
}
