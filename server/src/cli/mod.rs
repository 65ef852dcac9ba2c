//! Command-line flags, as typed: clap's structs and nothing more. What they
//! mean, checked and combined with the environment and settings files, is
//! `options`' work, done once before any command starts.

mod serve;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use self::serve::ServeArgs;

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
    Serve(Box<ServeArgs>),
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
    /// The locale of articles that name none (a site without Strapi's i18n).
    #[arg(
        long,
        env = "ROLESEARCH_DEFAULT_LOCALE",
        default_value = indexer::DEFAULT_LOCALE,
        value_name = "LOCALE"
    )]
    pub default_locale: String,
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
    /// Exit with status 2 when any file or article was skipped (the index is
    /// still written with everything else), for a CI step that must fail on
    /// broken content.
    #[arg(long)]
    pub strict: bool,
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
    /// Only articles in this category (any case); repeat for any of several.
    #[arg(long = "category", value_name = "NAME")]
    pub categories: Vec<String>,
    /// Only articles in this locale (en, fr-CA; fr takes in fr-CA too); repeat
    /// for any of several. The query is read in their languages [default: all].
    #[arg(long = "locale", value_name = "LOCALE")]
    pub locales: Vec<String>,
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
    /// The query: words and "quoted phrases" (after `--` if it starts with `-`); none
    /// with --role or --category lists their articles.
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
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
    /// Remove what Strapi no longer publishes even when it is more than
    /// --max-removal of the index.
    #[arg(long)]
    pub allow_removals: bool,
    /// The largest share of the index a sync removes without
    /// --allow-removals, e.g. 20% or 0.2 (a sync that would remove more
    /// removes nothing and exits non-zero).
    #[arg(
        long,
        env = "ROLESEARCH_SYNC_MAX_REMOVAL",
        default_value = "20%",
        value_name = "SHARE"
    )]
    pub max_removal: String,
    #[command(flatten)]
    pub location: IndexLocation,
}
