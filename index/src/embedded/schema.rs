//! The index schema: one document per piece. Article fields are stored once,
//! on the article's title piece; every other piece stores only what its
//! section needs and the article key that ties it to its article.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::analysis::analyzer::{TEXT_ANALYZER, WORDS_ANALYZER};
use crate::stored::StoredPiece;

/// Names of the fast fields that collectors and checks read by name.
pub(crate) const POSITION: &str = "position";
pub(crate) const KIND: &str = "kind";
pub(crate) const ROLE_MASK: &str = "role_mask";
pub(crate) const CATEGORY: &str = "category";

/// Every field of the schema, by handle.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The article key (raw), on every piece: deletes and lookups.
    pub key: Field,
    /// The article key again, on title pieces only: finds an article's
    /// stored metadata in one term lookup.
    pub title_of: Field,
    /// The article slug, on title pieces only: `/articles/{slug}` lookups.
    pub slug: Field,
    /// Piece kind as a number (fast, indexed, stored).
    pub kind: Field,
    /// Position of the piece in its article (fast). An article's pieces
    /// are consecutive documents, title first: the piece at `doc` belongs
    /// to the article whose title piece is at `doc - position`.
    pub position: Field,
    /// The piece text (analyzed with positions, stored).
    pub text: Field,
    /// The heading path of the piece (analyzed with positions).
    pub heading: Field,
    /// The article title, on title pieces (analyzed with positions).
    pub title: Field,
    /// The article description and SEO text, on title pieces (analyzed).
    pub description: Field,
    /// The article title again, on every piece (analyzed, no positions):
    /// the words of the title count as context for each section, weakly.
    pub context: Field,
    /// Roles the piece (or its whole article) is mainly about (raw terms).
    pub role: Field,
    /// Roles the piece only mentions (raw terms).
    pub mention: Field,
    /// Bit set of `role` by taxonomy position (fast): facet counts.
    pub role_mask: Field,
    /// The article category (raw, fast): filter and facet counts.
    pub category: Field,
    /// Stored JSON: the piece's display data (anchor, path, cells, media, roles).
    pub piece: Field,
    /// Stored JSON, on title pieces: the article's metadata.
    pub meta: Field,
    /// On title pieces: every distinct word of the article, unstemmed. Its
    /// term dictionary is the vocabulary for typo correction and prefixes.
    pub words: Field,
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analyzed = |stored: bool| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(TEXT_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        // Raw terms are looked up and filtered on, never scored by length:
        // no field norms (a byte per piece and field otherwise).
        let raw = || {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            )
        };
        let fields = Fields {
            key: b.add_text_field("key", raw().set_stored()),
            title_of: b.add_text_field("title_of", raw()),
            slug: b.add_text_field("slug", raw()),
            kind: b.add_u64_field(
                KIND,
                NumericOptions::default()
                    .set_indexed()
                    .set_fast()
                    .set_stored(),
            ),
            position: b.add_u64_field(POSITION, FAST),
            text: b.add_text_field("text", analyzed(true)),
            heading: b.add_text_field("heading", analyzed(false)),
            title: b.add_text_field("title", analyzed(false)),
            description: b.add_text_field("description", analyzed(false)),
            context: b.add_text_field(
                "context",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(TEXT_ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqs),
                ),
            ),
            role: b.add_text_field("role", raw()),
            mention: b.add_text_field("mention", raw()),
            role_mask: b.add_u64_field(ROLE_MASK, FAST),
            category: b.add_text_field(CATEGORY, raw().set_fast("raw")),
            piece: b.add_text_field("piece", STORED),
            meta: b.add_text_field("meta", STORED),
            words: b.add_text_field(
                "words",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(WORDS_ANALYZER)
                        .set_index_option(IndexRecordOption::Basic)
                        .set_fieldnorms(false),
                ),
            ),
        };
        (b.build(), fields)
    }

    /// The handles of an opened index's schema, checked field by field.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            key: f("key")?,
            title_of: f("title_of")?,
            slug: f("slug")?,
            kind: f(KIND)?,
            position: f(POSITION)?,
            text: f("text")?,
            heading: f("heading")?,
            title: f("title")?,
            description: f("description")?,
            context: f("context")?,
            role: f("role")?,
            mention: f("mention")?,
            role_mask: f(ROLE_MASK)?,
            category: f(CATEGORY)?,
            piece: f("piece")?,
            meta: f("meta")?,
            words: f("words")?,
        })
    }
}

impl Fields {
    /// The article metadata stored on a title piece, or the part of it
    /// that `T` reads.
    pub(crate) fn meta_json<T: serde::de::DeserializeOwned>(
        &self,
        doc: &TantivyDocument,
    ) -> Option<T> {
        doc.get_first(self.meta)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
    }

    /// A piece's text.
    pub(crate) fn text_of(&self, doc: &TantivyDocument) -> String {
        doc.get_first(self.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    }

    /// A piece's kind (a paragraph if unreadable).
    pub(crate) fn kind_of(&self, doc: &TantivyDocument) -> indexer::PieceKind {
        kind_from_code(
            doc.get_first(self.kind)
                .and_then(|v| v.as_u64())
                .unwrap_or(2),
        )
    }

    /// A piece's display data (empty if unreadable).
    pub(crate) fn piece_of(&self, doc: &TantivyDocument) -> StoredPiece {
        doc.get_first(self.piece)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(StoredPiece {
                anchor: String::new(),
                path: Vec::new(),
                cells: Vec::new(),
                media: None,
                roles: Vec::new(),
            })
    }

    /// The article key of a piece.
    pub(crate) fn key_of<'d>(&self, doc: &'d TantivyDocument) -> &'d str {
        doc.get_first(self.key)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    }
}

/// Piece kinds as stored numbers.
pub fn kind_code(kind: indexer::PieceKind) -> u64 {
    indexer::PieceKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed") as u64
}

pub fn kind_from_code(code: u64) -> indexer::PieceKind {
    indexer::PieceKind::ALL
        .get(code as usize)
        .copied()
        .unwrap_or(indexer::PieceKind::Paragraph)
}
