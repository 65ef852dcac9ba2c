//! Request in, response out. A search's way through these files:
//!
//! ```text
//! request ─▶ understand/ ─▶ plan ─▶ engine::Reader::rank ─▶ relax (if empty) ─▶ hits ─▶ response
//!  limits     words, roles,   weights,   (the tantivy engine:      words dropped     sections,
//!  checked    synonyms,       bonuses,    crate::embedded)         until a match     snippets
//!  once       typos, prefixes filters
//! ```
//!
//! `index` is the opened index every caller holds (`SearchIndex`), `run`
//! the steps above, `browse` suggestions, roles and article outlines over
//! the same engine, `cache` recent answers, `eval` the judged-set scores.

pub(crate) mod browse;
pub(crate) mod cache;
pub(crate) mod engine;
pub(crate) mod eval;
mod hits;
pub(crate) mod index;
pub(crate) mod options;
pub(crate) mod plan;
mod relax;
pub(crate) mod request;
pub(crate) mod response;
mod run;
pub(crate) mod snippet;
pub(crate) mod understand;
