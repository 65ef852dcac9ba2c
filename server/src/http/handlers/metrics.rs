//! `GET /metrics`: the Prometheus text, with the index's gauges read now.

use warp::http::StatusCode;

use crate::http::metrics::{folder_size, IndexGauges};
use crate::http::request::Request;
use crate::http::respond::{respond, Reply};
use crate::http::state::State;
use crate::strapi::schedule::{LastSync, OUTCOMES};

pub fn handle(state: &State, request: &Request) -> Reply {
    let index = state.live.current();
    let gauges = index.article_count().ok().map(|articles| IndexGauges {
        articles,
        documents: index.documents(),
        size_bytes: folder_size(index.generation()),
        cache: index.cache_stats(),
        decoded_bytes: index.decoded_bytes() as u64,
    });
    let mut text = state.metrics.render(gauges);
    connection_metrics(state, &mut text);
    if state.options.sync.is_some() {
        sync_metrics(state.sync.last().as_ref(), &mut text);
    }
    respond(
        StatusCode::OK,
        "text/plain; version=0.0.4; charset=utf-8",
        text.into_bytes(),
        request.gzip,
    )
}

/// Connections open under the cap, the cap, and those answered over it.
fn connection_metrics(state: &State, out: &mut String) {
    use std::fmt::Write;
    for (name, kind, help, value) in [
        (
            "rolesearch_connections_open",
            "gauge",
            "Connections open under the cap (max_connections).",
            state.open_connections() as u64,
        ),
        (
            "rolesearch_connections_max",
            "gauge",
            "The cap on connections served at once (max_connections).",
            state.options.max_connections as u64,
        ),
        (
            "rolesearch_connections_over_cap_total",
            "counter",
            "Connections accepted over the cap and answered 503 overloaded (or /health).",
            state.over_cap.load(std::sync::atomic::Ordering::Relaxed),
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
        );
    }
}

/// The scheduled syncs: runs by outcome, and what the last one left out.
fn sync_metrics(last: Option<&LastSync>, out: &mut String) {
    use std::fmt::Write;
    let runs = last.map_or([0; 3], |l| l.runs);
    out.push_str("# HELP rolesearch_sync_runs_total Scheduled syncs with Strapi by outcome.\n");
    out.push_str("# TYPE rolesearch_sync_runs_total counter\n");
    for (outcome, n) in OUTCOMES.iter().zip(runs) {
        let _ = writeln!(
            out,
            "rolesearch_sync_runs_total{{outcome=\"{outcome}\"}} {n}"
        );
    }
    let synced = last.and_then(|l| l.synced.as_ref());
    for (name, help, value) in [
        (
            "rolesearch_sync_last_skipped",
            "Articles the last scheduled sync skipped.",
            synced.map_or(0, |s| s.skipped().count()),
        ),
        (
            "rolesearch_sync_last_held_back",
            "Removals the last scheduled sync held back (over sync_max_removal).",
            synced.map_or(0, |s| s.held_back.len()),
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
        );
    }
}
