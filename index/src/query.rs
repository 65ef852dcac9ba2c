//! What a user typed, turned into a tantivy query without ever going
//! through tantivy's query parser: any text is a valid query.
//!
//! The text is split into words and "quoted phrases"; punctuation and
//! query syntax (`title:`, `AND`, `(((`, `- *`) are just characters. Each
//! word runs through the index's own analyzer. Every remaining word must
//! match somewhere in the piece (its text, heading path, or the title and
//! description of a title piece); words that name a role also match pieces
//! tagged with that role. Question words ("who", "what does") are dropped
//! when other words remain.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;

use indexer::{AcronymCase, PieceKind, Taxonomy};

use crate::analyzer::analyze;
use crate::schema::{kind_code, Fields};

/// At most this many words of a query count.
pub const MAX_WORDS: usize = 32;

/// Words that carry no meaning of their own in a question.
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "at",
    "by",
    "from",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "do",
    "does",
    "did",
    "doing",
    "what",
    "who",
    "whom",
    "which",
    "when",
    "where",
    "why",
    "how",
    "whose",
    "that",
    "this",
    "these",
    "those",
    "it",
    "its",
    "i",
    "me",
    "my",
    "you",
    "your",
    "we",
    "our",
    "they",
    "their",
    "them",
    "he",
    "she",
    "his",
    "her",
    "can",
    "could",
    "should",
    "would",
    "will",
    "shall",
    "may",
    "might",
    "must",
    "there",
    "here",
    "about",
    "into",
    "than",
    "then",
    "so",
    "if",
    "just",
    "vs",
    "versus",
    "between",
    "difference",
    "s",
    "not",
    "no",
];

/// Field weights: a match in a heading counts more than one in body text,
/// and the article title most.
const W_TEXT: f32 = 1.0;
const W_HEADING: f32 = 1.6;
const W_TITLE: f32 = 2.2;
const W_DESCRIPTION: f32 = 0.6;
/// Extra score for a piece of a kind that answers by itself.
const KIND_BONUS_HEADING: f32 = 0.8;
const KIND_BONUS_TITLE: f32 = 1.2;
/// Extra score when all the words appear together, in order.
const W_PHRASE: f32 = 1.5;
/// Extra score for a piece mainly about (or mentioning) a role the query names.
const ROLE_MAIN: f32 = 2.0;
const ROLE_MENTION: f32 = 0.6;

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
}

/// A user query, understood.
#[derive(Debug, Clone, Default)]
pub struct ParsedQuery {
    pub groups: Vec<Group>,
    /// Roles named in the query, in order.
    pub roles: Vec<String>,
    /// Whether words past [`MAX_WORDS`] were ignored.
    pub truncated: bool,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.stop || g.terms.is_empty())
    }

    /// Every analyzed term that counts, for highlighting.
    pub fn highlight_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in self.groups.iter().filter(|g| !g.stop) {
            for t in &g.terms {
                if !out.contains(t) {
                    out.push(t.clone());
                }
            }
        }
        out
    }
}

/// A raw word or phrase of the input, before analysis.
struct Chunk {
    text: String,
    quoted: bool,
}

fn chunks(input: &str) -> (Vec<Chunk>, bool) {
    let mut out = Vec::new();
    let mut words = 0usize;
    let mut truncated = false;
    for (i, part) in input.split('"').enumerate() {
        let quoted = i % 2 == 1;
        if quoted {
            let n = part.split_whitespace().count();
            if n == 0 {
                continue;
            }
            if words + n > MAX_WORDS {
                truncated = true;
                let keep: Vec<&str> = part.split_whitespace().take(MAX_WORDS - words).collect();
                if !keep.is_empty() {
                    out.push(Chunk {
                        text: keep.join(" "),
                        quoted: true,
                    });
                }
                return (out, truncated);
            }
            words += n;
            out.push(Chunk {
                text: part.to_string(),
                quoted: true,
            });
        } else {
            for w in part.split_whitespace() {
                if words == MAX_WORDS {
                    return (out, true);
                }
                words += 1;
                out.push(Chunk {
                    text: w.to_string(),
                    quoted: false,
                });
            }
        }
    }
    (out, truncated)
}

