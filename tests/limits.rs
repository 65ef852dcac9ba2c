//! Nothing a client or an article sends can exhaust the server: slow and
//! silent connections are closed, connections past the cap get a cheap
//! answer (and `/health` still works), requests that panicked warp get a
//! 400, hyper's own error answers have our JSON body, writers queue on
//! their own thread with a bound, and keys, timestamps and escapes out of
//! bounds are refused naming the field. Every slow-client test uses a raw
//! socket, small timeouts set by flags, and bounded waits.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::{request, Reply, Server};
use crate::util::{bundled_index, text};

const SECRET: &str = "limits-secret";

/// Sends `raw` on a fresh connection and reads until the server closes it
/// (or 10 s pass: then `None`).
fn exchange(addr: &str, raw: &[u8]) -> Option<Vec<u8>> {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(raw).unwrap();
    read_until_closed(&mut stream, Duration::from_secs(10))
}

/// Reads until the server closes the connection; `None` when it is still
/// open after `wait`.
fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<Vec<u8>> {
    let deadline = Instant::now() + wait;
    let mut out = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return None;
        }
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut buf) {
            Ok(0) => return Some(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None
            }
            // Reset by the server: closed too.
            Err(_) => return Some(out),
        }
    }
}

/// The status and JSON body of one raw response.
fn status_and_json(raw: &[u8]) -> (u16, Value) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no response in {text:?}"));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let json = serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"));
    (status, json)
}

fn code(json: &Value) -> &str {
    json["error"]["code"].as_str().unwrap_or_default()
}

/// A server of the bundled index with a webhook secret and `extra` flags,
/// its log in `dir/server.log`.
fn start(dir: &Path, extra: &[&str]) -> Server {
    let secret = dir.join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let index = dir.join("index");
    copy_dir(bundled_index(), &index);
    let mut args = vec!["--webhook-secret-file", secret.to_str().unwrap()];
    args.extend_from_slice(extra);
    Server::start_logged(&index, &args, &dir.join("server.log"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "write.lock" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn post_webhook(server: &Server, body: &[u8]) -> Reply {
    server.request(
        "POST",
        "/webhooks/strapi",
        &[
            ("Authorization", &format!("Bearer {SECRET}")),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}

/// A publish event of one article, as Strapi 5 sends it.
fn publish(document_id: &str, slug: &str, created_at: &str, words: &str) -> Vec<u8> {
    serde_json::json!({
        "event": "entry.publish",
        "createdAt": created_at,
        "model": "article",
        "uid": "api::article.article",
        "entry": {
            "id": 7,
            "documentId": document_id,
            "locale": "en",
            "title": format!("Notes on {words}"),
            "slug": slug,
            "createdAt": "2026-01-01T00:00:00.000Z",
            "updatedAt": "2026-01-01T00:00:00.000Z",
            "publishedAt": "2026-01-01T00:00:00.000Z",
            "blocks": [{"__component": "shared.rich-text", "body": format!("All about {words}.")}],
        }
    })
    .to_string()
    .into_bytes()
}

fn unpublish(document_id: &str, created_at: &str) -> Vec<u8> {
    serde_json::json!({
        "event": "entry.unpublish",
        "createdAt": created_at,
        "model": "article",
        "uid": "api::article.article",
        "entry": {"id": 7, "documentId": document_id, "locale": "en", "publishedAt": null},
    })
    .to_string()
    .into_bytes()
}

fn log(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
}

#[test]
fn a_silent_connection_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--header-timeout", "1"]);
    let mut silent = TcpStream::connect(&server.addr).unwrap();
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(10)).is_some(),
        "a connection that sends nothing stays open"
    );
}

#[test]
fn a_header_trickled_a_line_at_a_time_is_cut_off_at_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--header-timeout", "1"]);
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /search?q=po HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut closed = false;
    for i in 0..40 {
        std::thread::sleep(Duration::from_millis(250));
        if slow
            .write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
            .is_err()
        {
            closed = true;
            break;
        }
        slow.set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        let mut buf = [0u8; 16];
        if matches!(slow.read(&mut buf), Ok(0)) {
            closed = true;
            break;
        }
    }
    assert!(closed, "a head trickled over 10 s was still being read");
}

#[test]
fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--header-timeout", "1"]);
    let mut conn = TcpStream::connect(&server.addr).unwrap();
    conn.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut first = [0u8; 12];
    conn.read_exact(&mut first).unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(
        read_until_closed(&mut conn, Duration::from_secs(10)).is_some(),
        "an idle kept-alive connection stays open"
    );
}

