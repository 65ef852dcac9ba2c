//! Every error rolesearch can report, in one table: a stable `code`, the
//! HTTP status the API answers with, the exit status the CLI ends with,
//! and for a 503 the `Retry-After` a client should wait. The HTTP API,
//! the CLI, the README's error table and the OpenAPI description all read
//! this table, so they cannot disagree.
//!
//! An [`Error`] is a code and a message a person can act on. The library
//! crates keep their own error types; [`Code::of_index`] is the one place
//! their kinds are given codes.

/// `-` in the table: not produced by that side (an HTTP-only or CLI-only
/// error), or no `Retry-After`.
macro_rules! some {
    (-) => {
        None
    };
    ($value:literal) => {
        Some($value)
    };
}

macro_rules! codes {
    ($( $variant:ident $code:literal $http:tt $exit:tt $retry:tt $when:literal, )*) => {
        /// What went wrong, as a client or a script can match it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in table order.
            #[cfg(test)]
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The code as the API's error body spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }

            /// The HTTP status the API answers with; `None` for an error
            /// only the CLI reports.
            pub fn http_status(self) -> Option<u16> {
                match self {
                    $( Code::$variant => some!($http), )*
                }
            }

            /// The CLI's exit status; `None` for an error only the HTTP
            /// API reports.
            pub fn exit_status(self) -> Option<u8> {
                match self {
                    $( Code::$variant => some!($exit), )*
                }
            }

            /// Seconds a client should wait before trying again.
            pub fn retry_after(self) -> Option<u32> {
                match self {
                    $( Code::$variant => some!($retry), )*
                }
            }

            /// When the error happens, for the README's table.
            #[cfg(test)]
            pub fn when(self) -> &'static str {
                match self {
                    $( Code::$variant => $when, )*
                }
            }
        }
    };
}

codes! {
    // variant            code                      HTTP exit retry  when
    InvalidLimit          "invalid_limit"           400  2    -      "`limit` is not a whole number from 1 to 100 (1 to 10 for /suggest)",
    InvalidOffset         "invalid_offset"          400  2    -      "`offset` is not a whole number, or `offset + limit` is over 1000",
    InvalidSections       "invalid_sections"        400  2    -      "`sections` is not a whole number from 1 to 10",
    QueryTooLong          "query_too_long"          400  2    -      "`q` is longer than 512 bytes",
    UnknownRole           "unknown_role"            400  2    -      "a `role` is not in the taxonomy (`rolesearch roles`)",
    UnknownCategory       "unknown_category"        400  2    -      "a `category` is not one the index has (the message lists them)",
    InvalidLocale         "invalid_locale"          400  2    -      "a `locale` is not a locale code such as `en` or `fr-CA`",
    InvalidParameter      "invalid_parameter"       400  2    -      "a change's version is not an RFC 3339 timestamp, or its article key is empty",
    InvalidUtf8           "invalid_utf8"            400  -    -      "a percent-decoded parameter or slug is not UTF-8",
    InvalidEscape         "invalid_escape"          400  -    -      "a `%` in a parameter or slug is not followed by two hex digits (`q=%`, `q=%G1`)",
    InvalidBody           "invalid_body"            400  -    -      "a webhook body is not JSON of a Strapi event, its entry is not an article, a key or slug is over 256 bytes, or a `createdAt`, `updatedAt` or `publishedAt` is more than 5 minutes ahead of the server's clock (the message names the field)",
    BadRequest            "bad_request"             400  -    -      "a request line or header that cannot be parsed, or a target that is not a path (`GET host:80`, `OPTIONS *`)",
    Unauthorized          "unauthorized"            401  -    -      "a webhook without the secret (`Authorization: Bearer <secret>`)",
    NotFound              "not_found"               404  -    -      "no such route (the webhook route exists only with a secret)",
    ArticleNotFound       "article_not_found"       404  -    -      "no article has this slug",
    MethodNotAllowed      "method_not_allowed"      405  -    -      "the route does not take this method (`Allow` lists those it takes)",
    RequestTimeout        "request_timeout"         408  -    -      "a body that did not all arrive within `--body-timeout` (30 s)",
    PayloadTooLarge       "payload_too_large"       413  -    -      "a body over 1 MiB (5 MiB for a webhook)",
    UriTooLong            "uri_too_long"            414  -    -      "a URL (path and query) over 8 KiB",
    UnsupportedMediaType  "unsupported_media_type"  415  -    -      "a webhook body that is not `Content-Type: application/json`",
    HeadersTooLarge       "headers_too_large"       431  -    -      "a request line and headers over 32 KiB",
    SearchTimeout         "search_timeout"          503  -    1      "the search took longer than the deadline (`--search-timeout-ms`)",
    Overloaded            "overloaded"              503  -    1      "every search slot stayed busy for 500 ms, or `--max-connections` connections are open (`/health` still answers)",
    WriteQueueFull        "write_queue_full"        503  -    5      "`--write-queue` changes already wait for the index writer (a rebuild holds it)",
    IndexUnavailable      "index_unavailable"       503  2    5      "no index, an index of another format version, or a folder that is not an index",
    IndexWriteUnavailable "index_write_unavailable" 503  1    5      "the index cannot be written: another writer holds it, or the folder is read-only",
    DiskFull              "disk_full"               503  1    30     "the disk holding the index is full or over quota: nothing was written, the previous index keeps serving",
    Internal              "internal"                500  1    -      "anything else: over HTTP a bug, never caused by what a client sends",
    InvalidArgument       "invalid_argument"        -    2    -      "a flag, environment variable or settings-file value that is malformed or out of range",
    InvalidInput          "invalid_input"           -    2    -      "a file named by a flag or setting cannot be read or is not what it should be",
    ContentUnreadable     "content_unreadable"      -    2    -      "the content folder is missing, is a file, or cannot be read",
    ContentSkipped        "content_skipped"         -    2    -      "`rolesearch pieces`, or `index --strict`, skipped some content (the reasons are printed above)",
    ListenFailed          "listen_failed"           -    2    -      "`serve` cannot listen on its address",
    StrapiFailed          "strapi_failed"           -    1    -      "Strapi cannot be reached, refuses the token, or answers something that is not its REST API",
    SyncIncomplete        "sync_incomplete"         -    1    -      "a sync skipped articles, or held back removals over `sync_max_removal` (without `--allow-removals`)",
}

