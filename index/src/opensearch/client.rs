//! The HTTP client of the OpenSearch engine: blocking (`ureq`; the server
//! runs searches on a blocking pool), one agent with pooled connections,
//! TLS verified (the Mozilla roots, or the CA file given), credentials on
//! every request. A request goes to the node that answered last; one that
//! cannot be reached hands it to the next.
//!
//! What the cluster answers is sorted into our errors here, once:
//! unreachable nodes, overload (429), a cluster without the shards it needs
//! (503, partial results), refused credentials: [`Error::Unavailable`] (the
//! server's 503 with `Retry-After`); anything else that is not a success:
//! [`Error::OpenSearch`], with OpenSearch's own reason.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde_json::Value;
use ureq::http;

use super::config::{Auth, OpenSearchConfig};
use crate::error::{Error, Parameter, Result};

/// Largest answer read (a vocabulary page, an article's pieces).
const MAX_BODY: u64 = 1 << 30;

pub(crate) struct Client {
    agent: ureq::Agent,
    urls: Vec<String>,
    authorization: Option<String>,
    /// The node that answered last, by position in `urls`.
    preferred: AtomicUsize,
    /// How messages name the cluster.
    what: String,
}

/// An answer: its status and body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON.
    pub fn json(&self) -> Result<Value> {
        serde_json::from_str(&self.body).map_err(|e| {
            Error::OpenSearch(format!(
                "an answer (status {}) that is not JSON: {e}: {}",
                self.status,
                excerpt(&self.body)
            ))
        })
    }

    /// The body as JSON if the status is a success, else the error it says.
    pub fn success(self) -> Result<Value> {
        if self.is_success() {
            self.json()
        } else {
            Err(Error::OpenSearch(format!(
                "status {}: {}",
                self.status,
                reason(&self.body)
            )))
        }
    }

    /// The error type OpenSearch names (`index_not_found_exception`, …).
    pub fn error_type(&self) -> Option<String> {
        let v: Value = serde_json::from_str(&self.body).ok()?;
        v.pointer("/error/type")?.as_str().map(str::to_string)
    }
}

impl Client {
    pub fn new(config: &OpenSearchConfig) -> Result<Client> {
        config.check()?;
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(path) = &config.ca_file {
            let pem = std::fs::read(path)
                .map_err(|e| Error::io(format!("cannot read CA file {}", path.display()), e))?;
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| Error::InvalidParameter {
                    parameter: Parameter::OpenSearch,
                    message: format!("CA file {}: {e}", path.display()),
                })?;
            if certs.is_empty() {
                return Err(Error::InvalidParameter {
                    parameter: Parameter::OpenSearch,
                    message: format!("CA file {} holds no certificate", path.display()),
                });
            }
            tls = tls.root_certs(ureq::tls::RootCerts::Specific(Arc::new(certs)));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(config.timeout))
            .timeout_connect(Some(config.connect_timeout))
            .max_idle_connections_per_host(32)
            .tls_config(tls.build())
            .user_agent("rolesearch")
            .build()
            .into();
        let authorization = match &config.auth {
            Auth::None => None,
            Auth::Basic { username, password } => Some(format!(
                "Basic {}",
                base64(format!("{username}:{password}").as_bytes())
            )),
            Auth::ApiKey(key) if key.contains(':') => {
                Some(format!("ApiKey {}", base64(key.as_bytes())))
            }
            Auth::ApiKey(key) => Some(format!("ApiKey {key}")),
        };
        Ok(Client {
            agent,
            urls: config
                .urls
                .iter()
                .map(|u| u.trim_end_matches('/').to_string())
                .collect(),
            authorization,
            preferred: AtomicUsize::new(0),
            what: format!("OpenSearch at {}", config.urls.join(", ")),
        })
    }

    /// How messages name the cluster.
    pub fn what(&self) -> &str {
        &self.what
    }

    pub fn get(&self, path: &str) -> Result<Reply> {
        self.send("GET", path, None)
    }

    pub fn delete(&self, path: &str) -> Result<Reply> {
        self.send("DELETE", path, None)
    }

    /// A request with a JSON body.
    pub fn json(&self, method: &str, path: &str, body: &Value) -> Result<Reply> {
        self.send(
            method,
            path,
            Some(("application/json", body.to_string().into_bytes())),
        )
    }

    /// A `_bulk` or `_msearch` body: one JSON value a line.
    pub fn ndjson(&self, path: &str, body: Vec<u8>) -> Result<Reply> {
        self.send("POST", path, Some(("application/x-ndjson", body)))
    }

    /// Sends one request, to the node that answered last and then to the
    /// others while a node cannot be reached; what the cluster answers is
    /// sorted as the module note says. Statuses that are not errors of
    /// availability are returned for the caller to read.
    pub fn send(&self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Result<Reply> {
        let start = self.preferred.load(Ordering::Relaxed);
        let mut failures: Vec<String> = Vec::new();
        for i in 0..self.urls.len() {
            let node = (start + i) % self.urls.len();
            let url = format!("{}{path}", self.urls[node]);
            match self.once(method, &url, body.as_ref()) {
                Ok(reply) => {
                    if node != start {
                        self.preferred.store(node, Ordering::Relaxed);
                    }
                    return self.sorted(reply);
                }
                Err(e) => failures.push(format!("{}: {e}", self.urls[node])),
            }
        }
        Err(Error::Unavailable {
            what: self.what.clone(),
            reason: format!("no node answered ({})", failures.join("; ")),
        })
    }

    fn once(
        &self,
        method: &str,
        url: &str,
        body: Option<&(&str, Vec<u8>)>,
    ) -> std::result::Result<Reply, ureq::Error> {
        let mut request = http::Request::builder().method(method).uri(url);
        if let Some(auth) = &self.authorization {
            request = request.header("authorization", auth);
        }
        let response = match body {
            Some((content_type, bytes)) => {
                let request = request
                    .header("content-type", *content_type)
                    .body(bytes.as_slice())?;
                self.agent.run(request)?
            }
            None => self.agent.run(request.body(())?)?,
        };
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()?;
        Ok(Reply { status, body })
    }

    /// Availability errors out; everything else back to the caller.
    fn sorted(&self, reply: Reply) -> Result<Reply> {
        let unavailable = |reason: String| Error::Unavailable {
            what: self.what.clone(),
            reason,
        };
        match reply.status {
            401 | 403 if !mentions_block(&reply.body) => Err(unavailable(format!(
                "it refused our credentials (status {}: {}); check {} and {} or {}",
                reply.status,
                reason(&reply.body),
                super::config::ENV_USERNAME,
                super::config::ENV_PASSWORD,
                super::config::ENV_API_KEY
            ))),
            429 | 502 | 503 | 504 => Err(unavailable(format!(
                "status {}: {}",
                reply.status,
                reason(&reply.body)
            ))),
            500..=599 if is_availability(&reply.body) => Err(unavailable(format!(
                "status {}: {}",
                reply.status,
                reason(&reply.body)
            ))),
            _ => Ok(reply),
        }
    }
}

