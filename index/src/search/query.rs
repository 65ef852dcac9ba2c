//! What a user typed, understood and turned into a tantivy query without
//! ever going through tantivy's query parser: any text is a valid query.
//!
//! The text is split into words and "quoted phrases"; punctuation and query
//! syntax (`title:`, `AND`, `(((`, `- *`) are just characters. Role names
//! of any form ("PO", "product owners") become role groups that also match
//! the role's tags. Synonyms from the synonym file, typo corrections from
//! the index vocabulary and completions of the last word (search as you
//! type) become alternatives of a group, weighted below what was typed.
//! Every group must match somewhere in the piece; question words are
//! dropped when other words remain. Comparisons ("PO vs BA") and
//! definition questions ("what does a PMM do") add their own ranking
//! signals.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::tokenizer::TextAnalyzer;

use indexer::{AcronymCase, PieceKind, Taxonomy};

use crate::analysis::analyzer::analyze;
use crate::embedded::collect::KINDS;
use crate::embedded::schema::{kind_code, Fields};
use crate::embedded::vocab::Vocabulary;
use crate::search::synonyms::Synonyms;

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
    "whats",
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
    "v",
    "versus",
    "between",
    "difference",
    "differences",
    "s",
    "not",
    "no",
    "much",
    "many",
    "happen",
    "happens",
    "happening",
    "really",
    "actually",
    "exactly",
    "typically",
    "usually",
    "very",
];

/// Words that make a query with two roles a comparison.
const COMPARISON_CUES: &[&str] = &[
    "vs",
    "v",
    "versus",
    "or",
    "difference",
    "differences",
    "different",
    "compare",
    "compared",
    "comparison",
    "between",
];

/// Openings of a question that asks what a role is.
const DEFINITION_CUES: &[&str] = &[
    "what is",
    "what's",
    "whats",
    "what are",
    "what does",
    "what do",
    "who is",
    "who are",
    "define",
    "definition of",
    "what exactly is",
    "role of",
    "meaning of",
];

/// Words that only say "explain this role" in a definition question.
const DEFINITION_FILLER: &[&str] = &[
    "mean",
    "means",
    "meaning",
    "role",
    "job",
    "explained",
    "definition",
    "define",
];

/// Verbs that ask about pay after "how much" ("how much do POs make").
const PAY_VERBS: &[&str] = &[
    "make", "makes", "earn", "earns", "get", "gets", "paid", "take",
];

/// Field weights: a match in a heading counts more than one in body text,
/// and the article title most.
const W_TEXT: f32 = 1.0;
const W_HEADING: f32 = 1.6;
const W_TITLE: f32 = 2.2;
const W_DESCRIPTION: f32 = 0.6;
const W_CONTEXT: f32 = 0.4;
/// Extra score for a piece of a kind that answers by itself.
const KIND_BONUS_HEADING: f32 = 0.8;
const KIND_BONUS_TITLE: f32 = 1.2;
/// Extra score when all the words appear together, in order.
const W_PHRASE: f32 = 1.5;
/// Extra score for a piece mainly about (or mentioning) a role the query names.
const ROLE_MAIN: f32 = 4.0;
const ROLE_MENTION: f32 = 1.0;
/// Extra score for a piece about both roles of a comparison.
const COMPARISON_BOTH: f32 = 6.0;
const COMPARISON_HEADING: f32 = 3.0;
/// Extra score for the definition section of the role asked about.
const DEFINITION: f32 = 8.0;
/// Weights of alternatives, relative to what was typed.
const W_SYNONYM: f32 = 0.8;
const W_CORRECTION: f32 = 0.7;
const W_COMPLETION: f32 = 0.5;

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

/// A raw word or phrase of the input, before analysis.
struct Chunk {
    text: String,
    quoted: bool,
}

