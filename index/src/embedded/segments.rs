//! What the readers of one opened index share, per segment: the decoded
//! columns of every segment searched, and the hit metadata of articles
//! shown. A segment never changes, so an entry stays right for as long as
//! the segment is searched; entries of segments gone are dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument};

use super::columns::DocColumns;
use super::schema::Fields;
use crate::error::Result;
use crate::search::engine::{ArticleMeta, Facets};

/// Articles whose hit metadata is kept parsed: a few megabytes at most.
const HIT_META_CACHE: usize = 16_384;

pub(crate) struct SegmentCache {
    pub fields: Fields,
    /// Role ids by facet bit, as the generation was built.
    role_bits: Vec<String>,
    /// What hits show of an article, by title document (see `hit_meta`).
    hit_metas: Mutex<HashMap<(SegmentId, DocId), Arc<ArticleMeta>>>,
    /// Decoded columns of the segments searched (see `columns`).
    columns: Mutex<HashMap<SegmentId, Arc<DocColumns>>>,
    /// Counts over every article, of the newest searcher generation.
    totals: Mutex<Option<(u64, Facets)>>,
}

impl SegmentCache {
    pub fn new(fields: Fields, role_bits: Vec<String>) -> SegmentCache {
        SegmentCache {
            fields,
            role_bits,
            hit_metas: Mutex::new(HashMap::new()),
            columns: Mutex::new(HashMap::new()),
            totals: Mutex::new(None),
        }
    }

    /// The counts over every article kept for searcher `generation`.
    pub(crate) fn totals(&self, generation: u64) -> Option<Facets> {
        let kept = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        kept.as_ref()
            .filter(|(g, _)| *g == generation)
            .map(|(_, t)| t.clone())
    }

    /// Keeps the counts over every article of searcher `generation`.
    pub(crate) fn keep_totals(&self, generation: u64, totals: Facets) {
        let mut kept = self.totals.lock().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_none_or(|(g, _)| *g <= generation) {
            *kept = Some((generation, totals));
        }
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
        &self.role_bits
    }

    /// Bytes of decoded columns held.
    pub(crate) fn decoded_bytes(&self) -> usize {
        let cache = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        cache.values().map(|c| c.size()).sum()
    }
}
