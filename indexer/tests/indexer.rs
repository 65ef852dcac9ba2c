//! Integration tests of the indexer: every input shape a Strapi site
//! produces, the pieces made from it, the roles they are tagged with, the
//! seed article's quirks (and the seed itself when it is beside the clone),
//! and bad input.
//!
//! One test binary; its modules live in `tests/indexer/`, fixtures in
//! `tests/fixtures/` (byte-exact Strapi recordings in `fixtures/strapi/`).

#[path = "indexer/util.rs"]
mod util;

#[path = "indexer/bad_input.rs"]
mod bad_input;
#[path = "indexer/blocks.rs"]
mod blocks;
#[path = "indexer/components.rs"]
mod components;
#[path = "indexer/markdown.rs"]
mod markdown;
#[path = "indexer/quirks.rs"]
mod quirks;
#[path = "indexer/roles.rs"]
mod roles;
#[path = "indexer/seed.rs"]
mod seed;
#[path = "indexer/shapes.rs"]
mod shapes;
