//! `rolesearch index`: which content goes into which index, and how.

use std::path::PathBuf;

use index::BuildOptions;

use crate::cli::IndexArgs;

/// A validated `index`.
pub struct IndexOptions {
    pub content: PathBuf,
    pub index: PathBuf,
    /// Everything into a new generation, rather than what changed.
    pub full: bool,
    pub build: BuildOptions,
}

impl IndexOptions {
    pub fn resolve(args: IndexArgs) -> IndexOptions {
        IndexOptions {
            content: args.content,
            index: args.location.index,
            full: args.full,
            build: BuildOptions::default(),
        }
    }
}
