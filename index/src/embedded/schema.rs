//! The index schema: one document per piece. Article fields are stored once,
//! on the article's title piece; every other piece stores only what its
//! section needs and the article key that ties it to its article. A piece's
//! words are in the analyzed fields of its language only.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STORED,
};

use tantivy::schema::Value;
use tantivy::TantivyDocument;

use crate::analysis::analyzer::{text_analyzer_name, words_analyzer_name};
use crate::analysis::Language;
use crate::stored::StoredPiece;

/// Names of the fast fields that collectors and checks read by name.
pub(crate) const POSITION: &str = "position";
pub(crate) const KIND: &str = "kind";
pub(crate) const ROLE_MASK: &str = "role_mask";
pub(crate) const CATEGORY: &str = "category";

pub(crate) const LOCALE: &str = "locale";
pub(crate) const PUBLISHED: &str = "published";

/// The analyzed fields of one language: a piece of that language has its
/// words in these, and only these.
#[derive(Debug, Clone, Copy)]
pub struct LangFields {
    /// The piece text (analyzed with positions).
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
    /// On title pieces: every distinct word of the article, unstemmed. Its
    /// term dictionary is the language's vocabulary for typo correction
    /// and prefixes.
    pub words: Field,
}

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
    /// The piece text as written (stored, not indexed: the language's
    /// `text` field indexes it).
    pub body: Field,
    /// The article's locale, lower case (raw, fast): filter and facet counts.
    pub locale: Field,
    /// The language the piece is analyzed in (raw): each language's branch
    /// of a query matches its own pieces only.
    pub lang: Field,
    /// Roles the piece (or its whole article) is mainly about (raw terms).
    pub role: Field,
    /// Roles the piece only mentions (raw terms).
    pub mention: Field,
    /// Bit set of `role` by taxonomy position (fast): facet counts.
    pub role_mask: Field,
    /// The article category (raw, fast): filter and facet counts.
    pub category: Field,
    /// When the article was published, in seconds since the Unix epoch
    /// (fast), on title pieces: browsing lists the newest first.
    pub published: Field,
    /// Stored JSON: the piece's display data (anchor, path, cells, media, roles).
    pub piece: Field,
    /// Stored JSON, on title pieces: the article's metadata.
    pub meta: Field,
    /// The analyzed fields, by language (see [`Language::index`]).
    pub langs: [LangFields; 12],
}

impl Fields {
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let analyzed = |language: Language| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(&text_analyzer_name(language))
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
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
        let key = b.add_text_field("key", raw().set_stored());
        let title_of = b.add_text_field("title_of", raw());
        let slug = b.add_text_field("slug", raw());
        let kind = b.add_u64_field(
            KIND,
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        );
        let position = b.add_u64_field(POSITION, FAST);
        let body = b.add_text_field("body", STORED);
        let locale = b.add_text_field(LOCALE, raw().set_fast("raw"));
        let lang = b.add_text_field("lang", raw());
        let role = b.add_text_field("role", raw());
        let mention = b.add_text_field("mention", raw());
        let role_mask = b.add_u64_field(ROLE_MASK, FAST);
        let category = b.add_text_field(CATEGORY, raw().set_fast("raw"));
        let published = b.add_i64_field(PUBLISHED, FAST);
        let piece = b.add_text_field("piece", STORED);
        let meta = b.add_text_field("meta", STORED);
        let langs = Language::ALL.map(|language| {
            let code = language.code();
            LangFields {
                text: b.add_text_field(&format!("text_{code}"), analyzed(language)),
                heading: b.add_text_field(&format!("heading_{code}"), analyzed(language)),
                title: b.add_text_field(&format!("title_{code}"), analyzed(language)),
                description: b.add_text_field(&format!("description_{code}"), analyzed(language)),
                context: b.add_text_field(
                    &format!("context_{code}"),
                    TextOptions::default().set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer(&text_analyzer_name(language))
                            .set_index_option(IndexRecordOption::WithFreqs),
                    ),
                ),
                words: b.add_text_field(
                    &format!("words_{code}"),
                    TextOptions::default().set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer(&words_analyzer_name(language))
                            .set_index_option(IndexRecordOption::Basic)
                            .set_fieldnorms(false),
                    ),
                ),
            }
        });
        let fields = Fields {
            key,
            title_of,
            slug,
            kind,
            position,
            body,
            locale,
            lang,
            role,
            mention,
            role_mask,
            category,
            published,
            piece,
            meta,
            langs,
        };
        (b.build(), fields)
    }

    /// The handles of an opened index's schema, checked field by field.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let f = |name: &str| schema.get_field(name).ok();
        let mut langs = Vec::with_capacity(Language::ALL.len());
        for language in Language::ALL {
            let code = language.code();
            langs.push(LangFields {
                text: f(&format!("text_{code}"))?,
                heading: f(&format!("heading_{code}"))?,
                title: f(&format!("title_{code}"))?,
                description: f(&format!("description_{code}"))?,
                context: f(&format!("context_{code}"))?,
                words: f(&format!("words_{code}"))?,
            });
        }
        Some(Fields {
            key: f("key")?,
            title_of: f("title_of")?,
            slug: f("slug")?,
            kind: f(KIND)?,
            position: f(POSITION)?,
            body: f("body")?,
            locale: f(LOCALE)?,
            lang: f("lang")?,
            role: f("role")?,
            mention: f("mention")?,
            role_mask: f(ROLE_MASK)?,
            category: f(CATEGORY)?,
            published: f(PUBLISHED)?,
            piece: f("piece")?,
            meta: f("meta")?,
            langs: langs.try_into().ok()?,
        })
    }

    /// The analyzed fields of `language`.
    pub fn of(&self, language: Language) -> &LangFields {
        &self.langs[language.index()]
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
        doc.get_first(self.body)
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
