//! Content in, pieces out.
//!
//! `indexer` reads Strapi articles in every shape a Strapi site produces
//! (bare component lists, article objects, Strapi 4 and 5 REST responses,
//! collection files) and splits them into the pieces a reader lands on:
//! headings, paragraphs, list items, table rows, media and quotes, each with
//! its heading path, anchor and the roles it is about. It knows nothing of
//! the search index; `index` builds on these types.

mod article;
mod blocks;
mod builder;
mod content;
mod error;
mod json;
mod limits;
mod markdown;
mod strapi;
mod taxonomy;
pub mod text;

pub use article::{Article, Media, Piece, PieceKind, RoleTag, Salience, Seo};
pub use content::{list_files, read_file, read_folder, Content, Merge};
pub use error::{io_reason, Problem, ReadError, Severity, TaxonomyError};
pub use limits::{MAX_KEY, MAX_SLUG};
pub use strapi::{article_key, parse_entry, parse_file, parse_value, Parsed, MAX_BODY_BYTES};
pub use taxonomy::{
    fold, language_of, words, AcronymCase, Languages, LocalNames, Mention, Role, Taxonomy, Word,
    DEFAULT_LOCALE,
};
