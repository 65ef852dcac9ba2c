//! Command-line flags, as typed. `app` turns them into validated settings
//! before any work starts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Search for career content: index Strapi articles at the grain a reader
/// needs and answer ranked queries with role facets and deep links.
#[derive(Debug, Parser)]
#[command(name = "rolesearch", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a content folder: only what changed since the last run, or everything with --full.
    Index(IndexArgs),
    /// Search the index.
    Query(QueryArgs),
    /// List the roles of the taxonomy.
    Roles,
    /// Print the pieces the indexer makes of content files, to read them.
    Pieces(PiecesArgs),
    /// Score ranking on a judged query set: nDCG@5, MRR, success@1 and @3.
    Eval(EvalArgs),
    /// Serve the HTTP API and the search page (building the index first if there is none).
    Serve(ServeArgs),
    /// Reconcile the index with the articles a Strapi server publishes (REST API).
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index folder.
    #[arg(
        long,
        env = "ROLESEARCH_INDEX",
        default_value = ".rolesearch-index",
        value_name = "DIR"
    )]
    pub index: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Content folder: every .json file below it is read.
    #[arg(
        long,
        env = "ROLESEARCH_CONTENT",
        default_value = "content",
        value_name = "DIR"
    )]
    pub content: PathBuf,
    /// Rebuild from scratch into a new generation and swap it in, instead of
    /// re-reading only added, changed and removed files.
    #[arg(long)]
    pub full: bool,
    #[command(flatten)]
    pub location: IndexLocation,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Only sections about this role (id, name or acronym); repeat for any of several.
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
    /// Only articles in this category; repeat for any of several.
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,
    /// Articles to show (1-100).
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Articles to skip (offset + limit at most 1000).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Sections to show per article (1-10).
    #[arg(long, default_value_t = 3)]
    pub sections: usize,
    /// Article URL pattern; {slug} is replaced.
    #[arg(
        long,
        env = "ROLESEARCH_URL_PATTERN",
        default_value = "/articles/{slug}",
        value_name = "PATTERN"
    )]
    pub url_pattern: String,
    /// Synonyms file (one comma-separated group per line); default: the built-in list.
    #[arg(long, env = "ROLESEARCH_SYNONYMS", value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Print the JSON response (the same as the HTTP API's).
    #[arg(long)]
    pub json: bool,
    /// The query: words and "quoted phrases" (after `--` if it starts with `-`).
    #[arg(required = true, value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PiecesArgs {
    /// Content files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print pieces as JSON lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Synonyms file; default: the built-in list.
    #[arg(long, env = "ROLESEARCH_SYNONYMS", value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Save this run's report (JSON) to compare later runs with.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// A report saved earlier: print the differences.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// The judged query set (e.g. tests/judged/queries.json).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// `serve` settings: a flag wins over its environment variable, which wins
/// over the TOML file (`--config`), which wins over the default.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TOML file with any of the settings below (keys: addr, index, content,
    /// url_pattern, synonyms, cors_origins, search_timeout_ms, max_concurrent_searches).
    #[arg(long, env = "ROLESEARCH_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:7700].
    #[arg(long, env = "ROLESEARCH_ADDR", value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// Index folder [default: .rolesearch-index].
    #[arg(long, env = "ROLESEARCH_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Content folder, indexed first when there is no index yet [default: content].
    #[arg(long, env = "ROLESEARCH_CONTENT", value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Article URL pattern; {slug} is replaced [default: /articles/{slug}].
    #[arg(long, env = "ROLESEARCH_URL_PATTERN", value_name = "PATTERN")]
    pub url_pattern: Option<String>,
    /// Synonyms file [default: the built-in list].
    #[arg(long, env = "ROLESEARCH_SYNONYMS", value_name = "FILE")]
    pub synonyms: Option<PathBuf>,
    /// Origins allowed to call the API from a browser (CORS), comma-separated or repeated
    /// [default: none but the same origin].
    #[arg(
        long = "cors-origin",
        env = "ROLESEARCH_CORS_ORIGINS",
        value_delimiter = ',',
        value_name = "ORIGIN"
    )]
    pub cors_origins: Vec<String>,
    /// Longest a search may take before the request answers 503 [default: 2000].
    #[arg(long, env = "ROLESEARCH_SEARCH_TIMEOUT_MS", value_name = "MS")]
    pub search_timeout_ms: Option<u64>,
    /// Searches run at once; more wait their turn (503 after 500 ms)
    /// [default: CPU cores + 1, at least 3].
    #[arg(long, env = "ROLESEARCH_MAX_CONCURRENT_SEARCHES", value_name = "N")]
    pub max_concurrent_searches: Option<usize>,
    /// Recent search answers kept for repeated requests, dropped whenever
    /// the index changes; 0 turns the cache off [default: 512].
    #[arg(long, env = "ROLESEARCH_SEARCH_CACHE", value_name = "N")]
    pub search_cache: Option<usize>,
    /// File holding the shared secret Strapi sends as `Authorization: Bearer <secret>`;
    /// ROLESEARCH_WEBHOOK_SECRET gives the secret itself. Without one, POST /webhooks/strapi
    /// does not exist.
    #[arg(long, env = "ROLESEARCH_WEBHOOK_SECRET_FILE", value_name = "FILE")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Strapi models that are articles (model name or uid), comma-separated [default: article].
    #[arg(
        long = "webhook-model",
        env = "ROLESEARCH_WEBHOOK_MODELS",
        value_delimiter = ',',
        value_name = "MODEL"
    )]
    pub webhook_models: Vec<String>,
    /// Strapi server to pull from on a schedule (with --sync-every).
    #[arg(long, env = "ROLESEARCH_STRAPI_URL", value_name = "URL")]
    pub strapi_url: Option<String>,
    /// Reconcile the index with Strapi this often, e.g. 10m, 1h, 90s (needs --strapi-url).
    #[arg(long, env = "ROLESEARCH_SYNC_EVERY", value_name = "DURATION")]
    pub sync_every: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The Strapi server, e.g. https://cms.example.com (API token: ROLESEARCH_STRAPI_TOKEN).
    #[arg(long, env = "ROLESEARCH_STRAPI_URL", value_name = "URL")]
    pub strapi_url: String,
    /// The article collection's REST name (plural).
    #[arg(long, default_value = "articles", value_name = "NAME")]
    pub collection: String,
    /// Articles per page.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub page_size: u16,
    #[command(flatten)]
    pub location: IndexLocation,
}
