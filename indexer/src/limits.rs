//! A bound on every field, where content enters (content files, webhooks
//! and sync alike), so that no article can make an answer, a cache entry or
//! the vocabulary unboundedly large. An article whose identity is over a
//! bound (key, slug, locale) is refused, naming the field and the bound;
//! any other field over its bound is cut (or dropped, for a URL: a cut URL
//! is a wrong one) with a warning naming it. The README's table of limits
//! is this file's.

use crate::article::{Article, Media, Piece};
use crate::error::{Problem, Severity};

/// Longest article key (`documentId@locale`, `id:N`, a slug), in bytes.
pub const MAX_KEY: usize = 256;
/// Longest slug, in bytes.
pub const MAX_SLUG: usize = 256;
/// Longest locale code, in bytes.
pub const MAX_LOCALE: usize = 35;
/// Longest title, in characters.
pub const MAX_TITLE: usize = 500;
/// Longest description (with the SEO text), in characters.
pub const MAX_DESCRIPTION: usize = 2_000;
/// Longest category or author name, in characters.
pub const MAX_NAME: usize = 200;
/// Longest heading (and each heading of a piece's path), in characters.
pub const MAX_HEADING: usize = 500;
/// Deepest heading path.
pub const MAX_DEPTH: usize = 8;
/// Longest section anchor, in bytes.
pub const MAX_ANCHOR: usize = 200;
/// Most cells of a table row.
pub const MAX_CELLS: usize = 20;
/// Longest cell value and column header, in characters.
pub const MAX_CELL: usize = 2_000;
pub const MAX_HEADER: usize = 200;
/// Longest media URL, in bytes.
pub const MAX_URL: usize = 2_048;
/// Longest media file name, alt text or caption (and a media piece's text),
/// in characters.
pub const MAX_MEDIA_TEXT: usize = 1_000;
/// Longest quote, in characters.
pub const MAX_QUOTE: usize = 10_000;
/// Most pieces of one article (a rich-text body is at most 1 MiB, which
/// bounds a piece's text; answers show at most a few thousand characters of
/// it).
pub const MAX_PIECES: usize = 50_000;

/// Checks `article` against the limits: `Err` (the reason) when its key,
/// slug or locale is over one; otherwise the fields over theirs are cut
/// and a warning says which.
pub fn enforce(article: &mut Article, path: &str) -> Result<Vec<Problem>, String> {
    for (field, value, max) in [
        ("slug", article.slug.as_str(), MAX_SLUG),
        ("key", article.key.as_str(), MAX_KEY),
        (
            "locale",
            article.locale.as_deref().unwrap_or_default(),
            MAX_LOCALE,
        ),
    ] {
        if value.len() > max {
            return Err(format!(
                "the article's {field} is {} bytes, more than the {max} a {field} may have",
                value.len()
            ));
        }
    }
    let mut cut = Cuts::default();
    cut.text("title", &mut article.title, MAX_TITLE);
    if let Some(d) = &mut article.description {
        cut.text("description", d, MAX_DESCRIPTION);
    }
    if let Some(seo) = &mut article.seo {
        for value in [&mut seo.meta_title, &mut seo.meta_description]
            .into_iter()
            .flatten()
        {
            cut.text("SEO text", value, MAX_DESCRIPTION);
        }
    }
    for (field, value) in [
        ("category", &mut article.category),
        ("author", &mut article.author),
    ] {
        if let Some(v) = value {
            cut.text(field, v, MAX_NAME);
        }
    }
    if let Some(cover) = &mut article.cover {
        cut.media(cover);
    }
    if article.pieces.len() > MAX_PIECES {
        cut.note(format!(
            "{} pieces, more than {MAX_PIECES}: the rest are not indexed",
            article.pieces.len()
        ));
        article.pieces.truncate(MAX_PIECES);
    }
    for piece in &mut article.pieces {
        cut.piece(piece);
    }
    Ok(cut
        .notes
        .into_iter()
        .map(|reason| Problem {
            source: article.source.clone(),
            path: path.to_string(),
            reason,
            severity: Severity::Warning,
        })
        .collect())
}

