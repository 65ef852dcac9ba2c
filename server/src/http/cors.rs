//! CORS: only origins in the allowed list get the headers that let a
//! browser read the response; by default none but the same origin.

use warp::http::{HeaderMap, HeaderValue, Response, StatusCode};

use super::respond::{Body, Reply};
use super::routes::Route;

/// Whether a request is a CORS preflight: `OPTIONS` from a browser, with
/// the `Origin` and the method it asks about. Any other `OPTIONS` is a
/// method no route takes (405).
pub fn is_preflight(headers: &HeaderMap) -> bool {
    headers.contains_key("origin") && headers.contains_key("access-control-request-method")
}

/// A preflight's answer: the route's methods.
pub fn preflight(route: Route) -> Reply {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header("allow", route.allow())
        .body(Body::new())
        .unwrap_or_else(|_| Response::new(Body::new()))
}

/// What CORS needs of a request: its `Origin` and `Host`.
pub struct Caller {
    origin: Option<HeaderValue>,
    host: Option<HeaderValue>,
}

impl Caller {
    pub fn of(headers: &HeaderMap) -> Caller {
        Caller {
            origin: headers.get("origin").cloned(),
            host: headers.get("host").cloned(),
        }
    }

    /// Whether the origin is this server's own (the search page calling
    /// its API).
    fn same_origin(&self, origin: &str) -> bool {
        let host = self.host.as_ref().and_then(|h| h.to_str().ok());
        host.is_some_and(|host| {
            origin.strip_prefix("http://") == Some(host)
                || origin.strip_prefix("https://") == Some(host)
        })
    }
}

/// Adds the CORS headers for the caller's origin when it is allowed, and
/// logs a refused one (the page that sent it only sees a network error).
pub fn add(response: &mut Reply, caller: &Caller, allowed: &[String], route: &str) {
    if !allowed.is_empty() {
        // Answers differ by origin: caches must know.
        response
            .headers_mut()
            .append("vary", HeaderValue::from_static("Origin"));
    }
    let Some(origin) = caller.origin.as_ref().and_then(|o| o.to_str().ok()) else {
        return;
    };
    if !allowed.iter().any(|a| a == origin || a == "*") {
        if !caller.same_origin(origin) {
            tracing::warn!(
                origin,
                route,
                "CORS: refused a browser request from an origin not allowed (allow it with --cors-origin)"
            );
        }
        return;
    }
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert("access-control-allow-origin", v);
    }
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, HEAD, POST, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("Content-Type, Authorization"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
}
