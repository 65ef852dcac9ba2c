//! The embedded engine opened on the live generation of an index folder:
//! a tantivy reader reloaded by hand, the generation's stamp (format
//! version, role bits), and what is worth keeping decoded per segment while
//! the segment is searched (segments never change).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use tantivy::collector::Count;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use super::columns::DocColumns;
use super::query;
use super::reader::EmbeddedReader;
use super::schema::Fields;
use crate::analysis::analyzer;
use crate::error::{Error, Result};
use crate::search::engine::{ArticleMeta, Engine, IndexStats, Reader};
use crate::search::index::{OpenOptions, SearchIndex};
use crate::store::{Stamp, Store};

/// Articles whose hit metadata is kept parsed: a few megabytes at most.
const HIT_META_CACHE: usize = 16_384;

pub(crate) struct EmbeddedEngine {
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    stamp: Stamp,
    generation: PathBuf,
    /// When `meta.json` was last seen changed (see `reload_if_changed`).
    meta_seen: Mutex<Option<SystemTime>>,
    /// What hits show of an article, by title document (see `hit_meta`).
    hit_metas: Mutex<HashMap<(SegmentId, DocId), Arc<ArticleMeta>>>,
    /// Decoded columns of the segments searched (see `columns`).
    columns: Mutex<HashMap<SegmentId, Arc<DocColumns>>>,
}

impl SearchIndex {
    /// Opens the live generation of the index folder `dir`. If a writer
    /// replaces it while it is being opened, the new one is opened instead.
    pub fn open(dir: &Path, options: OpenOptions) -> Result<SearchIndex> {
        let store = Store::new(dir);
        let mut attempt = 0;
        loop {
            let before = store.current_name();
            match EmbeddedEngine::open_current(&store, dir) {
                Err(_) if attempt < 5 && store.current_name() != before => attempt += 1,
                Err(e) => return Err(e),
                Ok(engine) => {
                    let generation = engine.generation.clone();
                    return Ok(SearchIndex::with_engine(
                        Box::new(engine),
                        generation,
                        options,
                    ));
                }
            }
        }
    }
}

impl EmbeddedEngine {
    fn open_current(store: &Store, dir: &Path) -> Result<EmbeddedEngine> {
        let (generation, stamp) = store.current()?;
        // Before the reader opens: a commit after it is a change to see.
        let meta_seen = meta_modified(&generation);
        let index = Index::open_in_dir(&generation).map_err(|e| Error::Foreign {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::Foreign {
            path: dir.to_path_buf(),
            reason: "its schema lacks rolesearch's fields".into(),
        })?;
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(EmbeddedEngine {
            index,
            reader,
            fields,
            stamp,
            generation,
            meta_seen: Mutex::new(meta_seen),
            hit_metas: Mutex::new(HashMap::new()),
            columns: Mutex::new(HashMap::new()),
        })
    }

    /// The decoded columns of every segment of `searcher`, by ordinal:
    /// decoded the first time a segment is searched, dropped once no
    /// searcher has it.
    pub(crate) fn columns(&self, searcher: &Searcher) -> Result<Vec<Arc<DocColumns>>> {
        let lock = || self.columns.lock().unwrap_or_else(|e| e.into_inner());
        let ids: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        let mut found: Vec<Option<Arc<DocColumns>>> = {
            let cache = lock();
            ids.iter().map(|id| cache.get(id).cloned()).collect()
        };
        if found.iter().all(Option::is_some) {
            return Ok(found.into_iter().flatten().collect());
        }
        // Decoded outside the lock: other searches go on meanwhile.
        for (slot, segment) in found.iter_mut().zip(searcher.segment_readers()) {
            if slot.is_none() {
                *slot = Some(Arc::new(DocColumns::decode(segment)?));
            }
        }
        let found: Vec<Arc<DocColumns>> = found.into_iter().flatten().collect();
        let mut cache = lock();
        cache.retain(|id, _| ids.contains(id));
        for (id, columns) in ids.iter().zip(&found) {
            cache.entry(*id).or_insert_with(|| columns.clone());
        }
        Ok(found)
    }

    /// What a hit shows of an article, from its title piece at `title`.
    /// Parsed once per title document: a segment never changes, so the
    /// entry stays right for as long as the segment is searched.
    pub(crate) fn hit_meta(
        &self,
        searcher: &Searcher,
        title: DocAddress,
    ) -> Result<Option<Arc<ArticleMeta>>> {
        let key = (
            searcher.segment_reader(title.segment_ord).segment_id(),
            title.doc_id,
        );
        let lock = || self.hit_metas.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(meta) = lock().get(&key) {
            return Ok(Some(meta.clone()));
        }
        let doc: TantivyDocument = searcher.doc(title)?;
        let Some(meta) = self.fields.meta_json::<ArticleMeta>(&doc).map(Arc::new) else {
            return Ok(None);
        };
        let mut cache = lock();
        if cache.len() >= HIT_META_CACHE {
            cache.clear();
        }
        cache.insert(key, meta.clone());
        Ok(Some(meta))
    }

    pub(crate) fn role_bits(&self) -> &[String] {
        &self.stamp.roles
    }
}

impl Engine for EmbeddedEngine {
    fn reader(&self) -> Box<dyn Reader + '_> {
        Box::new(EmbeddedReader::new(self, self.reader.searcher()))
    }

    fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    fn reload_if_changed(&self) -> Result<()> {
        let modified = meta_modified(&self.generation);
        let mut seen = self.meta_seen.lock().unwrap_or_else(|e| e.into_inner());
        if modified.is_some() && *seen == modified {
            return Ok(());
        }
        self.reader.reload()?;
        *seen = modified;
        Ok(())
    }

    fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let meta = self.index.load_metas()?;
        let payload: serde_json::Value = meta
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let articles = searcher
            .search(&query::titles(&self.fields), &Count)
            .unwrap_or(0);
        Ok(IndexStats {
            format_version: self.stamp.format_version,
            generation: self
                .generation
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            articles,
            pieces: searcher.num_docs(),
            updated_at: payload
                .get("updated_at")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            created_at: self.stamp.created_at.clone(),
        })
    }

    fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn decoded_bytes(&self) -> usize {
        let cache = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        cache.values().map(|c| c.size()).sum()
    }
}

/// When the commit of generation `gen` last changed.
fn meta_modified(gen: &Path) -> Option<SystemTime> {
    std::fs::metadata(gen.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
}