/// The fields cut so far, each said once.
#[derive(Default)]
struct Cuts {
    notes: Vec<String>,
}

impl Cuts {
    fn note(&mut self, note: String) {
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// Cuts `value` to `max` characters.
    fn text(&mut self, field: &str, value: &mut String, max: usize) {
        if let Some((at, _)) = value.char_indices().nth(max) {
            value.truncate(at);
            self.note(format!("{field} cut to {max} characters"));
        }
    }

    fn bytes(&mut self, field: &str, value: &mut String, max: usize) {
        if value.len() > max {
            let kept = crate::text::truncate_at_char(value, max).len();
            value.truncate(kept);
            self.note(format!("{field} cut to {max} bytes"));
        }
    }

    fn media(&mut self, media: &mut Media) {
        if media.url.as_ref().is_some_and(|u| u.len() > MAX_URL) {
            media.url = None;
            self.note(format!("a media URL over {MAX_URL} bytes dropped"));
        }
        for (field, value) in [
            ("media name", &mut media.name),
            ("alt text", &mut media.alt),
            ("caption", &mut media.caption),
        ] {
            if let Some(v) = value {
                self.text(field, v, MAX_MEDIA_TEXT);
            }
        }
    }

    fn piece(&mut self, piece: &mut Piece) {
        match piece.kind {
            crate::article::PieceKind::Heading => {
                self.text("heading", &mut piece.text, MAX_HEADING)
            }
            crate::article::PieceKind::Title => self.text("title", &mut piece.text, MAX_TITLE),
            crate::article::PieceKind::Media => {
                self.text("media text", &mut piece.text, MAX_MEDIA_TEXT)
            }
            crate::article::PieceKind::Quote => self.text("quote", &mut piece.text, MAX_QUOTE),
            _ => {}
        }
        if piece.heading_path.len() > MAX_DEPTH {
            piece
                .heading_path
                .drain(..piece.heading_path.len() - MAX_DEPTH);
            self.note(format!("heading paths cut to {MAX_DEPTH} levels"));
        }
        for heading in &mut piece.heading_path {
            self.text("heading", heading, MAX_HEADING);
        }
        self.bytes("anchor", &mut piece.anchor, MAX_ANCHOR);
        if piece.cells.len() > MAX_CELLS {
            piece.cells.truncate(MAX_CELLS);
            self.note(format!("table rows cut to {MAX_CELLS} cells"));
        }
        for (header, value) in &mut piece.cells {
            self.text("column header", header, MAX_HEADER);
            self.text("table cell", value, MAX_CELL);
        }
        if let Some(media) = &mut piece.media {
            self.media(media);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            key: "k".into(),
            slug: "s".into(),
            title: "T".into(),
            description: None,
            category: None,
            author: None,
            locale: Some("en".into()),
            published_at: None,
            updated_at: None,
            document_id: None,
            strapi_id: None,
            seo: None,
            cover: None,
            roles: Vec::new(),
            pieces: Vec::new(),
            source: "test".into(),
        }
    }

    #[test]
    fn an_identity_over_its_bound_refuses_the_article_naming_the_field() {
        let mut a = article();
        a.slug = "s".repeat(MAX_SLUG + 1);
        let err = enforce(&mut a, "$").unwrap_err();
        assert!(err.contains("slug") && err.contains("256"), "{err}");
        let mut a = article();
        a.key = "k".repeat(70_000);
        assert!(enforce(&mut a, "$").unwrap_err().contains("key"));
    }

    #[test]
    fn other_fields_are_cut_with_one_warning_each() {
        let mut a = article();
        a.title = "é".repeat(MAX_TITLE + 10);
        a.category = Some("c".repeat(5_000));
        let warnings = enforce(&mut a, "$").unwrap();
        assert_eq!(a.title.chars().count(), MAX_TITLE);
        assert_eq!(a.category.as_deref().unwrap().len(), MAX_NAME);
        let reasons: Vec<&str> = warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "title cut to 500 characters",
                "category cut to 200 characters"
            ]
        );
    }
}
