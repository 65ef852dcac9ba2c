//! What needs the index vocabulary: typo corrections and completions of the
//! last word, and re-reading a query that a correction turned into a role
//! name.

use tantivy::tokenizer::TextAnalyzer;

use indexer::Taxonomy;

use super::parse::{parse, terms_of};
use super::synonyms::Synonyms;
use super::vocabulary::Vocabulary;
use super::{Alternative, Group, ParsedQuery, Source};
use crate::analysis::analyzer::analyze;

/// Adds what needs the index vocabulary: typo corrections of words the
/// index does not know (one edit from 5 letters, two from 9; never for
/// acronyms or shorter words), and completions of the last word when the
/// input ends mid-word.
pub fn expand(
    parsed: &mut ParsedQuery,
    vocab: &dyn Vocabulary,
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
    vocab: &dyn Vocabulary,
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
        let again = parse(
            &rewritten.join(" "),
            parsed.language,
            text,
            taxonomy,
            synonyms,
        );
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
    vocab: &dyn Vocabulary,
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
