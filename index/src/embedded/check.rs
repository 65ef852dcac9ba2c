//! A consistency check of the live generation: what the crash test runs
//! after every kill, and what an operator can run on a suspect index.
//!
//! It holds when every article is whole (as many pieces as its metadata
//! says, next to each other in one segment, one title piece), the commit
//! payload's counts are the index's, and the recorded state (file and
//! webhook articles, tombstones) names exactly the articles present.

use std::collections::HashSet;
use std::path::Path;

use tantivy::{DocAddress, Index, ReloadPolicy, TantivyDocument};

use indexer::PieceKind;

use crate::embedded::schema::{kind_code, Fields, KIND, POSITION};
use crate::error::{Error, Result};
use crate::store::state::{Claims, State};
use crate::store::Store;
use crate::stored::StoredArticle;

/// What [`check`] found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// The live generation's name.
    pub generation: String,
    /// The opstamp of its last commit: grows with every commit.
    pub opstamp: u64,
    /// Articles (title pieces) and pieces in the index.
    pub articles: u64,
    pub pieces: u64,
    /// Whether the state tracks a content folder (see [`crate::write::update`]).
    pub tracked: bool,
    pub files: usize,
    pub webhook_articles: usize,
    pub tombstones: usize,
    /// Everything that does not hold; empty when the index is consistent.
    pub faults: Vec<String>,
}

impl CheckReport {
    pub fn is_consistent(&self) -> bool {
        self.faults.is_empty()
    }
}

/// Checks the live generation of the index folder `index_dir`.
pub fn check(index_dir: &Path) -> Result<CheckReport> {
    let store = Store::new(index_dir);
    let (gen, _) = store.current()?;
    let foreign = |reason: String| Error::Foreign {
        path: index_dir.to_path_buf(),
        reason,
    };
    let index = Index::open_in_dir(&gen).map_err(|e| foreign(e.to_string()))?;
    let f = Fields::from_schema(&index.schema())
        .ok_or_else(|| foreign("its schema lacks rolesearch's fields".into()))?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    let searcher = tantivy::IndexReader::searcher(&reader);
    let meta = index.load_metas()?;
    let state = State::load(&gen, meta.payload.as_deref());
    let mut report = CheckReport {
        generation: gen
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        opstamp: meta.opstamp,
        tracked: state.tracked,
        files: state.files.len(),
        webhook_articles: state.webhook.values().filter(|w| w.is_live()).count(),
        tombstones: state.webhook.values().filter(|w| !w.is_live()).count(),
        ..CheckReport::default()
    };
    let faults = &mut report.faults;

    // Every piece: an article is a run of consecutive documents in one
    // segment with positions 0, 1, 2…, the title piece first (what the
    // search collectors rely on to find an article's title).
    let title = kind_code(PieceKind::Title);
    // Title piece → pieces in its run.
    let mut runs: Vec<(DocAddress, u64)> = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let fast = segment.fast_fields();
        let positions = fast.u64(POSITION)?;
        let kinds = fast.u64(KIND)?;
        // (previous document, its position) inside the current run.
        let mut previous: Option<(u32, u64)> = None;
        for doc in segment.doc_ids_alive() {
            report.pieces += 1;
            let position = positions.first(doc).unwrap_or(u64::MAX);
            let is_title = kinds.first(doc) == Some(title);
            if position == 0 {
                if !is_title {
                    faults.push(format!(
                        "segment {ord}, document {doc}: a piece at position 0 is not a title"
                    ));
                }
                runs.push((DocAddress::new(ord as u32, doc), 1));
                previous = Some((doc, 0));
                continue;
            }
            match (previous, runs.last_mut()) {
                (Some((d, p)), Some(run)) if d + 1 == doc && p + 1 == position && !is_title => {
                    run.1 += 1;
                    previous = Some((doc, position));
                }
                _ => {
                    faults.push(format!(
                        "segment {ord}, document {doc}: a piece at position {position} does not follow its article's previous piece"
                    ));
                    previous = None;
                }
            }
        }
    }
    report.articles = runs.len() as u64;

    // Every article: one title piece, as many pieces as it says.
    let mut keys: HashSet<String> = HashSet::new();
    for (address, found) in runs {
        let doc: TantivyDocument = searcher.doc(address)?;
        let key = f.key_of(&doc).to_string();
        if !keys.insert(key.clone()) {
            faults.push(format!("article {key:?} is in the index more than once"));
            continue;
        }
        match f.meta_json::<StoredArticle>(&doc) {
            Some(meta) if meta.pieces as u64 == found => {}
            Some(meta) => faults.push(format!(
                "article {key:?} has {found} pieces in the index, its metadata says {}",
                meta.pieces
            )),
            None => faults.push(format!("article {key:?} has no readable metadata")),
        }
    }

    // The payload's counts.
    let payload: serde_json::Value = meta
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    for (name, actual) in [("articles", report.articles), ("pieces", report.pieces)] {
        match payload.get(name).and_then(serde_json::Value::as_u64) {
            Some(said) if said == actual => {}
            said => faults.push(format!(
                "the commit says {said:?} {name}, the index has {actual}"
            )),
        }
    }

    // The state: its files part is there; what it says is live is there,
    // and nothing else (when it tracks a folder); deleted keys are gone;
    // kept copies exist.
    if let Some(name) = meta
        .payload
        .as_deref()
        .and_then(crate::store::state::files_named)
    {
        if state.read_from.as_deref() != Some(name.as_str()) {
            faults.push(format!("the commit's per-file state {name} cannot be read"));
        }
    }
    let claims = Claims::of(&state);
    let mut held: HashSet<&str> = HashSet::new();
    for file in state.files.values() {
        for a in &file.articles {
            if claims.owner(&a.0).is_some() {
                held.insert(&a.0);
            }
        }
    }
    for (key, w) in &state.webhook {
        match &w.blob {
            Some(blob) => {
                held.insert(key);
                if !crate::store::blobs::exists(&gen, blob) {
                    faults.push(format!("webhook article {key:?} has no kept copy"));
                }
            }
            None if keys.contains(key) => faults.push(format!(
                "article {key:?} was deleted by a webhook at {} but is in the index",
                w.version
            )),
            None => {}
        }
    }
    for key in &held {
        if !keys.contains(*key) {
            faults.push(format!(
                "the state holds article {key:?}, the index lacks it"
            ));
        }
    }
    if state.tracked {
        for key in &keys {
            if !held.contains(key.as_str()) {
                faults.push(format!(
                    "article {key:?} is in the index but no file or webhook change holds it"
                ));
            }
        }
    }
    Ok(report)
}
