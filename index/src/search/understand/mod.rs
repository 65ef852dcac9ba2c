//! Text in, meaning out: what a user typed, understood without ever going
//! through a query parser (any text is a valid query), and without knowing
//! which engine will run it.
//!
//! The text is split into words and "quoted phrases"; punctuation and query
//! syntax (`title:`, `AND`, `(((`, `- *`) are just characters. Role names
//! of any form ("PO", "product owners") become role groups. Synonyms from
//! the synonym file, typo corrections from the index vocabulary and
//! completions of the last word (search as you type) become alternatives of
//! a group. Question words are dropped when other words remain. Comparisons
//! ("PO vs BA") and definition questions ("what does a PMM do") are
//! recognised. [`crate::search::plan`] then says what each of these weighs.

mod expand;
mod explain;
mod parse;
pub(crate) mod synonyms;
mod vocabulary;
mod words;

use indexer::Taxonomy;

use crate::analysis::analyzer::Analyzers;
use crate::analysis::Language;
use synonyms::Synonyms;

pub use expand::{expand, expand_and_reparse};
pub(crate) use explain::{did_you_mean, display_text, understood};
pub use parse::parse;
pub use vocabulary::{Vocabulary, Word};

/// At most this many words of a query count.
pub const MAX_WORDS: usize = 32;

/// Where an alternative of a group comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Synonym,
    Correction,
    Completion,
}

/// Another way a group can match.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub text: String,
    pub terms: Vec<String>,
    pub source: Source,
}

/// One unit of meaning in the query: a word, a quoted phrase, or a role
/// name (of one or more words).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// What the user typed for it.
    pub raw: String,
    /// Its analyzed terms, in order.
    pub terms: Vec<String>,
    pub quoted: bool,
    pub stop: bool,
    /// The role it names, if any.
    pub role: Option<String>,
    pub alternatives: Vec<Alternative>,
    /// Whether the typed words matched nothing and only alternatives count.
    pub unknown: bool,
    /// Edits within which corrections were looked for (the corrections
    /// found are the alternatives): a "did you mean" need not look again.
    pub searched: u8,
}

/// A user query, understood.
#[derive(Debug, Clone, Default)]
pub struct ParsedQuery {
    /// The language the query was read in: its analyzer made the terms.
    pub language: Language,
    pub groups: Vec<Group>,
    /// Roles named in the query, in order.
    pub roles: Vec<String>,
    /// Whether words past [`MAX_WORDS`] were ignored.
    pub truncated: bool,
    /// The two roles a comparison query contrasts.
    pub comparison: Option<(String, String)>,
    /// The role a "what is / what does … do" question asks about.
    pub definition: Option<String>,
    /// The analyzed names of that role, as a definition heading says them.
    pub definition_names: Vec<Vec<String>>,
    /// How definition headings open ("what is", "what does"), analyzed.
    pub definition_openings: Vec<Vec<String>>,
    /// British or American spellings typed, with the form they match.
    pub spelling: Vec<(String, String)>,
    /// Whether the input ended mid-word (the last word is also a prefix).
    pub open_ended: bool,
    /// When a correction or completion made the query name a role, the
    /// groups as first typed (with their alternatives).
    pub rewritten_from: Vec<Group>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.stop || g.terms.is_empty())
    }

    /// Every analyzed term that counts, for highlighting: typed words and
    /// their alternatives.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in self.groups.iter().filter(|g| !g.stop) {
            let alternatives = g.alternatives.iter().flat_map(|a| a.terms.iter());
            for t in g.terms.iter().chain(alternatives) {
                if !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
        out
    }

    /// The words that count, as typed, joined (for messages).
    pub fn meaningful_text(&self) -> String {
        self.groups
            .iter()
            .filter(|g| !g.stop)
            .map(|g| g.raw.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A query read in each language it is searched in. The first reading is
/// the primary one: the response explains it, and relaxing a query that
/// matched nothing drops the words it finds least informative.
#[derive(Debug, Clone)]
pub struct Understanding {
    pub readings: Vec<ParsedQuery>,
}

impl Understanding {
    pub fn primary(&self) -> &ParsedQuery {
        &self.readings[0]
    }

    /// Whether no reading has a word that counts (a query of stop words
    /// only keeps them, so this is "nothing typed").
    pub fn is_empty(&self) -> bool {
        self.primary().is_empty()
    }

    /// The terms to highlight in a piece of `language`.
    pub fn highlight_terms(&self, language: Language) -> Vec<String> {
        self.readings
            .iter()
            .find(|r| r.language == language)
            .unwrap_or_else(|| self.primary())
            .highlight_terms()
    }
}

/// Reads `q` in each of `languages` (the first is the primary reading):
/// parsed, with typos corrected and the last word completed from that
/// language's vocabulary. The synonyms file is English: it applies to the
/// English reading only.
pub(crate) fn understand<'v>(
    q: &str,
    languages: &[Language],
    vocabulary: &dyn Fn(Language) -> &'v dyn Vocabulary,
    analyzers: &mut Analyzers,
    taxonomy: &Taxonomy,
    synonyms: &Synonyms,
) -> Understanding {
    let none = Synonyms::default();
    let readings = languages
        .iter()
        .map(|&language| {
            let synonyms = if language == Language::En {
                synonyms
            } else {
                &none
            };
            let (text, words) = analyzers.both(language);
            let mut parsed = parse(q, language, text, taxonomy, synonyms);
            expand_and_reparse(
                &mut parsed,
                vocabulary(language),
                words,
                text,
                taxonomy,
                synonyms,
            );
            parsed
        })
        .collect();
    Understanding { readings }
}
