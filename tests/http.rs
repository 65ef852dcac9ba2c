//! The HTTP API of `rolesearch serve`, over real TCP on 127.0.0.1: every
//! route, every error in the error table, limits, gzip, CORS, and a hot
//! swap of the index under load.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::util::{bundled_index, content, rolesearch};

/// A running `rolesearch serve`, killed when dropped; requests go through
/// its [`Client`].
pub struct Server {
    client: Client,
    child: Child,
}

impl std::ops::Deref for Server {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Server {
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        Server::start_with_env(index, extra, &[])
    }

    pub fn start_with_env(index: &Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
        Server::launch(&Server::index_args(index, extra), env, Stdio::null())
    }

    /// A server whose log (stderr, at INFO) goes to the file `log`.
    pub fn start_logged(index: &Path, extra: &[&str], log: &Path) -> Server {
        let file = std::fs::File::create(log).expect("a log file");
        Server::launch(
            &Server::index_args(index, extra),
            &[("RUST_LOG", "info")],
            Stdio::from(file),
        )
    }

    /// `--index INDEX`, the bundled content unless `extra` names one, then `extra`.
    fn index_args(index: &Path, extra: &[&str]) -> Vec<OsString> {
        let mut args: Vec<OsString> = vec!["--index".into(), index.into()];
        if !extra.contains(&"--content") {
            args.extend(["--content".into(), content().into()]);
        }
        args.extend(extra.iter().map(OsString::from));
        args
    }

    /// `rolesearch serve --addr 127.0.0.1:0 ARGS…` (`RUST_LOG=warn` unless
    /// `env` says otherwise), its log going to `log`.
    pub fn launch(args: &[OsString], env: &[(&str, &str)], log: Stdio) -> Server {
        let mut child = rolesearch()
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("the server starts");
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = String::new();
        let mut byte = [0u8; 1];
        while !seen.contains('\n') {
            if stdout.read(&mut byte).unwrap_or(0) == 0 {
                panic!("the server exited before listening: {seen}");
            }
            seen.push(byte[0] as char);
        }
        let addr = seen
            .trim()
            .trim_start_matches("listening on http://")
            .to_string();
        Server {
            client: Client { addr },
            child,
        }
    }

    /// SIGTERM, then waits; returns whether it exited cleanly.
    pub fn stop(&mut self) -> bool {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        // Generous: a loaded CI machine may take a while to finish.
        for _ in 0..400 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    /// The error code of an error body.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn request(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse(&raw)
}

fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..end]).trim(), 16)
                .unwrap_or(0);
            if size == 0 {
                break;
            }
            out.extend_from_slice(&rest[end + 2..end + 2 + size]);
            rest = &rest[end + 2 + size + 2..];
        }
        body = out;
    }
    Reply {
        status,
        headers,
        body,
    }
}

/// The address of a server of the bundled index, one per test thread, so
/// that it is stopped when the test ends (a static would outlive the run).
fn shared() -> Client {
    thread_local! {
        static SERVER: Server = Server::start(bundled_index(), &[]);
    }
    SERVER.with(|s| Client {
        addr: s.addr.clone(),
    })
}

/// Requests to a server someone else keeps running.
pub struct Client {
    pub addr: String,
}

impl Client {
    pub fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[], b"")
    }

    pub fn request(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Reply {
        request(&self.addr, method, target, headers, body)
    }
}

#[test]
fn search_returns_the_same_json_as_the_cli() {
    let r = shared().get("/search?q=who+writes+acceptance+criteria&limit=3");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let api = r.json();
    let cli = crate::util::search(&["--limit", "3", "who writes acceptance criteria"]);
    assert_eq!(api["hits"], cli["hits"]);
    assert_eq!(api["facetDistribution"], cli["facetDistribution"]);
    assert_eq!(api["understood"], cli["understood"]);
}

#[test]
fn role_repeats_and_category_filters() {
    let r = shared()
        .get("/search?q=requirements&role=product-owner&role=BA&limit=100")
        .json();
    let both = r["estimatedTotalHits"].as_u64().unwrap();
    let po = shared()
        .get("/search?q=requirements&role=product-owner&limit=100")
        .json()["estimatedTotalHits"]
        .as_u64()
        .unwrap();
    assert!(both >= po && po > 0);
    let r = shared()
        .get("/search?q=product&category=Pay&limit=100")
        .json();
    for hit in r["hits"].as_array().unwrap() {
        assert_eq!(hit["category"], "Pay");
    }
}

