//! `rolesearch sync`: one reconciliation with Strapi, reported on stderr.

use std::io::Write;

use anyhow::Result;

use crate::options::sync::SyncOptions;

pub fn run(options: SyncOptions) -> Result<()> {
    let synced = crate::strapi::sync::sync(
        &options.source,
        &options.index,
        &options.taxonomy,
        options.guard,
    )?;
    let mut err = std::io::stderr().lock();
    for p in &synced.problems {
        writeln!(err, "{p}")?;
    }
    for key in &synced.held_back {
        writeln!(err, "not removed (held back by the removal limit): {key}")?;
    }
    writeln!(err, "{synced}")?;
    synced.check()?;
    Ok(())
}
