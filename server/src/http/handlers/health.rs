//! `GET /health`: whether the server is ready, and what index it serves.

use crate::error::{Code, Error};
use crate::http::respond::{json, Reply};
use crate::http::state::State;
use crate::strapi::schedule::LastSync;

pub async fn handle(state: &State) -> Result<Reply, Error> {
    let index = state.live.current();
    // Not under the search bound: a health probe must answer while every
    // search slot is busy.
    let stats = tokio::task::spawn_blocking(move || index.stats())
        .await
        .map_err(|e| Error::new(Code::Internal, format!("the health check failed: {e}")))??;
    let mut body = serde_json::json!({
        "status": "ready",
        "formatVersion": stats.format_version,
        "generation": stats.generation,
        "articles": stats.articles,
        "pieces": stats.pieces,
        "updatedAt": stats.updated_at,
        "createdAt": stats.created_at,
    });
    if let Some(schedule) = &state.options.sync {
        body["sync"] = serde_json::json!({
            "everySeconds": schedule.every.as_secs(),
            "last": state.sync.last().map(|last| sync_json(&last)),
        });
    }
    Ok(json(&body, false))
}

/// The last scheduled sync, as `/health` reports it.
fn sync_json(last: &LastSync) -> serde_json::Value {
    let synced = last.synced.as_ref();
    serde_json::json!({
        "at": last.at,
        "outcome": last.outcome,
        "published": synced.map(|s| s.published),
        "locales": synced.map(|s| s.locales.clone()),
        "addedOrUpdated": synced.map(|s| s.upserted),
        "removed": synced.map(|s| s.deleted),
        "skipped": synced.map(|s| s.skipped().count()),
        "heldBack": synced.map(|s| s.held_back.clone()),
        "error": last.error,
    })
}
