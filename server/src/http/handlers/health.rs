//! `GET /health`: whether the server is ready, and what index it serves.

use crate::error::{Code, Error};
use crate::http::respond::{json, Reply};
use crate::http::state::State;

pub async fn handle(state: &State) -> Result<Reply, Error> {
    let index = state.live.current();
    // Not under the search bound: a health probe must answer while every
    // search slot is busy.
    let stats = tokio::task::spawn_blocking(move || index.stats())
        .await
        .map_err(|e| Error::new(Code::Internal, format!("the health check failed: {e}")))??;
    let body = serde_json::json!({
        "status": "ready",
        "formatVersion": stats.format_version,
        "generation": stats.generation,
        "articles": stats.articles,
        "pieces": stats.pieces,
        "updatedAt": stats.updated_at,
        "createdAt": stats.created_at,
    });
    Ok(json(&body, false))
}
