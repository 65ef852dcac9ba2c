//! The indexer's output: articles and the pieces a reader lands on. These
//! types are the whole contract between reading content and indexing it, so
//! they carry plain data only (no JSON values, no index types).

use serde::{Deserialize, Serialize};

/// One published article, split into pieces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The stable key of the article: `documentId` (plus locale) on Strapi 5,
    /// the numeric id on Strapi 4, else the slug.
    pub key: String,
    pub slug: String,
    pub title: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub author: Option<String>,
    pub locale: Option<String>,
    pub published_at: Option<String>,
    pub updated_at: Option<String>,
    pub document_id: Option<String>,
    pub strapi_id: Option<i64>,
    pub seo: Option<Seo>,
    pub cover: Option<Media>,
    /// Roles of the whole article, main ones first.
    pub roles: Vec<RoleTag>,
    pub pieces: Vec<Piece>,
    /// Where the article came from, for messages: a file path or "webhook".
    pub source: String,
}

/// Article-level SEO data from a `shared.seo` component.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Seo {
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
}

/// What a piece is, in the reader's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    Title,
    Heading,
    Paragraph,
    ListItem,
    TableRow,
    Media,
    Quote,
}

impl PieceKind {
    pub const ALL: [PieceKind; 7] = [
        PieceKind::Title,
        PieceKind::Heading,
        PieceKind::Paragraph,
        PieceKind::ListItem,
        PieceKind::TableRow,
        PieceKind::Media,
        PieceKind::Quote,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PieceKind::Title => "title",
            PieceKind::Heading => "heading",
            PieceKind::Paragraph => "paragraph",
            PieceKind::ListItem => "list_item",
            PieceKind::TableRow => "table_row",
            PieceKind::Media => "media",
            PieceKind::Quote => "quote",
        }
    }

    pub fn parse(s: &str) -> Option<PieceKind> {
        PieceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for PieceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A heading, paragraph, list item, table row, media item or quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Piece {
    pub kind: PieceKind,
    /// Plain text: markup stripped, entities decoded, whitespace normalised.
    /// A table row reads "Role: Product Owner · Focus: Backlog".
    pub text: String,
    /// Headings above the piece, outermost first. A heading piece's path ends
    /// with itself.
    pub heading_path: Vec<String>,
    /// GitHub-style slug of the nearest heading; empty above the first one.
    pub anchor: String,
    /// Order within the article, from 0 (the title).
    pub position: u32,
    /// Roles the piece is about (main) or mentions, main ones first.
    pub roles: Vec<RoleTag>,
    /// Table rows only: cells keyed by their column header, in column order.
    pub cells: Vec<(String, String)>,
    /// Media pieces only: what to display.
    pub media: Option<Media>,
}

impl Piece {
    /// The nearest heading, if any.
    pub fn heading(&self) -> Option<&str> {
        self.heading_path.last().map(String::as_str)
    }
}

/// An image: alt text and caption are its searchable text; name and URL are
/// kept for display.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Media {
    pub name: Option<String>,
    pub url: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// How strongly a piece or article is about a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Salience {
    /// Named in the piece's heading, its row subject, or the article title.
    Main,
    /// Named somewhere in the text.
    Mention,
}

/// A role attached to a piece or article.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleTag {
    pub role: String,
    pub salience: Salience,
}

impl RoleTag {
    pub fn is_main(&self) -> bool {
        self.salience == Salience::Main
    }
}
