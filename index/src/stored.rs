//! What an index keeps of articles and pieces for display, as compact JSON
//! (engine-neutral: any engine stores and returns these): per piece, its
//! section data; per article, its metadata.

use serde::{Deserialize, Serialize};

use indexer::{Article, Media, Piece, RoleTag, Salience};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredPiece {
    #[serde(rename = "a", default, skip_serializing_if = "String::is_empty")]
    pub anchor: String,
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<String>,
    #[serde(rename = "c", default, skip_serializing_if = "Vec::is_empty")]
    pub cells: Vec<(String, String)>,
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Media>,
    /// Main roles of the piece, then the ones it mentions.
    #[serde(rename = "r", default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

impl StoredPiece {
    pub fn of(piece: &Piece) -> StoredPiece {
        StoredPiece {
            anchor: piece.anchor.clone(),
            path: piece.heading_path.clone(),
            cells: piece.cells.clone(),
            media: piece.media.clone(),
            roles: piece.roles.iter().map(|t| t.role.clone()).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredArticle {
    pub key: String,
    pub slug: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Roles the article is mainly about, then the ones it mentions.
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub main_roles: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<Media>,
    /// Outline: (level in the heading path, text, anchor) of each heading.
    #[serde(default)]
    pub outline: Vec<(u8, String, String)>,
    pub pieces: usize,
    pub source: String,
}

impl StoredArticle {
    pub fn of(article: &Article) -> StoredArticle {
        let main_roles = article.roles.iter().filter(|t| t.is_main()).count();
        StoredArticle {
            key: article.key.clone(),
            slug: article.slug.clone(),
            title: article.title.clone(),
            description: article.description.clone(),
            category: article.category.clone(),
            author: article.author.clone(),
            locale: article.locale.clone(),
            published_at: article.published_at.clone(),
            updated_at: article.updated_at.clone(),
            document_id: article.document_id.clone(),
            roles: article.roles.iter().map(|t| t.role.clone()).collect(),
            main_roles,
            cover: article.cover.clone(),
            outline: article
                .pieces
                .iter()
                .filter(|p| p.kind == indexer::PieceKind::Heading)
                .map(|p| (p.heading_path.len() as u8, p.text.clone(), p.anchor.clone()))
                .collect(),
            pieces: article.pieces.len(),
            source: article.source.clone(),
        }
    }
}

/// The roles a piece is filed under: its own main roles and its article's.
pub(crate) fn filed_roles<'a>(
    piece: &'a Piece,
    article: &'a Article,
) -> impl Iterator<Item = &'a str> {
    let own = piece.roles.iter().filter(|t| t.salience == Salience::Main);
    let art = article.roles.iter().filter(|t: &&RoleTag| t.is_main());
    own.chain(art).map(|t| t.role.as_str())
}
