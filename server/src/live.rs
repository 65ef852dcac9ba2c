//! The index a running server searches: opened (or first built) at
//! startup, swapped for a newer one between requests when another process
//! rebuilds or updates it, and written through the one writer when a
//! webhook or a scheduled sync changes it. Requests hold an `Arc` of the
//! index they started with, so a swap never disturbs one in flight.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Result;
use index::{ApplyReport, BuildOptions, Change, Location, OpenOptions, SearchIndex};

use crate::error::{Code, Error};

pub struct LiveIndex {
    /// The index folder, or the OpenSearch cluster.
    location: Location,
    options: OpenOptions,
    current: RwLock<Arc<SearchIndex>>,
}

impl LiveIndex {
    /// Opens the index at `location`, building it from `content` first
    /// when there is none yet.
    pub fn open_or_build(
        location: Location,
        content: &std::path::Path,
        options: OpenOptions,
    ) -> Result<LiveIndex> {
        let index = match location.open(options.clone()) {
            Ok(index) => index,
            Err(index::Error::NotFound(_)) => {
                tracing::info!(content = %content.display(), "no index yet: building one");
                let report = location.build(content, &BuildOptions::default(), &mut |_, _| {})?;
                for p in &report.problems {
                    tracing::warn!("{p}");
                }
                tracing::info!(
                    articles = report.articles,
                    pieces = report.pieces,
                    seconds = report.elapsed.as_secs_f64(),
                    "index built"
                );
                location.open(options.clone())?
            }
            Err(e) => return Err(e.into()),
        };
        Ok(LiveIndex {
            location,
            options,
            current: RwLock::new(Arc::new(index)),
        })
    }

    /// The index folder, or the OpenSearch cluster.
    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// The index to answer a request with.
    pub fn current(&self) -> Arc<SearchIndex> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Swaps in an index changed by another process, every 200 ms: a new
    /// generation is opened beside the old one and replaces it between
    /// requests; a new commit in the live generation is picked up by a
    /// reload.
    pub async fn watch(self: Arc<Self>) {
        let mut ticker = tokio::time::interval(Duration::from_millis(200));
        loop {
            ticker.tick().await;
            self.refresh().await;
        }
    }

    /// Brings the index up to date now (rather than at the watcher's next
    /// tick).
    pub async fn refresh(&self) {
        let current = self.current();
        let location = self.location.clone();
        let options = self.options.clone();
        let fresh = tokio::task::spawn_blocking(move || location.refresh(&current, &options)).await;
        if let Ok(Ok(Some(fresh))) = fresh {
            *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
        }
    }

    /// Applies changes through the one writer (waiting up to two minutes
    /// for another), then makes them visible to this server's searches
    /// before returning.
    pub async fn apply(&self, changes: Vec<Change>) -> Result<ApplyReport, Error> {
        let location = self.location.clone();
        let report = tokio::task::spawn_blocking(move || {
            // A webhook carries one article: one indexing thread and a small
            // buffer open faster and leave less memory behind than a build's.
            let options = BuildOptions {
                lock_wait: Duration::from_secs(120),
                threads: 1,
                memory_budget: 24 << 20,
                ..BuildOptions::default()
            };
            location.apply(&changes, &options)
        })
        .await
        .map_err(|e| Error::new(Code::Internal, format!("the index writer failed: {e}")))??;
        self.refresh().await;
        Ok(report)
    }
}
