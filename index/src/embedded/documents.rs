//! The tantivy documents an article becomes: one per piece, title first,
//! each piece's words in the fields of its article's language, the
//! article's metadata stored on its title piece.

use tantivy::{doc, TantivyDocument};

use indexer::{Article, PieceKind};

use super::schema::{kind_code, Fields};
use crate::analysis::Language;
use crate::stored::{filed_roles, StoredArticle, StoredPiece};
use crate::timestamp;

/// Every distinct word of an article, once: the words field needs only the
/// term, not how often or where.
pub(crate) fn vocabulary(article: &Article) -> String {
    use std::borrow::Cow;
    let mut seen: std::collections::HashSet<Cow<str>> = std::collections::HashSet::new();
    let mut out = String::new();
    let texts = article
        .pieces
        .iter()
        .map(|p| p.text.as_str())
        .chain(article.description.as_deref());
    for text in texts {
        for word in text.split(|c: char| !c.is_alphanumeric()) {
            if word.is_empty() || word.len() > 40 {
                continue;
            }
            // Most words are lower-case ASCII already: no copy to look
            // them up (the same word as `to_lowercase` makes).
            let lower = if word
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
            {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(word.to_lowercase())
            };
            if !seen.contains(lower.as_ref()) {
                out.push_str(&lower);
                out.push(' ');
                seen.insert(lower);
            }
        }
    }
    out
}

/// The documents of one article: one per piece, the title piece carrying the
/// article's stored metadata.
pub(crate) fn article_documents(
    article: &Article,
    f: &Fields,
    roles: &[String],
) -> Vec<TantivyDocument> {
    let meta = serde_json::to_string(&StoredArticle::of(article)).expect("metadata serializes");
    // The title piece first, then the others in order, numbered by where
    // they land: the collectors find an article's title at `doc - position`
    // (see `collect`), whatever positions an article built elsewhere says.
    let ordered = article
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Title)
        .take(1)
        .chain(article.pieces.iter().filter(|p| p.kind != PieceKind::Title));
    let locale = article.locale.as_deref().unwrap_or_default();
    let language = Language::of_locale(locale);
    let lf = f.of(language);
    let locale = locale.to_lowercase();
    let mut docs = Vec::with_capacity(article.pieces.len());
    for (position, piece) in ordered.enumerate() {
        let stored = serde_json::to_string(&StoredPiece::of(piece)).expect("a piece serializes");
        let mut d = doc!(
            f.key => article.key.as_str(),
            f.kind => kind_code(piece.kind),
            f.position => position as u64,
            f.body => piece.text.as_str(),
            lf.text => piece.text.as_str(),
            f.locale => locale.as_str(),
            f.lang => language.code(),
            f.piece => stored,
        );
        if piece.kind != PieceKind::Title {
            d.add_text(lf.context, &article.title);
        }
        let heading = match piece.kind {
            PieceKind::Title => piece.text.clone(),
            _ => piece.heading_path.join(" · "),
        };
        if !heading.is_empty() {
            d.add_text(lf.heading, &heading);
        }
        let mut mask = 0u64;
        let mut filed: Vec<&str> = Vec::new();
        for role in filed_roles(piece, article) {
            if !filed.contains(&role) {
                filed.push(role);
                d.add_text(f.role, role);
                if let Some(bit) = roles.iter().position(|r| r == role) {
                    mask |= 1 << bit;
                }
            }
        }
        for tag in &piece.roles {
            if !filed.contains(&tag.role.as_str()) {
                d.add_text(f.mention, &tag.role);
            }
        }
        d.add_u64(f.role_mask, mask);
        if let Some(category) = &article.category {
            d.add_text(f.category, category);
        }
        if piece.kind == PieceKind::Title {
            d.add_text(f.title_of, &article.key);
            if let Some(at) = article.published_at.as_deref().and_then(timestamp::parse) {
                d.add_i64(f.published, at.unix_seconds());
            }
            d.add_text(f.slug, &article.slug);
            d.add_text(lf.title, &article.title);
            let mut description = article.description.clone().unwrap_or_default();
            if let Some(seo) = &article.seo {
                for extra in [&seo.meta_title, &seo.meta_description]
                    .into_iter()
                    .flatten()
                {
                    description.push_str(" · ");
                    description.push_str(extra);
                }
            }
            if !description.is_empty() {
                d.add_text(lf.description, &description);
            }
            d.add_text(f.meta, &meta);
            d.add_text(lf.words, vocabulary(article));
        }
        docs.push(d);
    }
    docs
}
