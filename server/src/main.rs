//! The `rolesearch` binary: parse the flags, run the subcommand, map the
//! outcome to an exit status (from the one error table, `error`). A broken
//! pipe (`rolesearch query … | head`) is a success.
//!
//! `cli` holds the flags as typed, `options` what they mean once checked,
//! `commands` one file per subcommand, `print` what the CLI prints; `http`
//! serves the API over the index that `live` keeps current; `strapi` pulls,
//! syncs and reads webhooks.

use std::process::ExitCode;

mod cli;
mod commands;
mod error;
mod http;
mod live;
mod options;
mod print;
mod strapi;

fn main() -> ExitCode {
    let cli = <cli::Cli as clap::Parser>::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("rolesearch: {err:#}");
            ExitCode::from(error::exit_status(&err))
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().map(|e| e.kind());
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind());
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
