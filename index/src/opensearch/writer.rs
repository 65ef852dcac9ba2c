//! The OpenSearch write target (`crate::write::target`): the same build,
//! update and apply as on an index folder, committed to a cluster. The
//! writers' rules are not here; only how a commit is stored:
//!
//! - **A full build** creates a new pieces index (no replicas and no
//!   refreshes while it fills), sends the pieces in `_bulk` requests of a
//!   few megabytes, refreshes once, adds the replicas, writes the
//!   generation document with the state, then moves the alias in one
//!   `_aliases` call (remove from the old index, add to the new): a search
//!   sees the old index or the new, never a mix. The old index is deleted
//!   after `retire_after` (searches in flight finish on it), with what no
//!   generation names any more. Dropped before that, the new index is deleted.
//! - **An update or a webhook** replaces an article's pieces in one
//!   `_bulk`: its pieces by id (`key#position`, so the new ones overwrite
//!   the old) and deletes of the ids past its new end (their positions
//!   looked up first), all routed to the article's shard, with
//!   `refresh=true`. The live index never refreshes on its own
//!   (`refresh_interval: -1`), so that refresh makes the whole replacement
//!   visible at once, and the answer comes only when it is searchable.
//!   Then the generation document takes the new state, conditionally on
//!   being the one read (sequence number and primary term).
//!
//! Per-item failures fail the commit (`bulk`); the state is written only
//! after every piece went in, so a failed change is never recorded as
//! applied. What a failure leaves half-written (some items of a bulk) stays
//! until the change is sent again, or the next full build.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use indexer::Article;

use super::bulk::{self, Batch, Op};
use super::client::{check_shards, segment, Client};
use super::config::OpenSearchConfig;
use super::documents::{article_documents, piece_id};
use super::engine::count;
use super::generations::{self, GenDoc, Versioned};
use super::lease::Lease;
use super::mapping::{self, FORMAT};
use super::query;
use crate::analysis::analyzer::Analyzers;
use crate::analysis::Language;
use crate::error::{Error, Result};
use crate::store::blobs;
use crate::store::state::{files_part, Files, State};
use crate::write::build::{role_ids, BuildOptions};
use crate::write::target::{Commit, Committed, Copies, Kept, NoCopies, Target};

/// A cluster held for writing (its lease) until dropped.
pub(crate) struct OpenSearchTarget {
    client: Arc<Client>,
    config: OpenSearchConfig,
    lease: Lease,
    /// The content files a full build will read (see [`languages_in`]).
    files: Vec<std::path::PathBuf>,
}

impl OpenSearchTarget {
    /// Takes the cluster's write lease, waiting up to `wait` for another
    /// writer; creates the state index the first time.
    pub fn lock(config: &OpenSearchConfig, wait: Duration) -> Result<OpenSearchTarget> {
        let client = Arc::new(Client::new(config)?);
        generations::ensure_state_index(&client, config)?;
        let lease = Lease::take(client.clone(), config, wait)?;
        Ok(OpenSearchTarget {
            client,
            config: config.clone(),
            lease,
            files: Vec::new(),
        })
    }

    /// Marks every piece of a full build in the languages `files` are
    /// written in (see [`languages_in`]), not only in those met so far.
    pub fn expecting(mut self, files: &[std::path::PathBuf]) -> OpenSearchTarget {
        self.files = files.to_vec();
        self
    }

    fn state_index(&self) -> String {
        self.config.state_index()
    }

    /// The live index and its generation document.
    fn live_generation(&self) -> Result<(String, Versioned)> {
        let index = generations::live_index(&self.client, &self.config)?
            .ok_or_else(|| generations::not_found(&self.config))?;
        let versioned =
            generations::read(&self.client, &self.config, &index)?.ok_or_else(|| {
                generations::foreign(&self.config, format!("{index} has no state document"))
            })?;
        Ok((index, versioned))
    }