impl Code {
    /// The code of an error of the `index` crate.
    pub fn of_index(error: &index::Error) -> Code {
        if disk_full(error) {
            return Code::DiskFull;
        }
        match error {
            index::Error::InvalidParameter { parameter, .. } => match parameter {
                index::Parameter::Limit => Code::InvalidLimit,
                index::Parameter::Offset => Code::InvalidOffset,
                index::Parameter::Sections => Code::InvalidSections,
                index::Parameter::Query => Code::QueryTooLong,
                index::Parameter::Locale => Code::InvalidLocale,
                _ => Code::InvalidParameter,
            },
            index::Error::UnknownRole(_) => Code::UnknownRole,
            index::Error::UnknownCategory { .. } => Code::UnknownCategory,
            index::Error::NotFound(_)
            | index::Error::Version { .. }
            | index::Error::Foreign { .. } => Code::IndexUnavailable,
            index::Error::Locked(_) | index::Error::Io { .. } => Code::IndexWriteUnavailable,
            index::Error::Content(_) => Code::ContentUnreadable,
            _ => Code::Internal,
        }
    }
}

impl Code {
    /// What the HTTP API says for a failure on the server's side, in place
    /// of the full message (which goes to the log): a client learns what
    /// it can do, never a path of the server's file system. `None`: the
    /// message is the client's own business and is sent as it is.
    pub fn public_message(self) -> Option<&'static str> {
        Some(match self {
            Code::Internal => "internal error (the server's log says what happened)",
            Code::IndexUnavailable => "no index can be served now; try again (the server's log says why)",
            Code::IndexWriteUnavailable => {
                "the index cannot be written now; try again (the server's log says why)"
            }
            Code::DiskFull => {
                "the disk holding the index is full: nothing was written and the previous index keeps serving; try again once space is freed"
            }
            _ => return None,
        })
    }
}

