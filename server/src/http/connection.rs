//! One client connection, bounded: hyper's HTTP/1.1 with a deadline on
//! every request head (which also closes a silent or idle keep-alive
//! connection), a bound on the bytes of a head, and answers of our own
//! where hyper or a client's request would otherwise leave none.
//!
//! - A connection over the cap (`--max-connections`) is still accepted, so
//!   the client hears why: it gets a shorter head deadline, no keep-alive,
//!   `GET /health` as usual and `503 overloaded` for anything else.
//! - A request whose target is not a path (`GET host:80`, `OPTIONS *`)
//!   answers 400 before anything reads its path.
//! - A panic while answering is caught: the client gets a 500, the log one
//!   line (the panic hook in `server`), and the worker lives on.
//! - hyper answers a request it cannot parse (400, 414, 431) with a bare
//!   head; [`Io`] gives those answers the JSON body of the error table.
//! - A client that stops reading an answer holds the connection at most
//!   the body timeout: [`Io`] fails a write that makes no progress that
//!   long, and the connection closes.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use http_body_util::{BodyDataStream, Full};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use warp::http::{HeaderValue, Method, Request};

use super::dispatch;
use super::request::BodyStream;
use super::respond::{self, Reply};
use super::state::State;
use crate::error::{Code, Error};

/// Largest request head (request line and headers), in bytes: over it,
/// 431 (the URL alone is bounded at 8 KiB by the dispatcher).
pub const MAX_HEAD: usize = 32 * 1024;
/// Largest read (and write) buffer of a connection: what an idle or slow
/// connection can hold of the server's memory.
const MAX_BUFFER: usize = 64 * 1024;
/// The head deadline of a connection over the cap.
const OVER_CAP_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// Serves `stream` until the client or a shutdown ends it. `slot` is the
/// connection's place under the cap, held as long as it lives; `None`: the
/// cap is reached and the connection gets the cheap path.
pub fn spawn(
    stream: TcpStream,
    state: Arc<State>,
    slot: Option<OwnedSemaphorePermit>,
    graceful: &GracefulShutdown,
) {
    let over_cap = slot.is_none();
    let header_timeout = if over_cap {
        state.options.header_timeout.min(OVER_CAP_HEAD_TIMEOUT)
    } else {
        state.options.header_timeout
    };
    let state_timeout = state.options.body_timeout;
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let state = state.clone();
        async move { Ok::<_, Infallible>(answer(request, state, over_cap).await.map(Full::new)) }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .max_header_size(MAX_HEAD)
        .max_buf_size(MAX_BUFFER)
        .keep_alive(!over_cap);
    let io = Io::new(stream, state_timeout);
    let connection = graceful.watch(http.serve_connection(TokioIo::new(io), service));
    tokio::spawn(async move {
        let _slot = slot;
        if let Err(e) = connection.await {
            // A client that hung up, timed out or sent garbage: its own
            // affair (it got an answer when there was one to give).
            tracing::debug!("connection ended: {e}");
        }
    });
}

/// The answer to one request: the checks no handler can make (the target
/// is a path; the connection is under the cap), then the dispatcher, with
/// a panic caught.
async fn answer(request: Request<Incoming>, state: Arc<State>, over_cap: bool) -> Reply {
    let started = Instant::now();
    let (parts, body) = request.into_parts();
    let method = parts.method;
    let path = parts.uri.path().to_string();
    if !path.starts_with('/') {
        let err = Error::new(
            Code::BadRequest,
            "the request target must be a path such as /search?q=… (not host:port, not *)",
        );
        return dispatch::refused(&method, &path, &err, &state, started);
    }
    let health = path == "/health" && (method == Method::GET || method == Method::HEAD);
    if over_cap && !health {
        let err = Error::new(
            Code::Overloaded,
            format!(
                "the server has its maximum of {} connections open; try again",
                state.options.max_connections
            ),
        );
        let mut reply = dispatch::refused(&method, &path, &err, &state, started);
        reply
            .headers_mut()
            .insert("connection", HeaderValue::from_static("close"));
        return reply;
    }
    let body: BodyStream = if over_cap {
        // A health probe reads no body; over the cap none is waited for.
        Box::pin(futures_util::stream::empty())
    } else {
        Box::pin(BodyDataStream::new(body))
    };
    let query = parts.uri.query().unwrap_or_default().to_string();
    let handled = dispatch::handle(
        method.clone(),
        path.clone(),
        query,
        parts.headers,
        body,
        state.clone(),
    );
    match AssertUnwindSafe(handled).catch_unwind().await {
        Ok(reply) => reply,
        Err(_) => {
            let err = Error::new(
                Code::Internal,
                "the server failed to answer this request (its log says why)",
            );
            dispatch::refused(&method, &path, &err, &state, started)
        }
    }
}

