//! What the CLI prints, apart from what it does: search results for a
//! terminal or a pipe, the index summary, pieces, roles, eval reports.

pub mod eval;
pub mod index;
pub mod pieces;
pub mod roles;
pub mod search;
