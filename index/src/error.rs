//! The index crate's one error type. Each kind is something a caller can
//! act on (build an index, fix a parameter, retry later), and the message
//! says how.

use std::path::PathBuf;

/// What went wrong opening, writing or searching an index.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("no index at {}: build one with `rolesearch index`", .0.display())]
    NotFound(PathBuf),
    #[error(
        "the index at {} has format version {found}, this rolesearch reads version {expected}: rebuild it with `rolesearch index`",
        .path.display()
    )]
    Version {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "{} is not a rolesearch index ({reason}); rolesearch reads and writes only folders it made: give --index an empty or new folder (`rolesearch index --full --index DIR` builds one)",
        .path.display()
    )]
    Foreign { path: PathBuf, reason: String },
    #[error("another rolesearch process is writing the index at {} (it holds {}); try again when it is done", .0.display(), .0.join("write.lock").display())]
    Locked(PathBuf),
    #[error("invalid {}: {message}", .parameter.name())]
    InvalidParameter {
        parameter: Parameter,
        message: String,
    },
    #[error("unknown role {0:?}: see `rolesearch roles` for the list")]
    UnknownRole(String),
    #[error("unknown category {name:?}: the index has {}", if .known.is_empty() { "none".to_string() } else { .known.join(", ") })]
    UnknownCategory { name: String, known: Vec<String> },
    #[error(transparent)]
    Content(#[from] indexer::ReadError),
    /// The message says the cause (once): the error is not a `source`.
    #[error("{context}: {}", indexer::io_reason(.error))]
    Io {
        context: String,
        error: std::io::Error,
    },
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The search engine cannot answer now (down, unreachable, overloaded,
    /// refusing our credentials, or another writer holds it): a caller
    /// answers 503 with `Retry-After`, never 500.
    #[error("{what} is unavailable: {reason}; try again shortly")]
    Unavailable { what: String, reason: String },
    /// The search engine refused a request for a reason retrying will not
    /// change (a bug on our side, or a cluster set up in a way rolesearch
    /// cannot use).
    #[error("OpenSearch refused a request: {0}")]
    OpenSearch(String),
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            error: source,
        }
    }
}

/// The request parameter (or change field) an [`Error::InvalidParameter`]
/// is about: callers map each to their own code (one table, in the server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Parameter {
    Limit,
    Offset,
    Sections,
    Query,
    Locale,
    /// A change's version (an RFC 3339 timestamp).
    Version,
    /// A change's article key.
    Key,
    /// An OpenSearch setting (node URL, index prefix, credentials, CA file).
    OpenSearch,
}

impl Parameter {
    /// Its name, as a request or a change spells it.
    pub fn name(self) -> &'static str {
        match self {
            Parameter::Limit => "limit",
            Parameter::Offset => "offset",
            Parameter::Sections => "sections",
            Parameter::Query => "q",
            Parameter::Locale => "locale",
            Parameter::Version => "version",
            Parameter::Key => "key",
            Parameter::OpenSearch => "OpenSearch setting",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
