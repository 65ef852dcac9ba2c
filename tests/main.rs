//! End-to-end tests: the bundled content indexed and queried through the
//! `rolesearch` binary and the `index` library, as users and the server do.

mod util;

mod cli;
mod http;
mod limits;
mod ranking;
mod relevance;
mod strapi;
