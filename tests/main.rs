//! End-to-end tests: the bundled content indexed and queried through the
//! `rolesearch` binary and the `index` library, as users and the server do.

mod util;

mod cli;
mod http;
mod limits;
mod opensearch;
#[path = "../opensearch/node.rs"]
mod opensearch_node;
mod ranking;
mod relevance;
mod strapi;
