//! `rolesearch sync`: which Strapi to pull from into which index.

use super::shared;
use crate::cli::SyncArgs;
use std::sync::Arc;

use index::Location;
use indexer::Taxonomy;

use crate::error::Error;
use crate::strapi::pull::Source;
use crate::strapi::sync::Guard;

/// A validated `sync`.
pub struct SyncOptions {
    pub source: Source,
    /// The index folder, or the OpenSearch cluster.
    pub index: Location,
    pub taxonomy: Arc<Taxonomy>,
    pub guard: Guard,
}

impl SyncOptions {
    pub fn resolve(args: SyncArgs) -> Result<SyncOptions, Error> {
        let (index, taxonomy) = shared::located(args.location)?;
        Ok(SyncOptions {
            source: Source {
                url: args.strapi_url,
                token: shared::strapi_token(),
                collection: args.collection,
                page_size: usize::from(args.page_size),
            },
            taxonomy,
            guard: Guard {
                max_removal: shared::share(&args.max_removal, "--max-removal")?,
                allow_removals: args.allow_removals,
            },
            index,
        })
    }
}
