//! One writer at a time on a cluster, as the OS file lock admits one per
//! index folder: a `lock` document in the state index, created only if
//! absent (`_create`), naming its owner and when it expires. A writer
//! renews it as it goes (a long build) and deletes it when done; one that
//! dies leaves it to expire, and the next writer takes it over then. Every
//! renewal and the release are conditional on the document being the one
//! written last (sequence number and primary term), so a writer whose lease
//! expired and was taken learns it instead of writing on.
//!
//! Expiry compares times across machines: keep their clocks within a
//! fraction of the lease (60 s by default).

use std::cell::Cell;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::client::Client;
use super::config::OpenSearchConfig;
use crate::error::{Error, Result};

const ID: &str = "lock";

pub(crate) struct Lease {
    client: Arc<Client>,
    path: String,
    owner: String,
    length: Duration,
    seq_no: Cell<u64>,
    primary_term: Cell<u64>,
    renewed: Cell<Instant>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A name for this writer: host, process and a start time.
fn owner() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "host".into());
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{host}/{}/{nanos:09}", std::process::id())
}

impl Lease {
    /// Takes the lease, waiting up to `wait` for another writer to finish.
    pub fn take(client: Arc<Client>, config: &OpenSearchConfig, wait: Duration) -> Result<Lease> {
        let path = format!("/{}/_doc/{ID}", config.state_index());
        let create = format!("/{}/_create/{ID}", config.state_index());
        let owner = owner();
        let started = Instant::now();
        loop {
            let body = json!({"type": "lock", "owner": owner, "expires": now_ms() + config.lease.as_millis() as u64});
            let reply = client.json("PUT", &create, &body)?;
            if reply.is_success() {
                let v = reply.json()?;
                return Ok(Lease {
                    client,
                    path,
                    owner,
                    length: config.lease,
                    seq_no: Cell::new(v.get("_seq_no").and_then(Value::as_u64).unwrap_or(0)),
                    primary_term: Cell::new(
                        v.get("_primary_term").and_then(Value::as_u64).unwrap_or(1),
                    ),
                    renewed: Cell::new(Instant::now()),
                });
            }
            if reply.status != 409 {
                reply.success()?;
            }
            // Held: by whom, until when?
            let held = client.get(&path)?;
            if held.status == 200 {
                let v = held.json()?;
                let expires = v
                    .pointer("/_source/expires")
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                let holder = v
                    .pointer("/_source/owner")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string();
                let seq = v.get("_seq_no").and_then(Value::as_u64).unwrap_or(0);
                let term = v.get("_primary_term").and_then(Value::as_u64).unwrap_or(1);
                if holder == owner {
                    // Ours: a create whose answer was lost, sent again.
                    return Ok(Lease {
                        client,
                        path,
                        owner,
                        length: config.lease,
                        seq_no: Cell::new(seq),
                        primary_term: Cell::new(term),
                        renewed: Cell::new(Instant::now()),
                    });
                }
                if expires <= now_ms() {
                    // Expired: take it over (whoever deletes it first wins).
                    client.delete(&format!("{path}?if_seq_no={seq}&if_primary_term={term}"))?;
                    continue;
                }
                if started.elapsed() >= wait {
                    return Err(Error::Unavailable {
                        what: config.describe(),
                        reason: format!(
                            "another rolesearch process is writing it (lease held by {holder} for {} s more)",
                            (expires - now_ms()).div_ceil(1000)
                        ),
                    });
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Renews the lease if a third of it has gone by; fails if it was lost.
    pub fn renew(&self) -> Result<()> {
        if self.renewed.get().elapsed() < self.length / 3 {
            return Ok(());
        }
        self.force_renew()
    }

    /// Renews the lease now.
    pub fn force_renew(&self) -> Result<()> {
        let body = json!({"type": "lock", "owner": self.owner, "expires": now_ms() + self.length.as_millis() as u64});
        let reply = self.client.json(
            "PUT",
            &format!(
                "{}?if_seq_no={}&if_primary_term={}",
                self.path,
                self.seq_no.get(),
                self.primary_term.get()
            ),
            &body,
        )?;
        if reply.status == 409 || reply.status == 404 {
            return Err(Error::Unavailable {
                what: self.client.what().to_string(),
                reason: "this writer's lease expired and another writer took it: nothing more was written".into(),
            });
        }
        let v = reply.success()?;
        self.seq_no
            .set(v.get("_seq_no").and_then(Value::as_u64).unwrap_or(0));
        self.primary_term
            .set(v.get("_primary_term").and_then(Value::as_u64).unwrap_or(1));
        self.renewed.set(Instant::now());
        Ok(())
    }
}

impl Drop for Lease {
    /// Best effort: a lease not released expires.
    fn drop(&mut self) {
        let _ = self.client.delete(&format!(
            "{}?if_seq_no={}&if_primary_term={}",
            self.path,
            self.seq_no.get(),
            self.primary_term.get()
        ));
    }
}
