//! An opened index, ready for concurrent searches: the one search call
//! behind the CLI and the HTTP server, over whichever engine holds the
//! pieces. It owns what every engine shares: the taxonomy and synonyms a
//! query is understood with, a pool of analyzers, the cache of recent
//! answers and the article URL pattern.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use indexer::Taxonomy;

use super::cache::{CacheStats, ResponseCache};
use super::engine::{Engine, IndexStats, Reader};
use super::options::OpenOptions;
use super::request::SearchRequest;
use super::response::SearchResponse;
use crate::analysis::analyzer::Analyzers;
use crate::error::{Error, Result};

/// An opened index.
pub struct SearchIndex {
    engine: Box<dyn Engine>,
    /// The folder of the generation opened.
    generation: PathBuf,
    pub(crate) options: OpenOptions,
    /// Analyzers (text, words) need `&mut`: a small pool.
    analyzers: Mutex<Vec<Analyzers>>,
    responses: ResponseCache,
}

impl SearchIndex {
    pub(crate) fn with_engine(
        engine: Box<dyn Engine>,
        generation: PathBuf,
        options: OpenOptions,
    ) -> SearchIndex {
        SearchIndex {
            engine,
            generation,
            analyzers: Mutex::new(Vec::new()),
            responses: ResponseCache::new(options.cached_responses, options.cached_bytes),
            options,
        }
    }

    pub fn generation(&self) -> &Path {
        &self.generation
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.options.taxonomy
    }

    pub(crate) fn reader(&self) -> Box<dyn Reader + '_> {
        self.engine.reader()
    }

    /// Re-reads the live generation's latest commit.
    pub fn reload(&self) -> Result<()> {
        self.engine.reload()
    }

    /// Re-reads the latest commit only if it changed since the last look
    /// (or the opening): a poller can call this often without reloading
    /// every time, and a reload starts a new reader generation, which the
    /// answer cache does not serve across.
    pub fn reload_if_changed(&self) -> Result<()> {
        self.engine.reload_if_changed()
    }

    pub fn stats(&self) -> Result<IndexStats> {
        self.engine.stats()
    }

    /// Pieces in the index (for metrics).
    pub fn documents(&self) -> u64 {
        self.engine.documents()
    }

    /// Bytes of per-segment data kept decoded (for metrics).
    pub fn decoded_bytes(&self) -> usize {
        self.engine.decoded_bytes()
    }

    /// Entries, capacity, hits and misses of the cache of recent answers.
    pub fn cache_stats(&self) -> CacheStats {
        self.responses.stats()
    }

    pub(crate) fn analyzers(&self) -> Analyzers {
        self.analyzers
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default()
    }

    pub(crate) fn give_back(&self, analyzers: Analyzers) {
        if let Ok(mut pool) = self.analyzers.lock() {
            if pool.len() < 64 {
                pool.push(analyzers);
            }
        }
    }

    /// Resolves role names ("PO", "Product Owner", "product-owner") to ids.
    pub fn resolve_roles(&self, roles: &[String]) -> Result<Vec<String>> {
        roles
            .iter()
            .map(|r| {
                self.options
                    .taxonomy
                    .resolve(r)
                    .map(str::to_string)
                    .ok_or_else(|| Error::UnknownRole(r.clone()))
            })
            .collect()
    }

    pub fn article_url(&self, slug: &str, locale: Option<&str>) -> String {
        self.options.article_url(slug, locale)
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let roles = self.resolve_roles(&request.roles)?;
        let reader = self.engine.reader();
        let elapsed = || (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
        let cache = self
            .responses
            .enabled()
            .then(|| (ResponseCache::key(request, &roles), reader.generation()));
        if let Some((key, generation)) = &cache {
            if let Some(cached) = self.responses.get(key, *generation) {
                let mut response = SearchResponse::clone(&cached);
                response.processing_time_ms = elapsed();
                return Ok(response);
            }
        }
        let mut a = self.analyzers();
        let result = super::run::run(&self.options, &*reader, request, &roles, &mut a);
        self.give_back(a);
        let mut response = result?;
        response.processing_time_ms = elapsed();
        if let Some((key, generation)) = cache {
            self.responses
                .put(key, generation, Arc::new(response.clone()));
        }
        Ok(response)
    }
}
