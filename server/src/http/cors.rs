//! CORS: only origins in the allowed list get the headers that let a
//! browser read the response; by default none but the same origin.

use warp::http::{HeaderValue, Response, StatusCode};

use super::respond::{Body, Reply};
use super::routes::Route;

/// A preflight's answer: the route's methods.
pub fn preflight(route: Route) -> Reply {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header("allow", route.allow())
        .body(Body::new())
        .unwrap_or_else(|_| Response::new(Body::new()))
}

/// Adds the CORS headers for the request's `Origin`, when it is allowed.
pub fn add(response: &mut Reply, origin: Option<&HeaderValue>, allowed: &[String]) {
    if !allowed.is_empty() {
        // Answers differ by origin: caches must know.
        response
            .headers_mut()
            .append("vary", HeaderValue::from_static("Origin"));
    }
    let Some(origin) = origin.and_then(|o| o.to_str().ok()) else {
        return;
    };
    if !allowed.iter().any(|a| a == origin || a == "*") {
        return;
    }
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert("access-control-allow-origin", v);
    }
    h.append("vary", HeaderValue::from_static("Origin"));
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
