//! Every subcommand's flags turned into validated, ready-to-use options
//! before any work starts (ripgrep's second step: `cli` holds what was
//! typed, these hold what it means). A bad value is one clear line and
//! exit status 2, never a failure halfway through.

pub mod eval;
pub mod index;
pub mod pieces;
pub mod query;
pub mod serve;
mod settings;
mod shared;
pub mod sync;
