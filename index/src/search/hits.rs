//! A ranked article as the response shows it: its URL, its sections with
//! their deep links, highlighted snippets, table cells and media.

use tantivy::tokenizer::TextAnalyzer;

use indexer::PieceKind;

use super::engine::{PieceData, RankedArticle};
use super::options::OpenOptions;
use super::response::{Hit, MediaView, Section};
use super::snippet::snippet;

/// The hit of `ranked`, its snippets marking `terms`.
pub(crate) fn hit(
    options: &OpenOptions,
    ranked: &RankedArticle,
    terms: &[String],
    analyzer: &mut TextAnalyzer,
) -> Hit {
    let meta = &ranked.article;
    let url = options.article_url(&meta.slug, meta.locale.as_deref());
    let sections = ranked
        .pieces
        .iter()
        .map(|(score, piece)| section(piece, *score, &url, terms, analyzer))
        .collect();
    Hit {
        slug: meta.slug.clone(),
        title: meta.title.clone(),
        locale: meta.locale.clone(),
        url,
        category: meta.category.clone(),
        published_at: meta.published_at.clone(),
        score: round(ranked.score),
        roles: meta.main_roles().to_vec(),
        sections,
    }
}

/// Longest section text an answer shows, in characters: a piece can hold
/// up to a rich-text body's megabyte, an answer shows the start of it.
pub(crate) const MAX_SECTION_TEXT: usize = 2_000;

/// `text` cut to [`MAX_SECTION_TEXT`] characters, with an ellipsis.
fn shown(text: &str) -> String {
    match text.char_indices().nth(MAX_SECTION_TEXT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

fn section(
    piece: &PieceData,
    score: f32,
    article_url: &str,
    terms: &[String],
    analyzer: &mut TextAnalyzer,
) -> Section {
    let stored = piece.stored.clone();
    let url = if stored.anchor.is_empty() {
        article_url.to_string()
    } else {
        format!("{article_url}#{}", stored.anchor)
    };
    Section {
        kind: piece.kind.as_str().to_string(),
        heading: stored.path.last().cloned(),
        heading_path: stored.path,
        anchor: stored.anchor,
        url,
        snippet: snippet(&piece.text, terms, analyzer),
        text: shown(&piece.text),
        cells: (piece.kind == PieceKind::TableRow).then_some(stored.cells),
        media: stored.media.map(|m| MediaView {
            name: m.name,
            url: m.url,
            alt: m.alt,
            caption: m.caption,
        }),
        roles: stored.roles,
        score: round(score),
    }
}

pub(crate) fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}
