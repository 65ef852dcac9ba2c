//! The tantivy index behind rolesearch: schema, analyzers, writing and
//! searching, shared by the CLI and the HTTP server.
//!
//! `write` turns `indexer` articles into documents and publishes complete
//! index generations atomically (`store`); `search` answers a
//! [`SearchRequest`] with the one [`SearchResponse`] that both the CLI's
//! `--json` and the HTTP API return.

mod analyzer;
mod apply;
mod blobs;
mod browse;
mod cache;
mod carry;
mod check;
mod collect;
mod error;
mod eval;
mod folder;
mod live;
mod named;
mod query;
mod response;
mod scan;
mod schema;
mod search;
mod snippet;
mod sources;
mod spelling;
mod state;
mod store;
mod stored;
mod synonyms;
mod time;
mod update;
mod version;
mod vocab;
mod write;

pub use apply::{apply, ApplyReport, Change, Outcome};
pub use browse::{ArticleOutline, OutlineEntry, PieceView, RoleInfo, Suggestion, MAX_SUGGESTIONS};
pub use cache::CacheStats;
pub use check::{check, CheckReport};
pub use error::{Error, Parameter, Result};
pub use eval::{evaluate, EvalReport, JudgedQuery, JudgedSet, Judgment, Metrics, QueryScore};
pub use query::{Alternative, Group, ParsedQuery, Source, MAX_WORDS};
pub use response::{
    Expansion, FacetDistribution, Hit, MediaView, Relaxed, SearchResponse, Section, Understood,
    Variant,
};
pub use schema::FORMAT_VERSION;
pub use search::{
    IndexStats, OpenOptions, SearchIndex, SearchRequest, DEFAULT_URL_PATTERN, MAX_LIMIT,
    MAX_SECTIONS, MAX_WINDOW,
};
pub use snippet::escape_html;
pub use sources::{strapi_articles, unpublished_since};
pub use store::Store;
pub use synonyms::Synonyms;
pub use time::format_unix_fraction;
pub use update::{update, UpdateReport};
pub use vocab::Word;
pub use write::{build, build_from_articles, BuildOptions, BuildReport};
