//! One way for every request: the URL limit, the route (404), a CORS
//! preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`;
//! any other `OPTIONS` is a method the route does not take), the method (405), the body bound, the parameters, then the
//! route's handler; the answer gets its CORS headers, its metrics and a
//! log line. Every error is answered from the error table.

use std::sync::Arc;
use std::time::Instant;

use warp::http::{HeaderMap, Method};

use super::handlers;
use super::params::Params;
use super::request::{drain_body, BodyStream, Request};
use super::respond::{self, Body, Reply};
use super::routes::Route;
use super::state::State;
use super::{cors, gzip};
use crate::error::{Code, Error};

/// Longest URL accepted (path and query).
const MAX_URL: usize = 8 * 1024;
/// Largest body a route that reads none accepts (and drops).
const MAX_BODY: usize = 1 << 20;

pub async fn handle(
    method: Method,
    path: String,
    query: String,
    headers: HeaderMap,
    body: BodyStream,
    state: Arc<State>,
) -> Reply {
    let started = Instant::now();
    let route = Route::find(&path, state.options.webhook_secret.is_some());
    let caller = cors::Caller::of(&headers);
    let result = answer(&method, path.clone(), &query, headers, body, route, &state).await;
    let mut response = match result {
        Ok(response) => response,
        Err(err) => respond::error(&err, route),
    };
    let label = route.map_or("unknown", Route::pattern);
    cors::add(&mut response, &caller, &state.options.cors_origins, label);
    finish(&method, &path, label, response, &state, started)
}

/// The answer to a request refused before its route is looked at (a
/// target that is not a path, a connection over the cap), counted and
/// logged like any other.
pub fn refused(method: &Method, path: &str, err: &Error, state: &State, started: Instant) -> Reply {
    let route = Route::find(path, state.options.webhook_secret.is_some());
    let response = respond::error(err, route);
    let label = route.map_or("unknown", Route::pattern);
    finish(method, path, label, response, state, started)
}

/// Counts the answer in the metrics, logs it, and drops the body of an
/// answer to `HEAD`.
fn finish(
    method: &Method,
    path: &str,
    label: &'static str,
    mut response: Reply,
    state: &State,
    started: Instant,
) -> Reply {
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    state.metrics.record(label, status, elapsed);
    tracing::info!(
        method = %method,
        path = %path,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    if method == Method::HEAD {
        *response.body_mut() = Body::new();
    }
    response
}

async fn answer(
    method: &Method,
    path: String,
    query: &str,
    headers: HeaderMap,
    mut body: BodyStream,
    route: Option<Route>,
    state: &State,
) -> Result<Reply, Error> {
    if path.len() + query.len() + 1 > MAX_URL {
        return Err(Error::new(
            Code::UriTooLong,
            "the URL must be at most 8 KiB",
        ));
    }
    let Some(route) = route else {
        return Err(Error::new(Code::NotFound, "no such route"));
    };
    if method == Method::OPTIONS && cors::is_preflight(&headers) {
        return Ok(cors::preflight(route));
    }
    if !route.takes(method) {
        return Err(Error::new(
            Code::MethodNotAllowed,
            format!("method not allowed; use {}", route.allow()),
        ));
    }
    let params = if route.takes_body() {
        Params::default()
    } else {
        // No such route reads a body, but a client must not be able to
        // push an unbounded one either: read at most the limit, then refuse.
        drain_body(&mut body, MAX_BODY, state.options.body_timeout).await?;
        Params::parse(query)?
    };
    let request = Request {
        path,
        gzip: gzip::accepted(&headers),
        headers,
        params,
    };
    match route {
        Route::Page => Ok(handlers::assets::page(&request)),
        Route::Widget => Ok(handlers::assets::widget(&request)),
        Route::Search => handlers::search::handle(state, &request).await,
        Route::Suggest => handlers::suggest::handle(state, &request).await,
        Route::Roles => handlers::roles::handle(state, &request).await,
        Route::Article => handlers::article::handle(state, &request, route).await,
        Route::Health => handlers::health::handle(state).await,
        Route::Metrics => Ok(handlers::metrics::handle(state, &request)),
        Route::OpenApi => Ok(handlers::openapi::handle(&request)),
        Route::Webhook => handlers::webhook::handle(state, &request, body).await,
    }
}
