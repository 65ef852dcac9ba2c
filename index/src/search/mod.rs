//! Request in, response out: a query understood, matched, ranked, grouped
//! into articles with their best sections, highlighted, and explained.

pub(crate) mod browse;
pub(crate) mod cache;
pub(crate) mod eval;
pub(crate) mod index;
pub(crate) mod query;
pub(crate) mod response;
pub(crate) mod snippet;
pub(crate) mod synonyms;
