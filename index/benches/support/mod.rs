//! Parts of the indexing and search benchmark (`benches/bench.rs`).

pub mod corpus;
pub mod flags;
pub mod queries;
