//! The index a running server searches: opened (or first built) at
//! startup, swapped for a newer one between requests when another process
//! rebuilds or updates it, and written through the one writer when a
//! webhook or a scheduled sync changes it. Requests hold an `Arc` of the
//! index they started with, so a swap never disturbs one in flight.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Result;
use index::{ApplyReport, BuildOptions, Change, OpenOptions, SearchIndex, Store};

use crate::error::{Code, Error};

pub struct LiveIndex {
    dir: PathBuf,
    options: OpenOptions,
    current: RwLock<Arc<SearchIndex>>,
}

impl LiveIndex {
    /// Opens the index at `dir`, building it from `content` first when
    /// there is none yet.
    pub fn open_or_build(
        dir: PathBuf,
        content: &std::path::Path,
        options: OpenOptions,
    ) -> Result<LiveIndex> {
        let index = match SearchIndex::open(&dir, options.clone()) {
            Ok(index) => index,
            Err(index::Error::NotFound(_)) => {
                tracing::info!(content = %content.display(), "no index yet: building one");
                let report = index::build(content, &dir, &BuildOptions::default(), &mut |_, _| {})?;
                for p in &report.problems {
                    tracing::warn!("{p}");
                }
                tracing::info!(
                    articles = report.articles,
                    pieces = report.pieces,
                    seconds = report.elapsed.as_secs_f64(),
                    "index built"
                );
                SearchIndex::open(&dir, options.clone())?
            }
            Err(e) => return Err(e.into()),
        };
        Ok(LiveIndex {
            dir,
            options,
            current: RwLock::new(Arc::new(index)),
        })
    }

    /// The index folder.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
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
        let live = Store::new(&self.dir).current_name();
        let ours = current
            .generation()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        if live.is_some() && live != ours {
            let dir = self.dir.clone();
            let options = self.options.clone();
            if let Ok(Ok(fresh)) =
                tokio::task::spawn_blocking(move || SearchIndex::open(&dir, options)).await
            {
                *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
            }
        } else {
            let _ = tokio::task::spawn_blocking(move || current.reload_if_changed()).await;
        }
    }

    /// Applies changes through the one writer (waiting up to two minutes
    /// for another), then makes them visible to this server's searches
    /// before returning.
    pub async fn apply(&self, changes: Vec<Change>) -> Result<ApplyReport, Error> {
        let dir = self.dir.clone();
        let report = tokio::task::spawn_blocking(move || {
            // A webhook carries one article: one indexing thread and a small
            // buffer open faster and leave less memory behind than a build's.
            let options = BuildOptions {
                lock_wait: Duration::from_secs(120),
                threads: 1,
                memory_budget: 24 << 20,
                ..BuildOptions::default()
            };
            index::apply(&dir, &changes, &options)
        })
        .await
        .map_err(|e| Error::new(Code::Internal, format!("the index writer failed: {e}")))??;
        self.refresh().await;
        Ok(report)
    }
}
