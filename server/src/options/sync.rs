//! `rolesearch sync`: which Strapi to pull from into which index.

use std::path::PathBuf;

use super::shared;
use crate::cli::SyncArgs;
use crate::strapi::pull::Source;

/// A validated `sync`.
pub struct SyncOptions {
    pub source: Source,
    pub index: PathBuf,
}

impl SyncOptions {
    pub fn resolve(args: SyncArgs) -> SyncOptions {
        SyncOptions {
            source: Source {
                url: args.strapi_url,
                token: shared::strapi_token(),
                collection: args.collection,
                page_size: usize::from(args.page_size),
            },
            index: args.location.index,
        }
    }
}