#[test]
fn a_body_trickled_a_byte_at_a_time_gets_408_at_the_body_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--body-timeout", "1"]);
    for (target, auth) in [
        ("/search?q=po", String::new()),
        (
            "/webhooks/strapi",
            format!("Authorization: Bearer {SECRET}\r\n"),
        ),
    ] {
        let mut conn = TcpStream::connect(&server.addr).unwrap();
        let head = format!(
            "POST {target} HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        );
        let head = if target.starts_with("/search") {
            head.replacen("POST", "GET", 1)
        } else {
            head
        };
        conn.write_all(head.as_bytes()).unwrap();
        let mut answer = None;
        for _ in 0..40 {
            if conn.write_all(b" ").is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(250));
            conn.set_read_timeout(Some(Duration::from_millis(1)))
                .unwrap();
            let mut buf = [0u8; 1];
            if let Ok(1) = conn.read(&mut buf) {
                let mut rest = read_until_closed(&mut conn, Duration::from_secs(10)).unwrap();
                rest.insert(0, buf[0]);
                answer = Some(rest);
                break;
            }
        }
        let answer =
            answer.unwrap_or_else(|| panic!("{target}: no answer to a body trickled for 10 s"));
        let (status, json) = status_and_json(&answer);
        assert_eq!((status, code(&json)), (408, "request_timeout"), "{target}");
    }
}

#[test]
fn past_the_connection_cap_clients_get_503_with_retry_after_and_health_still_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(
        dir.path(),
        &["--max-connections", "2", "--header-timeout", "30"],
    );
    let held: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut c = TcpStream::connect(&server.addr).unwrap();
            c.write_all(b"GET /search?q=po HTTP/1.1\r\n").unwrap();
            c
        })
        .collect();
    // The two held connections are accepted before the next one is.
    std::thread::sleep(Duration::from_millis(300));
    let over = server.get("/search?q=po");
    assert_eq!((over.status, over.code().as_str()), (503, "overloaded"));
    assert!(over.header("retry-after").is_some());
    assert_eq!(over.header("connection"), Some("close"));
    let health = server.get("/health");
    assert_eq!(health.status, 200, "{}", text(&health.body));
    assert_eq!(health.json()["status"], "ready");
    drop(held);
    let metrics = String::from_utf8(server.get("/metrics").body).unwrap();
    assert!(
        metrics.contains("rolesearch_connections_max 2"),
        "{metrics}"
    );
    assert!(
        metrics.contains("rolesearch_connections_over_cap_total 2"),
        "{metrics}"
    );
    let mut status = 0;
    for _ in 0..100 {
        status = server.get("/search?q=po").status;
        if status == 200 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        status, 200,
        "the slots of closed connections are given back"
    );
}

