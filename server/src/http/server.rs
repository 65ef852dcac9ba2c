//! The listener: opens the index, binds the address, starts the index
//! watcher and the Strapi schedule, and accepts connections until Ctrl-C
//! or SIGTERM, letting requests in flight finish.
//!
//! The accept loop is ours (not warp's) so that every connection is
//! bounded (`connection`): a cap on how many are served at once, with a
//! cheap answer past it, and the file descriptors the cap needs checked at
//! startup. A panic anywhere is one line in the log, never a backtrace.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;
use hyper_util::server::graceful::GracefulShutdown;

use super::connection;
use super::state::State;
use crate::error::{Code, Error};
use crate::live::LiveIndex;
use crate::options::serve::ServeOptions;

pub async fn run(options: ServeOptions) -> Result<()> {
    install_panic_hook();
    let live = Arc::new(LiveIndex::open_or_build(
        options.index.clone(),
        &options.content,
        options.open.clone(),
        options.write_queue,
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
    check_file_limit(options.max_connections);
    let state = Arc::new(State::new(live, options, sync_status));
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        match accepted {
            Ok((stream, _peer)) => {
                let slot = state.connections.clone().try_acquire_owned().ok();
                if slot.is_none() {
                    state
                        .over_cap
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                connection::spawn(stream, state.clone(), slot, &graceful);
            }
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                // Out of file descriptors, most likely: the connections open
                // close within the head timeout, so wait a little.
                tracing::error!("cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    drop(listener);
    graceful.shutdown().await;
    tracing::info!("rolesearch stopped");
    Ok(())
}

/// An accept error that is one client's (it hung up meanwhile).
fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        ConnectionRefused | ConnectionAborted | ConnectionReset
    )
}

/// A panic (a bug) is logged as one line, where it happened and what it
/// said, and never with a backtrace: a client that found one cannot fill
/// the log with it. The request it happened in answers 500.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(at = %at, "panic: {}", message.replace('\n', " "));
    }));
}

/// Warns when the open-file limit cannot hold `max_connections`
/// connections and the index's files, raising the soft limit first if the
/// hard one allows: past the limit, new clients would be refused by the
/// kernel before the server could answer them.
fn check_file_limit(max_connections: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // The index's files, the listener, logs: a generous reserve.
        let needed = (max_connections + 256) as libc::rlim_t;
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write `limit`.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return;
            }
            if limit.rlim_cur < needed {
                let raised = libc::rlimit {
                    rlim_cur: needed.min(limit.rlim_max),
                    rlim_max: limit.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        if limit.rlim_cur < needed {
            tracing::warn!(
                "max_connections {max_connections} needs about {needed} open files, but the limit is {}: raise it (ulimit -n) or lower --max-connections",
                limit.rlim_cur
            );
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = max_connections;
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
