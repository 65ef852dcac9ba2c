//! `rolesearch pieces`: how the indexer splits content files, to read.

use anyhow::Result;
use indexer::{Severity, Taxonomy};

use crate::error::{Code, Error};
use crate::options::pieces::PiecesOptions;

pub fn run(options: PiecesOptions) -> Result<()> {
    let taxonomy = Taxonomy::builtin();
    let mut out = std::io::stdout().lock();
    let mut failed = false;
    for file in &options.files {
        let parsed = indexer::read_file(file, &taxonomy);
        for problem in &parsed.problems {
            eprintln!("{problem}");
            failed |= problem.severity == Severity::Skipped;
        }
        for article in &parsed.articles {
            if options.json {
                crate::print::pieces::json(article, &mut out)?;
            } else {
                crate::print::pieces::text(article, &mut out)?;
            }
        }
    }
    if failed {
        return Err(
            Error::new(Code::ContentSkipped, "some content was skipped (see above)").into(),
        );
    }
    Ok(())
}
