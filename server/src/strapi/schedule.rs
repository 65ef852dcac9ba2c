//! `serve --sync-every`: reconciles the index with Strapi on a schedule
//! (the first run right away), writing through the server's one writer,
//! then refreshes the server's view of it. The
//! same guard holds as for `rolesearch sync`; an incomplete or failed run is
//! logged at WARN, and the last outcome is kept for `/health` and
//! `/metrics`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::pull::Source;
use super::sync::{plan, Guard, Plan, Synced};
use crate::live::LiveIndex;

/// The outcome of the last scheduled sync.
#[derive(Debug, Clone)]
pub struct LastSync {
    /// When it ended (RFC 3339).
    pub at: String,
    /// `complete`, `incomplete` (articles skipped, or removals held back)
    /// or `failed` (Strapi or the index could not be read).
    pub outcome: &'static str,
    pub synced: Option<Synced>,
    pub error: Option<String>,
    /// Runs so far, by outcome.
    pub runs: [u64; 3],
}

/// Shared between the scheduler and the routes that report it.
#[derive(Debug, Default)]
pub struct SyncStatus(Mutex<Option<LastSync>>);

impl SyncStatus {
    pub fn last(&self) -> Option<LastSync> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn record(&self, outcome: &'static str, synced: Option<Synced>, error: Option<String>) {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut runs = last.as_ref().map_or([0; 3], |l| l.runs);
        runs[OUTCOMES.iter().position(|o| *o == outcome).unwrap_or(2)] += 1;
        *last = Some(LastSync {
            at: index::now_rfc3339(),
            outcome,
            synced,
            error,
            runs,
        });
    }
}

/// The outcomes, in the order of `LastSync::runs`.
pub const OUTCOMES: [&str; 3] = ["complete", "incomplete", "failed"];

pub async fn run(
    live: Arc<LiveIndex>,
    source: Source,
    every: Duration,
    guard: Guard,
    status: Arc<SyncStatus>,
) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        match sync_once(&live, &source, guard).await {
            Ok(synced) => match synced.check() {
                Ok(()) => {
                    tracing::info!("{synced}");
                    status.record("complete", Some(synced), None);
                }
                Err(e) => {
                    for p in synced.skipped() {
                        tracing::warn!("sync skipped {p}");
                    }
                    for key in &synced.held_back {
                        tracing::warn!(key = %key, "sync held back the removal of an article Strapi no longer publishes");
                    }
                    tracing::warn!("{synced}: {e}");
                    status.record("incomplete", Some(synced), Some(e.to_string()));
                }
            },
            Err(e) => {
                tracing::warn!("sync with Strapi failed: {e:#}");
                status.record("failed", None, Some(format!("{e:#}")));
            }
        }
        live.refresh().await;
    }
}

/// One sync: Strapi is read off the async threads, and the changes are
/// applied through the server's one writer, queued with the webhooks'.
async fn sync_once(live: &LiveIndex, source: &Source, guard: Guard) -> anyhow::Result<Synced> {
    let source = source.clone();
    let dir = live.dir().to_path_buf();
    let taxonomy = live.options().taxonomy.clone();
    let options = Plan::build_options(&taxonomy);
    let mut plan = tokio::task::spawn_blocking(move || plan(&source, &dir, &taxonomy, guard))
        .await
        .map_err(|e| anyhow::anyhow!("the sync task failed: {e}"))??;
    let changes = std::mem::take(&mut plan.changes);
    let report = live.apply_with(changes, options).await?;
    Ok(plan.finish(report))
}
