//! The listener: opens the index, binds the address, starts the index
//! watcher and the Strapi schedule, and serves until Ctrl-C or SIGTERM,
//! letting requests in flight finish.

use std::io::Write;
use std::sync::Arc;

use anyhow::Result;
use warp::Filter;

use super::dispatch;
use super::request;
use super::state::State;
use crate::error::{Code, Error};
use crate::live::LiveIndex;
use crate::options::serve::ServeOptions;

pub async fn run(options: ServeOptions) -> Result<()> {
    let live = Arc::new(LiveIndex::open_or_build(
        options.index.clone(),
        &options.content,
        options.open.clone(),
    )?);
    let socket = if options.addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }?;
    socket.set_reuseaddr(true)?;
    // Accepted connections inherit TCP_NODELAY from the listening socket.
    socket.set_nodelay(true)?;
    socket.bind(options.addr).map_err(|e| {
        Error::new(
            Code::ListenFailed,
            format!("cannot listen on {}: {e}", options.addr),
        )
    })?;
    let listener = socket.listen(1024)?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, index = %options.index.display(), "rolesearch listening on http://{local}");
    // A line on stdout too, for scripts that wait for the server.
    println!("listening on http://{local}");
    let _ = std::io::stdout().flush();

    tokio::spawn(live.clone().watch());
    let sync_status = Arc::new(crate::strapi::schedule::SyncStatus::default());
    if let Some(schedule) = options.sync.clone() {
        tokio::spawn(crate::strapi::schedule::run(
            live.clone(),
            schedule.source,
            schedule.every,
            schedule.guard,
            sync_status.clone(),
        ));
    }
    let state = Arc::new(State::new(live, options, sync_status));
    let with_state = warp::any().map(move || state.clone());
    let body = warp::body::stream().map(request::boxed);
    let routes = warp::method()
        .and(warp::path::full())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(warp::header::headers_cloned())
        .and(body)
        .and(with_state)
        .then(dispatch::handle);
    warp::serve(routes)
        .incoming(listener)
        .graceful(shutdown_signal())
        .run()
        .await;
    tracing::info!("rolesearch stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