/// The client's socket, giving hyper's own error answers (a bare `400`,
/// `414` or `431` head, written when a request cannot be parsed, right
/// before hyper closes the connection) the JSON body every other error has.
///
/// An answer of ours never looks like one of hyper's: ours all have a
/// `content-type`, hyper's have none and `content-length: 0`, and a write
/// that starts with a status line starts a response (a body of ours is
/// JSON, HTML, JavaScript or text, never `HTTP/1.1 4…`).
pub struct Io {
    inner: TcpStream,
    /// Our answer in place of hyper's, and how much of it is written.
    pending: Option<(Vec<u8>, usize)>,
    /// Longest a write may wait for the client to read.
    stall_limit: Duration,
    /// Since when the current write has waited, as a deadline.
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Io {
    fn new(inner: TcpStream, stall_limit: Duration) -> Io {
        Io {
            inner,
            pending: None,
            stall_limit,
            stalled: None,
        }
    }

    /// A write's outcome, failed when it has waited for the client longer
    /// than the stall limit.
    fn bounded<T>(
        &mut self,
        cx: &mut Context<'_>,
        outcome: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        if outcome.is_ready() {
            self.stalled = None;
            return outcome;
        }
        let limit = self.stall_limit;
        let deadline = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if deadline.as_mut().poll(cx).is_ready() {
            self.stalled = None;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading the answer",
            )));
        }
        Poll::Pending
    }

    /// Writes what is left of our answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, written)) = &mut self.pending {
            if *written == bytes.len() {
                self.pending = None;
                break;
            }
            let outcome = Pin::new(&mut self.inner).poll_write(cx, &bytes[*written..]);
            let n = match outcome {
                Poll::Ready(Ok(n)) => n,
                other => {
                    let other = other.map_ok(|_| ());
                    return self.bounded(cx, other);
                }
            };
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(()))
    }

    /// When `buf` starts with one of hyper's bare error heads: our answer
    /// in its place, and the length of hyper's head.
    fn replace(&mut self, buf: &[u8]) -> Option<usize> {
        let (answer, consumed) = replacement(buf)?;
        self.pending = Some((answer, 0));
        Some(consumed)
    }
}

/// Our answer for hyper's bare error head at the start of `buf`, and the
/// head's length.
fn replacement(buf: &[u8]) -> Option<(Vec<u8>, usize)> {
    let (code, message) = match buf.get(..12)? {
        b"HTTP/1.1 400" => (
            Code::BadRequest,
            "the request line or a header is malformed".to_string(),
        ),
        b"HTTP/1.1 414" => (
            Code::UriTooLong,
            "the URL must be at most 8 KiB".to_string(),
        ),
        b"HTTP/1.1 431" => (
            Code::HeadersTooLarge,
            format!(
                "the request line and headers must be at most {} KiB",
                MAX_HEAD / 1024
            ),
        ),
        _ => return None,
    };
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&buf[..end]).ok()?;
    let lower = head.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") || lower.contains("\r\ncontent-type:") {
        return None;
    }
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let date = lines
        .find(|l| l.to_ascii_lowercase().starts_with("date:"))
        .map(|l| format!("{l}\r\n"))
        .unwrap_or_default();
    let body = respond::error_body(code, &message);
    let mut answer = format!(
        "{status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{date}\r\n",
        body.len()
    )
    .into_bytes();
    answer.extend_from_slice(&body);
    Some((answer, end))
}

impl AsyncRead for Io {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Io {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(consumed) = self.replace(buf) {
            // Written now or on the next write, flush or shutdown.
            let _ = self.drain(cx)?;
            return Poll::Ready(Ok(consumed));
        }
        let outcome = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.bounded(cx, outcome)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drain(cx))?;
        if let Some(first) = bufs.iter().find(|b| !b.is_empty()) {
            if let Some(consumed) = self.replace(first) {
                let _ = self.drain(cx)?;
                return Poll::Ready(Ok(consumed));
            }
        }
        let outcome = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.bounded(cx, outcome)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        let outcome = Pin::new(&mut self.inner).poll_flush(cx);
        self.bounded(cx, outcome)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drain(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypers_bare_error_heads_get_a_json_body_and_ours_are_left_alone() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Thu, 03 Dec 2026 19:00:00 GMT\r\n\r\n";
        let (answer, consumed) = replacement(bare).expect("replaced");
        assert_eq!(consumed, bare.len());
        let text = String::from_utf8(answer).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains("date: Thu, 03 Dec 2026 19:00:00 GMT"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["error"]["code"], "headers_too_large");
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"error\":{}}";
        assert!(replacement(ours).is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(replacement(b"{\"hits\": []}").is_none());
    }
}
