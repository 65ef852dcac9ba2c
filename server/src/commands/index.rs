//! `rolesearch index`: a full build or an update of the content folder,
//! with a progress bar on a terminal and one summary line.

use std::io::IsTerminal;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{Code, Error};
use crate::options::index::IndexOptions;
use crate::print::index::Summary;

pub fn run(options: IndexOptions) -> Result<()> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} indexing {bar:30} {pos}/{len} files {elapsed}")
                .expect("a valid template"),
        );
        bar
    });
    let mut progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let (content, index) = (&options.content, &options.index);
    let summary = if options.full {
        index
            .build(content, &options.build, &mut progress)
            .map(Summary::of_build)
    } else {
        index
            .update(content, &options.build, &mut progress)
            .map(Summary::of_update)
    };
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    // The error names the folder and the cause; nothing to add.
    let summary = summary?;
    summary.print(&index.display(), &mut std::io::stderr().lock())?;
    if options.strict && summary.skipped() > 0 {
        return Err(Error::new(
            Code::ContentSkipped,
            format!(
                "--strict: {} skipped (the reasons are on the line above)",
                plural(summary.skipped(), "file or article", "files or articles")
            ),
        )
        .into());
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
