//! `rolesearch index`: which content goes into which index, and how.

use std::path::PathBuf;

use index::{BuildOptions, Location};

use super::shared;
use crate::cli::IndexArgs;
use crate::error::Error;

/// A validated `index`.
pub struct IndexOptions {
    pub content: PathBuf,
    /// The index folder, or the OpenSearch cluster.
    pub index: Location,
    /// Everything into a new generation, rather than what changed.
    pub full: bool,
    /// Anything skipped is a failure (exit status 2) once the index is written.
    pub strict: bool,
    pub build: BuildOptions,
}

impl IndexOptions {
    pub fn resolve(args: IndexArgs) -> Result<IndexOptions, Error> {
        let (index, taxonomy) = shared::located(args.location)?;
        Ok(IndexOptions {
            build: BuildOptions {
                taxonomy,
                ..BuildOptions::default()
            },
            content: args.content,
            index,
            full: args.full,
            strict: args.strict,
        })
    }
}
