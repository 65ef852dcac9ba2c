//! The embedded engine: tantivy. Its schema (one document per piece), the
//! documents an article becomes, the stored display data, the collectors
//! and the vocabulary; the only place that names tantivy fields.

pub(crate) mod check;
pub(crate) mod collect;
pub(crate) mod schema;
pub(crate) mod stored;
pub(crate) mod vocab;
