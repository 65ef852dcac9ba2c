//! Prometheus metrics: requests by route and status, a latency histogram
//! per route, and the index's size and counts (read when scraped).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    latency: Mutex<BTreeMap<&'static str, Histogram>>,
    /// Webhook deliveries by Strapi event and outcome.
    webhooks: Mutex<BTreeMap<(&'static str, &'static str), u64>>,
}

/// The Strapi events counted by name; any other is `other`.
const EVENTS: [&str; 10] = [
    "entry.create",
    "entry.update",
    "entry.delete",
    "entry.publish",
    "entry.unpublish",
    "media.create",
    "media.update",
    "media.delete",
    "trigger-test",
    "unknown",
];

/// What the index looks like, for the gauges.
pub struct IndexGauges {
    pub articles: usize,
    pub documents: u64,
    pub size_bytes: u64,
    pub cache: index::CacheStats,
    pub decoded_bytes: u64,
}

impl Metrics {
    pub fn record(&self, route: &'static str, status: u16, elapsed: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route, status)).or_insert(0) += 1;
        }
        let secs = elapsed.as_secs_f64();
        if let Ok(mut latency) = self.latency.lock() {
            let h = latency.entry(route).or_default();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if secs <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += secs;
        }
    }

    /// Counts a webhook delivery: its event as Strapi named it (in the
    /// body or the `X-Strapi-Event` header; `unknown` when neither could be
    /// read) and what came of it (`applied`, `stale`, `ignored`, `test`,
    /// `refused`, `rejected_401`, `rejected_400`…, `unavailable`).
    pub fn webhook(&self, event: &str, outcome: &'static str) {
        let event = EVENTS
            .iter()
            .copied()
            .find(|e| *e == event)
            .unwrap_or("other");
        if let Ok(mut webhooks) = self.webhooks.lock() {
            *webhooks.entry((event, outcome)).or_insert(0) += 1;
        }
    }

    pub fn render(&self, index: Option<IndexGauges>) -> String {
        let mut out = String::new();
        out.push_str("# HELP rolesearch_requests_total HTTP requests by route and status.\n");
        out.push_str("# TYPE rolesearch_requests_total counter\n");
        if let Ok(requests) = self.requests.lock() {
            for ((route, status), n) in requests.iter() {
                let _ = writeln!(
                    out,
                    "rolesearch_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP rolesearch_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE rolesearch_request_duration_seconds histogram\n");
        if let Ok(latency) = self.latency.lock() {
            for (route, h) in latency.iter() {
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        out,
                        "rolesearch_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "rolesearch_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                    h.count
                );
                let _ = writeln!(
                    out,
                    "rolesearch_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "rolesearch_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count
                );
            }
        }
        out.push_str("# HELP rolesearch_webhook_deliveries_total Strapi webhook deliveries by event and outcome.\n");
        out.push_str("# TYPE rolesearch_webhook_deliveries_total counter\n");
        if let Ok(webhooks) = self.webhooks.lock() {
            for ((event, outcome), n) in webhooks.iter() {
                let _ = writeln!(
                    out,
                    "rolesearch_webhook_deliveries_total{{event=\"{event}\",outcome=\"{outcome}\"}} {n}"
                );
            }
        }
        if let Some(g) = index {
            for (name, help, value) in [
                (
                    "rolesearch_index_articles",
                    "Articles in the index.",
                    g.articles as u64,
                ),
                (
                    "rolesearch_index_documents",
                    "Pieces (documents) in the index.",
                    g.documents,
                ),
                (
                    "rolesearch_index_size_bytes",
                    "Size of the live index generation on disk.",
                    g.size_bytes,
                ),
                (
                    "rolesearch_index_decoded_bytes",
                    "Memory holding the decoded per-piece columns searches read.",
                    g.decoded_bytes,
                ),
                (
                    "rolesearch_search_cache_entries",
                    "Search answers in the cache of recent answers.",
                    g.cache.entries as u64,
                ),
                (
                    "rolesearch_search_cache_bytes",
                    "Bytes the cached answers take (as JSON), at most search_cache_bytes.",
                    g.cache.bytes as u64,
                ),
            ] {
                let _ = writeln!(
                    out,
                    "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
                );
            }
            for (name, help, value) in [
                (
                    "rolesearch_search_cache_hits_total",
                    "Searches answered from the cache (since the index was opened).",
                    g.cache.hits,
                ),
                (
                    "rolesearch_search_cache_misses_total",
                    "Searches the cache could not answer (since the index was opened).",
                    g.cache.misses,
                ),
            ] {
                let _ = writeln!(
                    out,
                    "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
                );
            }
        }
        out
    }
}

/// Bytes of the files under `dir`.
pub fn folder_size(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        if let Ok(entries) = std::fs::read_dir(&d) {
            for e in entries.flatten() {
                match e.metadata() {
                    Ok(m) if m.is_dir() => pending.push(e.path()),
                    Ok(m) => total += m.len(),
                    Err(_) => {}
                }
            }
        }
    }
    total
}
