//! The index a running server searches: opened (or first built) at
//! startup, swapped for a newer one between requests when another process
//! rebuilds or updates it, and written through the one writer when a
//! webhook or a scheduled sync changes it. Requests hold an `Arc` of the
//! index they started with, so a swap never disturbs one in flight.
//!
//! The writer is a thread of its own fed by a bounded queue: changes wait
//! there (for a rebuild that holds the write lock, say) without taking a
//! thread searches need, and a change that finds the queue full is refused
//! at once (503 `write_queue_full`) instead of waiting unbounded.

use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::Result;
use index::{ApplyReport, BuildOptions, Change, OpenOptions, SearchIndex, Store};

use crate::error::{Code, Error};

pub struct LiveIndex {
    dir: PathBuf,
    options: OpenOptions,
    current: RwLock<Arc<SearchIndex>>,
    writer: SyncSender<Job>,
    queue: usize,
}

/// Changes for the writer, and where their outcome goes.
struct Job {
    changes: Vec<Change>,
    options: BuildOptions,
    done: tokio::sync::oneshot::Sender<index::Result<ApplyReport>>,
}

impl LiveIndex {
    /// Opens the index at `dir`, building it from `content` first when
    /// there is none yet, and starts its writer, which takes up to `queue`
    /// waiting changes.
    pub fn open_or_build(
        dir: PathBuf,
        content: &std::path::Path,
        options: OpenOptions,
        queue: usize,
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
            writer: start_writer(dir.clone(), queue)?,
            queue,
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

    /// Applies a webhook's changes through the writer (which waits up to
    /// two minutes for another process's writer), then makes them visible
    /// to this server's searches before returning.
    pub async fn apply(&self, changes: Vec<Change>) -> Result<ApplyReport, Error> {
        // A webhook carries one article: one indexing thread and a small
        // buffer open faster and leave less memory behind than a build's.
        let options = BuildOptions {
            lock_wait: Duration::from_secs(120),
            threads: 1,
            memory_budget: 24 << 20,
            ..BuildOptions::default()
        };
        self.apply_with(changes, options).await
    }

    /// Applies `changes` with `options` through the writer, after the
    /// changes queued before them; refused at once when the queue is full.
    pub async fn apply_with(
        &self,
        changes: Vec<Change>,
        options: BuildOptions,
    ) -> Result<ApplyReport, Error> {
        let (done, outcome) = tokio::sync::oneshot::channel();
        let job = Job {
            changes,
            options,
            done,
        };
        match self.writer.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(Error::new(
                    Code::WriteQueueFull,
                    format!(
                        "{} changes already wait for the index writer (a rebuild may hold it); try again",
                        self.queue
                    ),
                ))
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(Error::new(Code::Internal, "the index writer has stopped"))
            }
        }
        let report = outcome
            .await
            .map_err(|_| Error::new(Code::Internal, "the index writer failed (see the log)"))??;
        self.refresh().await;
        Ok(report)
    }
}

/// Starts the writer thread: it applies the queued jobs one at a time, in
/// order, for as long as the server runs.
fn start_writer(dir: PathBuf, queue: usize) -> Result<SyncSender<Job>> {
    let (jobs, queued) = sync_channel::<Job>(queue);
    std::thread::Builder::new()
        .name("index-writer".into())
        .spawn(move || {
            while let Ok(job) = queued.recv() {
                let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    index::apply(&dir, &job.changes, &job.options)
                }));
                match applied {
                    // The webhook may have gone (its client hung up): the
                    // change is applied all the same.
                    Ok(result) => {
                        let _ = job.done.send(result);
                    }
                    // Dropping `done` answers 500; the panic hook logged it.
                    Err(_) => drop(job.done),
                }
            }
        })?;
    Ok(jobs)
}