/// A write refused because of an index block (read-only, a full disk) is
/// an item error to report, not a credential problem.
fn mentions_block(body: &str) -> bool {
    body.contains("cluster_block_exception")
}

/// Error types that say the cluster cannot answer now, not that the
/// request is wrong.
const AVAILABILITY: [&str; 9] = [
    "no_shard_available_action_exception",
    "node_disconnected_exception",
    "node_closed_exception",
    "node_not_connected_exception",
    "connect_transport_exception",
    "cluster_manager_not_discovered_exception",
    "master_not_discovered_exception",
    "process_cluster_event_timeout_exception",
    "circuit_breaking_exception",
];

fn is_availability(body: &str) -> bool {
    AVAILABILITY.iter().any(|t| body.contains(t))
}

/// Whether a search's answer lacks some shards (failed or skipped
/// because unavailable): never handed on as if complete.
pub(crate) fn check_shards(what: &str, answer: &Value) -> Result<()> {
    let failed = answer
        .pointer("/_shards/failed")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    if failed == 0 {
        return Ok(());
    }
    let cause = answer
        .pointer("/_shards/failures/0/reason")
        .map(|r| {
            format!(
                "{}: {}",
                r.get("type").and_then(Value::as_str).unwrap_or_default(),
                r.get("reason").and_then(Value::as_str).unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let body = answer.to_string();
    if is_availability(&body) || cause.is_empty() {
        Err(Error::Unavailable {
            what: what.to_string(),
            reason: format!("{failed} shard(s) did not answer {cause}"),
        })
    } else {
        Err(Error::OpenSearch(format!(
            "{failed} shard(s) failed: {cause}"
        )))
    }
}

/// OpenSearch's reason for an error answer, in one line.
pub(crate) fn reason(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return excerpt(body);
    };
    let Some(error) = v.get("error") else {
        return excerpt(body);
    };
    if let Some(s) = error.as_str() {
        return s.to_string();
    }
    let mut out = String::new();
    let mut at = Some(error);
    while let Some(e) = at {
        let t = e.get("type").and_then(Value::as_str).unwrap_or_default();
        let r = e.get("reason").and_then(Value::as_str).unwrap_or_default();
        if !out.is_empty() {
            out.push_str(", caused by ");
        }
        out.push_str(&format!("{t}: {r}"));
        at = e
            .get("caused_by")
            .or_else(|| e.pointer("/failed_shards/0/reason"));
        if out.len() > 600 {
            break;
        }
    }
    out
}

fn excerpt(body: &str) -> String {
    let mut end = body.len().min(300);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body[..end].to_string()
}

/// Standard base64 with padding (credentials in a header).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Percent-encodes a path segment (an article key in a document id).
pub(crate) fn segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), encoded);
        }
    }

    #[test]
    fn reasons_follow_the_causes() {
        let body = r#"{"error":{"type":"search_phase_execution_exception","reason":"all shards failed","caused_by":{"type":"script_exception","reason":"boom"}},"status":400}"#;
        assert_eq!(
            reason(body),
            "search_phase_execution_exception: all shards failed, caused by script_exception: boom"
        );
        assert_eq!(reason("plain"), "plain");
    }
}