fn chunks(input: &str) -> (Vec<Chunk>, bool) {
    let mut out = Vec::new();
    let mut words = 0usize;
    for (i, part) in input.split('"').enumerate() {
        let quoted = i % 2 == 1;
        if quoted {
            let n = part.split_whitespace().count();
            if n == 0 {
                continue;
            }
            if words + n > MAX_WORDS {
                let keep: Vec<&str> = part.split_whitespace().take(MAX_WORDS - words).collect();
                if !keep.is_empty() {
                    out.push(Chunk {
                        text: keep.join(" "),
                        quoted: true,
                    });
                }
                return (out, true);
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
    (out, false)
}

fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analyze(analyzer, text)
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// Understands `input`: words, phrases, roles, stop words, synonyms,
/// spelling variants, comparisons and definition questions. Typo
/// corrections and completions need the index: see [`expand`].
pub fn parse(
    input: &str,
    analyzer: &mut TextAnalyzer,
    taxonomy: &Taxonomy,
    synonyms: &Synonyms,
) -> ParsedQuery {
    // Never look at more than a few KiB, whatever the caller allowed.
    let input = indexer::text::truncate_at_char(input, 4096);
    let (chunks, truncated) = chunks(input);
    let mut groups: Vec<Group> = Vec::new();
    let mut roles: Vec<String> = Vec::new();

    let mut i = 0;
    while i < chunks.len() {
        if chunks[i].quoted {
            let terms = terms_of(analyzer, &chunks[i].text);
            if !terms.is_empty() {
                groups.push(Group {
                    raw: chunks[i].text.trim().to_string(),
                    terms,
                    quoted: true,
                    stop: false,
                    role: None,
                    alternatives: Vec::new(),
                    unknown: false,
                    searched: 0,
                });
            }
            i += 1;
            continue;
        }
        // Role names may span several unquoted words ("product owner").
        let mut j = i;
        while j < chunks.len() && !chunks[j].quoted {
            j += 1;
        }
        let run: Vec<&str> = chunks[i..j].iter().map(|c| c.text.as_str()).collect();
        let joined = run.join(" ");
        let mut starts = Vec::new();
        let mut at = 0;
        for w in &run {
            starts.push(at);
            at += w.len() + 1;
        }
        let chunk_of = |byte: usize| starts.iter().rposition(|&s| s <= byte).unwrap_or(0);
        let mut k = 0;
        for m in taxonomy.mentions(&joined, "", AcronymCase::Any) {
            let (first, last) = (chunk_of(m.bytes.0), chunk_of(m.bytes.1.saturating_sub(1)));
            if first < k {
                continue;
            }
            for w in &run[k..first] {
                push_word(&mut groups, w, analyzer);
            }
            let raw = run[first..=last].join(" ");
            let id = taxonomy.roles()[m.role].id.clone();
            if !roles.contains(&id) {
                roles.push(id.clone());
            }
            groups.push(Group {
                terms: terms_of(analyzer, &raw),
                raw,
                quoted: false,
                stop: false,
                role: Some(id),
                alternatives: Vec::new(),
                unknown: false,
                searched: 0,
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
    let groups = apply_synonyms(groups, synonyms);

    let lower = input.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .collect();
    let comparison = match roles.as_slice() {
        [a, b, ..] if words.iter().any(|w| COMPARISON_CUES.contains(w)) => {
            Some((a.clone(), b.clone()))
        }
        _ => None,
    };
    let opening = words.join(" ");
    // "what does a PMM do", "what does PM stand for", or just "BA": the
    // reader wants the role explained.
    // A bare role name or main acronym ("BA", "product owners") asks the
    // same; an alias ("GPM") asks about that variant, not the definition.
    let only_role = groups.iter().filter(|g| !g.stop).all(|g| {
        g.role
            .as_deref()
            .and_then(|id| taxonomy.role(id))
            .is_some_and(|role| {
                let typed = g.raw.to_lowercase();
                let name = role.name.to_lowercase();
                // Any name of words, or a main acronym; not a secondary acronym.
                let is_acronym = g
                    .raw
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(|c| c.is_uppercase());
                typed == name
                    || typed == format!("{name}s")
                    || (g.raw.contains(' ') || !is_acronym) && typed.chars().count() > 3
                    || role.acronyms.iter().any(|a| {
                        let a = a.to_lowercase();
                        typed == a || typed == format!("{a}s")
                    })
            })
    });
    let definition = match (&comparison, roles.as_slice()) {
        (None, [role, ..]) if DEFINITION_CUES.iter().any(|cue| opening.starts_with(cue)) => {
            Some(role.clone())
        }
        (None, [role]) if only_role => Some(role.clone()),
        _ => None,
    };
    // How a definition heading would name the role: its name and acronyms.
    let definition_names: Vec<Vec<String>> = definition
        .as_deref()
        .and_then(|id| taxonomy.role(id))
        .map(|role| {
            std::iter::once(role.name.as_str())
                .chain(role.acronyms.iter().map(String::as_str))
                .map(|n| terms_of(analyzer, n))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut groups = groups;
    if opening.contains("how much") {
        let pay = synonyms.alternatives_of("salary");
        for g in groups
            .iter_mut()
            .filter(|g| g.role.is_none() && !g.quoted && g.alternatives.is_empty())
        {
            if PAY_VERBS.contains(&g.raw.to_lowercase().as_str()) && !pay.is_empty() {
                g.stop = false;
                g.unknown = true;
                g.alternatives = pay.clone();
            }
        }
    }
    if definition.is_some() {
        for g in groups.iter_mut().filter(|g| g.role.is_none() && !g.quoted) {
            if DEFINITION_FILLER.contains(&g.raw.to_lowercase().as_str()) {
                g.stop = true;
            }
        }
    }
    let mut spelling = Vec::new();
    for w in &words {
        if let Some(us) = crate::analysis::spelling::americanize(w) {
            spelling.push((w.to_string(), us));
        }
    }
    let open_ended = !input.ends_with(char::is_whitespace) && !input.ends_with('"') && !truncated;
    ParsedQuery {
        groups,
        roles,
        truncated,
        comparison,
        definition,
        spelling,
        open_ended,
        rewritten_from: Vec::new(),
        definition_names,
        definition_openings: ["what is", "what does", "what do", "who is", "what are"]
            .iter()
            .map(|o| terms_of(analyzer, o))
            .collect(),
    }
}

fn push_word(groups: &mut Vec<Group>, word: &str, analyzer: &mut TextAnalyzer) {
    let terms = terms_of(analyzer, word);
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
        alternatives: Vec::new(),
        unknown: false,
        searched: 0,
    });
}

/// Merges runs of groups that spell a synonym phrase into one group whose
/// alternatives are the other phrases of its synonym group.
fn apply_synonyms(groups: Vec<Group>, synonyms: &Synonyms) -> Vec<Group> {
    if synonyms.is_empty() {
        return groups;
    }
    let mut out: Vec<Group> = Vec::with_capacity(groups.len());
    let mut i = 0;
    while i < groups.len() {
        if groups[i].quoted || groups[i].role.is_some() || groups[i].stop {
            out.push(groups[i].clone());
            i += 1;
            continue;
        }
        // Terms of the following plain groups (stop words included: "go to
        // market"), with the group each came from.
        let mut terms = Vec::new();
        let mut owner = Vec::new();
        for (k, g) in groups[i..].iter().enumerate() {
            if g.quoted || g.role.is_some() {
                break;
            }
            for t in &g.terms {
                terms.push(t.clone());
                owner.push(i + k);
            }
        }
        match synonyms.match_at(&terms) {
            Some((n, others)) if n > 0 && !others.is_empty() => {
                let last = owner[n - 1];
                let merged: Vec<&Group> = groups[i..=last].iter().collect();
                out.push(Group {
                    raw: merged
                        .iter()
                        .map(|g| g.raw.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    terms: terms[..n].to_vec(),
                    quoted: false,
                    stop: false,
                    role: None,
                    alternatives: others
                        .into_iter()
                        .map(|p| Alternative {
                            text: p.text.clone(),
                            terms: p.terms.clone(),
                            source: Source::Synonym,
                        })
                        .collect(),
                    unknown: false,
                    searched: 0,
                });
                i = last + 1;
            }
            _ => {
                out.push(groups[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Adds what needs the index vocabulary: typo corrections of words the
/// index does not know (one edit from 5 letters, two from 9; never for
/// acronyms or shorter words), and completions of the last word when the
/// input ends mid-word.
pub fn expand(
    parsed: &mut ParsedQuery,
    vocab: &Vocabulary<'_>,
    words: &mut TextAnalyzer,
    text: &mut TextAnalyzer,
) {
    expand_words(parsed, vocab, words, text);
}

/// Like [`expand`], and when the best correction or completion of a word
/// turns the query into one that names a role ("buisness analyst",
/// "product mark"), the query is understood as that one: roles, comparisons
/// and definitions then work as if it had been typed. The alternatives
/// found stay on record.
pub fn expand_and_reparse(
    parsed: &mut ParsedQuery,
    vocab: &Vocabulary<'_>,
    words: &mut TextAnalyzer,
    text: &mut TextAnalyzer,
    taxonomy: &Taxonomy,
    synonyms: &Synonyms,
) {
    expand_words(parsed, vocab, words, text);
    // Corrections alone first ("prodcut owner" is the product owner, not
    // "product ownership"), then with the completion of the last word.
    let mut chosen = None;
    for with_completion in [false, true] {
        let mut changed = false;
        let mut rewritten = Vec::new();
        for g in &parsed.groups {
            let best = g.alternatives.iter().find(|a| {
                (a.source == Source::Correction && g.unknown)
                    || (with_completion && a.source == Source::Completion)
            });
            match best {
                Some(a) => {
                    changed = true;
                    rewritten.push(a.text.clone());
                }
                None if g.quoted => rewritten.push(format!("\"{}\"", g.raw)),
                None => rewritten.push(g.raw.clone()),
            }
        }
        if !changed {
            continue;
        }
        let again = parse(&rewritten.join(" "), text, taxonomy, synonyms);
        if again.roles.iter().any(|r| !parsed.roles.contains(r)) {
            chosen = Some(again);
            break;
        }
    }
    let Some(again) = chosen else {
        return;
    };
    // Keep the record of what was corrected or completed for the response.
    let record: Vec<Group> = parsed
        .groups
        .iter()
        .filter(|g| g.alternatives.iter().any(|a| a.source != Source::Synonym))
        .cloned()
        .collect();
    let open_ended = parsed.open_ended;
    let spelling = std::mem::take(&mut parsed.spelling);
    *parsed = again;
    parsed.open_ended = open_ended;
    parsed.spelling = spelling;
    parsed.rewritten_from = record;
    expand_words(parsed, vocab, words, text);
}

fn expand_words(
    parsed: &mut ParsedQuery,
    vocab: &Vocabulary<'_>,
    words: &mut TextAnalyzer,
    text: &mut TextAnalyzer,
) {
    let last = parsed.groups.len().checked_sub(1);
    let open_ended = parsed.open_ended;
    for (i, group) in parsed.groups.iter_mut().enumerate() {
        if group.quoted || group.stop || group.role.is_some() || !group.alternatives.is_empty() {
            continue;
        }
        let typed: Vec<String> = analyze(words, &group.raw)
            .into_iter()
            .map(|t| t.term)
            .collect();
        let [word] = typed.as_slice() else {
            continue;
        };
        let is_last = Some(i) == last && open_ended;
        let known = vocab.articles(word) > 0;
        if is_last && word.chars().count() >= 2 {
            for w in vocab.completions(word, 8) {
                let terms = terms_of(text, &w.word);
                if terms != group.terms
                    && !terms.is_empty()
                    && !group.alternatives.iter().any(|a| a.terms == terms)
                {
                    group.alternatives.push(Alternative {
                        text: w.word,
                        terms,
                        source: Source::Completion,
                    });
                }
            }
        }
        let letters = word.chars().count();
        let acronym = group
            .raw
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase());
        if known
            || letters < 5
            || acronym
            || word.chars().any(|c| c.is_ascii_digit())
            || !group.alternatives.is_empty()
        {
            if !known && !group.alternatives.is_empty() {
                group.unknown = true;
            }
            continue;
        }
        let distance = if letters >= 9 { 2 } else { 1 };
        for w in vocab.near(word, distance, 3) {
            let terms = terms_of(text, &w.word);
            if !terms.is_empty() && !group.alternatives.iter().any(|a| a.terms == terms) {
                group.alternatives.push(Alternative {
                    text: w.word,
                    terms,
                    source: Source::Correction,
                });
            }
        }
        group.unknown = !group.alternatives.is_empty();
        group.searched = distance;
    }
}

/// What a piece scores for its kind, by kind code: headings and titles
/// answer "what is…" better than a sentence that mentions the words. The
/// ranking collector adds it (a fast-field read), where a clause per kind
/// would walk the long posting lists of every heading and title.
pub(crate) fn kind_bonus() -> [f32; KINDS] {
    let mut bonus = [0.0; KINDS];
    bonus[kind_code(PieceKind::Heading) as usize] = KIND_BONUS_HEADING;
    bonus[kind_code(PieceKind::Title) as usize] = KIND_BONUS_TITLE;
    bonus
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
            clauses.push((Occur::Should, phrase(field, &all, 2, weight)));
        }
    }
    // The question as typed, stop words included ("what is a product
    // owner"), is how headings read: matching it whole is a strong sign.
    let every: Vec<&String> = parsed.groups.iter().flat_map(|g| g.terms.iter()).collect();
    if every.len() > all.len() && every.len() >= 2 && every.len() <= 12 {
        for (field, weight) in [
            (f.heading, W_PHRASE * W_HEADING * 1.5),
            (f.title, W_PHRASE * W_TITLE),
        ] {
            clauses.push((Occur::Should, phrase(field, &every, 1, weight)));
        }
    }
    for role in &parsed.roles {
        clauses.push((Occur::Should, const_term(f.role, role, ROLE_MAIN)));
        clauses.push((Occur::Should, const_term(f.mention, role, ROLE_MENTION)));
    }
    if let Some((a, b)) = &parsed.comparison {
        let both: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, about(f, a)),
            (Occur::Must, about(f, b)),
        ]));
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(both, COMPARISON_BOTH)),
        ));
        // Headings that set roles side by side ("PO vs BA: the quick
        // version", "Comparison table") and the rows under them.
        for cue in ["vs", "versus", "comparison", "compar", "differ"] {
            clauses.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.heading, cue),
                        IndexRecordOption::Basic,
                    )),
                    COMPARISON_HEADING,
                )),
            ));
        }
    }
    if parsed.definition.is_some() && !parsed.definition_names.is_empty() {
        // The section under "What is a …?" / "What does a … do?" whose
        // heading names the role asked about.
        let names: Vec<(Occur, Box<dyn Query>)> = parsed
            .definition_names
            .iter()
            .map(|terms| (Occur::Should, terms_query(f.heading, terms)))
            .collect();
        let openings: Vec<(Occur, Box<dyn Query>)> = parsed
            .definition_openings
            .iter()
            .map(|terms| (Occur::Should, terms_query(f.heading, terms)))
            .collect();
        let asks: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(BooleanQuery::new(openings))),
            (Occur::Must, Box::new(BooleanQuery::new(names))),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.heading, "vs"),
                    IndexRecordOption::Basic,
                )),
            ),
        ]));
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(asks, DEFINITION)),
        ));
    }
    if !roles.is_empty() {
        clauses.push((Occur::Must, any_of(f.role, roles)));
    }
    if !categories.is_empty() {
        clauses.push((Occur::Must, any_of(f.category, categories)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Browsing without words: the title pieces of the articles filed under
/// any of `roles` and in any of `categories`, in index order.
pub fn browse(f: &Fields, roles: &[String], categories: &[String]) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_u64(f.kind, kind_code(PieceKind::Title)),
                IndexRecordOption::Basic,
            )),
            1.0,
        )),
    )];
    if !roles.is_empty() {
        clauses.push((Occur::Must, any_of(f.role, roles)));
    }
    if !categories.is_empty() {
        clauses.push((Occur::Must, any_of(f.category, categories)));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Pieces about a role or mentioning it.
fn about(f: &Fields, role: &str) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, const_term(f.role, role, 0.0)),
        (Occur::Should, const_term(f.mention, role, 0.0)),
    ]))
}