#[test]
fn targets_that_are_not_paths_get_400_and_never_panic_a_worker() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let server = Server::start_logged(
        bundled_index(),
        &["--webhook-secret-file", secret.to_str().unwrap()],
        &dir.path().join("server.log"),
    );
    for line in [
        "GET 127.0.0.1:80 HTTP/1.1",
        "CONNECT 127.0.0.1:80 HTTP/1.1",
        "OPTIONS 127.0.0.1:80 HTTP/1.1",
        "OPTIONS * HTTP/1.1",
    ] {
        let raw = exchange(
            &server.addr,
            format!("{line}\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .unwrap_or_else(|| panic!("{line}: the connection stayed open"));
        assert!(
            !raw.is_empty(),
            "{line}: the connection was dropped without an answer"
        );
        let (status, json) = status_and_json(&raw);
        assert_eq!((status, code(&json)), (400, "bad_request"), "{line}");
    }
    assert_eq!(
        server.get("/search?q=po").status,
        200,
        "the server still serves"
    );
    let log = log(dir.path());
    assert!(!log.contains("panicked"), "{log}");
}

#[test]
fn hypers_own_error_answers_have_the_json_error_body() {
    let server = Server::start(bundled_index(), &[]);
    let cases: [(Vec<u8>, u16, &str); 3] = [
        (
            b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            b"G\x01T / HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
            400,
            "bad_request",
        ),
        (
            [
                b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ".as_slice(),
                &vec![b'a'; 40_000],
                b"\r\n\r\n",
            ]
            .concat(),
            431,
            "headers_too_large",
        ),
    ];
    for (raw, want, want_code) in cases {
        let answer = exchange(&server.addr, &raw).expect("the server answers and closes");
        let (status, json) = status_and_json(&answer);
        assert_eq!((status, code(&json)), (want, want_code));
        assert!(!json["error"]["message"].as_str().unwrap().is_empty());
        let head = String::from_utf8_lossy(&answer).to_ascii_lowercase();
        assert!(head.contains("content-type: application/json"), "{head}");
    }
    assert_eq!(server.get("/health").status, 200);
}

#[test]
fn queued_webhooks_never_starve_searches_and_a_full_write_queue_answers_503() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--write-queue", "1"]);
    // Another writer (a rebuild, say) holds the index's write lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.path().join("index/write.lock"))
        .unwrap();
    lock.lock().unwrap();
    let addr = server.addr.clone();
    let waiting: Vec<_> = (0..2)
        .map(|i| {
            let addr = addr.clone();
            let body = publish(
                &format!("queued{i}"),
                &format!("queued-{i}"),
                "2026-01-02T00:00:00Z",
                "zebra crossings",
            );
            let t = std::thread::spawn(move || {
                request(
                    &addr,
                    "POST",
                    "/webhooks/strapi",
                    &[
                        ("Authorization", &format!("Bearer {SECRET}")),
                        ("Content-Type", "application/json"),
                    ],
                    &body,
                )
            });
            // In this order: the first is with the writer, the second queued.
            std::thread::sleep(Duration::from_millis(500));
            t
        })
        .collect();
    let full = post_webhook(
        &server,
        &publish(
            "queued9",
            "queued-9",
            "2026-01-02T00:00:00Z",
            "zebra crossings",
        ),
    );
    assert_eq!(
        (full.status, full.code().as_str()),
        (503, "write_queue_full"),
        "{}",
        text(&full.body)
    );
    assert!(full.header("retry-after").is_some());
    for _ in 0..30 {
        assert_eq!(server.get("/search?q=product+owner").status, 200);
        assert_eq!(server.get("/health").status, 200);
    }
    lock.unlock().unwrap();
    for t in waiting {
        let r = t.join().unwrap();
        assert_eq!(r.status, 200, "{}", text(&r.body));
        assert_eq!(r.json()["status"], "applied");
    }
    let hits = server.get("/search?q=zebra+crossings").json();
    assert_eq!(hits["hits"].as_array().unwrap().len(), 2, "{hits}");
}

#[test]
fn an_over_long_key_or_slug_in_a_webhook_is_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let long_id = "d".repeat(70_000);
    for body in [
        publish(&long_id, "a-fine-slug", "2026-01-02T00:00:00Z", "long keys"),
        unpublish(&long_id, "2026-01-02T00:00:00Z"),
    ] {
        let r = post_webhook(&server, &body);
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_body"),
            "{}",
            text(&r.body)
        );
        let message = r.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(
            message.contains("documentId") || message.contains("key"),
            "{message}"
        );
        assert!(message.contains("256"), "{message}");
    }
    let slug = "s".repeat(5_000_000);
    let r = post_webhook(
        &server,
        &publish("fine-id", &slug, "2026-01-02T00:00:00Z", "long slugs"),
    );
    assert_eq!((r.status, r.code().as_str()), (400, "invalid_body"));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("slug"));
    let hits = server.get("/search?q=long+slugs").json();
    assert!(
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["title"] != "Notes on long slugs"),
        "a refused article is searchable"
    );
}

#[test]
fn a_timestamp_from_the_future_is_refused_and_cannot_freeze_an_article() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let r = post_webhook(
        &server,
        &publish("frozen", "frozen", "9999-12-31T00:00:00.000Z", "glaciers"),
    );
    assert_eq!(
        (r.status, r.code().as_str()),
        (400, "invalid_body"),
        "{}",
        text(&r.body)
    );
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("createdAt"));
    let mut future_entry: Value = serde_json::from_slice(&publish(
        "frozen",
        "frozen",
        "2026-01-02T00:00:00Z",
        "glaciers",
    ))
    .unwrap();
    future_entry["entry"]["updatedAt"] = "9999-12-31T00:00:00.000Z".into();
    let r = post_webhook(&server, future_entry.to_string().as_bytes());
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("entry.updatedAt"));
    // A real change afterwards applies.
    let r = post_webhook(
        &server,
        &publish("frozen", "frozen", "2026-01-02T00:00:00Z", "glaciers"),
    );
    assert_eq!(r.json()["status"], "applied", "{}", text(&r.body));
}

