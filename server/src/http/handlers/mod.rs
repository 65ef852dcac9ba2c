//! One handler per route: each takes the shared state and the request,
//! and answers a response or an error of the error table.

pub mod article;
pub mod assets;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod roles;
pub mod search;
pub mod suggest;
pub mod webhook;