    /// The per-file state part `name` (content-named: cached once read).
    fn read_files(&self, name: &str) -> Option<Arc<Files>> {
        static CACHE: Mutex<Option<(String, Arc<Files>)>> = Mutex::new(None);
        let id = format!("{}/{name}", self.state_index());
        if let Some((cached, files)) = CACHE.lock().ok()?.as_ref() {
            if *cached == id {
                return Some(files.clone());
            }
        }
        let reply = self
            .client
            .get(&format!("/{}/_doc/{}", self.state_index(), segment(name)))
            .ok()?;
        let answer = reply.success().ok()?;
        let json = answer.pointer("/_source/json")?.as_str()?;
        let files: Arc<Files> = Arc::new(serde_json::from_str(json).ok()?);
        *CACHE.lock().ok()? = Some((id, files.clone()));
        Some(files)
    }

    /// Writes the per-file part of `state` unless it is the one read;
    /// returns its name.
    fn write_files(&self, state: &State, read: &Arc<Files>) -> Result<Option<String>> {
        if state.files.is_empty() {
            return Ok(None);
        }
        if Arc::ptr_eq(&state.files, read) {
            if let Some(name) = &state.read_from {
                return Ok(Some(name.clone()));
            }
        }
        let (name, json) = files_part(&state.files);
        let body = json!({"type": "files", "json": String::from_utf8_lossy(&json)});
        let reply = self.client.json(
            "PUT",
            &format!("/{}/_create/{}", self.state_index(), segment(&name)),
            &body,
        )?;
        if reply.status != 409 {
            reply.success()?;
        }
        Ok(Some(name))
    }

    /// Stores kept webhook articles (content-named: one already there is
    /// the same).
    fn write_kept(&self, kept: &[(String, String, Vec<u8>)]) -> Result<()> {
        if kept.is_empty() {
            return Ok(());
        }
        let index = self.state_index();
        let ops: Vec<Op> = kept
            .iter()
            .map(|(name, key, json)| {
                Op::create(
                    &index,
                    &kept_id(name),
                    &json!({"type": "kept", "key": key, "json": String::from_utf8_lossy(json)}),
                )
            })
            .collect();
        bulk::send(&self.client, &ops, "false")
    }

    /// Deletes state documents by id (best effort: what is left is pruned
    /// by the next build).
    fn delete_state_docs(&self, ids: &[String]) {
        if ids.is_empty() {
            return;
        }
        let index = self.state_index();
        let ops: Vec<Op> = ids.iter().map(|id| Op::delete(&index, id, None)).collect();
        let _ = bulk::send(&self.client, &ops, "false");
    }

    /// Deletes pieces indexes and their generation documents.
    fn remove_generations(&self, indexes: &[String]) -> Result<()> {
        if indexes.is_empty() {
            return Ok(());
        }
        let reply = self.client.delete(&format!("/{}", indexes.join(",")))?;
        if reply.status != 404 {
            reply.success()?;
        }
        self.delete_state_docs(indexes);
        Ok(())
    }

    /// Deletes the state documents (file parts, kept articles) the live
    /// generation does not name.
    fn prune(&self, live: &GenDoc) -> Result<()> {
        let state = State::from_stored(&live.state.to_string(), |_| None);
        let mut keep: BTreeSet<String> = state
            .webhook
            .values()
            .filter_map(|w| w.blob.as_deref().map(kept_id))
            .collect();
        if let Some(name) = live.state.get("files").and_then(Value::as_str) {
            keep.insert(name.to_string());
        }
        let index = self.state_index();
        self.client
            .send("POST", &format!("/{index}/_refresh"), None)?
            .success()?;
        let mut stale: Vec<String> = Vec::new();
        let mut after: Option<Value> = None;
        loop {
            let mut body = json!({
                "size": 1000,
                "query": {"terms": {"type": ["kept", "files"]}},
                "sort": [{"_id": "asc"}],
                "_source": false,
            });
            if let Some(a) = &after {
                body["search_after"] = a.clone();
            }
            let answer = self
                .client
                .json("POST", &format!("/{index}/_search"), &body)?
                .success()?;
            let hits = answer
                .pointer("/hits/hits")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for h in &hits {
                if let Some(id) = h.get("_id").and_then(Value::as_str) {
                    if !keep.contains(id) {
                        stale.push(id.to_string());
                    }
                }
            }
            match hits.last().and_then(|h| h.get("sort")) {
                Some(sort) if hits.len() == 1000 => after = Some(sort.clone()),
                _ => break,
            }
        }
        self.delete_state_docs(&stale);
        Ok(())
    }
}