#[test]
fn every_error_kind_has_its_status_and_code() {
    let s = shared();
    let long_q = format!("/search?q={}", "a".repeat(513));
    let long_url = format!("/search?q=a&pad={}", "b".repeat(9000));
    let cases: Vec<(&str, String, u16, &str)> = vec![
        ("GET", "/search?q=po&limit=0".into(), 400, "invalid_limit"),
        ("GET", "/search?q=po&limit=101".into(), 400, "invalid_limit"),
        ("GET", "/search?q=po&limit=ten".into(), 400, "invalid_limit"),
        ("GET", "/search?q=po&limit=-1".into(), 400, "invalid_limit"),
        (
            "GET",
            "/search?q=po&offset=991&limit=10".into(),
            400,
            "invalid_offset",
        ),
        (
            "GET",
            "/search?q=po&offset=99999999999999999999".into(),
            400,
            "invalid_offset",
        ),
        (
            "GET",
            "/search?q=po&sections=0".into(),
            400,
            "invalid_sections",
        ),
        (
            "GET",
            "/search?q=po&role=astronaut".into(),
            400,
            "unknown_role",
        ),
        ("GET", long_q, 400, "query_too_long"),
        ("GET", "/search?q=%ff%fe".into(), 400, "invalid_utf8"),
        ("GET", long_url, 414, "uri_too_long"),
        ("GET", "/suggest?q=po&limit=11".into(), 400, "invalid_limit"),
        ("GET", "/nope".into(), 404, "not_found"),
        (
            "GET",
            "/articles/no-such-article".into(),
            404,
            "article_not_found",
        ),
        ("GET", "/articles/%ff".into(), 400, "invalid_utf8"),
        ("POST", "/search?q=po".into(), 405, "method_not_allowed"),
        ("DELETE", "/roles".into(), 405, "method_not_allowed"),
        ("PUT", "/health".into(), 405, "method_not_allowed"),
    ];
    for (method, target, status, code) in cases {
        let r = s.request(method, &target, &[], b"");
        assert_eq!(r.status, status, "{method} {target}");
        assert_eq!(r.code(), code, "{method} {target}");
        assert!(!r.json()["error"]["message"].as_str().unwrap().is_empty());
    }
    let r = s.request("POST", "/search", &[], b"");
    assert_eq!(r.header("allow"), Some("GET, HEAD"));
}

#[test]
fn a_body_over_one_mebibyte_is_refused() {
    let body = vec![b'x'; (1 << 20) + 10];
    let r = shared().request("GET", "/search?q=po", &[], &body);
    assert_eq!(r.status, 413);
    assert_eq!(r.code(), "payload_too_large");
}

#[test]
fn hostile_queries_never_fail() {
    for q in [
        "-+*",
        "(((",
        "title%3A",
        "%22",
        "AND",
        "%F0%9F%9A%80",
        "%D9%85%D8%AF%D9%8A%D8%B1",
        "%00",
        "%5C",
    ] {
        let r = shared().get(&format!("/search?q={q}"));
        assert_eq!(r.status, 200, "{q}");
        assert!(r.json()["hits"].is_array());
    }
}

