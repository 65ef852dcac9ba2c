//! What can go wrong while reading content. A problem always names the file,
//! the JSON path inside it and the reason, so an editor can find and fix it;
//! reading goes on with the other files and articles.

use std::fmt;

/// A problem found while reading one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or "webhook") the problem is in.
    pub source: String,
    /// A JSON path such as `$.data[0].attributes.blocks[2].body`; `$` for the
    /// whole file.
    pub path: String,
    pub reason: String,
    pub severity: Severity,
}

/// Whether the content was skipped or only partly read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The article (or whole file) was not indexed.
    Skipped,
    /// The article was indexed without the named part, or with it cut.
    Warning,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Skipped => "skipped",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}: {} at {}: {}",
            self.source, what, self.path, self.reason
        )
    }
}

/// The taxonomy data file is not usable.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("invalid role taxonomy: {0}")]
    Invalid(String),
}

/// An error reading content that stops the whole run (not one article).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read content folder {path}: {reason}")]
    Folder { path: String, reason: String },
}

/// What an I/O error says, without the "(os error N)" the standard library
/// appends: the reason a person reads, said once.
pub fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}
