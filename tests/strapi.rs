//! The publish pipeline: Strapi webhooks posted as Strapi posts them (byte
//! for byte, from `tests/fixtures/strapi`), and `rolesearch sync`
//! against a fake Strapi that answers with recorded REST responses.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::http::Server;
use crate::util::{rolesearch, text};

const SECRET: &str = "test-webhook-secret";

fn recordings() -> PathBuf {
    let dir = crate::util::repo().join("tests/fixtures/strapi");
    assert!(
        dir.is_dir(),
        "the Strapi recordings are expected at {}",
        dir.display()
    );
    dir
}

/// The raw body of a recording in `folder` whose name starts with `prefix`.
fn recorded(folder: &str, prefix: &str) -> Vec<u8> {
    let path = std::fs::read_dir(recordings().join(folder))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with(prefix) && name.ends_with(".body")
        })
        .unwrap_or_else(|| panic!("no recording {folder}/{prefix}*.body"));
    std::fs::read(path).unwrap()
}

/// The raw body of a recorded webhook, e.g. `006`.
fn webhook(number: &str) -> Vec<u8> {
    recorded("webhooks", number)
}

fn start(dir: &std::path::Path) -> Server {
    let secret = dir.join("secret");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    Server::start(
        &dir.join("index"),
        &["--webhook-secret-file", secret.to_str().unwrap()],
    )
}

fn post(server: &Server, body: &[u8]) -> crate::http::Reply {
    server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", &format!("Bearer {SECRET}")),
            ("X-Strapi-Event", "entry.publish"),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

fn found(server: &Server, q: &str) -> Vec<String> {
    let r = server.get(&format!("/search?q={q}&limit=100")).json();
    r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

const SLUG: &str = "indexing-strapi-with-webhooks";

#[test]
fn the_recorded_lifecycle_publishes_updates_unpublishes_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let mut statuses = Vec::new();
    for n in ["001", "002", "003", "004", "005"] {
        statuses.push(post(&server, &webhook(n)).status);
    }
    assert_eq!(
        statuses,
        [202, 202, 202, 202, 202],
        "media, category, author, drafts are ignored"
    );
    assert!(!found(&server, "webhook").contains(&SLUG.to_string()));

    let r = post(&server, &webhook("006"));
    assert_eq!(r.status, 200, "{}", text(&r.body));
    assert_eq!(r.json()["status"], "applied");
    // Searchable as soon as the webhook is answered.
    assert!(found(&server, "Meilisearch").contains(&SLUG.to_string()));

    assert_eq!(
        post(&server, &webhook("007")).status,
        202,
        "a draft update must not remove the article"
    );
    assert!(found(&server, "Meilisearch").contains(&SLUG.to_string()));
    assert_eq!(post(&server, &webhook("009")).json()["status"], "applied");
    assert!(
        found(&server, "UPDATED").contains(&SLUG.to_string()),
        "the republished text is live"
    );

    assert_eq!(post(&server, &webhook("010")).json()["action"], "delete");
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    post(&server, &webhook("012"));
    assert!(found(&server, "Meilisearch").contains(&SLUG.to_string()));

    post(&server, &webhook("014"));
    assert!(found(&server, "Plain").contains(&"second-article-stays-published".to_string()));
    assert_eq!(
        post(&server, &webhook("016")).status,
        202,
        "the draft row's delete"
    );
    assert_eq!(post(&server, &webhook("017")).json()["status"], "applied");
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    assert!(found(&server, "Plain").contains(&"second-article-stays-published".to_string()));
}

#[test]
fn the_same_event_twice_or_out_of_order_converges_on_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    assert_eq!(post(&server, &webhook("009")).json()["status"], "applied");
    assert_eq!(
        post(&server, &webhook("009")).json()["status"],
        "stale",
        "the same event twice"
    );
    // An older publish arriving late does not bring back the old text.
    assert_eq!(post(&server, &webhook("006")).json()["status"], "stale");
    assert!(found(&server, "UPDATED").contains(&SLUG.to_string()));
    // The unpublish, then a late older publish: still unpublished.
    post(&server, &webhook("010"));
    assert_eq!(post(&server, &webhook("009")).json()["status"], "stale");
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    // Never more than one document set per article.
    post(&server, &webhook("012"));
    post(&server, &webhook("012"));
    let r = server.get("/search?q=Meilisearch&limit=100").json();
    let n = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["slug"] == SLUG)
        .count();
    assert_eq!(n, 1);
}

