//! What a handler gets of a request: its path, headers, decoded
//! parameters and whether the client takes gzip; the body, for the one
//! route that reads one, bounded while it is read.

use std::pin::Pin;

use futures_util::{Stream, StreamExt};
use warp::http::HeaderMap;

use super::params::Params;
use crate::error::{Code, Error};

/// A request body as it arrives.
pub type BodyStream = Pin<Box<dyn Stream<Item = Result<bytes::Bytes, warp::Error>> + Send>>;

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

/// Warp's body stream, boxed: one type for every handler.
pub fn boxed(
    stream: impl Stream<Item = Result<impl bytes::Buf, warp::Error>> + Send + 'static,
) -> BodyStream {
    Box::pin(stream.map(|chunk| chunk.map(|mut buf| buf.copy_to_bytes(buf.remaining()))))
}

/// Reads the body, refusing it (413) once it is over `limit` bytes: a
/// client cannot push an unbounded one.
pub async fn read_body(body: &mut BodyStream, limit: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
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
