//! `GET /metrics`: the Prometheus text, with the index's gauges read now.

use warp::http::StatusCode;

use crate::http::metrics::{folder_size, IndexGauges};
use crate::http::request::Request;
use crate::http::respond::{respond, Reply};
use crate::http::state::State;

pub fn handle(state: &State, request: &Request) -> Reply {
    let index = state.live.current();
    let gauges = index.article_count().ok().map(|articles| IndexGauges {
        articles,
        documents: index.documents(),
        size_bytes: folder_size(index.generation()),
        cache: index.cache_stats(),
        decoded_bytes: index.decoded_bytes() as u64,
    });
    respond(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        state.metrics.render(gauges).into_bytes(),
        request.gzip,
    )
}