#[test]
fn webhook_errors_have_their_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let body = webhook("006");
    let no_auth = server.request(
        "POST",
        "/webhooks/strapi",
        &[("Content-Type", "application/json")],
        &body,
    );
    assert_eq!(
        (no_auth.status, no_auth.code().as_str()),
        (401, "unauthorized")
    );
    let wrong = server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", "Bearer nope"),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_eq!(wrong.status, 401);
    let not_json = server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", &format!("Bearer {SECRET}")),
            ("Content-Type", "text/plain"),
        ],
        &body,
    );
    assert_eq!(
        (not_json.status, not_json.code().as_str()),
        (415, "unsupported_media_type")
    );
    let huge = vec![b' '; (5 << 20) + 1];
    assert_eq!(post(&server, &huge).status, 413);
    let broken = post(&server, b"{\"event\": ");
    assert_eq!(
        (broken.status, broken.code().as_str()),
        (400, "invalid_body")
    );
    let incomplete = post(
        &server,
        br#"{"event": "entry.publish", "createdAt": "2026-01-01T00:00:00Z", "model": "article"}"#,
    );
    assert_eq!(incomplete.status, 400);
    assert!(incomplete.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("entry"));
    let get = server.request("GET", "/webhooks/strapi", &[], b"");
    assert_eq!(get.status, 405);
}

#[test]
fn without_a_secret_the_webhook_route_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("index"), &[]);
    let r = post(&server, &webhook("006"));
    assert_eq!((r.status, r.code().as_str()), (404, "not_found"));
}

/// Fills a small tmpfs holding the index, so the next commit fails with
/// "no space left on device" (needs root to mount, as CI has).
struct FullDisk {
    mount: PathBuf,
}

impl FullDisk {
    fn new(at: &std::path::Path) -> Option<FullDisk> {
        std::fs::create_dir_all(at).ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"])
            .arg(at)
            .status()
            .ok()?
            .success();
        ok.then(|| FullDisk {
            mount: at.to_path_buf(),
        })
    }

    /// Fills the disk but for about `free` bytes.
    fn fill(&self, free: u64) {
        let mut f = std::fs::File::create(self.mount.join("filler")).unwrap();
        let block = vec![0u8; 1 << 12];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
        if free > 0 {
            let len = f.metadata().unwrap().len();
            f.set_len(len.saturating_sub(free)).unwrap();
        }
    }

    fn free(&self) {
        let _ = std::fs::remove_file(self.mount.join("filler"));
    }
}

impl Drop for FullDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.mount)
            .status();
    }
}

#[test]
fn a_full_disk_answers_503_with_retry_after_and_the_old_index_keeps_serving() {
    // Nothing free, and a few KiB free (tantivy then fails part way
    // through its commit, with its own wrapped I/O error).
    for free in [0, 4 << 10, 16 << 10, 32 << 10] {
        full_disk_once(free);
    }
}