fn phrase(field: Field, terms: &[&String], slop: u32, weight: f32) -> Box<dyn Query> {
    let terms: Vec<(usize, Term)> = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (i, Term::from_field_text(field, t)))
        .collect();
    Box::new(BoostQuery::new(
        Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)),
        weight,
    ))
}

/// A filter: matches pieces with any of `values` in `field`, adding no score.
fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
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

fn const_term(field: Field, value: &str, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )),
        score,
    ))
}

/// Matches `terms` in a field: a term, or a phrase when there are several.
fn terms_query(field: Field, terms: &[String]) -> Box<dyn Query> {
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            Term::from_field_text(field, &terms[0]),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(
            terms
                .iter()
                .map(|t| Term::from_field_text(field, t))
                .collect(),
        ))
    }
}

/// The clause one group must satisfy: its terms (or an alternative's) in
/// the text, heading or title, or, for a role name, the role's tag.
fn group_query(group: &Group, f: &Fields) -> Box<dyn Query> {
    let mut variants: Vec<(&[String], f32)> = Vec::new();
    if !group.unknown {
        variants.push((&group.terms, 1.0));
    }
    for alt in &group.alternatives {
        let weight = match alt.source {
            Source::Synonym => W_SYNONYM,
            Source::Correction => W_CORRECTION,
            Source::Completion => W_COMPLETION,
        };
        variants.push((&alt.terms, weight));
    }
    let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (terms, variant_weight) in &variants {
        // The article title as context: all the terms, in any order (the
        // field has no positions).
        let all: Vec<(Occur, Box<dyn Query>)> = terms
            .iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.context, t),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Must, q)
            })
            .collect();
        alternatives.push((
            Occur::Should,
            Box::new(BoostQuery::new(
                Box::new(BooleanQuery::new(all)),
                W_CONTEXT * variant_weight,
            )),
        ));
    }
    for (terms, variant_weight) in variants {
        for (field, weight) in [
            (f.text, W_TEXT),
            (f.heading, W_HEADING),
            (f.title, W_TITLE),
            (f.description, W_DESCRIPTION),
        ] {
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    terms_query(field, terms),
                    weight * variant_weight,
                )),
            ));
        }
    }
    if let Some(role) = &group.role {
        alternatives.push((Occur::Should, const_term(f.role, role, 1.0)));
        alternatives.push((Occur::Should, const_term(f.mention, role, 0.5)));
    }
    Box::new(BooleanQuery::new(alternatives))
}
