//! The OpenSearch engine: the same search on a cluster, for sites that
//! outgrow one machine. The pipeline (understanding, plans, relaxing,
//! hits, snippets) is the one of every engine (`crate::search`); this
//! engine executes plans as OpenSearch queries and keeps the writers'
//! promises with OpenSearch's own means. The embedded tantivy engine stays
//! the default.
//!
//! ```text
//! config      the cluster: node URLs, prefix, credentials, TLS, index shape
//! client      HTTP (ureq), node failover, errors sorted (unavailable → 503)
//! mapping     the pieces index: our terms, whitespace-split; tantivy's BM25
//! documents   an article → its piece documents (ids key#position, routed by key)
//! query       a Plan → query DSL (the one file to extend for a new Match/filter)
//! facets      exact article counts per role, category, locale (scripted_metric)
//! reader      impl Reader: rank with collapse + inner hits, lookups
//! vocabulary  impl Vocabulary: the words in an FST, our own typo automata
//! engine      impl Engine: the snapshot readers share, reloads
//! generations the alias, the generation documents, the state index
//! lease       one writer at a time: a lease document
//! bulk        _bulk with per-item checks and retries of rejected items
//! writer      impl write::Target: full builds behind an alias swap, updates
//! ```
//!
//! Why the design choices (terms, scoring, facets) are what they are is in
//! the notes of `mapping` and `facets`.

pub(crate) mod bulk;
pub(crate) mod client;
pub(crate) mod config;
pub(crate) mod documents;
pub(crate) mod engine;
pub(crate) mod facets;
pub(crate) mod generations;
pub(crate) mod lease;
pub(crate) mod mapping;
pub(crate) mod query;
pub(crate) mod reader;
pub(crate) mod vocabulary;
pub(crate) mod writer;

use std::path::Path;
use std::time::Instant;

pub use config::{Auth, OpenSearchConfig, DEFAULT_PREFIX, ENV_API_KEY, ENV_PASSWORD, ENV_USERNAME};

use crate::error::Result;
use crate::search::index::SearchIndex;
use crate::search::options::OpenOptions;
use crate::write::{ApplyReport, BuildOptions, BuildReport, Change, UpdateReport};
use writer::OpenSearchTarget;

/// A cluster (and index prefix) rolesearch reads and writes: the
/// OpenSearch counterpart of an index folder. Every call connects as it
/// needs to; writes take the cluster's write lease for their duration.
#[derive(Debug, Clone)]
pub struct OpenSearch {
    config: OpenSearchConfig,
}

impl OpenSearch {
    /// Checks the settings (and reads the CA file); does not connect.
    pub fn new(config: OpenSearchConfig) -> Result<OpenSearch> {
        client::Client::new(&config)?;
        Ok(OpenSearch { config })
    }

    pub fn config(&self) -> &OpenSearchConfig {
        &self.config
    }

    /// Opens the live index for searching ([`SearchIndex::open_opensearch`]).
    pub fn open(&self, options: OpenOptions) -> Result<SearchIndex> {
        SearchIndex::open_opensearch(&self.config, options)
    }

    /// [`crate::build`] into the cluster: a new index of every `.json` file
    /// below `content`, made live by an alias swap.
    pub fn build(
        &self,
        content: &Path,
        options: &BuildOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<BuildReport> {
        let started = Instant::now();
        let files = indexer::list_files(content)?;
        let target = OpenSearchTarget::lock(&self.config, options.lock_wait)?.expecting(&files);
        crate::write::build::build_into(&target, content, &files, options, progress, started)
    }

    /// [`crate::build_from_articles`] into the cluster.
    pub fn build_from_articles(
        &self,
        articles: &[indexer::Article],
        options: &BuildOptions,
    ) -> Result<BuildReport> {
        let target = OpenSearchTarget::lock(&self.config, options.lock_wait)?;
        crate::write::build::build_articles_into(&target, articles, options)
    }

    /// [`crate::update`] of the cluster's live index from `content`.
    pub fn update(
        &self,
        content: &Path,
        options: &BuildOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateReport> {
        let started = Instant::now();
        let files = indexer::list_files(content)?;
        let target = OpenSearchTarget::lock(&self.config, options.lock_wait)?.expecting(&files);
        crate::write::update::update_into(&target, content, &files, options, progress, started)
    }

    /// [`crate::apply`] to the cluster's live index: returns once the
    /// changes are searchable.
    pub fn apply(&self, changes: &[Change], options: &BuildOptions) -> Result<ApplyReport> {
        let started = Instant::now();
        crate::write::apply::check_changes(changes)?;
        if changes.is_empty() {
            return Ok(ApplyReport {
                elapsed: started.elapsed(),
                ..ApplyReport::default()
            });
        }
        let target = OpenSearchTarget::lock(&self.config, options.lock_wait)?;
        crate::write::apply::apply_to(&target, changes, options, started)
    }

    /// The write state of the live index (an empty one when there is none).
    fn live_state(&self) -> Result<Option<generations::GenDoc>> {
        let client = client::Client::new(&self.config)?;
        let Some(index) = generations::live_index(&client, &self.config)? else {
            return Ok(None);
        };
        Ok(generations::read(&client, &self.config, &index)?.map(|v| v.doc))
    }

    /// [`crate::strapi_articles`] of the cluster's live index.
    pub fn strapi_articles(&self) -> Result<Vec<(String, String)>> {
        Ok(match self.live_state()? {
            Some(doc) => crate::write::sources::strapi_in(
                &crate::store::state::State::from_stored(&doc.state.to_string(), |_| None),
            ),
            None => Vec::new(),
        })
    }

    /// [`crate::article_count`] of the cluster's live index.
    pub fn article_count(&self) -> Result<usize> {
        Ok(self.live_state()?.map_or(0, |doc| doc.articles as usize))
    }

    /// Deletes everything of this prefix from the cluster: the alias, every
    /// pieces index and the state index (decommissioning, tests).
    pub fn remove_all(&self) -> Result<()> {
        let client = client::Client::new(&self.config)?;
        for pattern in [self.config.pieces_pattern(), self.config.state_index()] {
            let reply = client.delete(&format!("/{pattern}?expand_wildcards=all"))?;
            if reply.status != 404 {
                reply.success()?;
            }
        }
        Ok(())
    }
}