fn full_disk_once(free: u64) {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = FullDisk::new(&dir.path().join("disk")) else {
        panic!("mounting a tmpfs needs root, which CI has; run this test as root");
    };
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    crate::util::write_article(
        &content.join("one.json"),
        "Backlog basics",
        "backlog-basics",
        "Product Owners order the backlog.",
    );
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let server = Server::start(
        &disk.mount.join("index"),
        &[
            "--content",
            content.to_str().unwrap(),
            "--webhook-secret-file",
            secret.to_str().unwrap(),
        ],
    );
    assert_eq!(found(&server, "backlog"), ["backlog-basics"]);
    disk.fill(free);
    let r = post(&server, &webhook("006"));
    assert_eq!(r.status, 503, "{free} bytes free: {}", text(&r.body));
    assert_eq!(r.code(), "disk_full", "{free} bytes free");
    assert!(r.header("retry-after").is_some());
    let body = text(&r.body);
    assert!(
        !body.contains(disk.mount.to_str().unwrap()) && !body.contains("/tmp"),
        "a public body names a path: {body}"
    );
    assert_eq!(
        found(&server, "backlog"),
        ["backlog-basics"],
        "the previous index keeps serving"
    );
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    // Space again: the same webhook now applies.
    disk.free();
    let r = post(&server, &webhook("006"));
    assert_eq!(
        r.status,
        200,
        "{free} bytes free, then space: {}",
        text(&r.body)
    );
    assert!(found(&server, "Meilisearch").contains(&SLUG.to_string()));
    drop(server);
}

/// A fake Strapi answering `GET /api/articles` with a recorded response,
/// paginated by the request's own `pagination[page]` and
/// `pagination[pageSize]`, and 403 without the recorded API token.
/// By `locale` parameter ("" when there is none): what Strapi answers.
type Bodies = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

struct FakeStrapi {
    url: String,
    bodies: Bodies,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeStrapi {
    fn start(recording: &str) -> FakeStrapi {
        FakeStrapi::serve(vec![(String::new(), Self::read(recording))])
    }

    /// A localized Strapi 5: answers by the request's `locale` parameter,
    /// with these recordings of `i18n/rest-read` (a parameter it has no
    /// recording for gets the one of "").
    fn localized(by_locale: &[(&str, &str)]) -> FakeStrapi {
        FakeStrapi::serve(
            by_locale
                .iter()
                .map(|(l, r)| (l.to_string(), recorded("i18n/rest-read", r)))
                .collect(),
        )
    }

    fn serve(bodies: Vec<(String, Vec<u8>)>) -> FakeStrapi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let body = Arc::new(Mutex::new(bodies));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (b, r) = (body.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let mut auth = String::new();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
                        break;
                    }
                    if h.to_lowercase().starts_with("authorization:") {
                        auth = h[14..].trim().to_string();
                    }
                }
                let target = line.split(' ').nth(1).unwrap_or_default().to_string();
                r.lock().unwrap().push(target.clone());
                let (status, payload) = if auth != "Bearer LOCAL-API-TOKEN" {
                    ("403 Forbidden", br#"{"data":null,"error":{"status":403,"name":"ForbiddenError","message":"Forbidden","details":{}}}"#.to_vec())
                } else {
                    let locale = Self::locale_of(&target);
                    let bodies = b.lock().unwrap();
                    let body = bodies
                        .iter()
                        .find(|(l, _)| *l == locale)
                        .or_else(|| bodies.iter().find(|(l, _)| l.is_empty()))
                        .map(|(_, body)| body.clone())
                        .unwrap_or_default();
                    ("200 OK", Self::page(&body, &target))
                };
                let mut out = stream;
                let _ = write!(
                    out,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    payload.len()
                );
                let _ = out.write_all(&payload);
            }
        });
        FakeStrapi {
            url,
            bodies: body,
            requests,
        }
    }

    /// The `locale` parameter of a request target, decoded ("" if none).
    fn locale_of(target: &str) -> String {
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix("locale="))
            .map(|v| v.replace("%2A", "*"))
            .unwrap_or_default()
    }

    fn read(recording: &str) -> Vec<u8> {
        recorded("rest-read", recording)
    }

    fn switch(&self, recording: &str) {
        *self.bodies.lock().unwrap() = vec![(String::new(), Self::read(recording))];
    }

    /// Every locale parameter now gets this `i18n/rest-read` recording.
    fn switch_all(&self, recording: &str) {
        *self.bodies.lock().unwrap() = vec![(String::new(), recorded("i18n/rest-read", recording))];
    }

    fn page(recorded: &[u8], target: &str) -> Vec<u8> {
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let param = |name: &str| -> Option<usize> {
            query.split('&').find_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                let k = k.replace("%5B", "[").replace("%5D", "]");
                (k == name).then(|| v.parse().ok()).flatten()
            })
        };
        let page = param("pagination[page]").unwrap_or(1).max(1);
        let size = param("pagination[pageSize]").unwrap_or(25).max(1);
        let mut value: Value = serde_json::from_slice(recorded).unwrap();
        let all = value["data"].as_array().cloned().unwrap_or_default();
        let total = all.len();
        let chunk: Vec<Value> = all.into_iter().skip((page - 1) * size).take(size).collect();
        value["data"] = Value::Array(chunk);
        value["meta"] = serde_json::json!({ "pagination": {
            "page": page, "pageSize": size, "pageCount": total.div_ceil(size), "total": total } });
        serde_json::to_vec(&value).unwrap()
    }
}

