//! `rolesearch eval`: the judged query set against the index, with a
//! per-query breakdown and the difference from a saved earlier run.

use std::io::Write;

use anyhow::{Context, Result};

use crate::options::eval::EvalOptions;

pub fn run(options: EvalOptions) -> Result<()> {
    let index = options.index.open(options.open)?;
    let report = index::evaluate(&index, &options.set)?;
    if let Some(path) = &options.save {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("cannot save the report to {}", path.display()))?;
    }
    let mut out = std::io::stdout().lock();
    if options.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    crate::print::eval::report(&report, options.baseline.as_ref(), &mut out)?;
    Ok(())
}
