//! Strapi, the CMS the articles come from: pulling published articles
//! over its REST API (`pull`), reconciling the index with them (`sync`,
//! also on a schedule inside `serve`), and what a webhook event means for
//! the index (`webhook`). HTTP itself is `http`'s job.

pub mod pull;
pub mod schedule;
pub mod sync;
pub mod webhook;
