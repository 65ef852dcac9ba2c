//! Side by side on one corpus: a full build into the embedded index and
//! into OpenSearch, search latency per query of the benchmark mix on both
//! (in process, one at a time), and publish → searchable on OpenSearch.
//!
//! ```text
//! cargo run --release -p rolesearch-index --example opensearch_bench -- \
//!     --content bench-out/corpus-10x/content --url http://127.0.0.1:9200 [--runs 3] [--publishes 50]
//! ```

#[path = "../benches/support/queries.rs"]
#[allow(dead_code)]
mod queries;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use index::{BuildOptions, Change, OpenOptions, OpenSearch, OpenSearchConfig, SearchIndex};

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn latencies(name: &str, index: &SearchIndex, runs: usize) {
    let mix = queries::mix();
    // Warm up once.
    for q in &mix {
        let _ = index.search(&q.request);
    }
    let mut all = Vec::new();
    let started = Instant::now();
    for _ in 0..runs {
        for q in &mix {
            let t = Instant::now();
            index.search(&q.request).expect("the search works");
            all.push(t.elapsed());
        }
    }
    let wall = started.elapsed();
    all.sort();
    println!(
        "{name}: {} searches, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, {:.0} searches/s (one at a time)",
        all.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.9),
        percentile(&all, 0.99),
        percentile(&all, 1.0),
        all.len() as f64 / wall.as_secs_f64()
    );
}

fn main() {
    let mut content = PathBuf::from("bench-out/corpus-10x/content");
    let mut url = "http://127.0.0.1:9200".to_string();
    let mut runs = 3;
    let mut publishes = 50;
    let mut skip_builds = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--content" => content = args.next().expect("a folder").into(),
            "--url" => url = args.next().expect("a URL"),
            "--runs" => runs = args.next().expect("a number").parse().expect("a number"),
            "--publishes" => publishes = args.next().expect("a number").parse().expect("a number"),
            "--no-builds" => skip_builds = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let os = OpenSearch::new(OpenSearchConfig {
        prefix: "bench".into(),
        ..OpenSearchConfig::new(vec![url])
    })
    .expect("valid settings");
    let dir = std::env::temp_dir().join("rolesearch-opensearch-bench-index");
    let options = BuildOptions::default();
    if !skip_builds {
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let e = index::build(&content, &dir, &options, &mut |_, _| {}).expect("embedded build");
        println!(
            "embedded build: {} articles, {} pieces in {:.1} s",
            e.articles,
            e.pieces,
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        let o = os
            .build(&content, &options, &mut |_, _| {})
            .expect("OpenSearch build");
        println!(
            "OpenSearch build: {} articles, {} pieces in {:.1} s",
            o.articles,
            o.pieces,
            t.elapsed().as_secs_f64()
        );
    }
    let embedded = SearchIndex::open(&dir, OpenOptions::default()).expect("embedded opens");
    let t = Instant::now();
    let remote = os.open(OpenOptions::default()).expect("OpenSearch opens");
    println!(
        "OpenSearch open (vocabulary load): {:.2} s, {} KiB of vocabulary",
        t.elapsed().as_secs_f64(),
        remote.decoded_bytes() / 1024
    );
    latencies("embedded", &embedded, runs);
    latencies("OpenSearch", &remote, runs);

    // Publish → searchable: one webhook upsert of a new article, then the
    // time until a search finds it (apply returns once it is searchable).
    let mut times = Vec::new();
    let mut applies = Vec::new();
    for i in 0..publishes {
        let word = format!("quagga{i}x");
        let entry = serde_json::json!({
            "id": 9000 + i,
            "documentId": format!("bench{i:019}"),
            "title": format!("Bench article {i}"),
            "slug": format!("bench-article-{i}"),
            "publishedAt": "2026-01-01T00:00:00.000Z",
            "blocks": [{"__component": "shared.rich-text", "body": format!("A paragraph about {word}.")}],
        });
        let (article, _) = indexer::parse_entry("webhook", &entry, &indexer::Taxonomy::builtin())
            .expect("a valid entry");
        let t = Instant::now();
        os.apply(
            &[Change::Upsert {
                article,
                version: format!("2026-05-01T10:00:{:02}.{i:03}Z", i % 60),
            }],
            &BuildOptions::default(),
        )
        .expect("apply");
        applies.push(t.elapsed());
        remote.reload_if_changed().expect("reload");
        loop {
            let r = remote
                .search(&index::SearchRequest::new(word.clone()))
                .expect("search");
            if !r.hits.is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        times.push(t.elapsed());
    }
    times.sort();
    applies.sort();
    if !times.is_empty() {
        println!(
            "publish → searchable on OpenSearch ({} publishes): apply p50 {:.0} ms p99 {:.0} ms; searchable (with the reload) p50 {:.0} ms p99 {:.0} ms",
            times.len(),
            percentile(&applies, 0.5),
            percentile(&applies, 0.99),
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
}