fn sync(strapi: &FakeStrapi, index: &std::path::Path, token: Option<&str>) -> std::process::Output {
    sync_with(strapi, index, token, &[])
}

fn sync_with(
    strapi: &FakeStrapi,
    index: &std::path::Path,
    token: Option<&str>,
    flags: &[&str],
) -> std::process::Output {
    let mut cmd = rolesearch();
    cmd.args([
        "sync",
        "--strapi-url",
        &strapi.url,
        "--page-size",
        "1",
        "--index",
    ])
    .arg(index)
    .args(flags);
    if let Some(token) = token {
        cmd.env("ROLESEARCH_STRAPI_TOKEN", token);
    }
    cmd.output().unwrap()
}

fn slugs_in(index: &std::path::Path, q: &str) -> Vec<String> {
    let out = crate::util::query(index, &["--limit", "100", q]);
    crate::util::slugs(&serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn sync_pulls_every_page_of_a_strapi_5_server_and_removes_what_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let strapi = FakeStrapi::start("019-");
    let out = sync(&strapi, &index, Some("LOCAL-API-TOKEN"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("synced 2 published articles from 2 pages"),
        "{}",
        text(&out.stderr)
    );
    let requests = strapi.requests.lock().unwrap().clone();
    assert!(requests
        .iter()
        .all(|r| r.contains("populate%5Bblocks%5D%5Bon%5D%5Bshared.media%5D%5Bpopulate%5D=file")));
    assert!(slugs_in(&index, "Meilisearch").contains(&SLUG.to_string()));
    assert!(
        slugs_in(&index, "gradient").contains(&SLUG.to_string()),
        "media inside blocks came along"
    );
    // Article 1 deleted in Strapi: the next sync removes it, keeps article 2
    // (one of two is more than the removal limit: allowed here).
    strapi.switch("029-");
    let out = sync_with(
        &strapi,
        &index,
        Some("LOCAL-API-TOKEN"),
        &["--allow-removals"],
    );
    assert!(
        text(&out.stderr).contains("1 removed"),
        "{}",
        text(&out.stderr)
    );
    assert!(!slugs_in(&index, "Meilisearch").contains(&SLUG.to_string()));
    assert!(slugs_in(&index, "Plain").contains(&"second-article-stays-published".to_string()));
    // Nothing changed: nothing to do.
    let out = sync(&strapi, &index, Some("LOCAL-API-TOKEN"));
    assert!(
        text(&out.stderr).contains("0 added or updated, 0 removed, 1 unchanged"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn sync_reads_strapi_4_responses_the_same_way() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let strapi = FakeStrapi::start("020-");
    let out = sync(&strapi, &index, Some("LOCAL-API-TOKEN"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(slugs_in(&index, "Meilisearch").contains(&SLUG.to_string()));
    assert!(slugs_in(&index, "gradient").contains(&SLUG.to_string()));
    strapi.switch("030-");
    sync_with(
        &strapi,
        &index,
        Some("LOCAL-API-TOKEN"),
        &["--max-removal", "50%"],
    );
    assert!(!slugs_in(&index, "Meilisearch").contains(&SLUG.to_string()));
}

#[test]
fn sync_without_a_valid_token_says_so_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let strapi = FakeStrapi::start("019-");
    let out = sync(&strapi, &dir.path().join("index"), None);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ROLESEARCH_STRAPI_TOKEN"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
}

#[test]
fn serve_syncs_on_a_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let strapi = FakeStrapi::start("019-");
    let server = Server::start_with_env(
        &dir.path().join("index"),
        &["--strapi-url", strapi.url.as_str(), "--sync-every", "1s"],
        &[("ROLESEARCH_STRAPI_TOKEN", "LOCAL-API-TOKEN")],
    );
    let mut seen = false;
    for _ in 0..50 {
        if found(&server, "Meilisearch").contains(&SLUG.to_string()) {
            seen = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(seen, "the scheduled sync brought the article in");
}

#[test]
fn a_repeated_search_comes_from_the_cache_until_a_publish_changes_its_answer() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path());
    let cache_hits = || {
        let metrics = text(&server.get("/metrics").body);
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("rolesearch_search_cache_hits_total "))
            .expect("the cache counts its hits")
            .parse::<u64>()
            .unwrap()
    };
    let before = cache_hits();
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    assert_eq!(
        cache_hits(),
        before + 1,
        "the second search was a cache hit"
    );

    assert_eq!(post(&server, &webhook("006")).status, 200);
    assert!(
        found(&server, "Meilisearch").contains(&SLUG.to_string()),
        "the answer cached before the publish is not served after it"
    );
}

/// A server with a webhook secret over an empty content folder, its log in
/// `dir/server.log`.
fn start_empty(dir: &std::path::Path) -> Server {
    let secret = dir.join("secret");
    std::fs::write(&secret, format!("{SECRET}\n")).unwrap();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    Server::start_logged(
        &dir.join("index"),
        &[
            "--content",
            content.to_str().unwrap(),
            "--webhook-secret-file",
            secret.to_str().unwrap(),
        ],
        &dir.join("server.log"),
    )
}

/// Every recorded webhook of the localized site, in the order Strapi sent
/// them: (number, event header, body).
fn i18n_webhooks() -> Vec<(String, String, Vec<u8>)> {
    let dir = recordings().join("i18n/webhooks");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".body"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let body = std::fs::read(dir.join(&name)).unwrap();
            let event = serde_json::from_slice::<Value>(&body).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_string();
            (name[..3].to_string(), event, body)
        })
        .collect()
}

fn post_event(server: &Server, event: &str, body: &[u8]) -> crate::http::Reply {
    server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", &format!("Bearer {SECRET}")),
            ("X-Strapi-Event", event),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

#[test]
fn the_recorded_i18n_sequence_replayed_in_order_leaves_what_strapi_publishes_per_locale() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_empty(dir.path());
    for (number, event, body) in i18n_webhooks() {
        let r = post_event(&server, &event, &body);
        assert!(
            r.status == 200 || r.status == 202,
            "webhook {number} ({event}) got {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
    }
    // What Strapi lists for every locale (`locale=*`), for the documents
    // those webhooks touched.
    let listed: Value = serde_json::from_slice(&recorded("i18n/rest-read", "109-")).unwrap();
    let touched = [
        "n3a02kzo0y0pgbk20ihele0c",
        "u0wnb6z2bqw6yit2901zvvob",
        "i4zn86ohvi2fjqi00lvsi573",
        "y002l04oa3y6nws509x49sij",
    ];
    let expected: Vec<(String, String)> = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| touched.contains(&a["documentId"].as_str().unwrap()))
        .map(|a| {
            (
                a["slug"].as_str().unwrap().to_string(),
                a["locale"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(expected.len(), 6);
    let health = server.get("/health").json();
    assert_eq!(health["articles"], expected.len(), "{health}");
    for (slug, locale) in &expected {
        let r = server.get(&format!("/articles/{slug}?locale={locale}"));
        assert_eq!(r.status, 200, "{slug} in {locale}");
        assert_eq!(r.json()["locale"], locale.as_str());
    }
    // The French version unpublished and deleted: gone; its English one stays.
    assert_eq!(
        server.get("/articles/s4-fr-nopogibogim?locale=fr").status,
        404
    );
    assert_eq!(server.get("/articles/s4-polipagezek?locale=en").status, 200);
    // The same slug in two locales: both, each in its language.
    let fr = server.get("/articles/s4same-felepiduvet?locale=fr").json();
    let en = server.get("/articles/s4same-felepiduvet?locale=en").json();
    assert_eq!(
        (fr["locale"].as_str(), en["locale"].as_str()),
        (Some("fr"), Some("en"))
    );
}

#[test]
fn an_article_published_before_i18n_and_republished_after_is_one_article_updated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_empty(dir.path());
    let sequence = i18n_webhooks();
    let up_to = |last: &'static str| {
        sequence
            .iter()
            .filter(move |(n, _, _)| n.as_str() >= "232" && n.as_str() <= last)
    };
    for (_, event, body) in up_to("234") {
        assert!(post_event(&server, event, body).status < 300);
    }
    // Published without a locale: the default one.
    let before = server.get("/articles/s4legacy-pepovumogak").json();
    assert_eq!(before["locale"], "en");
    assert_eq!(server.get("/health").json()["articles"], 1);
    // i18n turned on, the same document edited and republished, now "en".
    for (number, event, body) in up_to("237").filter(|(n, _, _)| n.as_str() > "234") {
        let r = post_event(&server, event, body);
        assert_eq!(
            r.status,
            if event == "entry.publish" { 200 } else { 202 },
            "{number}: {}",
            String::from_utf8_lossy(&r.body)
        );
    }
    assert_eq!(
        server.get("/health").json()["articles"],
        1,
        "one article, not two"
    );
    let after = server
        .get("/articles/s4legacy-pepovumogak?locale=en")
        .json();
    assert_eq!(after["locale"], "en");
    assert_ne!(after["updatedAt"], before["updatedAt"], "the later version");
}

#[test]
fn strapis_trigger_test_answers_200_saying_the_route_and_the_secret_work() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_empty(dir.path());
    let body = recorded("i18n/webhooks", "031-");
    let r = post_event(&server, "trigger-test", &body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let json = r.json();
    assert_eq!(json["status"], "ok");
    assert!(
        json["message"].as_str().unwrap().contains("secret"),
        "{json}"
    );
    let metrics = String::from_utf8(server.get("/metrics").body).unwrap();
    assert!(
        metrics.contains(
            "rolesearch_webhook_deliveries_total{event=\"trigger-test\",outcome=\"test\"} 1"
        ),
        "{metrics}"
    );
}

#[test]
fn a_rejected_delivery_is_logged_at_warn_with_its_reason_and_counted_by_event_and_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let server = start_empty(dir.path());
    let body = recorded("i18n/webhooks", "233-");
    let wrong = server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", "Bearer not-the-secret"),
            ("X-Strapi-Event", "entry.publish"),
            ("Content-Type", "application/json"),
        ],
        &body,
    );
    assert_eq!(wrong.status, 401);
    let broken = post_event(&server, "entry.publish", b"{\"event\": \"entry.publish\"");
    assert_eq!(broken.status, 400);
    assert_eq!(post_event(&server, "entry.publish", &body).status, 200);
    let metrics = String::from_utf8(server.get("/metrics").body).unwrap();
    for line in [
        "rolesearch_webhook_deliveries_total{event=\"entry.publish\",outcome=\"rejected_401\"} 1",
        "rolesearch_webhook_deliveries_total{event=\"entry.publish\",outcome=\"rejected_400\"} 1",
        "rolesearch_webhook_deliveries_total{event=\"entry.publish\",outcome=\"applied\"} 1",
    ] {
        assert!(metrics.contains(line), "{line}\n{metrics}");
    }
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    let warnings: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("webhook delivery rejected"))
        .collect();
    assert_eq!(warnings.len(), 2, "{log}");
    assert!(
        warnings[0].contains("401") && warnings[0].contains("Authorization"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("400") && warnings[1].contains("JSON"),
        "{}",
        warnings[1]
    );
    assert!(!log.contains(SECRET), "the secret is never logged");
    assert!(!log.contains("not-the-secret"), "nor what was presented");
}

