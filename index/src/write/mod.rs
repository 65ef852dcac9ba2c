//! Content in, commits out. A full [`build`] writes a new index and swaps
//! it in; [`update`] re-reads the content files that changed and commits
//! into the live index; [`apply`] commits webhook (or sync) changes of
//! single articles. All three admit articles by the same rules (`folder`),
//! keep the state that makes the next run incremental, and never leave a
//! reader a half-written index. Where they commit is a [`target::Target`]:
//! the embedded engine's index folder (`embedded`, with `live`), or an
//! OpenSearch cluster (`crate::opensearch::writer`).

pub(crate) mod apply;
pub(crate) mod build;
mod carry;
pub(crate) mod embedded;
pub(crate) mod folder;
pub(crate) mod live;
pub(crate) mod scan;
pub(crate) mod sources;
pub(crate) mod target;
pub(crate) mod update;
pub(crate) mod version;

pub use apply::{apply, ApplyReport, Change, Outcome};
pub use build::{build, build_from_articles, BuildOptions, BuildReport};
pub use sources::{article_count, strapi_articles, unpublished_since};
pub use update::{update, UpdateReport};