/// Whether `error` is a full disk (`ENOSPC`) or an exhausted quota
/// (`EDQUOT`), wherever in a write it happened: an I/O error of ours, or
/// one tantivy wraps (`An IO error occurred: 'No space left on device'`),
/// found by its source chain or, where tantivy keeps only the text, by it.
pub fn disk_full(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        let io = e
            .downcast_ref::<std::io::Error>()
            .or(match e.downcast_ref::<index::Error>() {
                Some(index::Error::Io { error, .. }) => Some(error),
                _ => None,
            });
        if let Some(io) = io {
            if matches!(io.raw_os_error(), Some(ENOSPC | EDQUOT))
                || io.kind() == std::io::ErrorKind::StorageFull
            {
                return true;
            }
        }
        let text = e.to_string();
        if text.contains("No space left on device") || text.contains("Disk quota exceeded") {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Linux's numbers for a full disk and an exhausted quota.
const ENOSPC: i32 = 28;
const EDQUOT: i32 = 122;

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with its code: what went wrong, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: Code,
    message: String,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }

    pub fn code(&self) -> Code {
        self.code
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<index::Error> for Error {
    fn from(error: index::Error) -> Error {
        let code = Code::of_index(&error);
        match error {
            // The parameter is in the code; the message says the range.
            index::Error::InvalidParameter { message, .. } => Error::new(code, message),
            other => Error::new(code, other.to_string()),
        }
    }
}

/// The exit status of a failed command: the code of the first cause in
/// the chain that has one, else 1.
pub fn exit_status(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        let code = if disk_full(cause) {
            Code::DiskFull
        } else if let Some(e) = cause.downcast_ref::<Error>() {
            e.code()
        } else if let Some(e) = cause.downcast_ref::<index::Error>() {
            Code::of_index(e)
        } else if cause.is::<indexer::ReadError>() {
            Code::ContentUnreadable
        } else {
            continue;
        };
        return code.exit_status().unwrap_or(1);
    }
    1
}

/// The error table as Markdown, as the README shows it.
#[cfg(test)]
fn markdown_table() -> String {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "–".into());
    let mut out = String::from("| code | HTTP | exit | when |\n|---|---|---|---|\n");
    for code in Code::ALL {
        let http = match (code.http_status(), code.retry_after()) {
            (Some(status), Some(_)) => Some(format!("{status} (`Retry-After`)")),
            (status, _) => status.map(|s| s.to_string()),
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            code.as_str(),
            dash(http),
            dash(code.exit_status().map(|s| s.to_string())),
            code.when()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_produced_by_one_side_at_least_and_spelled_once() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(
                code.http_status().is_some() || code.exit_status().is_some(),
                "{code}"
            );
            if code.retry_after().is_some() {
                assert_eq!(code.http_status(), Some(503), "{code}");
            }
        }
    }

    #[test]
    fn the_readme_shows_this_error_table() {
        let readme = include_str!("../../README.md");
        let start = "<!-- the error table: server/src/error.rs -->\n";
        let table = readme
            .split_once(start)
            .and_then(|(_, rest)| rest.split_once("<!-- end of the error table -->"))
            .map(|(table, _)| table)
            .expect("the README marks its error table");
        assert_eq!(
            table,
            markdown_table(),
            "the README's error table is not error.rs's; paste:\n{}",
            markdown_table()
        );
    }

    #[test]
    fn index_errors_keep_the_codes_and_statuses_they_had() {
        let limit = index::Error::InvalidParameter {
            parameter: index::Parameter::Limit,
            message: "limit must be between 1 and 100".into(),
        };
        let e = Error::from(limit);
        assert_eq!(
            (e.code(), e.message()),
            (Code::InvalidLimit, "limit must be between 1 and 100")
        );
        let missing = index::Error::NotFound("x".into());
        assert_eq!(Code::of_index(&missing), Code::IndexUnavailable);
        assert_eq!(Code::of_index(&missing).exit_status(), Some(2));
        let locked = index::Error::Locked("x".into());
        assert_eq!(Code::of_index(&locked).http_status(), Some(503));
        assert_eq!(Code::of_index(&locked).exit_status(), Some(1));
    }
}
