//! Building responses: a body with its type, compressed for clients that
//! accept it; JSON; the bundled assets; and an error's response from the
//! error table (status, `{"error": {"code", "message"}}`, `Allow`,
//! `Retry-After`).

use warp::http::{HeaderValue, Response, StatusCode};

use super::gzip;
use super::routes::Route;
use crate::error::{Code, Error};

pub type Body = warp::hyper::body::Bytes;
pub type Reply = Response<Body>;

/// A response, gzip-compressed when `gzip` and it is worth it.
pub fn respond(status: StatusCode, content_type: &str, bytes: Vec<u8>, gzip: bool) -> Reply {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("vary", "Accept-Encoding");
    let compressed = if gzip { gzip::compress(&bytes) } else { None };
    let bytes = match compressed {
        Some(compressed) => {
            builder = builder.header("content-encoding", "gzip");
            compressed
        }
        None => bytes,
    };
    builder
        .body(Body::from(bytes))
        .unwrap_or_else(|_| Response::new(Body::new()))
}

/// `value` as a 200 JSON response.
pub fn json<T: serde::Serialize>(value: &T, gzip: bool) -> Reply {
    json_with(StatusCode::OK, value, gzip)
}

/// `value` as JSON with `status`.
pub fn json_with<T: serde::Serialize>(status: StatusCode, value: &T, gzip: bool) -> Reply {
    match serde_json::to_vec(value) {
        Ok(bytes) => respond(status, "application/json", bytes, gzip),
        Err(e) => error(
            &Error::new(
                Code::Internal,
                format!("cannot serialize the response: {e}"),
            ),
            None,
        ),
    }
}

/// A bundled asset, cacheable for five minutes.
pub fn asset(content: &'static str, content_type: &str, gzip: bool) -> Reply {
    let mut r = respond(
        StatusCode::OK,
        content_type,
        content.as_bytes().to_vec(),
        gzip,
    );
    r.headers_mut().insert(
        "cache-control",
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// The JSON body of an error: `{"error": {"code", "message"}}`.
pub fn error_body(code: Code, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "error": { "code": code.as_str(), "message": message }
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// The response of an error on `route` (`None`: no route matched). A
/// server-side failure (5xx but a busy server) is logged with its full
/// message, and the client hears what it can act on, never a path of the
/// server's file system.
pub fn error(err: &Error, route: Option<Route>) -> Reply {
    let code = err.code();
    let status = code
        .http_status()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let message = match code.public_message() {
        Some(public) => {
            if status == StatusCode::SERVICE_UNAVAILABLE {
                tracing::warn!(code = %code, "{}", err.message());
            } else {
                tracing::error!(code = %code, "{}", err.message());
            }
            public
        }
        None => err.message(),
    };
    let mut r = respond(status, "application/json", error_body(code, message), false);
    if let (Code::MethodNotAllowed, Some(route)) = (code, route) {
        r.headers_mut()
            .insert("allow", HeaderValue::from_static(route.allow()));
    }
    if let Some(seconds) = code.retry_after() {
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    if matches!(code, Code::RequestTimeout | Code::PayloadTooLarge) {
        // The rest of the body is not read: the connection cannot carry
        // another request.
        r.headers_mut()
            .insert("connection", HeaderValue::from_static("close"));
    }
    r
}