#[test]
fn the_answer_cache_stays_within_its_byte_budget_and_shows_it_in_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--search-cache-bytes", "64KiB"]);
    for q in [
        "product",
        "owner",
        "roadmap",
        "backlog",
        "design",
        "engineer",
        "manager",
        "sales",
        "data",
        "career",
        "promotion",
        "ladder",
        "interview",
        "okr",
        "kpi",
        "decide",
        "framework",
        "culture",
        "intern",
        "analyst",
    ] {
        assert_eq!(
            server
                .get(&format!("/search?q={q}&limit=100&sections=10"))
                .status,
            200
        );
    }
    let metrics = String::from_utf8(server.get("/metrics").body).unwrap();
    let bytes: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("rolesearch_search_cache_bytes "))
        .expect("the gauge rolesearch_search_cache_bytes")
        .parse()
        .unwrap();
    assert!(bytes > 0 && bytes <= 64 * 1024, "{bytes}");
}

#[test]
fn a_percent_without_two_hex_digits_is_a_400_naming_q() {
    let server = Server::start(bundled_index(), &[]);
    for q in ["%", "%G1", "%2", "road%2"] {
        let r = server.get(&format!("/search?q={q}"));
        assert_eq!(
            (r.status, r.code().as_str()),
            (400, "invalid_escape"),
            "{q}"
        );
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"q\""));
    }
}

#[test]
fn options_without_a_cors_preflight_is_405_with_allow() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let r = server.request("OPTIONS", "/webhooks/strapi", &[], b"");
    assert_eq!((r.status, r.code().as_str()), (405, "method_not_allowed"));
    assert_eq!(r.header("allow"), Some("POST"));
    let r = server.request("OPTIONS", "/search", &[], b"");
    assert_eq!((r.status, r.header("allow")), (405, Some("GET, HEAD")));
}

#[test]
fn a_bearer_secret_must_match_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let body = publish("exact", "exact", "2026-01-02T00:00:00Z", "exact secrets");
    for presented in [
        format!("Bearer  {SECRET}"),
        format!("Bearer {SECRET} x"),
        format!("Bearer\t{SECRET}"),
        format!("bearer{SECRET}"),
    ] {
        let r = server.request(
            "POST",
            "/webhooks/strapi",
            &[
                ("Authorization", &presented),
                ("Content-Type", "application/json"),
            ],
            &body,
        );
        assert_eq!(r.status, 401, "{presented:?}");
    }
}

#[test]
fn a_webhook_body_may_be_five_mebibytes_and_no_more() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &[]);
    let mut body = publish("big", "big-body", "2026-01-02T00:00:00Z", "padded bodies");
    body.pop();
    body.extend(std::iter::repeat_n(b' ', (5 << 20) - body.len() - 1));
    body.push(b'}');
    assert_eq!(body.len(), 5 << 20);
    let r = post_webhook(&server, &body);
    assert_eq!(r.status, 200, "{}", text(&r.body));
    body.insert(0, b' ');
    let r = post_webhook(&server, &body);
    assert_eq!((r.status, r.code().as_str()), (413, "payload_too_large"));
}

#[test]
fn a_zero_width_space_inside_a_query_word_finds_what_the_word_finds() {
    let server = Server::start(bundled_index(), &[]);
    let plain = server.get("/search?q=roadmap&limit=100").json();
    let hidden = server.get("/search?q=road%E2%80%8Bmap&limit=100").json();
    assert!(!plain["hits"].as_array().unwrap().is_empty());
    assert_eq!(crate::util::slugs(&hidden), crate::util::slugs(&plain));
}

#[test]
fn a_client_that_stops_reading_its_answers_is_disconnected_after_the_body_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(dir.path(), &["--body-timeout", "1"]);
    let mut conn = TcpStream::connect(&server.addr).unwrap();
    // Far more answer bytes than the sockets' buffers hold, never read.
    let one = b"GET /search?q=product+manager&limit=100&sections=10 HTTP/1.1\r\nHost: x\r\n\r\n";
    let asked = 400;
    conn.set_write_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    for _ in 0..asked {
        if conn.write_all(one).is_err() {
            break;
        }
    }
    std::thread::sleep(Duration::from_secs(4));
    let read = read_until_closed(&mut conn, Duration::from_secs(30))
        .expect("a connection whose client stopped reading stays open");
    let answers = String::from_utf8_lossy(&read)
        .matches("HTTP/1.1 200")
        .count();
    assert!(
        answers < asked,
        "every answer arrived: the writes never stalled ({answers})"
    );
}
