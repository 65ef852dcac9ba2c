//! Writing into the live generation: the one writer of `update` and
//! `apply`. Every change of a run goes into one tantivy commit whose payload
//! carries the new state and the exact article and piece counts, so the
//! index, its counts and its state always agree, whatever the moment a
//! crash comes.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use tantivy::collector::Count;
use tantivy::indexer::UserOperation;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{Index, IndexWriter, ReloadPolicy, Searcher};

use indexer::{Article, PieceKind};

use crate::embedded::documents::article_documents;
use crate::embedded::schema::{kind_code, Fields};
use crate::error::{Error, Result};
use crate::store::state::State;
use crate::store::{Store, WriteLock};
use crate::write::build::BuildOptions;
use crate::write::target::{Commit, Committed};

/// The live generation, open for writing under the write lock.
pub(crate) struct Live {
    /// The generation's folder.
    pub gen: PathBuf,
    /// Its state as last committed, to be changed and committed.
    pub state: State,
    writer: IndexWriter,
    fields: Fields,
    roles: Vec<String>,
    tally: Tally,
    /// Whether anything was written or the state changed.
    dirty: bool,
}

/// Counts of the committed index, adjusted as the run deletes and adds.
struct Tally {
    committed: Searcher,
    articles: u64,
    pieces: u64,
    /// Keys whose committed documents this run deleted.
    deleted: HashSet<String>,
    /// Key → (title documents, documents) added by this run.
    added: HashMap<String, (u64, u64)>,
}

impl Live {
    /// Opens the generation `CURRENT` names now: call it after taking the
    /// lock, so that a full build that finished while we waited is the one
    /// written to.
    pub fn open(store: &Store, _lock: &WriteLock, options: &BuildOptions) -> Result<Live> {
        let (gen, stamp) = store.current()?;
        let foreign = |reason: String| Error::Foreign {
            path: store.dir().to_path_buf(),
            reason,
        };
        let index = Index::open_in_dir(&gen).map_err(|e| foreign(e.to_string()))?;
        let fields = Fields::from_schema(&index.schema())
            .ok_or_else(|| foreign("its schema lacks rolesearch's fields".into()))?;
        crate::analysis::analyzer::register(&index);
        let meta = index.load_metas()?;
        let state = State::load(&gen, meta.payload.as_deref());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let committed = tantivy::IndexReader::searcher(&reader);
        let articles = committed.search(
            &TermQuery::new(
                Term::from_field_u64(fields.kind, kind_code(PieceKind::Title)),
                IndexRecordOption::Basic,
            ),
            &Count,
        )? as u64;
        let pieces = committed.num_docs();
        let writer: IndexWriter =
            index.writer_with_num_threads(options.threads, options.memory_budget)?;
        // A new tantivy writer hands its first operation the opstamp of the
        // last commit. A merge that starts before our commit (segments a
        // killed writer left unmerged qualify as soon as our first segment
        // is flushed) targets that same opstamp, and then counts such a
        // delete as done for one segment and pending for another: the delete
        // is lost and the article indexed twice (found by the crash test).
        // Using up that opstamp puts every operation of the run strictly
        // after the commit, as in a long-lived writer.
        writer.run(Vec::<UserOperation>::new())?;
        // A killed writer may have left files of the commit it never
        // finished (a delete file named by the opstamp our commit will get):
        // remove what the last commit does not reference before writing.
        writer.garbage_collect_files().wait()?;
        Ok(Live {
            gen,
            state,
            writer,
            fields,
            roles: stamp.roles,
            tally: Tally {
                committed,
                articles,
                pieces,
                deleted: HashSet::new(),
                added: HashMap::new(),
            },
            dirty: false,
        })
    }
}

impl Live {
    /// The article and piece counts after this run.
    fn counts(&self) -> (u64, u64) {
        let (titles, docs) = self
            .tally
            .added
            .values()
            .fold((0, 0), |(t, d), (at, ad)| (t + at, d + ad));
        (self.tally.articles + titles, self.tally.pieces + docs)
    }
}

impl Commit for Live {
    fn state(&self) -> &State {
        &self.state
    }

    fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Deletes every document of article `key`.
    fn delete(&mut self, key: &str) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.key, key));
        self.dirty = true;
        self.tally.delete(key, &self.fields)
    }

    /// Replaces article `article.key` by `article`: its documents go in one
    /// batch, so they land next to each other in one segment.
    fn upsert(&mut self, article: &Article) -> Result<()> {
        self.delete(&article.key)?;
        let docs = article_documents(article, &self.fields, &self.roles);
        let titles = article
            .pieces
            .iter()
            .filter(|p| p.kind == PieceKind::Title)
            .count() as u64;
        let count = docs.len() as u64;
        self.writer
            .run(docs.into_iter().map(UserOperation::Add).collect::<Vec<_>>())?;
        self.tally
            .added
            .insert(article.key.clone(), (titles, count));
        Ok(())
    }

    fn touch(&mut self) {
        self.dirty = true;
    }

    /// Beside the generation, in `webhook/` (see `blobs`).
    fn keep(&mut self, article: &Article) -> Result<String> {
        crate::store::blobs::write(&self.gen, article)
    }

    /// Commits the run with the state, unless nothing changed, and waits
    /// for the merges it started. Returns whether it committed.
    fn commit(mut self: Box<Self>) -> Result<Committed> {
        let (articles, pieces) = self.counts();
        if !self.dirty {
            return Ok(Committed {
                committed: false,
                articles,
                pieces,
            });
        }
        let payload = self.state.payload(&self.gen, articles, pieces)?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        // tantivy renames meta.json into place without syncing the folder:
        // sync it before files the old commit named go, so that a power cut
        // cannot bring back a meta.json naming a removed file.
        let synced = std::fs::File::open(&self.gen)
            .and_then(|dir| dir.sync_all())
            .is_ok();
        if synced {
            // Keep the files part just committed, and the one before it.
            crate::store::state::prune(
                &self.gen,
                &[
                    crate::store::state::files_named(&payload).as_deref(),
                    self.state.read_from.as_deref(),
                ],
            );
            // Webhook articles the state no longer names (replaced, deleted,
            // taken back by a file, or left by a crash).
            let keep = self
                .state
                .webhook
                .values()
                .filter_map(|w| w.blob.as_deref())
                .collect();
            crate::store::blobs::prune(&self.gen, &keep);
        }
        self.writer.wait_merging_threads()?;
        Ok(Committed {
            committed: true,
            articles,
            pieces,
        })
    }
}

impl Tally {
    fn delete(&mut self, key: &str, fields: &Fields) -> Result<()> {
        self.added.remove(key);
        if !self.deleted.insert(key.to_string()) {
            return Ok(());
        }
        let count = |field, text: &str| -> Result<u64> {
            let query =
                TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic);
            Ok(self.committed.search(&query, &Count)? as u64)
        };
        let titles = count(fields.title_of, key)?;
        let docs = count(fields.key, key)?;
        self.articles = self.articles.saturating_sub(titles);
        self.pieces = self.pieces.saturating_sub(docs);
        Ok(())
    }
}
