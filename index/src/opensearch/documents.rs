//! The OpenSearch documents an article becomes: one per piece, title
//! first, the same fields as the embedded engine's documents
//! (`crate::embedded::documents`), each analyzed field holding our own
//! analyzer's terms (see `mapping`). Pieces are identified `key#position`
//! and routed by the key, so an article's pieces share a shard: replacing
//! them is one shard's part of one `_bulk`, made visible by one refresh.

use serde_json::{json, Map, Value};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};

use indexer::{Article, PieceKind};

use super::mapping::{field_name, words_field, FIELDS, GAP, MARKER};
use crate::analysis::analyzer::Analyzers;
use crate::analysis::Language;
use crate::embedded::documents::vocabulary;
use crate::search::plan::Field;
use crate::store::hash::fnv64;
use crate::stored::{filed_roles, StoredArticle, StoredPiece};

/// One piece, ready for `_bulk`.
pub(crate) struct PieceDoc {
    pub id: String,
    pub source: Value,
}

/// The id of the piece at `position` of article `key`. Ids are at most 512
/// bytes: a very long key is replaced by its hash.
pub(crate) fn piece_id(key: &str, position: usize) -> String {
    if key.len() > 400 {
        format!("{:016x}#{position}", fnv64(key.as_bytes()))
    } else {
        format!("{key}#{position}")
    }
}

/// The article id facet counts group by.
pub(crate) fn article_id(key: &str) -> i64 {
    fnv64(key.as_bytes()) as i64
}

/// A term as a whitespace tokenizer keeps it whole (our terms are letters
/// and digits; a folded character could in principle bring a space).
pub(crate) fn term(t: &str) -> std::borrow::Cow<'_, str> {
    if t.contains(char::is_whitespace) {
        t.replace(char::is_whitespace, "\u{b7}").into()
    } else {
        t.into()
    }
}

/// `text` analyzed by `analyzer`, as the indexed stream: the marker on the
/// first term, a gap filler where the analyzer left a position empty; the
/// marker alone when there are no terms.
pub(crate) fn stream(analyzer: &mut TextAnalyzer, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut next = 0usize;
    let mut first = true;
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        while next < token.position {
            out.push_str(GAP);
            out.push(' ');
            next += 1;
        }
        if first {
            out.push_str(MARKER);
            first = false;
        }
        out.push_str(&term(&token.text));
        out.push(' ');
        next = token.position + 1;
    }
    if first {
        out.push_str(MARKER);
    }
    out
}

/// The documents of one article; its analyzed fields are those of its
/// language only (see `mapping`).
/// `seq` orders the article among the others where scores tie, as the
/// embedded engine's document order does (later writes after earlier).
pub(crate) fn article_documents(
    article: &Article,
    seq: u64,
    roles: &[String],
    analyzers: &mut Analyzers,
) -> Vec<PieceDoc> {
    let meta = serde_json::to_value(StoredArticle::of(article)).expect("metadata serializes");
    let ordered = article
        .pieces
        .iter()
        .filter(|p| p.kind == PieceKind::Title)
        .take(1)
        .chain(article.pieces.iter().filter(|p| p.kind != PieceKind::Title));
    let locale = article.locale.as_deref().unwrap_or_default();
    let language = Language::of_locale(locale);
    let locale = locale.to_lowercase();
    let aid = article_id(&article.key);
    let words: Vec<String> = {
        let (_, words) = analyzers.both(language);
        let mut seen = std::collections::BTreeSet::new();
        let text = vocabulary(article);
        let mut stream = words.token_stream(&text);
        while stream.advance() {
            seen.insert(stream.token().text.clone());
        }
        seen.into_iter().collect()
    };
    let mut docs = Vec::with_capacity(article.pieces.len());
    for (position, piece) in ordered.enumerate() {
        let stored = serde_json::to_value(StoredPiece::of(piece)).expect("a piece serializes");
        let is_title = piece.kind == PieceKind::Title;
        // The texts of the analyzed fields of the article's language.
        let heading = if is_title {
            piece.text.clone()
        } else {
            piece.heading_path.join(" · ")
        };
        let mut description = String::new();
        if is_title {
            description = article.description.clone().unwrap_or_default();
            if let Some(seo) = &article.seo {
                for extra in [&seo.meta_title, &seo.meta_description]
                    .into_iter()
                    .flatten()
                {
                    description.push_str(" · ");
                    description.push_str(extra);
                }
            }
        }
        let text_of = |field: Field| -> Option<&str> {
            let text = match field {
                Field::Text => piece.text.as_str(),
                Field::Heading => heading.as_str(),
                Field::Title if is_title => article.title.as_str(),
                Field::Description if is_title => description.as_str(),
                Field::Context if !is_title => article.title.as_str(),
                _ => "",
            };
            (!text.is_empty()).then_some(text)
        };
        let mut a = Map::new();
        // Only the fields of the article's language: their documents are
        // that language's pieces, so its statistics are its own (see
        // `mapping`), as the embedded engine scores a language.
        {
            for field in FIELDS {
                let name = field_name(language, field);
                let short = name.trim_start_matches("a.").to_string();
                let value = match text_of(field) {
                    Some(text) => stream(analyzers.text(language), text),
                    None => MARKER.to_string(),
                };
                a.insert(short, Value::String(value));
            }
        }
        let mut mask = 0u64;
        let mut filed: Vec<&str> = Vec::new();
        for role in filed_roles(piece, article) {
            if !filed.contains(&role) {
                filed.push(role);
                if let Some(bit) = roles.iter().position(|r| r == role) {
                    mask |= 1 << bit;
                }
            }
        }
        let mention: Vec<&str> = piece
            .roles
            .iter()
            .map(|t| t.role.as_str())
            .filter(|r| !filed.contains(r))
            .collect();
        let mut source = json!({
            "key": article.key,
            "kind": piece.kind.as_str(),
            "position": position,
            "body": piece.text,
            "piece": stored,
            "locale": locale,
            "lang": language.code(),
            "role": filed,
            "mention": mention,
            "role_mask": mask as i64,
            "aid": aid,
            "seq": seq,
            "a": a,
        });
        if let Some(category) = &article.category {
            source["category"] = json!(category);
        }
        if is_title {
            source["title_of"] = json!(article.key);
            source["slug"] = json!(article.slug);
            source["meta"] = meta.clone();
            let field = words_field(language);
            source["w"] = json!({ field.trim_start_matches("w."): words });
        }
        docs.push(PieceDoc {
            id: piece_id(&article.key, position),
            source,
        });
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyzer::text_analyzer;

    #[test]
    fn the_stream_marks_the_first_term_and_keeps_gaps() {
        let mut en = text_analyzer(Language::En);
        assert_eq!(stream(&mut en, ""), "_");
        assert_eq!(stream(&mut en, "!!"), "_");
        assert_eq!(
            stream(&mut en, "Prioritising backlogs"),
            "_priorit backlog "
        );
        let long = "x".repeat(50);
        assert_eq!(
            stream(&mut en, &format!("{long} teams {long} win")),
            "0_ _team 0_ win "
        );
    }

    #[test]
    fn spaces_never_split_a_term() {
        assert_eq!(term("a b"), "a\u{b7}b");
        assert_eq!(term("ab"), "ab");
    }
}