#[test]
fn suggest_completes_titles_headings_and_roles_with_urls() {
    let r = shared().get("/suggest?q=acceptan").json();
    let suggestions = r["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty() && suggestions.len() <= 10);
    assert!(suggestions.iter().any(
        |s| s["url"] == "/articles/what-does-a-product-owner-do#who-writes-acceptance-criteria"
    ));
    let r = shared().get("/suggest?q=product+mark").json();
    assert!(r["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["kind"] == "role" && s["text"] == "Product Marketing Manager"));
    assert_eq!(
        shared().get("/suggest?q=").json()["suggestions"],
        serde_json::json!([])
    );
}

#[test]
fn roles_list_the_taxonomy_with_article_counts() {
    let r = shared().get("/roles").json();
    let roles = r["roles"].as_array().unwrap();
    let po = roles.iter().find(|r| r["id"] == "product-owner").unwrap();
    assert_eq!(po["name"], "Product Owner");
    assert_eq!(po["acronyms"][0], "PO");
    assert!(po["articles"].as_u64().unwrap() >= 3);
    assert!(roles.len() >= 16);
}

#[test]
fn an_article_outline_has_headings_with_anchors() {
    let r = shared()
        .get("/articles/what-does-a-product-owner-do")
        .json();
    assert_eq!(r["title"], "What Does a Product Owner Do?");
    assert_eq!(r["mainRoles"][0], "product-owner");
    let outline = r["outline"].as_array().unwrap();
    assert!(outline
        .iter()
        .any(|h| h["anchor"] == "who-writes-acceptance-criteria"
            && h["url"]
                == "/articles/what-does-a-product-owner-do#who-writes-acceptance-criteria"));
}

/// How many articles the bundled content holds.
fn bundled_articles() -> usize {
    let content = indexer::read_folder(&crate::util::content(), &indexer::Taxonomy::builtin())
        .expect("the bundled content reads");
    assert!(
        content
            .problems
            .iter()
            .all(|p| p.severity != indexer::Severity::Skipped),
        "{:?}",
        content.problems
    );
    content.articles.len()
}

#[test]
fn health_and_metrics_report_the_index() {
    let h = shared().get("/health").json();
    assert_eq!(h["status"], "ready");
    assert_eq!(h["formatVersion"], index::FORMAT_VERSION);
    assert_eq!(h["articles"], bundled_articles());
    let _ = shared().get("/search?q=backlog");
    let m = String::from_utf8(shared().get("/metrics").body).unwrap();
    assert!(
        m.contains("rolesearch_requests_total{route=\"/search\",status=\"200\"}"),
        "{m}"
    );
    assert!(m.contains("rolesearch_request_duration_seconds_bucket{route=\"/search\",le=\"+Inf\"}"));
    assert!(m.contains(&format!("rolesearch_index_articles {}", bundled_articles())));
    assert!(m.contains("rolesearch_index_size_bytes "));
}

#[test]
fn responses_are_gzipped_only_for_clients_that_accept_it() {
    let plain = shared().get("/search?q=product&limit=20");
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = shared().request(
        "GET",
        "/search?q=product&limit=20",
        &[("Accept-Encoding", "gzip, br")],
        b"",
    );
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&zipped.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    let a: Value = serde_json::from_slice(&decoded).unwrap();
    assert_eq!(a["hits"], plain.json()["hits"]);
    let refused = shared().request(
        "GET",
        "/search?q=product&limit=20",
        &[("Accept-Encoding", "gzip;q=0")],
        b"",
    );
    assert_eq!(refused.header("content-encoding"), None);
}

#[test]
fn cors_headers_go_only_to_allowed_origins() {
    // By default, none but the same origin.
    let r = shared().request(
        "GET",
        "/search?q=po",
        &[("Origin", "https://evil.example")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), None);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let server = Server::start(&index, &["--cors-origin", "https://careers.example"]);
    let ok = server.request(
        "GET",
        "/search?q=po",
        &[("Origin", "https://careers.example")],
        b"",
    );
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://careers.example")
    );
    let other = server.request(
        "GET",
        "/search?q=po",
        &[("Origin", "https://evil.example")],
        b"",
    );
    assert_eq!(other.header("access-control-allow-origin"), None);
    let preflight = server.request(
        "OPTIONS",
        "/search",
        &[
            ("Origin", "https://careers.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        b"",
    );
    assert_eq!(preflight.status, 204);
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
}

#[test]
fn serve_builds_an_index_when_there_is_none_and_serves_the_page_and_widget() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("fresh"), &[]);
    assert_eq!(server.get("/health").json()["articles"], bundled_articles());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(String::from_utf8_lossy(&page.body).contains("/widget.js"));
    let js = server.get("/widget.js");
    assert!(js
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
}

#[test]
fn settings_come_from_flags_then_environment_then_the_toml_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rolesearch.toml");
    std::fs::write(
        &config,
        "url_pattern = \"/from-file/{slug}\"\ncors_origins = [\"https://file.example\"]\n",
    )
    .unwrap();
    let index = dir.path().join("index");
    let server = Server::start(&index, &["--config", config.to_str().unwrap()]);
    let hit = &server.get("/search?q=gantt").json()["hits"][0];
    assert!(hit["url"].as_str().unwrap().starts_with("/from-file/"));
    drop(server);
    let server = Server::start(
        &index,
        &[
            "--config",
            config.to_str().unwrap(),
            "--url-pattern",
            "/from-flag/{slug}",
        ],
    );
    let hit = &server.get("/search?q=gantt").json()["hits"][0];
    assert!(hit["url"].as_str().unwrap().starts_with("/from-flag/"));
    let bad = rolesearch()
        .args(["serve", "--config"])
        .arg(dir.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    std::fs::write(&config, "no_such_key = 1\n").unwrap();
    let bad = rolesearch()
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no_such_key"));
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&dir.path().join("index"), &[]);
    assert_eq!(server.get("/health").status, 200);
    assert!(server.stop(), "a clean exit on SIGTERM");
}

#[test]
fn a_rebuild_by_another_process_is_picked_up_without_a_failed_request() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let server = Server::start(&index, &[]);
    let generation = server.get("/health").json()["generation"].clone();
    let addr = server.addr.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut done = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                let r = request(&addr, "GET", "/search?q=backlog", &[], b"");
                assert_eq!(r.status, 200, "a request failed during the swap");
                assert!(r.json()["estimatedTotalHits"].as_u64().unwrap() > 0);
                done += 1;
            }
            done
        })
    };
    let out = rolesearch()
        .args(["index", "--full", "--content"])
        .arg(content())
        .arg("--index")
        .arg(&index)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut swapped = false;
    for _ in 0..50 {
        std::thread::sleep(Duration::from_millis(100));
        if server.get("/health").json()["generation"] != generation {
            swapped = true;
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let done = load.join().expect("no request failed");
    assert!(swapped, "the server switched to the new generation");
    assert!(done > 10);
}

#[test]
fn a_role_without_words_browses_that_roles_articles() {
    let r = shared().get("/search?role=product-owner&limit=100").json();
    let hits = r["hits"].as_array().unwrap();
    assert!(hits.len() >= 3);
    assert_eq!(
        r["estimatedTotalHits"].as_u64().unwrap() as usize,
        hits.len()
    );
    assert_eq!(
        r["facetDistribution"]["role"]["product-owner"]
            .as_u64()
            .unwrap() as usize,
        hits.len()
    );
    assert!(shared().get("/search?q=").json()["hits"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn role_facets_ignore_the_role_filter_so_other_roles_can_be_added() {
    let all = shared().get("/search?q=sprint&limit=100").json();
    let filtered = shared()
        .get("/search?q=sprint&role=scrum-master&limit=100")
        .json();
    assert_eq!(
        filtered["facetDistribution"]["role"],
        all["facetDistribution"]["role"]
    );
    assert!(filtered["estimatedTotalHits"].as_u64() < all["estimatedTotalHits"].as_u64());
}

#[test]
fn a_browser_following_a_deep_link_gets_the_article_as_a_page_with_anchors() {
    let r = shared().request(
        "GET",
        "/articles/what-does-a-product-owner-do",
        &[("Accept", "text/html,application/xhtml+xml")],
        b"",
    );
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let html = String::from_utf8(r.body).unwrap();
    assert!(
        html.contains("id=\"who-writes-acceptance-criteria\""),
        "{html}"
    );
    assert!(html.contains("<title>What Does a Product Owner Do?</title>"));
}

#[test]
fn locales_filter_and_facet_over_http_and_urls_follow_each_locales_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("rolesearch.toml");
    std::fs::write(
        &config,
        "url_pattern = \"https://careers.example.com/{locale}/articles/{slug}\"\n\
         default_locale = \"en\"\n\
         [locale_url_patterns]\n\
         en = \"/articles/{slug}\"\n",
    )
    .unwrap();
    let server = Server::start(bundled_index(), &["--config", config.to_str().unwrap()]);
    let all = server.get("/search?q=product+owner&limit=50").json();
    let locales: Vec<&str> = all["facetDistribution"]["locale"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        locales.contains(&"en") && locales.contains(&"fr") && locales.contains(&"de"),
        "{locales:?}"
    );
    let fr = server
        .get("/search?q=product+owner&locale=fr&limit=50")
        .json();
    let hits = fr["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(hit["locale"], "fr");
        let url = hit["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://careers.example.com/fr/articles/"),
            "{url}"
        );
    }
    assert_eq!(
        fr["facetDistribution"]["locale"],
        all["facetDistribution"]["locale"]
    );
    let en = server.get("/search?q=product+owner&locale=en").json();
    let url = en["hits"][0]["url"].as_str().unwrap();
    assert!(url.starts_with("/articles/"), "{url}");
    // Every locale: "*".
    let star = server
        .get("/search?q=product+owner&locale=*&limit=50")
        .json();
    assert_eq!(star["estimatedTotalHits"], all["estimatedTotalHits"]);
    // A malformed locale is a 400 naming it.
    let bad = server.get("/search?q=po&locale=fr%2F..");
    assert_eq!((bad.status, bad.code().as_str()), (400, "invalid_locale"));
    // Suggestions and article outlines carry their locale.
    let s = server.get("/suggest?q=que+fait&locale=fr").json();
    let first = &s["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] != "role")
        .unwrap()
        .clone();
    assert_eq!(first["locale"], "fr", "{s}");
    let de = server
        .get("/articles/product-owner-vs-business-analyst?locale=de")
        .json();
    assert_eq!(de["locale"], "de");
    assert!(
        de["url"].as_str().unwrap().contains("/de/articles/"),
        "{de}"
    );
}

#[test]
fn the_openapi_description_is_served_and_describes_every_route() {
    let r = shared().get("/openapi.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let spec = r.json();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/",
        "/widget.js",
        "/search",
        "/suggest",
        "/roles",
        "/articles/{slug}",
        "/health",
        "/metrics",
        "/openapi.json",
        "/webhooks/strapi",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is not described");
    }
    let file = std::fs::read(crate::util::repo().join("server/openapi.json")).unwrap();
    assert_eq!(r.body, file, "the served description is the repository's");
}

#[test]
fn vary_origin_is_sent_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(
        &dir.path().join("index"),
        &["--cors-origin", "https://careers.example"],
    );
    for origin in ["https://careers.example", "https://evil.example"] {
        let r = server.request("GET", "/search?q=po", &[("Origin", origin)], b"");
        let origins = r
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("vary"))
            .flat_map(|(_, v)| v.split(','))
            .filter(|v| v.trim().eq_ignore_ascii_case("origin"))
            .count();
        assert_eq!(origins, 1, "{origin}: {:?}", r.headers);
    }
}

#[test]
fn a_refused_origin_is_logged_at_warn_with_the_route() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let server = Server::start_logged(&dir.path().join("index"), &[], &log);
    let host = server.addr.clone();
    // The page's own origin is no refusal; another site's is.
    let own = format!("http://{host}");
    server.request("GET", "/search?q=po", &[("Origin", own.as_str())], b"");
    let r = server.request(
        "GET",
        "/search?q=po",
        &[("Origin", "https://blog.example")],
        b"",
    );
    assert_eq!(r.header("access-control-allow-origin"), None);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("CORS")).collect();
    assert_eq!(warnings.len(), 1, "{text}");
    assert!(warnings[0].contains("WARN"), "{text}");
    assert!(warnings[0].contains("https://blog.example"), "{text}");
    assert!(warnings[0].contains("/search"), "{text}");
}

