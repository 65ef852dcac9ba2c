//! The `rolesearch` binary on the OpenSearch engine, against a real node
//! (`opensearch/node.rs`: `OPENSEARCH_URL`, or one started for this test
//! binary): `index` (incremental and full), `query`, `eval`, `serve` with
//! the same JSON as on an index folder, Strapi's webhooks, the settings
//! file, and the errors of a cluster that cannot be reached. Without Java
//! a test that needs a node prints a `SKIPPED` line and passes; the ones
//! about settings and an unreachable cluster need none.

use std::ffi::OsString;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

use crate::http::Server;
use crate::opensearch_node::node_or_skip;
use crate::util::{bundled_index, content, rolesearch, text};

/// One test's index prefix in the node, removed when dropped.
struct Prefix {
    url: String,
    name: String,
}

impl Prefix {
    fn new(url: &str, test: &str) -> Prefix {
        static N: AtomicUsize = AtomicUsize::new(0);
        let prefix = Prefix {
            url: url.to_string(),
            name: format!(
                "e2e{}-{}-{test}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ),
        };
        prefix.remove();
        prefix
    }

    /// The flags that put a command on this prefix.
    fn args(&self) -> Vec<OsString> {
        ["--engine", "opensearch", "--opensearch-url", &self.url]
            .into_iter()
            .chain(["--opensearch-prefix", self.name.as_str()])
            .map(OsString::from)
            .collect()
    }

    /// `rolesearch COMMAND --engine opensearch … ARGS`.
    fn run(&self, command: &str, args: &[&str]) -> Output {
        rolesearch()
            .arg(command)
            .args(self.args())
            .args(args)
            .output()
            .expect("rolesearch runs")
    }

    fn remove(&self) {
        let config = index::OpenSearchConfig {
            prefix: self.name.clone(),
            ..index::OpenSearchConfig::new(vec![self.url.clone()])
        };
        if let Ok(os) = index::OpenSearch::new(config) {
            let _ = os.remove_all();
        }
    }
}

impl Drop for Prefix {
    fn drop(&mut self) {
        self.remove();
    }
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed with {:?}: {}{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(&out.stdout)))
}

/// What a response shows a reader: its articles and their sections, by
/// locale and slug. Runs of equal scores are sorted: where scores tie,
/// both engines' orders are right.
fn shown(response: &Value) -> Vec<String> {
    let hits: Vec<(f64, String)> = response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            let sections: Vec<(f64, String)> = h["sections"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["score"].as_f64().unwrap(),
                        format!("#{} {}", s["anchor"], s["snippet"]),
                    )
                })
                .collect();
            (
                h["score"].as_f64().unwrap(),
                format!(
                    "{}:{} {}",
                    h["locale"].as_str().unwrap_or(""),
                    h["slug"],
                    tied_sorted(sections).join(" | ")
                ),
            )
        })
        .collect();
    tied_sorted(hits)
}

fn tied_sorted(mut items: Vec<(f64, String)>) -> Vec<String> {
    // Within 1%: the engines' BM25 statistics per language differ
    // in their smoothing (see `index/src/opensearch/mapping.rs`), and
    // pieces that close are in either order on either engine.
    let tie = |a: f64, b: f64| (a - b).abs() <= 1e-2 * a.abs().max(1.0);
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while end < items.len() && tie(items[start].0, items[end].0) {
            end += 1;
        }
        items[start..end].sort_by(|a, b| a.1.cmp(&b.1));
        start = end;
    }
    items.into_iter().map(|(_, s)| s).collect()
}

/// A response without what depends on the moment (the time it took).
fn timeless(mut response: Value) -> Value {
    if let Some(o) = response.as_object_mut() {
        o.remove("processingTimeMs");
    }
    response
}

const QUERIES: &[&[&str]] = &[
    &["who writes acceptance criteria"],
    &["PO vs BA"],
    &["acceptance critera"],
    &["--role", "product-owner", "backlog"],
    &["--category", "Roles", "product"],
    &["--locale", "fr", "product owner"],
    &["--limit", "3", "--sections", "5", "manager"],
];

