//! `rolesearch query`: one search, printed as text or as the API's JSON.

use std::io::Write;

use anyhow::Result;

use crate::options::query::QueryOptions;

pub fn run(options: QueryOptions) -> Result<()> {
    let index = options.index.open(options.open)?;
    let response = index.search(&options.request)?;
    let mut out = std::io::stdout().lock();
    if options.json {
        serde_json::to_writer_pretty(&mut out, &response)?;
        writeln!(out)?;
    } else {
        crate::print::search::human(&response, &mut anstream::AutoStream::auto(out))?;
    }
    Ok(())
}
