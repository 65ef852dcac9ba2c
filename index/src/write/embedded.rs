//! The embedded engine's target: an index folder (`store`), held by its OS
//! write lock. The live generation is written in place (`live::Live`, one
//! tantivy commit with the state in its payload); a fresh one is a new
//! generation folder, published by replacing `CURRENT` once it is complete
//! and removed if it never is. Webhook copies are files beside their
//! generation (`blobs`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter};

use indexer::Article;

use crate::analysis::analyzer;
use crate::embedded::documents::article_documents;
use crate::embedded::schema::Fields;
use crate::error::Result;
use crate::store::state::State;
use crate::store::{blobs, Store, WriteLock};
use crate::write::build::{role_ids, BuildOptions};
use crate::write::live::Live;
use crate::write::target::{Commit, Committed, Copies, Kept, Target};

/// An index folder, locked for writing until dropped.
pub(crate) struct FolderTarget {
    store: Store,
    lock: WriteLock,
}

impl FolderTarget {
    /// Takes the write lock of the index folder `dir`, waiting up to `wait`
    /// for another writer.
    pub fn lock(dir: &Path, wait: Duration) -> Result<FolderTarget> {
        let store = Store::new(dir);
        let lock = store.lock(wait)?;
        Ok(FolderTarget { store, lock })
    }
}

impl Target for FolderTarget {
    /// Opens the generation `CURRENT` names now, under the lock: a full
    /// build that finished while we waited is the one written to.
    fn live(&self, options: &BuildOptions) -> Result<Box<dyn Commit + '_>> {
        Ok(Box::new(Live::open(&self.store, &self.lock, options)?))
    }

    fn fresh(&self, options: &BuildOptions) -> Result<Box<dyn Commit + '_>> {
        let roles = role_ids(&options.taxonomy);
        let (name, gen) = self.store.new_generation(&self.lock, roles.clone())?;
        match Generation::create(&gen, options) {
            Ok((index_writer, fields)) => Ok(Box::new(Generation {
                target: self,
                name,
                gen,
                writer: Some(index_writer),
                fields,
                roles,
                state: State::new(false),
                articles: 0,
                pieces: 0,
            })),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&gen);
                Err(e)
            }
        }
    }

    /// What the live generation holds: its format version does not matter
    /// (kept articles are `indexer` data, not index data).
    fn kept(&self) -> Kept {
        let gen = self
            .store
            .current_name()
            .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
            .map(|name| self.store.dir().join(name));
        let payload = gen
            .as_deref()
            .and_then(|g| Index::open_in_dir(g).ok())
            .and_then(|i| i.load_metas().ok())
            .and_then(|m| m.payload);
        let webhook = gen
            .as_deref()
            .map(|g| State::load(g, payload.as_deref()).webhook)
            .unwrap_or_default();
        Kept {
            webhook,
            copies: Box::new(FolderCopies { gen }),
        }
    }
}

/// The webhook copies beside a generation.
struct FolderCopies {
    gen: Option<PathBuf>,
}

impl Copies for FolderCopies {
    fn exists(&self, name: &str) -> bool {
        self.gen.as_deref().is_some_and(|g| blobs::exists(g, name))
    }

    fn read(&self, name: &str, key: &str) -> Result<Article> {
        match &self.gen {
            Some(gen) => blobs::read(gen, name, key),
            None => crate::write::target::NoCopies.read(name, key),
        }
    }
}

/// A new generation being written, not yet live.
struct Generation<'t> {
    target: &'t FolderTarget,
    name: String,
    gen: PathBuf,
    /// Taken by the commit.
    writer: Option<IndexWriter>,
    fields: Fields,
    roles: Vec<String>,
    state: State,
    articles: u64,
    pieces: u64,
}

impl Generation<'_> {
    fn create(gen: &Path, options: &BuildOptions) -> Result<(IndexWriter, Fields)> {
        let (schema, fields) = Fields::schema();
        // zstd shrinks the stored text about a third more than the default
        // lz4, for a few microseconds more per document read.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                },
            ),
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(gen)?;
        analyzer::register(&index);
        let writer: IndexWriter =
            index.writer_with_num_threads(options.threads, options.memory_budget)?;
        Ok((writer, fields))
    }

    fn writer(&mut self) -> &mut IndexWriter {
        self.writer
            .as_mut()
            .expect("a generation is written until committed")
    }
}

impl Commit for Generation<'_> {
    fn state(&self) -> &State {
        &self.state
    }

    fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// A new generation holds only what this run added, each key once
    /// (claims see to it): nothing to delete.
    fn delete(&mut self, _key: &str) -> Result<()> {
        Ok(())
    }

    /// One batch: an article's pieces land in one segment, next to each
    /// other, which the facet counts rely on.
    fn upsert(&mut self, article: &Article) -> Result<()> {
        let ops: Vec<UserOperation> = article_documents(article, &self.fields, &self.roles)
            .into_iter()
            .map(UserOperation::Add)
            .collect();
        self.writer().run(ops)?;
        self.articles += 1;
        self.pieces += article.pieces.len() as u64;
        Ok(())
    }

    fn keep(&mut self, article: &Article) -> Result<String> {
        blobs::write(&self.gen, article)
    }

    fn touch(&mut self) {}

    /// Commits with the state, waits for the merges, then publishes.
    fn commit(mut self: Box<Self>) -> Result<Committed> {
        let payload = self.state.payload(&self.gen, self.articles, self.pieces)?;
        let mut writer = self.writer.take().expect("committed once");
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.target.store.publish(&self.target.lock, &self.name)?;
        // Published: not to be removed on drop.
        self.gen = PathBuf::new();
        Ok(Committed {
            committed: true,
            articles: self.articles,
            pieces: self.pieces,
        })
    }
}

impl Drop for Generation<'_> {
    /// A generation never published is removed, the live one untouched.
    fn drop(&mut self) {
        if !self.gen.as_os_str().is_empty() {
            drop(self.writer.take());
            let _ = std::fs::remove_dir_all(&self.gen);
        }
    }
}
