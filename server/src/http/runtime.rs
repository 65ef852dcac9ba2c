//! The process a server runs in: request logs on stderr, glibc's malloc
//! tuned for a long-running process, and the async runtime.

use anyhow::{Context, Result};

/// Sets up logging and the allocator, then builds the runtime.
pub fn start() -> Result<tokio::runtime::Runtime> {
    init_logging();
    limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Searches are CPU work on a 2-core class machine: a few blocking
        // threads do it all, and fewer threads mean fewer malloc arenas.
        .max_blocking_threads(16)
        .build()
        .context("cannot start the async runtime")
}

/// glibc gives threads that allocate at once arenas of their own, up to
/// eight per core, and keeps what they freed: every webhook's short-lived
/// writer threads left the server ~120 MiB larger after 100 publishes
/// (`cargo bench -p rolesearch --bench serve -- publish`), against ~20 MiB
/// with two arenas, at the same speed. `MALLOC_ARENA_MAX`, when set, wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes a tuning parameter of the allocator;
        // it is called before the runtime starts any thread.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Logs to stderr through `tracing`, at the level `RUST_LOG` asks for
/// (`info` by default).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}