/// The languages of the locales content files name, from a quick look at
/// their bytes (`"locale": "fr-CA"`), without parsing them: a full build
/// marks every piece in these from the first (`mapping`), so a language
/// whose first article comes late in the folder still has exact
/// statistics. One missed here is marked from its first article on.
pub(crate) fn languages_in(files: &[std::path::PathBuf]) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    for file in files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        let mut rest = bytes.as_slice();
        while let Some(at) = find(rest, b"\"locale\"") {
            rest = &rest[at + 8..];
            let value = rest
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .skip_while(|b| **b == b':')
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if value.first() == Some(&b'"') {
                let end = value[1..].iter().position(|b| *b == b'"').unwrap_or(0);
                if let Ok(locale) = std::str::from_utf8(&value[1..1 + end]) {
                    let l = Language::of_locale(locale);
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn kept_id(name: &str) -> String {
    format!("kept-{name}")
}

fn languages_of(codes: &[String]) -> Vec<Language> {
    codes.iter().filter_map(|c| language_of_code(c)).collect()
}

fn language_of_code(code: &str) -> Option<Language> {
    Language::ALL.into_iter().find(|l| l.code() == code)
}

fn codes(languages: &[Language]) -> Vec<String> {
    languages.iter().map(|l| l.code().to_string()).collect()
}

fn article_language(article: &Article) -> Language {
    Language::of_locale(article.locale.as_deref().unwrap_or_default())
}

impl Target for OpenSearchTarget {
    fn live(&self, _options: &BuildOptions) -> Result<Box<dyn Commit + '_>> {
        let (index, versioned) = self.live_generation()?;
        if versioned.doc.format != FORMAT {
            return Err(Error::Version {
                path: self.config.describe().into(),
                found: versioned.doc.format,
                expected: FORMAT,
            });
        }
        let state = State::from_stored(&versioned.doc.state.to_string(), |name| {
            self.read_files(name)
        });
        let blobs_before = state
            .webhook
            .values()
            .filter_map(|w| w.blob.clone())
            .collect();
        Ok(Box::new(LiveWrite {
            target: self,
            index,
            read_files: state.files.clone(),
            files_before: state.read_from.clone(),
            blobs_before,
            versioned,
            state,
            changes: BTreeMap::new(),
            kept: Vec::new(),
            dirty: false,
        }))
    }

    fn fresh(&self, options: &BuildOptions) -> Result<Box<dyn Commit + '_>> {
        let existing = generations::pieces_indexes(&self.client, &self.config)?;
        // Left by builds that never finished (this writer holds the lease).
        let stale: Vec<String> = existing
            .iter()
            .filter(|(_, aliased)| !aliased)
            .map(|(name, _)| name.clone())
            .collect();
        self.remove_generations(&stale)?;
        let number = existing
            .iter()
            .filter_map(|(name, _)| self.config.generation_of(name))
            .max()
            .unwrap_or(0)
            + 1;
        let index = self.config.pieces_index(number);
        let roles = role_ids(&options.taxonomy);
        self.client
            .json(
                "PUT",
                &format!("/{index}"),
                &mapping::pieces_index(self.config.shards, &roles),
            )?
            .success()?;
        // The languages the live index has, and the default one: every
        // piece is marked in them (see `mapping`), others as they come.
        let mut languages = vec![Language::of_locale(options.taxonomy.default_locale())];
        for l in languages_in(&self.files) {
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        if let Ok((_, live)) = self.live_generation() {
            for l in languages_of(&live.doc.languages) {
                if !languages.contains(&l) {
                    languages.push(l);
                }
            }
        }
        Ok(Box::new(FreshWrite {
            target: self,
            index,
            number,
            roles,
            languages,
            state: State::new(false),
            analyzers: Analyzers::default(),
            batch: Batch::default(),
            kept: Vec::new(),
            seq: 0,
            done: false,
        }))
    }

    fn kept(&self) -> Kept {
        let none = || Kept {
            webhook: BTreeMap::new(),
            copies: Box::new(NoCopies),
        };
        let Ok((_, versioned)) = self.live_generation() else {
            return none();
        };
        let state = State::from_stored(&versioned.doc.state.to_string(), |_| None);
        let names: Vec<String> = state
            .webhook
            .values()
            .filter_map(|w| w.blob.clone())
            .collect();
        let mut copies = HashMap::new();
        for chunk in names.chunks(500) {
            let ids: Vec<String> = chunk.iter().map(|n| kept_id(n)).collect();
            let Ok(reply) = self.client.json(
                "POST",
                &format!("/{}/_mget", self.state_index()),
                &json!({"ids": ids}),
            ) else {
                return none();
            };
            let Ok(answer) = reply.success() else {
                return none();
            };
            for doc in answer
                .get("docs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(id), Some(json)) = (
                    doc.get("_id").and_then(Value::as_str),
                    doc.pointer("/_source/json").and_then(Value::as_str),
                ) {
                    let name = id.trim_start_matches("kept-").to_string();
                    copies.insert(name, json.to_string());
                }
            }
        }
        Kept {
            webhook: state.webhook,
            copies: Box::new(FetchedCopies { copies }),
        }
    }
}

/// Kept articles read from the state index.
struct FetchedCopies {
    copies: HashMap<String, String>,
}

impl Copies for FetchedCopies {
    fn exists(&self, name: &str) -> bool {
        self.copies.contains_key(name)
    }

    fn read(&self, name: &str, key: &str) -> Result<Article> {
        match self.copies.get(name) {
            Some(json) => blobs::parse(json.as_bytes(), key, &format!("kept article {name}")),
            None => NoCopies.read(name, key),
        }
    }
}

/// Changes to the live index, sent at the commit.
struct LiveWrite<'t> {
    target: &'t OpenSearchTarget,
    index: String,
    versioned: Versioned,
    state: State,
    /// The per-file part as read (unchanged if still the same `Arc`).
    read_files: Arc<Files>,
    files_before: Option<String>,
    /// Kept copies the state named when read.
    blobs_before: BTreeSet<String>,
    /// By key: when it was last changed in this run, and the article's new
    /// version, or `None` to delete it.
    changes: BTreeMap<String, (usize, Option<Article>)>,
    /// Kept copies to store: name, key, JSON.
    kept: Vec<(String, String, Vec<u8>)>,
    dirty: bool,
}

