//! Where a write run commits, behind one small seam: the rules of writing
//! (admitting a folder's articles, claims, webhook versions and
//! tombstones, the per-file state, carrying webhook articles into a
//! rebuild) are in `build`, `update`, `apply` and `carry`, once; a target
//! only stores. The index folder of the embedded engine is one target
//! (`write::embedded`), an OpenSearch cluster another
//! (`crate::opensearch::writer`).
//!
//! A target is held for writing while it exists (one writer at a time: an
//! OS file lock, a lease in the cluster). Each run opens one [`Commit`] on
//! it: the live index, or a fresh one that replaces it. A commit carries the
//! state it was opened with, takes deletes, upserts and kept webhook
//! copies, and makes all of them visible at once, the state with them; one
//! dropped without committing leaves the live index as it was.

use std::collections::BTreeMap;

use indexer::Article;

use crate::error::Result;
use crate::store::state::{State, WebhookState};
use crate::write::build::BuildOptions;

/// A destination held for writing.
pub(crate) trait Target {
    /// The live index, open for changes, with its state as last
    /// committed: [`crate::Error::NotFound`] when there is none,
    /// [`crate::Error::Version`] when it is of another format.
    fn live(&self, options: &BuildOptions) -> Result<Box<dyn Commit + '_>>;
    /// A new, empty index (with an empty, untracked state) that replaces
    /// the live one when committed: readers see the old or the new, never
    /// a mix. Dropped uncommitted, it is removed.
    fn fresh(&self, options: &BuildOptions) -> Result<Box<dyn Commit + '_>>;
    /// The webhook articles the live index keeps, for a rebuild to carry
    /// over: nothing when there is no live index or it cannot be read (a
    /// full build is also the way out of a broken one).
    fn kept(&self) -> Kept;
}

/// The webhook part of the live state, and the copies of its articles.
pub(crate) struct Kept {
    pub webhook: BTreeMap<String, WebhookState>,
    pub copies: Box<dyn Copies>,
}

/// Kept copies of webhook articles, by name (see [`Commit::keep`]).
pub(crate) trait Copies {
    fn exists(&self, name: &str) -> bool;
    /// The article kept as `name`, checked to be the one of `key`.
    fn read(&self, name: &str, key: &str) -> Result<Article>;
}

/// No copies at all.
pub(crate) struct NoCopies;

impl Copies for NoCopies {
    fn exists(&self, _: &str) -> bool {
        false
    }

    fn read(&self, name: &str, _: &str) -> Result<Article> {
        Err(crate::Error::io(
            format!("no kept article {name}"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        ))
    }
}

/// What a commit did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Committed {
    /// Whether anything was committed (nothing changed: no).
    pub committed: bool,
    /// Articles and pieces in the index after it.
    pub articles: u64,
    pub pieces: u64,
}

/// One run's changes to an index, made visible together by [`Commit::commit`].
pub(crate) trait Commit {
    fn state(&self) -> &State;
    fn state_mut(&mut self) -> &mut State;
    /// Removes every piece of article `key`.
    fn delete(&mut self, key: &str) -> Result<()>;
    /// Replaces the pieces of article `article.key` by those of `article`.
    fn upsert(&mut self, article: &Article) -> Result<()>;
    /// Keeps a copy of a webhook article with the index (a rebuild re-adds
    /// it from there) and returns its name, for the state to record. The
    /// copy is in place before the commit that names it.
    fn keep(&mut self, article: &Article) -> Result<String>;
    /// Notes a change of the state alone (a file touched, not changed).
    fn touch(&mut self);
    /// Makes every change and the state visible at once, unless nothing
    /// changed; returns once they are durable and searchable.
    fn commit(self: Box<Self>) -> Result<Committed>;
}
