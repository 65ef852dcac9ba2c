//! Where an index lives, as the one value every command and the server
//! are given: an index folder (the embedded tantivy engine, the default)
//! or an OpenSearch cluster. Each operation is said once here and goes to
//! the engine's own implementation, so a caller never matches on the
//! engine and no command has a second copy of its logic per engine.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use indexer::Article;

use crate::error::Result;
use crate::opensearch::OpenSearch;
use crate::search::index::SearchIndex;
use crate::search::options::OpenOptions;
use crate::store::Store;
use crate::write::{ApplyReport, BuildOptions, BuildReport, Change, UpdateReport};

/// An index: a folder, or a cluster and index prefix.
#[derive(Debug, Clone)]
pub enum Location {
    /// An index folder of the embedded engine.
    Folder(PathBuf),
    /// The alias and indexes of one prefix in an OpenSearch cluster.
    OpenSearch(OpenSearch),
}

impl Location {
    /// The engine's name, as the `engine` setting spells it.
    pub fn engine(&self) -> &'static str {
        match self {
            Location::Folder(_) => "tantivy",
            Location::OpenSearch(_) => "opensearch",
        }
    }

    /// How messages and logs name it: the folder, or the cluster's URLs
    /// and the index prefix.
    pub fn display(&self) -> impl std::fmt::Display + '_ {
        Shown(self)
    }

    /// Opens the live index for searching.
    pub fn open(&self, options: OpenOptions) -> Result<SearchIndex> {
        match self {
            Location::Folder(dir) => SearchIndex::open(dir, options),
            Location::OpenSearch(os) => os.open(options),
        }
    }

    /// A newer index than `current` when the live one was replaced (a full
    /// build); otherwise `current` takes the writes made since it was
    /// opened (a reload) and `None` is returned.
    pub fn refresh(
        &self,
        current: &SearchIndex,
        options: &OpenOptions,
    ) -> Result<Option<SearchIndex>> {
        match self {
            Location::Folder(dir) => {
                let live = Store::new(dir).current_name();
                let ours = current
                    .generation()
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned());
                if live.is_some() && live != ours {
                    return SearchIndex::open(dir, options.clone()).map(Some);
                }
                current.reload_if_changed().map(|()| None)
            }
            // The engine follows the alias itself.
            Location::OpenSearch(_) => current.reload_if_changed().map(|()| None),
        }
    }

    /// A full build of every `.json` file below `content`, made live at once.
    pub fn build(
        &self,
        content: &Path,
        options: &BuildOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<BuildReport> {
        match self {
            Location::Folder(dir) => crate::build(content, dir, options, progress),
            Location::OpenSearch(os) => os.build(content, options, progress),
        }
    }

    /// A full build of these articles.
    pub fn build_from_articles(
        &self,
        articles: &[Article],
        options: &BuildOptions,
    ) -> Result<BuildReport> {
        match self {
            Location::Folder(dir) => crate::build_from_articles(dir, articles, options),
            Location::OpenSearch(os) => os.build_from_articles(articles, options),
        }
    }

    /// The files of `content` added, changed or removed since the last run.
    pub fn update(
        &self,
        content: &Path,
        options: &BuildOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<UpdateReport> {
        match self {
            Location::Folder(dir) => crate::update(content, dir, options, progress),
            Location::OpenSearch(os) => os.update(content, options, progress),
        }
    }

    /// Webhook or sync changes, searchable when this returns.
    pub fn apply(&self, changes: &[Change], options: &BuildOptions) -> Result<ApplyReport> {
        match self {
            Location::Folder(dir) => crate::apply(dir, changes, options),
            Location::OpenSearch(os) => os.apply(changes, options),
        }
    }

    /// The live articles that came from Strapi, with their versions.
    pub fn strapi_articles(&self) -> Result<Vec<(String, String)>> {
        match self {
            Location::Folder(dir) => crate::strapi_articles(dir),
            Location::OpenSearch(os) => os.strapi_articles(),
        }
    }

    /// Articles in the index (0 when there is none yet).
    pub fn article_count(&self) -> Result<usize> {
        match self {
            Location::Folder(dir) => crate::article_count(dir),
            Location::OpenSearch(os) => os.article_count(),
        }
    }

    /// Deletes of the Strapi articles not in `published` (see
    /// [`crate::unpublished_since`]).
    pub fn unpublished_since(
        &self,
        published: &HashSet<String>,
        read_locales: Option<&HashSet<String>>,
    ) -> Result<Vec<Change>> {
        Ok(crate::write::sources::unpublished(
            self.strapi_articles()?,
            published,
            read_locales,
        ))
    }
}

struct Shown<'a>(&'a Location);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Location::Folder(dir) => write!(f, "{}", dir.display()),
            Location::OpenSearch(os) => f.write_str(&os.config().describe()),
        }
    }
}