impl LiveWrite<'_> {
    /// Highest position of each of `keys` that has pieces in the index.
    fn positions(&self, keys: &[&String]) -> Result<HashMap<String, u64>> {
        let client = &self.target.client;
        let mut out = HashMap::new();
        for chunk in keys.chunks(1000) {
            let body = json!({
                "size": 0,
                "track_total_hits": false,
                "query": {"bool": {"filter": [{"terms": {"key": chunk}}]}},
                "aggs": {"k": {
                    "terms": {"field": "key", "size": chunk.len()},
                    "aggs": {"last": {"max": {"field": "position"}}},
                }},
            });
            let answer = client
                .json("POST", &format!("/{}/_search", self.index), &body)?
                .success()?;
            check_shards(client.what(), &answer)?;
            for b in answer
                .pointer("/aggregations/k/buckets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let (Some(key), Some(last)) = (
                    b.get("key").and_then(Value::as_str),
                    b.pointer("/last/value").and_then(Value::as_f64),
                ) {
                    out.insert(key.to_string(), last as u64);
                }
            }
        }
        Ok(out)
    }
}

impl LiveWrite<'_> {
    /// One more than the highest write order in the index.
    fn next_seq(&self) -> Result<u64> {
        let client = &self.target.client;
        let answer = client
            .json(
                "POST",
                &format!("/{}/_search", self.index),
                &json!({"size": 0, "track_total_hits": false, "aggs": {"s": {"max": {"field": "seq"}}}}),
            )?
            .success()?;
        check_shards(client.what(), &answer)?;
        Ok(answer
            .pointer("/aggregations/s/value")
            .and_then(Value::as_f64)
            .map_or(0, |v| v as u64 + 1))
    }
}

