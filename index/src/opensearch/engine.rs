//! The OpenSearch engine, opened: the client, and a snapshot of what a
//! reader needs besides the pieces (the live index's name, its generation,
//! role bits, locales and the vocabulary), loaded when the index changes
//! and shared by the readers of every request until the next change. The
//! pieces themselves are never copied: every search goes to the cluster.
//!
//! Several `rolesearch serve` replicas can open the same cluster; each
//! sees a rebuild (the alias moved) or a write (the generation document's
//! sequence number moved) at its next `reload_if_changed`.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use serde_json::{json, Value};

use super::client::{check_shards, Client};
use super::config::OpenSearchConfig;
use super::generations::{self, Versioned};
use super::mapping::FORMAT;
use super::query;
use super::reader::OpenSearchReader;
use super::vocabulary::Words;
use crate::analysis::Language;
use crate::error::{Error, Result};
use crate::search::engine::{Engine, IndexStats, Reader};
use crate::search::index::SearchIndex;
use crate::search::options::OpenOptions;

/// What readers share between two changes of the index.
pub(crate) struct Snapshot {
    /// The live pieces index when loaded.
    pub index: String,
    pub shards: u32,
    /// The generation document's sequence number.
    pub generation: u64,
    /// Role ids by bit.
    pub roles: Vec<String>,
    /// By language (see `Language::index`); empty for languages the index
    /// has no articles in.
    pub vocabs: Vec<Words>,
    pub pieces: u64,
    /// What the index holds per role, category and locale, counted at the
    /// first request that needs it.
    pub totals: std::sync::OnceLock<crate::search::engine::Facets>,
}

pub(crate) struct OpenSearchEngine {
    pub client: Client,
    pub config: OpenSearchConfig,
    pub alias: String,
    snap: RwLock<Arc<Snapshot>>,
}

impl SearchIndex {
    /// Opens the live index of an OpenSearch cluster (see
    /// [`OpenSearchConfig`]): the same searches, suggestions, roles and
    /// articles as [`SearchIndex::open`] on an index folder.
    /// [`Error::NotFound`] when no build has made one yet,
    /// [`Error::Unavailable`] when the cluster cannot be reached.
    pub fn open_opensearch(config: &OpenSearchConfig, options: OpenOptions) -> Result<SearchIndex> {
        let engine = OpenSearchEngine::open(config.clone())?;
        let name = PathBuf::from(format!("opensearch:{}", engine.alias));
        Ok(SearchIndex::with_engine(Box::new(engine), name, options))
    }
}

impl OpenSearchEngine {
    pub fn open(config: OpenSearchConfig) -> Result<OpenSearchEngine> {
        let client = Client::new(&config)?;
        let snap = load(&client, &config)?;
        Ok(OpenSearchEngine {
            client,
            alias: config.alias(),
            config,
            snap: RwLock::new(Arc::new(snap)),
        })
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snap.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn replace(&self, snap: Snapshot) {
        *self.snap.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snap);
    }

    pub fn not_found(&self) -> Error {
        generations::not_found(&self.config)
    }

    /// Title pieces (articles) in `index`.
    pub fn count_titles(&self, index: &str) -> Result<usize> {
        count(&self.client, index, Some(query::titles()))
    }
}

/// Everything a snapshot holds, read from the cluster now.
fn load(client: &Client, config: &OpenSearchConfig) -> Result<Snapshot> {
    let index =
        generations::live_index(client, config)?.ok_or_else(|| generations::not_found(config))?;
    let Versioned { doc, seq_no, .. } = generations::read(client, config, &index)?
        .ok_or_else(|| generations::foreign(config, format!("{index} has no state document")))?;
    if doc.format != FORMAT {
        return Err(Error::Version {
            path: config.describe().into(),
            found: doc.format,
            expected: FORMAT,
        });
    }
    let locales = locales(client, &index)?;
    let mut vocabs: Vec<Words> = Language::ALL.iter().map(|_| Words::default()).collect();
    let mut languages: Vec<Language> = locales
        .iter()
        .map(|(l, _)| Language::of_locale(l))
        .collect();
    languages.sort();
    languages.dedup();
    for language in languages {
        vocabs[language.index()] = Words::load(client, &index, language)?;
    }
    Ok(Snapshot {
        shards: doc.shards,
        generation: seq_no,
        roles: doc.roles,
        vocabs,
        pieces: doc.pieces,
        index,
        totals: std::sync::OnceLock::new(),
    })
}

/// The locales of the articles in `index`, lower case, with counts.
fn locales(client: &Client, index: &str) -> Result<Vec<(String, usize)>> {
    let body = json!({
        "size": 0,
        "track_total_hits": false,
        "query": {"bool": {"filter": [query::titles()]}},
        "aggs": {"l": {"terms": {"field": "locale", "size": 10_000}}},
    });
    let answer = client
        .json("POST", &format!("/{index}/_search"), &body)?
        .success()?;
    check_shards(client.what(), &answer)?;
    let mut out: Vec<(String, usize)> = answer
        .pointer("/aggregations/l/buckets")
        .and_then(Value::as_array)
        .map(|b| {
            b.iter()
                .filter_map(|b| {
                    Some((
                        b.get("key")?.as_str()?.to_string(),
                        b.get("doc_count")?.as_u64()? as usize,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    Ok(out)
}

/// Documents of `index` matching `filter` (all without one).
pub(crate) fn count(client: &Client, index: &str, filter: Option<Value>) -> Result<usize> {
    let body = match filter {
        Some(f) => json!({"query": {"bool": {"filter": [f]}}}),
        None => json!({"query": {"match_all": {}}}),
    };
    let answer = client
        .json("POST", &format!("/{index}/_count"), &body)?
        .success()?;
    check_shards(client.what(), &answer)?;
    Ok(answer.get("count").and_then(Value::as_u64).unwrap_or(0) as usize)
}

impl Engine for OpenSearchEngine {
    fn reader(&self) -> Box<dyn Reader + '_> {
        Box::new(OpenSearchReader::new(self, self.current()))
    }

    fn reload(&self) -> Result<()> {
        let snap = load(&self.client, &self.config)?;
        self.replace(snap);
        Ok(())
    }

    /// Two small requests: the alias's index and its generation
    /// document's sequence number; a full reload only if either moved.
    fn reload_if_changed(&self) -> Result<()> {
        let current = self.current();
        let live = generations::live_index(&self.client, &self.config)?;
        if live.as_deref() == Some(current.index.as_str()) {
            let seq = generations::seq_no(&self.client, &self.config, &current.index)?;
            if seq == Some(current.generation) {
                return Ok(());
            }
        }
        self.reload()
    }

    fn stats(&self) -> Result<IndexStats> {
        let snap = self.current();
        let doc = generations::read(&self.client, &self.config, &snap.index)?
            .ok_or_else(|| self.not_found())?
            .doc;
        Ok(IndexStats {
            format_version: doc.format,
            generation: doc.index,
            articles: doc.articles as usize,
            pieces: doc.pieces,
            updated_at: doc.updated_at,
            created_at: doc.created_at,
        })
    }

    fn documents(&self) -> u64 {
        self.current().pieces
    }

    fn decoded_bytes(&self) -> usize {
        self.current().vocabs.iter().map(Words::bytes).sum()
    }
}
