//! `_bulk`, as the writer uses it: operations (index, create, delete)
//! gathered into requests of a few megabytes, never splitting the
//! operations of one article, and every item of the answer checked. An
//! item the cluster rejected for load (429) is sent again, a few times,
//! with a growing pause; any other failed item fails the whole call with
//! the items named: a change is never acknowledged as applied when part of
//! it was not. A delete of a piece that is not there is not a failure, nor
//! is a `create` of a content-named document that already exists.

use std::time::Duration;

use serde_json::{json, Value};

use super::client::{reason, Client};
use crate::error::{Error, Result};

/// A request is sent once it holds this many bytes.
pub(crate) const BATCH_BYTES: usize = 8 << 20;

/// Sends of items rejected for load before giving up.
const RETRIES: u32 = 4;

/// One operation: its action line and, but for a delete, its document.
#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub action: String,
    pub source: Option<String>,
}

impl Op {
    pub fn index(index: &str, id: &str, routing: &str, source: &Value) -> Op {
        Op {
            action: json!({"index": {"_index": index, "_id": id, "routing": routing}}).to_string(),
            source: Some(source.to_string()),
        }
    }

    pub fn create(index: &str, id: &str, source: &Value) -> Op {
        Op {
            action: json!({"create": {"_index": index, "_id": id}}).to_string(),
            source: Some(source.to_string()),
        }
    }

    pub fn delete(index: &str, id: &str, routing: Option<&str>) -> Op {
        let mut d = json!({"_index": index, "_id": id});
        if let Some(r) = routing {
            d["routing"] = json!(r);
        }
        Op {
            action: json!({ "delete": d }).to_string(),
            source: None,
        }
    }

    pub fn bytes(&self) -> usize {
        self.action.len() + self.source.as_ref().map_or(0, String::len) + 2
    }
}

/// Operations gathered into requests; `groups` are sent whole.
#[derive(Default)]
pub(crate) struct Batch {
    ops: Vec<Op>,
    bytes: usize,
}

impl Batch {
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn push(&mut self, op: Op) {
        self.bytes += op.bytes();
        self.ops.push(op);
    }

    pub fn take(&mut self) -> Vec<Op> {
        self.bytes = 0;
        std::mem::take(&mut self.ops)
    }
}

/// Sends `groups` (each one article's operations, kept together) in
/// requests of about [`BATCH_BYTES`], each with `?refresh=<refresh>`.
pub(crate) fn send_groups(client: &Client, groups: Vec<Vec<Op>>, refresh: &str) -> Result<()> {
    let mut request: Vec<Op> = Vec::new();
    let mut bytes = 0;
    for group in groups {
        let size: usize = group.iter().map(Op::bytes).sum();
        if bytes > 0 && bytes + size > BATCH_BYTES {
            send(client, &request, refresh)?;
            request.clear();
            bytes = 0;
        }
        bytes += size;
        request.extend(group);
    }
    if !request.is_empty() {
        send(client, &request, refresh)?;
    }
    Ok(())
}

/// Sends `ops` as one `_bulk` request (and the items rejected for load
/// again); every other failed item is an error.
pub(crate) fn send(client: &Client, ops: &[Op], refresh: &str) -> Result<()> {
    let mut pending: Vec<usize> = (0..ops.len()).collect();
    let mut attempt = 0;
    loop {
        let mut body = Vec::with_capacity(pending.iter().map(|&i| ops[i].bytes()).sum());
        for &i in &pending {
            body.extend_from_slice(ops[i].action.as_bytes());
            body.push(b'\n');
            if let Some(source) = &ops[i].source {
                body.extend_from_slice(source.as_bytes());
                body.push(b'\n');
            }
        }
        let answer = match client.ndjson(&format!("/_bulk?refresh={refresh}"), body) {
            // The whole request rejected for load: again, after a pause.
            Err(Error::Unavailable { .. }) if attempt < RETRIES => {
                attempt += 1;
                std::thread::sleep(pause(attempt));
                continue;
            }
            other => other?.success()?,
        };
        if answer.get("errors").and_then(Value::as_bool) != Some(true) {
            return Ok(());
        }
        let items = answer
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut again = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        let mut unavailable = false;
        for (n, item) in items.iter().enumerate() {
            let Some((action, result)) = item.as_object().and_then(|o| o.iter().next()) else {
                continue;
            };
            let status = result.get("status").and_then(Value::as_u64).unwrap_or(0);
            let fine = status < 300
                || (action == "delete" && status == 404)
                || (action == "create" && status == 409);
            if fine {
                continue;
            }
            if status == 429 {
                if let Some(&i) = pending.get(n) {
                    again.push(i);
                }
                continue;
            }
            let error = result
                .get("error")
                .map(Value::to_string)
                .unwrap_or_default();
            unavailable |= error.contains("cluster_block_exception")
                || error.contains("unavailable_shards_exception")
                || status == 503;
            failed.push(format!(
                "{action} {}: status {status}: {}",
                result.get("_id").and_then(Value::as_str).unwrap_or("?"),
                reason(&format!("{{\"error\":{error}}}"))
            ));
        }
        if !failed.is_empty() {
            let shown: Vec<&String> = failed.iter().take(5).collect();
            let message = format!(
                "{} of {} bulk operations failed, so the change is not acknowledged (send it again): {}{}",
                failed.len(),
                pending.len(),
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; "),
                if failed.len() > 5 { "; …" } else { "" }
            );
            return Err(if unavailable {
                Error::Unavailable {
                    what: client.what().to_string(),
                    reason: message,
                }
            } else {
                Error::OpenSearch(message)
            });
        }
        if again.is_empty() {
            return Ok(());
        }
        if attempt >= RETRIES {
            return Err(Error::Unavailable {
                what: client.what().to_string(),
                reason: format!(
                    "it kept rejecting {} bulk operations for load (429)",
                    again.len()
                ),
            });
        }
        attempt += 1;
        std::thread::sleep(pause(attempt));
        pending = again;
    }
}

fn pause(attempt: u32) -> Duration {
    Duration::from_millis(100 << attempt.min(6))
}