#[test]
fn categories_match_in_any_case_and_an_unknown_one_lists_the_known_ones() {
    let exact = shared()
        .get("/search?q=product&category=Pay&limit=100")
        .json();
    let lower = shared()
        .get("/search?q=product&category=pay&limit=100")
        .json();
    assert!(exact["estimatedTotalHits"].as_u64().unwrap() > 0);
    assert_eq!(lower["hits"], exact["hits"]);
    let r = shared().get("/search?q=product&category=astronomy");
    assert_eq!((r.status, r.code().as_str()), (400, "unknown_category"));
    let message = r.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("\"astronomy\""), "{message}");
    assert!(
        message.contains("Pay") && message.contains("Roles"),
        "{message}"
    );
}

#[test]
fn a_settings_files_relative_paths_are_relative_to_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("articles")).unwrap();
    crate::util::write_article(
        &site.join("articles/one.json"),
        "Backlog basics",
        "backlog-basics",
        "Product Owners order the backlog.",
    );
    std::fs::write(site.join("synonyms.txt"), "zanzibar, backlog\n").unwrap();
    std::fs::write(site.join("secret"), "s3cret\n").unwrap();
    std::fs::write(
        site.join("rolesearch.toml"),
        "index = \"index\"\ncontent = \"articles\"\nsynonyms = \"synonyms.txt\"\nwebhook_secret_file = \"secret\"\n",
    )
    .unwrap();
    let args: Vec<OsString> = vec!["--config".into(), site.join("rolesearch.toml").into()];
    let server = Server::launch(&args, &[], Stdio::null());
    assert_eq!(server.get("/health").json()["articles"], 1);
    assert!(
        site.join("index/CURRENT").is_file(),
        "the index is beside the file"
    );
    let hits = server.get("/search?q=zanzibar").json()["hits"].clone();
    assert_eq!(hits[0]["slug"], "backlog-basics", "the file's synonyms");
    let r = server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", "Bearer s3cret"),
            ("Content-Type", "application/json"),
        ],
        br#"{"event": "media.create", "createdAt": "2026-01-01T00:00:00Z", "media": {}}"#,
    );
    assert_eq!(r.status, 202, "the file's webhook secret");
}