/// Understands `input`: words, phrases, roles, stop words.
pub fn parse(input: &str, analyzer: &mut TextAnalyzer, taxonomy: &Taxonomy) -> ParsedQuery {
    // Never look at more than a few KiB, whatever the caller allowed.
    let input = indexer::text::truncate_at_char(input, 4096);
    let (chunks, truncated) = chunks(input);
    let mut groups: Vec<Group> = Vec::new();
    let mut roles: Vec<String> = Vec::new();

    // Role names may span several unquoted words ("product owner"): find
    // them over the unquoted words first.
    let mut i = 0;
    while i < chunks.len() {
        if chunks[i].quoted {
            let terms: Vec<String> = analyze(analyzer, &chunks[i].text)
                .into_iter()
                .map(|t| t.term)
                .collect();
            if !terms.is_empty() {
                groups.push(Group {
                    raw: chunks[i].text.trim().to_string(),
                    terms,
                    quoted: true,
                    stop: false,
                    role: None,
                });
            }
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chunks.len() && !chunks[j].quoted {
            j += 1;
        }
        let run: Vec<&str> = chunks[i..j].iter().map(|c| c.text.as_str()).collect();
        let joined = run.join(" ");
        // Map each word of `joined` back to its chunk.
        let mut starts = Vec::new();
        let mut at = 0;
        for w in &run {
            starts.push(at);
            at += w.len() + 1;
        }
        let chunk_of = |byte: usize| starts.iter().rposition(|&s| s <= byte).unwrap_or(0);
        let mentions = taxonomy.mentions(&joined, "", AcronymCase::Any);
        let mut k = 0;
        for m in &mentions {
            let (first, last) = (chunk_of(m.bytes.0), chunk_of(m.bytes.1.saturating_sub(1)));
            if first < k {
                continue;
            }
            for w in &run[k..first] {
                push_word(&mut groups, w, analyzer);
            }
            let raw = run[first..=last].join(" ");
            let terms: Vec<String> = analyze(analyzer, &raw)
                .into_iter()
                .map(|t| t.term)
                .collect();
            let id = taxonomy.roles()[m.role].id.clone();
            if !roles.contains(&id) {
                roles.push(id.clone());
            }
            groups.push(Group {
                raw,
                terms,
                quoted: false,
                stop: false,
                role: Some(id),
            });
            k = last + 1;
        }
        for w in &run[k..] {
            push_word(&mut groups, w, analyzer);
        }
        i = j;
    }
    // If only stop words were typed, they are the query.
    if groups.iter().all(|g| g.stop) {
        for g in &mut groups {
            g.stop = false;
        }
    }
    ParsedQuery {
        groups,
        roles,
        truncated,
    }
}

fn push_word(groups: &mut Vec<Group>, word: &str, analyzer: &mut TextAnalyzer) {
    let terms: Vec<String> = analyze(analyzer, word)
        .into_iter()
        .map(|t| t.term)
        .collect();
    if terms.is_empty() {
        return;
    }
    let lower = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let stop = terms.len() == 1 && STOP_WORDS.contains(&lower.as_str());
    groups.push(Group {
        raw: word.to_string(),
        terms,
        quoted: false,
        stop,
        role: None,
    });
}

/// Builds the tantivy query for `parsed`, restricted to pieces filed under
/// any of `roles` and any of `categories` when given.
pub fn build(
    parsed: &ParsedQuery,
    f: &Fields,
    roles: &[String],
    categories: &[String],
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for group in parsed.groups.iter().filter(|g| !g.stop) {
        clauses.push((Occur::Must, group_query(group, f)));
    }
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    // All the meaningful words together, in order (a little slop for the
    // words dropped between them), outrank the same words scattered.
    let all: Vec<&String> = parsed
        .groups
        .iter()
        .filter(|g| !g.stop)
        .flat_map(|g| g.terms.iter())
        .collect();
    if all.len() >= 2 && all.len() <= 12 {
        for (field, weight) in [(f.text, W_PHRASE), (f.heading, W_PHRASE * W_HEADING)] {
            let terms: Vec<(usize, Term)> = all
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(field, t)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, 2);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), weight)),
            ));
        }
    }
    // The question as typed, stop words included ("what is a product
    // owner"), is how definition headings read: matching it whole is the
    // strongest sign of the answer.
    let every: Vec<&String> = parsed.groups.iter().flat_map(|g| g.terms.iter()).collect();
    if every.len() > all.len() && every.len() >= 2 && every.len() <= 12 {
        for (field, weight) in [
            (f.heading, W_PHRASE * W_HEADING * 1.5),
            (f.title, W_PHRASE * W_TITLE),
        ] {
            let terms: Vec<(usize, Term)> = every
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(field, t)))
                .collect();
            let phrase = PhraseQuery::new_with_offset_and_slop(terms, 1);
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), weight)),
            ));
        }
    }
    for (kind, bonus) in [
        (PieceKind::Heading, KIND_BONUS_HEADING),
        (PieceKind::Title, KIND_BONUS_TITLE),
    ] {
        let term = Term::from_field_u64(f.kind, kind_code(kind));
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
                bonus,
            )),
        ));
    }
    for role in &parsed.roles {
        clauses.push((Occur::Should, const_term(f.role, role, ROLE_MAIN)));
        clauses.push((Occur::Should, const_term(f.mention, role, ROLE_MENTION)));
    }
    if !roles.is_empty() {
        clauses.push((Occur::Must, any_of(f.role, roles)));
    }
    if !categories.is_empty() {
        clauses.push((Occur::Must, any_of(f.category, categories)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// A filter: matches pieces with any of `values` in `field`, adding no score.
fn any_of(field: tantivy::schema::Field, values: &[String]) -> Box<dyn Query> {
    let terms: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ));
            (Occur::Should, q)
        })
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(terms)),
        0.0,
    ))
}

fn const_term(field: tantivy::schema::Field, value: &str, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )),
        score,
    ))
}

/// The clause one group must satisfy: its terms in the text, heading or
/// title (as a phrase when it has several), or, for a role name, the role's
/// tag.
fn group_query(group: &Group, f: &Fields) -> Box<dyn Query> {
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (field, weight) in [
        (f.text, W_TEXT),
        (f.heading, W_HEADING),
        (f.title, W_TITLE),
        (f.description, W_DESCRIPTION),
    ] {
        let q: Box<dyn Query> = if group.terms.len() == 1 {
            Box::new(TermQuery::new(
                Term::from_field_text(field, &group.terms[0]),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            let terms: Vec<Term> = group
                .terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect();
            Box::new(PhraseQuery::new(terms))
        };
        alternatives.push((Occur::Should, Box::new(BoostQuery::new(q, weight))));
    }
    if let Some(role) = &group.role {
        alternatives.push((Occur::Should, const_term(f.role, role, 1.0)));
        alternatives.push((Occur::Should, const_term(f.mention, role, 0.5)));
    }
    Box::new(BooleanQuery::new(alternatives))
}