#[test]
fn index_and_query_on_opensearch_answer_as_on_an_index_folder() {
    let url = node_or_skip!("index_and_query_on_opensearch_answer_as_on_an_index_folder");
    let prefix = Prefix::new(url, "cli");
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("content");
    crate::util::copy_dir(&content(), &site);
    let site_arg = site.to_str().unwrap();

    // The first `index` of an empty cluster builds it.
    let out = prefix.run("index", &["--content", site_arg]);
    ok(&out, "index");
    let said = text(&out.stderr);
    assert!(said.contains("OpenSearch at"), "{said}");
    assert!(said.contains(&prefix.name), "{said}");

    for q in QUERIES {
        let folder = crate::util::query(bundled_index(), q);
        ok(&folder, "query on the folder");
        let mut args = vec!["--json"];
        args.extend_from_slice(q);
        let cluster = prefix.run("query", &args);
        ok(&cluster, "query on OpenSearch");
        let (a, b) = (json(&folder), json(&cluster));
        assert_eq!(shown(&a), shown(&b), "{q:?}");
        assert_eq!(a["facetDistribution"], b["facetDistribution"], "{q:?}");
        assert_eq!(a["understood"], b["understood"], "{q:?}");
        assert_eq!(a["estimatedTotalHits"], b["estimatedTotalHits"], "{q:?}");
    }

    // An incremental run re-reads only the file that changed.
    crate::util::write_article(
        &site.join("zz-new.json"),
        "Quokka wrangling for product owners",
        "quokka-wrangling",
        "Every product owner should know how a quokka is wrangled.",
    );
    let out = prefix.run("index", &["--content", site_arg]);
    ok(&out, "the incremental index");
    assert!(
        text(&out.stderr).contains("1 added/changed/removed"),
        "{}",
        text(&out.stderr)
    );
    let found = json(&prefix.run("query", &["--json", "quokka"]));
    assert_eq!(crate::util::slugs(&found), ["quokka-wrangling"]);

    // A full build swaps in a new index with the same answers.
    std::fs::remove_file(site.join("zz-new.json")).unwrap();
    ok(
        &prefix.run("index", &["--full", "--content", site_arg]),
        "index --full",
    );
    let gone = json(&prefix.run("query", &["--json", "quokka"]));
    assert!(crate::util::slugs(&gone).is_empty(), "{gone}");
}

#[test]
fn eval_scores_the_judged_set_alike_on_both_engines() {
    let url = node_or_skip!("eval_scores_the_judged_set_alike_on_both_engines");
    let prefix = Prefix::new(url, "eval");
    let content = content();
    ok(
        &prefix.run("index", &["--full", "--content", content.to_str().unwrap()]),
        "index",
    );
    let set = crate::util::repo().join("tests/judged/queries.json");
    let set = set.to_str().unwrap();
    let folder = rolesearch()
        .args(["eval", "--json", "--index"])
        .arg(bundled_index())
        .arg(set)
        .output()
        .unwrap();
    ok(&folder, "eval on the folder");
    let cluster = prefix.run("eval", &["--json", set]);
    ok(&cluster, "eval on OpenSearch");
    let (a, b) = (json(&folder), json(&cluster));
    let metric = |r: &Value, m: &str| r["overall"][m].as_f64().unwrap_or(f64::NAN);
    for (m, target) in [("ndcgAt5", 0.03), ("successAt3", 0.02)] {
        let (x, y) = (metric(&a, m), metric(&b, m));
        assert!(
            (x - y).abs() <= target,
            "{m}: {x} on the folder, {y} on OpenSearch (target: within {target})"
        );
    }
}

