//! One file per subcommand: each resolves its flags into options first
//! (`options`), then does its work over the `index` and `indexer`
//! libraries and prints through `print`.

mod eval;
mod index;
mod pieces;
mod query;
mod roles;
mod serve;
mod sync;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::options;

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index(args) => index::run(options::index::IndexOptions::resolve(args)?),
        Command::Query(args) => query::run(options::query::QueryOptions::resolve(args)?),
        Command::Roles => roles::run(),
        Command::Pieces(args) => pieces::run(options::pieces::PiecesOptions::resolve(args)?),
        Command::Eval(args) => eval::run(options::eval::EvalOptions::resolve(args)?),
        Command::Sync(args) => sync::run(options::sync::SyncOptions::resolve(args)?),
        Command::Serve(args) => serve::run(options::serve::ServeOptions::resolve(*args)?),
    }
}
