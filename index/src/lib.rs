//! The tantivy index behind rolesearch: schema, analyzers, writing and
//! searching, shared by the CLI and the HTTP server.
//!
//! `write` turns `indexer` articles into documents and publishes complete
//! index generations atomically (`store`); `search` answers a
//! [`SearchRequest`] with the one [`SearchResponse`] that both the CLI's
//! `--json` and the HTTP API return.

mod analysis;
mod embedded;
mod error;
mod search;
mod store;
mod stored;
mod timestamp;
mod write;

pub use embedded::check::{check, CheckReport};
pub use error::{Error, Parameter, Result};
pub use search::browse::{
    ArticleOutline, OutlineEntry, PieceView, RoleInfo, Suggestion, MAX_SUGGESTIONS,
};
pub use search::cache::CacheStats;
pub use search::engine::IndexStats;
pub use search::eval::{
    evaluate, EvalReport, JudgedQuery, JudgedSet, Judgment, Metrics, QueryScore,
};
pub use search::index::SearchIndex;
pub use search::options::{OpenOptions, DEFAULT_CACHED_BYTES, DEFAULT_URL_PATTERN};
pub use search::request::{
    check_locale, check_query, SearchRequest, MAX_LIMIT, MAX_QUERY_BYTES, MAX_SECTIONS, MAX_WINDOW,
};
pub use search::response::{
    Expansion, FacetDistribution, Hit, MediaView, Relaxed, SearchResponse, Section, Understood,
    Variant,
};
pub use search::snippet::escape_html;
pub use search::understand::synonyms::Synonyms;
pub use search::understand::{Alternative, Group, ParsedQuery, Source, Word, MAX_WORDS};
pub use store::{Store, FORMAT_VERSION};
pub use timestamp::{format_unix_fraction, now_rfc3339, CLOCK_TOLERANCE};
pub use write::{
    apply, article_count, build, build_from_articles, strapi_articles, unpublished_since, update,
    ApplyReport, BuildOptions, BuildReport, Change, Outcome, UpdateReport,
};
