//! The flags of `rolesearch serve`, as typed (`options::serve` resolves
//! them with the environment and the settings file).

use std::path::PathBuf;

use clap::Args;

/// `serve` settings: a flag wins over its environment variable, which wins
/// over the TOML file (`--config`), which wins over the default.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TOML file with any of the settings below (keys: addr, index, content,
    /// url_pattern, synonyms, cors_origins, search_timeout_ms, max_concurrent_searches,
    /// search_cache, search_cache_bytes, max_connections, header_timeout, body_timeout,
    /// write_queue, …: each flag's name with `_`).
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
    /// The most memory the cached answers may take, e.g. 32MiB, 512KiB or
    /// bytes; 0 turns the cache off [default: 32MiB].
    #[arg(long, env = "ROLESEARCH_SEARCH_CACHE_BYTES", value_name = "SIZE")]
    pub search_cache_bytes: Option<String>,
    /// Connections served at once; more are answered cheaply (503
    /// overloaded, /health still answers) and closed [default: 256].
    #[arg(long, env = "ROLESEARCH_MAX_CONNECTIONS", value_name = "N")]
    pub max_connections: Option<usize>,
    /// Longest a client may take to send a request's line and headers, and
    /// longest a kept-alive connection may stay idle, e.g. 10s [default: 10s].
    #[arg(long, env = "ROLESEARCH_HEADER_TIMEOUT", value_name = "DURATION")]
    pub header_timeout: Option<String>,
    /// Longest a client may take to send a request's body (408 after), and
    /// longest an answer may wait for a client that stopped reading it
    /// (closed after) [default: 30s].
    #[arg(long, env = "ROLESEARCH_BODY_TIMEOUT", value_name = "DURATION")]
    pub body_timeout: Option<String>,
    /// Changes (webhooks, scheduled syncs) that may wait for the index
    /// writer; more answer 503 write_queue_full [default: 16].
    #[arg(long, env = "ROLESEARCH_WRITE_QUEUE", value_name = "N")]
    pub write_queue: Option<usize>,
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
    /// Reconcile the index with Strapi this often, e.g. 10m, 1h, 90s (1s to 30 days; needs
    /// --strapi-url).
    #[arg(long, env = "ROLESEARCH_SYNC_EVERY", value_name = "DURATION")]
    pub sync_every: Option<String>,
    /// The largest share of the index a scheduled sync removes; one that
    /// would remove more removes nothing and says so [default: 20%].
    #[arg(long, env = "ROLESEARCH_SYNC_MAX_REMOVAL", value_name = "SHARE")]
    pub sync_max_removal: Option<String>,
    /// The locale of articles that name none [default: en].
    #[arg(long, env = "ROLESEARCH_DEFAULT_LOCALE", value_name = "LOCALE")]
    pub default_locale: Option<String>,
    /// The URL pattern of one locale's articles, over --url-pattern, e.g.
    /// fr=/fr/articles/{slug}; repeat for several.
    #[arg(long = "locale-url-pattern", value_name = "LOCALE=PATTERN")]
    pub locale_url_patterns: Vec<String>,
}
