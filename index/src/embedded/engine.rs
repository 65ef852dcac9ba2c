//! The embedded engine opened on the live generation of an index folder:
//! a tantivy reader reloaded by hand, the generation's stamp (format
//! version, role bits), and the per-segment data its readers share.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use tantivy::collector::Count;
use tantivy::{Index, IndexReader, ReloadPolicy};

use super::query;
use super::reader::EmbeddedReader;
use super::schema::Fields;
use super::segments::SegmentCache;
use crate::analysis::analyzer;
use crate::error::{Error, Result};
use crate::search::engine::{Engine, IndexStats, Reader};
use crate::search::index::SearchIndex;
use crate::search::options::OpenOptions;
use crate::store::{Stamp, Store};

pub(crate) struct EmbeddedEngine {
    index: Index,
    reader: IndexReader,
    stamp: Stamp,
    generation: PathBuf,
    /// When `meta.json` was last seen changed (see `reload_if_changed`).
    meta_seen: Mutex<Option<SystemTime>>,
    segments: SegmentCache,
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
            segments: SegmentCache::new(fields, stamp.roles.clone()),
            stamp,
            generation,
            meta_seen: Mutex::new(meta_seen),
        })
    }
}

impl Engine for EmbeddedEngine {
    fn reader(&self) -> Box<dyn Reader + '_> {
        Box::new(EmbeddedReader::new(&self.segments, self.reader.searcher()))
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
            .search(&query::titles(&self.segments.fields), &Count)
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
        self.segments.decoded_bytes()
    }
}

/// When the commit of generation `gen` last changed.
fn meta_modified(gen: &Path) -> Option<SystemTime> {
    std::fs::metadata(gen.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
}
