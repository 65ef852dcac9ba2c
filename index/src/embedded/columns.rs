//! Position, kind and role bits of every piece of a segment, decoded once
//! into plain arrays. Every matching piece needs them, and read from
//! tantivy's compressed columns they were a good part of a search's time;
//! the engine keeps them for as long as the segment is searched (segments
//! never change).

use tantivy::{DocId, SegmentReader};

use super::schema::{KIND, POSITION, ROLE_MASK};

/// Position, kind and role bits of every document of one segment.
pub(crate) struct DocColumns {
    position: Vec<u32>,
    kind: Vec<u8>,
    mask: Vec<u64>,
}

impl DocColumns {
    pub fn decode(segment: &SegmentReader) -> tantivy::Result<DocColumns> {
        let fast = segment.fast_fields();
        let (position, kind, mask) = (fast.u64(POSITION)?, fast.u64(KIND)?, fast.u64(ROLE_MASK)?);
        let docs = segment.max_doc();
        let mut columns = DocColumns {
            position: Vec::with_capacity(docs as usize),
            kind: Vec::with_capacity(docs as usize),
            mask: Vec::with_capacity(docs as usize),
        };
        for doc in 0..docs {
            let p = position.first(doc).unwrap_or(0);
            columns.position.push(u32::try_from(p).unwrap_or(u32::MAX));
            let k = kind.first(doc).unwrap_or(0);
            columns.kind.push(u8::try_from(k).unwrap_or(u8::MAX));
            columns.mask.push(mask.first(doc).unwrap_or(0));
        }
        Ok(columns)
    }

    /// Bytes held.
    pub fn size(&self) -> usize {
        self.position.len() * (4 + 1 + 8)
    }

    /// The title document of the piece at `doc`.
    pub(crate) fn start(&self, doc: DocId) -> DocId {
        doc.saturating_sub(self.position.get(doc as usize).copied().unwrap_or(0))
    }

    pub(crate) fn kind(&self, doc: DocId) -> u64 {
        u64::from(self.kind.get(doc as usize).copied().unwrap_or(0))
    }

    pub(crate) fn mask(&self, doc: DocId) -> u64 {
        self.mask.get(doc as usize).copied().unwrap_or(0)
    }
}
