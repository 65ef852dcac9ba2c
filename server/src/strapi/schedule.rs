//! `serve --sync-every`: reconciles the index with Strapi on a schedule
//! (the first run right away), then refreshes the server's view of it.

use std::sync::Arc;
use std::time::Duration;

use super::pull::Source;
use crate::live::LiveIndex;

pub async fn run(live: Arc<LiveIndex>, source: Source, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let source = source.clone();
        let dir = live.dir().to_path_buf();
        let taxonomy = live.options().taxonomy.clone();
        match tokio::task::spawn_blocking(move || super::sync::sync(&source, &dir, &taxonomy)).await
        {
            Ok(Ok(synced)) => tracing::info!("{synced}"),
            Ok(Err(e)) => tracing::warn!("sync with Strapi failed: {e:#}"),
            Err(e) => tracing::warn!("sync task failed: {e}"),
        }
        live.refresh().await;
    }
}
