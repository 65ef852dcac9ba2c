//! `rolesearch serve`: the HTTP API and the search page over one shared,
//! hot-swappable index (`live`), doing HTTP and only HTTP.
//!
//! Our accept loop (`server`) hands each connection to hyper with its
//! bounds (`connection`: timeouts, a cap, JSON for hyper's own errors, no
//! panic escaping); every request goes through
//! one dispatcher (`dispatch`) that finds its route in the one route
//! table (`routes`: each route with the methods it takes), checks the
//! limits, and answers every error from the one error table
//! (`crate::error`). The handlers are in `handlers/`, one file a route;
//! compression, CORS, metrics and query strings have a file each.

mod article_page;
mod connection;
mod cors;
mod dispatch;
mod gzip;
mod handlers;
mod metrics;
mod params;
mod request;
mod respond;
mod routes;
mod runtime;
mod server;
mod state;

use anyhow::Result;

use crate::options::serve::ServeOptions;

/// Runs the server until Ctrl-C or SIGTERM; requests in flight finish.
pub fn serve(options: ServeOptions) -> Result<()> {
    runtime::start()?.block_on(server::run(options))
}