fn sync_pages_of(
    strapi: &FakeStrapi,
    index: &std::path::Path,
    flags: &[&str],
) -> std::process::Output {
    rolesearch()
        .args([
            "sync",
            "--strapi-url",
            &strapi.url,
            "--page-size",
            "100",
            "--index",
        ])
        .arg(index)
        .args(flags)
        .env("ROLESEARCH_STRAPI_TOKEN", "LOCAL-API-TOKEN")
        .output()
        .unwrap()
}

#[test]
fn sync_reads_every_locale_of_a_localized_strapi_5() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    // locale=* lists every locale; locale=all answers nothing on Strapi 5;
    // no locale answers the default one only.
    let strapi = FakeStrapi::localized(&[("*", "109-"), ("all", "105-"), ("", "110-")]);
    let out = sync_pages_of(&strapi, &index, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("synced 80 published articles"), "{stderr}");
    assert!(stderr.contains("locales en, fr"), "{stderr}");
    let requests = strapi.requests.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .all(|r| r.contains("locale=%2A") || r.contains("locale=*")),
        "{requests:?}"
    );
    let fr = crate::util::query(&index, &["--locale", "fr", "--limit", "100", "s4"]);
    let slugs = crate::util::slugs(&serde_json::from_slice(&fr.stdout).unwrap());
    assert!(
        slugs.contains(&"s4same-felepiduvet".to_string()),
        "{slugs:?}"
    );
    assert!(
        slugs.contains(&"s4b-fr-rofibuvalit".to_string()),
        "{slugs:?}"
    );
}

