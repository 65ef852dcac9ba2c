//! What every request shares: the live index, the settings, the metrics,
//! and the bounds on searches running at once and connections open.

use std::sync::Arc;
use std::time::Duration;

use index::SearchIndex;
use tokio::sync::Semaphore;

use super::metrics::Metrics;
use crate::error::{Code, Error};
use crate::live::LiveIndex;
use crate::options::serve::ServeOptions;
use crate::strapi::schedule::SyncStatus;

/// Longest a search waits for a free slot before the answer is 503
/// `overloaded`.
const QUEUE_WAIT: Duration = Duration::from_millis(500);

pub struct State {
    pub live: Arc<LiveIndex>,
    pub options: ServeOptions,
    pub metrics: Metrics,
    /// The last scheduled sync with Strapi, if any ran.
    pub sync: Arc<SyncStatus>,
    searches: Arc<Semaphore>,
    /// One permit per connection served under the cap.
    pub connections: Arc<Semaphore>,
    /// Connections answered over the cap, since the start.
    pub over_cap: std::sync::atomic::AtomicU64,
}

impl State {
    pub fn new(live: Arc<LiveIndex>, options: ServeOptions, sync: Arc<SyncStatus>) -> State {
        State {
            live,
            searches: Arc::new(Semaphore::new(options.max_concurrent_searches)),
            connections: Arc::new(Semaphore::new(options.max_connections)),
            over_cap: std::sync::atomic::AtomicU64::new(0),
            options,
            metrics: Metrics::default(),
            sync,
        }
    }

    /// Connections open under the cap now.
    pub fn open_connections(&self) -> usize {
        self.options
            .max_connections
            .saturating_sub(self.connections.available_permits())
    }

    /// Runs index work on the blocking pool, under the concurrency bound
    /// (first come, first served) and the search deadline.
    pub async fn search<T: Send + 'static>(
        &self,
        work: impl FnOnce(&SearchIndex) -> index::Result<T> + Send + 'static,
    ) -> Result<T, Error> {
        let index = self.live.current();
        let overloaded = || Error::new(Code::Overloaded, "too many searches at once; try again");
        let permit = tokio::time::timeout(QUEUE_WAIT, self.searches.clone().acquire_owned())
            .await
            .map_err(|_| overloaded())?
            .map_err(|_| overloaded())?;
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&index)
        });
        match tokio::time::timeout(self.options.search_timeout, task).await {
            Err(_) => Err(Error::new(
                Code::SearchTimeout,
                "the search took too long; try again",
            )),
            Ok(Err(join)) => Err(Error::new(
                Code::Internal,
                format!("search task failed: {join}"),
            )),
            Ok(Ok(result)) => Ok(result?),
        }
    }
}
