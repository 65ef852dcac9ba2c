//! Content in, commits out. A full [`build`] writes a new generation and
//! swaps it in; [`update`] re-reads the content files that changed and
//! commits into the live generation; [`apply`] commits webhook (or sync)
//! changes of single articles. All three admit articles by the same rules
//! (`folder`), keep the state that makes the next run incremental, and
//! never leave a reader a half-written index.

pub(crate) mod apply;
pub(crate) mod build;
mod carry;
pub(crate) mod folder;
pub(crate) mod live;
pub(crate) mod scan;
mod sources;
mod update;
pub(crate) mod version;

pub use apply::{apply, ApplyReport, Change, Outcome};
pub use build::{build, build_from_articles, BuildOptions, BuildReport};
pub use sources::{article_count, strapi_articles, unpublished_since};
pub use update::{update, UpdateReport};
