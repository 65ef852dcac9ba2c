//! What a cluster holds for one prefix, as the embedded engine's index
//! folder holds generations (`crate::store`):
//!
//! ```text
//! {prefix}                     alias → the live pieces index (CURRENT)
//! {prefix}-pieces-000004       one per full build (gen-000004/)
//! {prefix}-state               shared by every writer and reader:
//!   {prefix}-pieces-000004       the generation document: format, roles,
//!                                languages, counts, times, and the write
//!                                state (per-file part by name, webhook
//!                                versions and tombstones): the payload
//!   files-<fnv>                  a per-file state part, named by content
//!   kept-<fnv>-<fnv>             a webhook article kept for rebuilds (blobs)
//!   lock                         the writers' lease (write.lock)
//! ```
//!
//! The alias is the one pointer: a build writes its generation document
//! before it moves the alias in one `_aliases` call, so the live index and
//! its state are always found together. The generation document's
//! sequence number changes with every write to it and only grows: readers
//! take it as their generation (the answer cache's key).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::client::{segment, Client};
use super::config::OpenSearchConfig;
use crate::error::{Error, Result};

/// The generation document of one pieces index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct GenDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub index: String,
    pub number: u64,
    pub format: u32,
    pub shards: u32,
    /// Role ids by bit of `role_mask`.
    pub roles: Vec<String>,
    /// Language codes every piece carries the marker in (see `mapping`).
    #[serde(default)]
    pub languages: Vec<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    pub articles: u64,
    pub pieces: u64,
    /// The write state, as `State::stored` lays it out.
    #[serde(default)]
    pub state: Value,
}

/// A generation document as read, with what a conditional write needs.
#[derive(Debug, Clone)]
pub(crate) struct Versioned {
    pub doc: GenDoc,
    pub seq_no: u64,
    pub primary_term: u64,
}

/// The index the alias points to, if any. Several (a swap gone half-way
/// by hand): the newest.
pub(crate) fn live_index(client: &Client, config: &OpenSearchConfig) -> Result<Option<String>> {
    let reply = client.get(&format!("/_alias/{}", segment(&config.alias())))?;
    if reply.status == 404 {
        return Ok(None);
    }
    let answer = reply.success()?;
    let mut indexes: Vec<String> = answer
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    indexes.sort_by_key(|i| config.generation_of(i).unwrap_or(0));
    Ok(indexes.pop())
}

/// Every pieces index of the prefix, and whether the alias is on it.
pub(crate) fn pieces_indexes(
    client: &Client,
    config: &OpenSearchConfig,
) -> Result<Vec<(String, bool)>> {
    let answer = client
        .get(&format!(
            "/{}/_alias?expand_wildcards=all",
            config.pieces_pattern()
        ))?
        .success()?;
    let alias = config.alias();
    Ok(answer
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(name, _)| config.generation_of(name).is_some())
                .map(|(name, v)| {
                    let aliased = v
                        .get("aliases")
                        .and_then(Value::as_object)
                        .is_some_and(|a| a.contains_key(&alias));
                    (name.clone(), aliased)
                })
                .collect()
        })
        .unwrap_or_default())
}

/// The generation document of `index`.
pub(crate) fn read(
    client: &Client,
    config: &OpenSearchConfig,
    index: &str,
) -> Result<Option<Versioned>> {
    let reply = client.get(&format!(
        "/{}/_doc/{}",
        config.state_index(),
        segment(index)
    ))?;
    if reply.status == 404 {
        return Ok(None);
    }
    let answer = reply.success()?;
    let number = |name: &str| answer.get(name).and_then(Value::as_u64);
    let doc: GenDoc = answer
        .get("_source")
        .cloned()
        .and_then(|s| serde_json::from_value(s).ok())
        .ok_or_else(|| foreign(config, format!("the state of {index} is unreadable")))?;
    Ok(Some(Versioned {
        doc,
        seq_no: number("_seq_no").unwrap_or(0),
        primary_term: number("_primary_term").unwrap_or(1),
    }))
}

/// Just the sequence number of `index`'s generation document (cheap: no
/// source), to see whether it changed.
pub(crate) fn seq_no(
    client: &Client,
    config: &OpenSearchConfig,
    index: &str,
) -> Result<Option<u64>> {
    let reply = client.get(&format!(
        "/{}/_doc/{}?_source=false",
        config.state_index(),
        segment(index)
    ))?;
    if reply.status == 404 {
        return Ok(None);
    }
    Ok(reply.success()?.get("_seq_no").and_then(Value::as_u64))
}

/// Creates the state index unless it exists.
pub(crate) fn ensure_state_index(client: &Client, config: &OpenSearchConfig) -> Result<()> {
    let reply = client.json(
        "PUT",
        &format!("/{}", config.state_index()),
        &super::mapping::state_index(),
    )?;
    if reply.is_success()
        || reply.error_type().as_deref() == Some("resource_already_exists_exception")
    {
        Ok(())
    } else {
        reply.success().map(|_| ())
    }
}

/// The error of a cluster that holds something that is not our index.
pub(crate) fn foreign(config: &OpenSearchConfig, reason: String) -> Error {
    Error::Foreign {
        path: config.describe().into(),
        reason,
    }
}

/// The error of a cluster with no index for the prefix yet.
pub(crate) fn not_found(config: &OpenSearchConfig) -> Error {
    Error::NotFound(config.describe().into())
}
