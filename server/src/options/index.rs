//! `rolesearch index`: which content goes into which index, and how.

use std::path::PathBuf;

use index::BuildOptions;

use super::shared;
use crate::cli::IndexArgs;
use crate::error::Error;

/// A validated `index`.
pub struct IndexOptions {
    pub content: PathBuf,
    pub index: PathBuf,
    /// Everything into a new generation, rather than what changed.
    pub full: bool,
    /// Anything skipped is a failure (exit status 2) once the index is written.
    pub strict: bool,
    pub build: BuildOptions,
}

impl IndexOptions {
    pub fn resolve(args: IndexArgs) -> Result<IndexOptions, Error> {
        Ok(IndexOptions {
            build: BuildOptions {
                taxonomy: shared::taxonomy(&args.location.default_locale)?,
                ..BuildOptions::default()
            },
            content: args.content,
            index: args.location.index,
            full: args.full,
            strict: args.strict,
        })
    }
}
