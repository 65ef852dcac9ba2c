//! What a handler gets of a request: its path, headers, decoded
//! parameters and whether the client takes gzip; the body, for the one
//! route that reads one, bounded while it is read.

use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use warp::http::HeaderMap;

use super::params::Params;
use crate::error::{Code, Error};

/// A request body as it arrives.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes, hyper::Error>> + Send>>;

pub struct Request {
    pub path: String,
    pub headers: HeaderMap,
    pub params: Params,
    /// The client accepts a gzip-compressed answer.
    pub gzip: bool,
}

impl Request {
    /// Whether the client prefers HTML (a browser navigating) over JSON.
    pub fn wants_html(&self) -> bool {
        self.header(warp::http::header::ACCEPT)
            .is_some_and(|accept| accept.contains("text/html"))
    }

    pub fn header(&self, name: warp::http::header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Reads the body, refusing it (413) once it is over `limit` bytes and
/// (408) when it has not all arrived within `timeout`: a client can push
/// neither an unbounded body nor a trickle that never ends.
pub async fn read_body(
    body: &mut BodyStream,
    limit: usize,
    timeout: Duration,
) -> Result<Vec<u8>, Error> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut out = Vec::new();
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, body.next()).await else {
            return Err(Error::new(
                Code::RequestTimeout,
                format!(
                    "the body did not arrive within {} s (after {} bytes)",
                    timeout.as_secs_f64(),
                    out.len()
                ),
            ));
        };
        let Some(chunk) = next else { break };
        let chunk = chunk
            .map_err(|e| Error::new(Code::InvalidBody, format!("cannot read the body: {e}")))?;
        if out.len() + chunk.len() > limit {
            return Err(Error::new(
                Code::PayloadTooLarge,
                format!("the body must be at most {limit} bytes"),
            ));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Reads a body no handler wants and drops it as it comes, within the same
/// bounds as [`read_body`], holding none of it.
pub async fn drain_body(
    body: &mut BodyStream,
    limit: usize,
    timeout: Duration,
) -> Result<(), Error> {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut seen = 0;
    loop {
        let Ok(next) = tokio::time::timeout_at(deadline, body.next()).await else {
            return Err(Error::new(
                Code::RequestTimeout,
                format!("the body did not arrive within {} s", timeout.as_secs_f64()),
            ));
        };
        let Some(chunk) = next else { return Ok(()) };
        let chunk = chunk
            .map_err(|e| Error::new(Code::InvalidBody, format!("cannot read the body: {e}")))?;
        seen += chunk.len();
        if seen > limit {
            return Err(Error::new(
                Code::PayloadTooLarge,
                format!("the body must be at most {limit} bytes"),
            ));
        }
    }
}
