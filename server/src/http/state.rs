//! What every request shares: the live index, the settings, the metrics,
//! and the bound on searches running at once.

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
}

impl State {
    pub fn new(live: Arc<LiveIndex>, options: ServeOptions, sync: Arc<SyncStatus>) -> State {
        State {
            live,
            searches: Arc::new(Semaphore::new(options.max_concurrent_searches)),
            options,
            metrics: Metrics::default(),
            sync,
        }
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
