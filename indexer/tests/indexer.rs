//! Integration tests of the indexer.
mod indexer {
    mod probe;
    pub mod util;
}
