//! `rolesearch roles`: the role taxonomy.

use anyhow::Result;
use indexer::Taxonomy;

pub fn run() -> Result<()> {
    crate::print::roles::taxonomy(&Taxonomy::builtin(), &mut std::io::stdout().lock())?;
    Ok(())
}
