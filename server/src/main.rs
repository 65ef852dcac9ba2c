//! The `rolesearch` binary: parse flags, run, map the outcome to an exit
//! status. Everything else lives in the library crates and `app`.

use std::process::ExitCode;

mod app;
mod cli;
mod eval;
mod http;
mod print;
mod settings;
mod strapi;
mod sync;
mod webhook;

fn main() -> ExitCode {
    let args = <cli::Cli as clap::Parser>::parse();
    match app::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("rolesearch: {err:#}");
            ExitCode::from(app::exit_code(&err))
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
