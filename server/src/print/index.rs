//! What `rolesearch index` reports: a warning line per problem that did
//! not stop an article, then one summary line with the counts and every
//! file or article skipped, and why.

use std::io::Write;
use std::time::Duration;

use indexer::{Problem, Severity};

/// A full build's or an update's report, in the terms the summary uses.
pub struct Summary {
    full: bool,
    files: usize,
    read: usize,
    changed: usize,
    articles: u64,
    pieces: u64,
    upserted: usize,
    deleted: usize,
    problems: Vec<Problem>,
    elapsed: Duration,
}

impl Summary {
    pub fn of_build(b: index::BuildReport) -> Summary {
        Summary {
            full: true,
            files: b.files,
            read: b.files,
            changed: b.files,
            articles: b.articles as u64,
            pieces: b.pieces as u64,
            upserted: b.articles,
            deleted: 0,
            problems: b.problems,
            elapsed: b.elapsed,
        }
    }

    pub fn of_update(u: index::UpdateReport) -> Summary {
        Summary {
            full: u.full,
            files: u.files,
            read: u.read,
            changed: u.added + u.changed + u.removed,
            articles: u.articles,
            pieces: u.pieces,
            upserted: u.upserted,
            deleted: u.deleted,
            problems: u.problems,
            elapsed: u.elapsed,
        }
    }

    /// How many files or articles were left out.
    pub fn skipped(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
            .count()
    }

    /// The warnings, then the summary line, for the index at `dir`.
    pub fn print(
        &self,
        index: &impl std::fmt::Display,
        err: &mut impl Write,
    ) -> std::io::Result<()> {
        for problem in self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
        {
            writeln!(
                err,
                "warning: {}: {}: {}",
                problem.source, problem.path, problem.reason
            )?;
        }
        let skipped: Vec<String> = self
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
            .map(|p| format!("{} ({}: {})", p.source, p.path, p.reason))
            .collect();
        let how = if self.full {
            format!("{} files", self.files)
        } else {
            format!(
                "{} files ({} read, {} added/changed/removed; {} articles re-indexed, {} removed)",
                self.files, self.read, self.changed, self.upserted, self.deleted
            )
        };
        let mut line = format!(
            "indexed {} articles, {} pieces from {} into {} in {:.2}s",
            self.articles,
            self.pieces,
            how,
            index,
            self.elapsed.as_secs_f64()
        );
        if skipped.is_empty() {
            line.push_str("; nothing skipped");
        } else {
            line.push_str(&format!(
                "; skipped {}: {}",
                skipped.len(),
                skipped.join("; ")
            ));
        }
        writeln!(err, "{line}")
    }
}
