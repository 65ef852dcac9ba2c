//! The index folder on disk: complete generations (`gen-NNNNNN/`) and a
//! `CURRENT` file naming the live one, the OS lock that admits one writer,
//! the per-file and webhook state committed with each change, and the
//! content-named files kept beside a generation. Nothing here knows what a
//! document or a query is.

pub(crate) mod blobs;
mod generations;
pub(crate) mod hash;
pub(crate) mod named;
pub(crate) mod state;

pub(crate) use generations::{Stamp, WriteLock};
pub use generations::{Store, FORMAT_VERSION};
