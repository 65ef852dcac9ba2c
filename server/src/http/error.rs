//! Every error the API can answer, in one table: one HTTP status and one
//! stable `code` per kind, with a JSON body
//! `{"error": {"code": "invalid_limit", "message": "…"}}`.

use warp::http::StatusCode;

/// An API error: what went wrong, in terms a client can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// A query parameter is missing, malformed or out of range.
    InvalidParameter {
        code: &'static str,
        message: String,
    },
    /// Percent-decoded bytes that are not UTF-8.
    InvalidUtf8 {
        parameter: String,
    },
    /// The URL is longer than 8 KiB.
    UriTooLong,
    /// The body is larger than the route accepts.
    PayloadTooLarge {
        limit: usize,
    },
    /// The body is not JSON.
    UnsupportedMediaType,
    /// The body is JSON of the wrong shape.
    InvalidBody(String),
    /// Missing or wrong credentials.
    Unauthorized,
    NotFound,
    ArticleNotFound(String),
    MethodNotAllowed {
        allow: &'static str,
    },
    /// The search took longer than the deadline.
    Timeout,
    /// Too many searches at once.
    Overloaded,
    /// No index can be opened right now.
    IndexUnavailable(String),
    /// The index could not be written (disk full, read-only folder…).
    WriteUnavailable(String),
    /// A bug: never caused by what a client sent.
    Internal(String),
}

impl ApiError {
    /// The table: status, code.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::InvalidParameter { code, .. } => (StatusCode::BAD_REQUEST, code),
            ApiError::InvalidUtf8 { .. } => (StatusCode::BAD_REQUEST, "invalid_utf8"),
            ApiError::UriTooLong => (StatusCode::URI_TOO_LONG, "uri_too_long"),
            ApiError::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
            }
            ApiError::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::InvalidBody(_) => (StatusCode::BAD_REQUEST, "invalid_body"),
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::ArticleNotFound(_) => (StatusCode::NOT_FOUND, "article_not_found"),
            ApiError::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
            }
            ApiError::Timeout => (StatusCode::SERVICE_UNAVAILABLE, "search_timeout"),
            ApiError::Overloaded => (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
            ApiError::IndexUnavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "index_unavailable"),
            ApiError::WriteUnavailable(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "index_write_unavailable")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::InvalidParameter { message, .. } => message.clone(),
            ApiError::InvalidUtf8 { parameter } => format!("{parameter} is not valid UTF-8"),
            ApiError::UriTooLong => "the URL must be at most 8 KiB".into(),
            ApiError::PayloadTooLarge { limit } => {
                format!("the body must be at most {limit} bytes")
            }
            ApiError::UnsupportedMediaType => {
                "the body must be JSON (Content-Type: application/json)".into()
            }
            ApiError::InvalidBody(m) => m.clone(),
            ApiError::Unauthorized => "missing or wrong Authorization: Bearer <secret>".into(),
            ApiError::NotFound => "no such route".into(),
            ApiError::ArticleNotFound(slug) => format!("no article with slug {slug:?}"),
            ApiError::MethodNotAllowed { allow } => format!("method not allowed; use {allow}"),
            ApiError::Timeout => "the search took too long; try again".into(),
            ApiError::Overloaded => "too many searches at once; try again".into(),
            ApiError::IndexUnavailable(m) => m.clone(),
            ApiError::WriteUnavailable(m) => m.clone(),
            ApiError::Internal(m) => m.clone(),
        }
    }

    /// Seconds a client should wait before retrying, for 503s.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            ApiError::Timeout | ApiError::Overloaded => Some(1),
            ApiError::IndexUnavailable(_) | ApiError::WriteUnavailable(_) => Some(5),
            _ => None,
        }
    }

    pub fn body(&self) -> Vec<u8> {
        let (_, code) = self.status_and_code();
        serde_json::to_vec(&serde_json::json!({
            "error": { "code": code, "message": self.message() }
        }))
        .expect("an error body serializes")
    }
}

impl From<index::Error> for ApiError {
    fn from(e: index::Error) -> Self {
        match e {
            index::Error::InvalidParameter { parameter, message } => ApiError::InvalidParameter {
                code: match parameter {
                    index::Parameter::Limit => "invalid_limit",
                    index::Parameter::Offset => "invalid_offset",
                    index::Parameter::Sections => "invalid_sections",
                    index::Parameter::Query => "invalid_query",
                    _ => "invalid_parameter",
                },
                message,
            },
            index::Error::UnknownRole(_) => ApiError::InvalidParameter {
                code: "unknown_role",
                message: e.to_string(),
            },
            index::Error::NotFound(_)
            | index::Error::Version { .. }
            | index::Error::Foreign { .. } => ApiError::IndexUnavailable(e.to_string()),
            index::Error::Locked(_) | index::Error::Io { .. } => {
                ApiError::WriteUnavailable(e.to_string())
            }
            _ => ApiError::Internal(e.to_string()),
        }
    }
}