#[test]
fn a_sync_against_a_strapi_that_suddenly_lists_nothing_removes_nothing_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let strapi = FakeStrapi::localized(&[("*", "109-"), ("", "110-")]);
    assert!(sync_pages_of(&strapi, &index, &[]).status.success());
    // Now every listing is empty (as locale=all is on Strapi 5).
    strapi.switch_all("105-");
    let out = sync_pages_of(&strapi, &index, &[]);
    assert!(
        !out.status.success(),
        "a sync that would empty the site fails"
    );
    let stderr = text(&out.stderr);
    assert!(stderr.contains("0 removed"), "{stderr}");
    assert!(stderr.contains("80 removals held back"), "{stderr}");
    assert!(stderr.contains("--allow-removals"), "{stderr}");
    assert!(
        stderr
            .contains("not removed (held back by the removal limit): n3a02kzo0y0pgbk20ihele0c@en"),
        "every held-back article is named: {stderr}"
    );
    let all = crate::util::query(&index, &["--limit", "100", "s4legacy"]);
    assert!(!crate::util::slugs(&serde_json::from_slice(&all.stdout).unwrap()).is_empty());
    // Asked for: the removals go through.
    let out = sync_pages_of(&strapi, &index, &["--allow-removals"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("80 removed"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_sync_that_skipped_an_article_exits_non_zero_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let listing: Value = serde_json::from_slice(&recorded("i18n/rest-read", "103-")).unwrap();
    let mut broken = listing.clone();
    broken["data"][0]["blocks"] = serde_json::json!("not a list");
    let strapi = FakeStrapi::serve(vec![(String::new(), serde_json::to_vec(&broken).unwrap())]);
    let out = sync_pages_of(&strapi, &index, &[]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`blocks` must be a list"), "{stderr}");
    assert!(stderr.contains("1 skipped"), "{stderr}");
    assert!(stderr.contains("the sync is incomplete"), "{stderr}");
}
