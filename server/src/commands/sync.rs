//! `rolesearch sync`: one reconciliation with Strapi, reported on stderr.

use std::io::Write;

use anyhow::Result;
use indexer::Taxonomy;

use crate::options::sync::SyncOptions;

pub fn run(options: SyncOptions) -> Result<()> {
    let synced = crate::strapi::sync::sync(&options.source, &options.index, &Taxonomy::builtin())?;
    let mut err = std::io::stderr().lock();
    for p in &synced.problems {
        writeln!(err, "{p}")?;
    }
    writeln!(err, "{synced}")?;
    Ok(())
}