#[test]
fn serve_on_opensearch_answers_the_same_json_and_applies_strapis_webhooks() {
    let url =
        node_or_skip!("serve_on_opensearch_answers_the_same_json_and_applies_strapis_webhooks");
    let prefix = Prefix::new(url, "serve");
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, crate::strapi::SECRET).unwrap();
    // No index yet: serve builds it from the content first, as on a folder.
    let mut args = prefix.args();
    args.extend(
        ["--content", content().to_str().unwrap()]
            .into_iter()
            .chain(["--webhook-secret-file", secret.to_str().unwrap()])
            .map(OsString::from),
    );
    let server = Server::launch(&args, &[], Stdio::null());
    let folder = Server::start(bundled_index(), &[]);
    for target in [
        "/search?q=who+writes+acceptance+criteria&limit=3",
        "/search?q=backlog&role=po",
        "/search?role=product-manager&limit=100",
        "/suggest?q=acc",
        "/roles",
        "/articles/product-owner-vs-business-analyst",
    ] {
        let (a, b) = (folder.get(target), server.get(target));
        assert_eq!((a.status, b.status), (200, 200), "{target}");
        if target.starts_with("/search") {
            let (a, b) = (a.json(), b.json());
            assert_eq!(shown(&a), shown(&b), "{target}");
            assert_eq!(a["facetDistribution"], b["facetDistribution"], "{target}");
        } else if target.starts_with("/suggest") {
            // Suggestions of equal weight come in either order.
            let sorted = |r: Value| {
                let mut s: Vec<String> = r["suggestions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                s.sort();
                s
            };
            assert_eq!(sorted(a.json()), sorted(b.json()), "{target}");
        } else {
            assert_eq!(timeless(a.json()), timeless(b.json()), "{target}");
        }
    }
    let error = server.get("/search?q=x&role=astronaut");
    assert_eq!((error.status, error.code().as_str()), (400, "unknown_role"));
    // Strapi's recorded lifecycle, each change searchable when answered.
    crate::strapi::lifecycle(&server);
    let health = server.get("/health");
    assert_eq!(health.status, 200, "{}", text(&health.body));
}

#[test]
fn the_settings_file_chooses_the_engine_for_every_command() {
    let url = node_or_skip!("the_settings_file_chooses_the_engine_for_every_command");
    let prefix = Prefix::new(url, "settings");
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("rolesearch.toml");
    std::fs::write(
        &settings,
        format!(
            "engine = \"opensearch\"\nopensearch_url = [\"{url}\"]\nopensearch_prefix = \"{}\"\n",
            prefix.name
        ),
    )
    .unwrap();
    let with_settings = |args: &[&str]| {
        // Flags before the query's words, which take whatever follows.
        let mut cmd = rolesearch();
        cmd.arg(args[0])
            .arg("--config")
            .arg(&settings)
            .args(&args[1..]);
        cmd.output().unwrap()
    };
    let content = content();
    ok(
        &with_settings(&["index", "--content", content.to_str().unwrap()]),
        "index --config",
    );
    let found = json(&with_settings(&["query", "--json", "acceptance criteria"]));
    assert!(!crate::util::slugs(&found).is_empty(), "{found}");
    // The folder a tantivy engine would use was never made.
    assert!(!dir.path().join(".rolesearch-index").exists());
}

fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_cluster_that_cannot_be_reached_is_one_line_and_exit_status_1() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    for command in [&["query", "backlog"][..], &["index"][..]] {
        let out = rolesearch()
            .arg(command[0])
            .args(["--engine", "opensearch", "--opensearch-url", &url])
            .args(&command[1..])
            .current_dir(crate::util::repo())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{command:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(&url) && err.contains("unavailable"), "{err}");
    }
}

#[test]
fn engine_settings_are_checked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (&["--engine", "opensearch"], "opensearch_url"),
        (
            &["--opensearch-url", "http://127.0.0.1:9200"],
            "engine is tantivy",
        ),
        (
            &[
                "--engine",
                "opensearch",
                "--opensearch-url",
                "127.0.0.1:9200",
            ],
            "is not a node URL",
        ),
        (
            &[
                "--engine",
                "opensearch",
                "--opensearch-url",
                "http://127.0.0.1:9200",
                "--opensearch-prefix",
                "Bad Prefix",
            ],
            "index prefix",
        ),
        (
            &[
                "--engine",
                "opensearch",
                "--opensearch-url",
                "https://127.0.0.1:9200",
                "--opensearch-ca-file",
                "/no/such/ca.pem",
            ],
            "/no/such/ca.pem",
        ),
        (&["--engine", "elastic"], "elastic"),
    ];
    for (args, says) in cases {
        let out = rolesearch()
            .arg("query")
            .args(*args)
            .arg("backlog")
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // Half a pair of credentials is refused by name.
    let out = rolesearch()
        .args(["query", "--engine", "opensearch"])
        .args(["--opensearch-url", "http://127.0.0.1:9200", "backlog"])
        .env("ROLESEARCH_OPENSEARCH_USERNAME", "admin")
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("ROLESEARCH_OPENSEARCH_PASSWORD"), "{err}");
}
