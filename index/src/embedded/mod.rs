//! The embedded engine: tantivy, in the index folder. Its schema (one
//! document per piece), the collectors that rank pieces and count facets in
//! one pass, the vocabulary, and the reader that runs the search pipeline's
//! plans. The only place that builds tantivy queries or names tantivy
//! fields; the write path uses its schema to add documents.

pub(crate) mod check;
pub(crate) mod collect;
mod columns;
pub(crate) mod documents;
mod engine;
pub(crate) mod query;
mod reader;
pub(crate) mod schema;
mod segments;
mod statistics;
pub(crate) mod vocab;