impl Commit for LiveWrite<'_> {
    fn state(&self) -> &State {
        &self.state
    }

    fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    fn delete(&mut self, key: &str) -> Result<()> {
        let n = self.changes.len();
        self.changes.insert(key.to_string(), (n, None));
        self.dirty = true;
        Ok(())
    }

    fn upsert(&mut self, article: &Article) -> Result<()> {
        let n = self.changes.len();
        self.changes
            .insert(article.key.clone(), (n, Some(article.clone())));
        self.dirty = true;
        Ok(())
    }

    fn keep(&mut self, article: &Article) -> Result<String> {
        let (name, json) = blobs::named(article);
        self.kept.push((name.clone(), article.key.clone(), json));
        Ok(name)
    }

    fn touch(&mut self) {
        self.dirty = true;
    }

    fn commit(mut self: Box<Self>) -> Result<Committed> {
        let target = self.target;
        let client = &target.client;
        if !self.dirty {
            return Ok(Committed {
                committed: false,
                articles: self.versioned.doc.articles,
                pieces: self.versioned.doc.pieces,
            });
        }
        target.lease.renew()?;
        let changes = std::mem::take(&mut self.changes);
        let mut doc = self.versioned.doc.clone();
        let mut languages = languages_of(&doc.languages);
        for article in changes.values().filter_map(|(_, a)| a.as_ref()) {
            let l = article_language(article);
            if !languages.contains(&l) {
                languages.push(l);
            }
        }
        if !changes.is_empty() {
            let keys: Vec<&String> = changes.keys().collect();
            let last = self.positions(&keys)?;
            // Written after everything there: ties go to older articles first.
            let mut seq = self.next_seq()?;
            let mut ordered: Vec<(&String, &(usize, Option<Article>))> = changes.iter().collect();
            ordered.sort_by_key(|(_, (n, _))| *n);
            let mut analyzers = Analyzers::default();
            let mut groups: Vec<Vec<Op>> = Vec::with_capacity(changes.len());
            for (key, (_, change)) in ordered {
                let mut ops = Vec::new();
                let mut next = 0u64;
                if let Some(article) = change {
                    let docs = article_documents(article, seq, &doc.roles, &mut analyzers);
                    seq += 1;
                    for d in docs {
                        ops.push(Op::index(&self.index, &d.id, key, &d.source));
                        next += 1;
                    }
                }
                if let Some(&last) = last.get(key) {
                    for position in next..=last {
                        ops.push(Op::delete(
                            &self.index,
                            &piece_id(key, position as usize),
                            Some(key),
                        ));
                    }
                }
                groups.push(ops);
            }
            target.write_kept(&self.kept)?;
            bulk::send_groups(client, groups, "true")?;
        } else {
            target.write_kept(&self.kept)?;
        }
        let files = target.write_files(&self.state, &self.read_files)?;
        doc.articles = count(client, &self.index, Some(query::titles()))? as u64;
        doc.pieces = count(client, &self.index, None)? as u64;
        doc.updated_at = Some(crate::timestamp::now_rfc3339());
        doc.languages = codes(&languages);
        doc.state = self.state.stored(files.clone());
        target.lease.renew()?;
        let reply = client.json(
            "PUT",
            &format!(
                "/{}/_doc/{}?if_seq_no={}&if_primary_term={}",
                target.state_index(),
                segment(&self.index),
                self.versioned.seq_no,
                self.versioned.primary_term
            ),
            &serde_json::to_value(&doc).expect("a generation document serializes"),
        )?;
        if reply.status == 409 {
            return Err(Error::Unavailable {
                what: target.config.describe(),
                reason: "another writer changed its state meanwhile; send the change again".into(),
            });
        }
        reply.success()?;
        // Kept copies and a file part the new state no longer names.
        let blobs_now: BTreeSet<String> = self
            .state
            .webhook
            .values()
            .filter_map(|w| w.blob.clone())
            .collect();
        let mut gone: Vec<String> = self
            .blobs_before
            .difference(&blobs_now)
            .map(|b| kept_id(b))
            .collect();
        if let Some(before) = &self.files_before {
            if files.as_ref() != Some(before) {
                gone.push(before.clone());
            }
        }
        target.delete_state_docs(&gone);
        Ok(Committed {
            committed: true,
            articles: doc.articles,
            pieces: doc.pieces,
        })
    }
}

