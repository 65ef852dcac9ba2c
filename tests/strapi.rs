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

    fn fill(&self) {
        let mut f = std::fs::File::create(self.mount.join("filler")).unwrap();
        let block = vec![0u8; 1 << 16];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
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
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = FullDisk::new(&dir.path().join("disk")) else {
        panic!("mounting a tmpfs needs root, which CI has; run this test as root");
    };
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("one.json"),
        r#"{"title": "Backlog basics", "slug": "backlog-basics", "blocks": [{"__component": "shared.rich-text", "body": "Product Owners order the backlog."}]}"#,
    )
    .unwrap();
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
    disk.fill();
    let r = post(&server, &webhook("006"));
    assert_eq!(r.status, 503, "{}", text(&r.body));
    assert_eq!(r.code(), "index_write_unavailable");
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        found(&server, "backlog"),
        ["backlog-basics"],
        "the previous index keeps serving"
    );
    assert!(!found(&server, "Meilisearch").contains(&SLUG.to_string()));
    // Space again: the same webhook now applies.
    disk.free();
    assert_eq!(post(&server, &webhook("006")).status, 200);
    assert!(found(&server, "Meilisearch").contains(&SLUG.to_string()));
    drop(server);
}

/// A fake Strapi answering `GET /api/articles` with a recorded response,
/// paginated by the request's own `pagination[page]` and
/// `pagination[pageSize]`, and 403 without the recorded API token.
struct FakeStrapi {
    url: String,
    body: Arc<Mutex<Vec<u8>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl FakeStrapi {
    fn start(recording: &str) -> FakeStrapi {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let body = Arc::new(Mutex::new(Self::read(recording)));
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
                    ("200 OK", Self::page(&b.lock().unwrap(), &target))
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
            body,
            requests,
        }
    }

    fn read(recording: &str) -> Vec<u8> {
        recorded("rest-read", recording)
    }

    fn switch(&self, recording: &str) {
        *self.body.lock().unwrap() = Self::read(recording);
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
    let mut cmd = rolesearch();
    cmd.args([
        "sync",
        "--strapi-url",
        &strapi.url,
        "--page-size",
        "1",
        "--index",
    ])
    .arg(index);
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
    // Article 1 deleted in Strapi: the next sync removes it, keeps article 2.
    strapi.switch("029-");
    let out = sync(&strapi, &index, Some("LOCAL-API-TOKEN"));
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
    sync(&strapi, &index, Some("LOCAL-API-TOKEN"));
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
