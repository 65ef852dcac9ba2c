//! Integration tests of the index library, through its public API only:
//! atomic generations, incremental updates and webhook changes, and the
//! compatibility of a committed fixture index of the current format.
//!
//! One test binary; its modules live in `tests/index/`, each test in a
//! temp dir of its own (`util`).

#[path = "index/util.rs"]
mod util;

#[path = "index/atomic.rs"]
mod atomic;
#[path = "index/browse.rs"]
mod browse;
#[path = "index/compatibility.rs"]
mod compatibility;
#[path = "index/incremental.rs"]
mod incremental;
#[path = "index/locales.rs"]
mod locales;
#[path = "index/opensearch.rs"]
mod opensearch;
#[path = "../../opensearch/node.rs"]
mod opensearch_node;