/// A new pieces index being filled, not yet behind the alias.
struct FreshWrite<'t> {
    target: &'t OpenSearchTarget,
    index: String,
    number: u64,
    roles: Vec<String>,
    languages: Vec<Language>,
    state: State,
    analyzers: Analyzers,
    batch: Batch,
    kept: Vec<(String, String, Vec<u8>)>,
    /// The next article's write order.
    seq: u64,
    /// Behind the alias: not to be deleted on drop.
    done: bool,
}

impl FreshWrite<'_> {
    fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.target.lease.renew()?;
        bulk::send(&self.target.client, &self.batch.take(), "false")
    }
}

impl Commit for FreshWrite<'_> {
    fn state(&self) -> &State {
        &self.state
    }

    fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// A new index holds only what this run added, each key once (claims
    /// see to it): nothing to delete.
    fn delete(&mut self, _key: &str) -> Result<()> {
        Ok(())
    }

    fn upsert(&mut self, article: &Article) -> Result<()> {
        let l = article_language(article);
        if !self.languages.contains(&l) {
            self.languages.push(l);
        }
        let docs = article_documents(article, self.seq, &self.roles, &mut self.analyzers);
        self.seq += 1;
        if self.batch.bytes() > bulk::BATCH_BYTES {
            self.flush()?;
        }
        for d in docs {
            self.batch
                .push(Op::index(&self.index, &d.id, &article.key, &d.source));
        }
        Ok(())
    }

    fn keep(&mut self, article: &Article) -> Result<String> {
        let (name, json) = blobs::named(article);
        self.kept.push((name.clone(), article.key.clone(), json));
        Ok(name)
    }

    fn touch(&mut self) {}

    fn commit(mut self: Box<Self>) -> Result<Committed> {
        self.flush()?;
        let target = self.target;
        let client = &target.client;
        let index = self.index.clone();
        client
            .send("POST", &format!("/{index}/_refresh"), None)?
            .success()?;
        if target.config.replicas > 0 {
            client
                .json(
                    "PUT",
                    &format!("/{index}/_settings"),
                    &json!({"index": {"number_of_replicas": target.config.replicas}}),
                )?
                .success()?;
        }
        target.write_kept(&self.kept)?;
        let no_files = Arc::new(Files::new());
        let files = target.write_files(&self.state, &no_files)?;
        let now = crate::timestamp::now_rfc3339();
        let doc = GenDoc {
            kind: "generation".into(),
            index: index.clone(),
            number: self.number,
            format: FORMAT,
            shards: target.config.shards,
            roles: self.roles.clone(),
            languages: codes(&self.languages),
            created_at: now.clone(),
            updated_at: Some(now),
            articles: count(client, &index, Some(query::titles()))? as u64,
            pieces: count(client, &index, None)? as u64,
            state: self.state.stored(files),
        };
        target.lease.renew()?;
        client
            .json(
                "PUT",
                &format!("/{}/_doc/{}", target.state_index(), segment(&index)),
                &serde_json::to_value(&doc).expect("a generation document serializes"),
            )?
            .success()?;
        // The swap: one call, so searches see the old index or the new.
        let old: Vec<String> = generations::pieces_indexes(client, &target.config)?
            .into_iter()
            .filter(|(name, aliased)| *aliased && *name != index)
            .map(|(name, _)| name)
            .collect();
        let alias = target.config.alias();
        let mut actions: Vec<Value> = old
            .iter()
            .map(|o| json!({"remove": {"index": o, "alias": alias}}))
            .collect();
        actions.push(json!({"add": {"index": index, "alias": alias}}));
        client
            .json("POST", "/_aliases", &json!({"actions": actions}))?
            .success()?;
        self.done = true;
        // Live. Searches in flight on the old index finish before it goes;
        // what cannot be removed now the next build removes.
        if !old.is_empty() {
            std::thread::sleep(target.config.retire_after);
            let _ = target.remove_generations(&old);
        }
        let _ = target.prune(&doc);
        Ok(Committed {
            committed: true,
            articles: doc.articles,
            pieces: doc.pieces,
        })
    }
}

impl Drop for FreshWrite<'_> {
    /// An index never made live is deleted, the live one untouched.
    fn drop(&mut self) {
        if !self.done {
            let _ = self
                .target
                .remove_generations(std::slice::from_ref(&self.index));
        }
    }
}
