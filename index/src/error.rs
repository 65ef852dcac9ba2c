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
    #[error("{} is not a rolesearch index ({reason}): rebuild it with `rolesearch index`", .path.display())]
    Foreign { path: PathBuf, reason: String },
    #[error("another rolesearch process is writing the index at {} (it holds {}); try again when it is done", .0.display(), .0.join("write.lock").display())]
    Locked(PathBuf),
    #[error("invalid {parameter}: {message}")]
    InvalidParameter {
        parameter: &'static str,
        message: String,
    },
    #[error("unknown role {0:?}: see `rolesearch roles` for the list")]
    UnknownRole(String),
    #[error("cannot read content: {0}")]
    Content(#[from] indexer::ReadError),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// A stable machine-readable code for the error kind.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound(_) => "index_not_found",
            Error::Version { .. } => "index_version_mismatch",
            Error::Foreign { .. } => "index_foreign",
            Error::Locked(_) => "index_locked",
            Error::InvalidParameter { parameter, .. } => match *parameter {
                "limit" => "invalid_limit",
                "offset" => "invalid_offset",
                "q" => "invalid_query",
                "sections" => "invalid_sections",
                _ => "invalid_parameter",
            },
            Error::UnknownRole(_) => "unknown_role",
            Error::Content(_) => "content_unreadable",
            Error::Io { .. } => "io_error",
            Error::Tantivy(_) => "index_error",
        }
    }

    /// Whether the caller (not the index) is at fault.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Error::InvalidParameter { .. } | Error::UnknownRole(_))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
