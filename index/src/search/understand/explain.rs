//! Saying how a query was understood: the response's `understood` object
//! (roles, comparison, definition, spellings, synonyms, corrections,
//! completions, ignored words), what the results are for, and a "did you
//! mean" when nothing matched.

use tantivy::tokenizer::TextAnalyzer;

use super::vocabulary::{Vocabulary, Word};
use super::{ParsedQuery, Source};
use crate::analysis::analyzer::analyze;
use crate::search::response::{Expansion, Understood, Variant};

/// What the response says about how the query was understood.
pub(crate) fn understood(parsed: &ParsedQuery) -> Understood {
    let mut u = Understood {
        query: parsed.meaningful_text(),
        ignored_words: parsed
            .groups
            .iter()
            .filter(|g| g.stop)
            .map(|g| g.raw.clone())
            .collect(),
        roles: parsed.roles.clone(),
        comparison: parsed.comparison.clone().map(|(a, b)| [a, b]),
        definition: parsed.definition.clone(),
        spelling: parsed
            .spelling
            .iter()
            .map(|(typed, us)| Variant {
                typed: typed.clone(),
                matches: us.clone(),
            })
            .collect(),
        truncated: parsed.truncated,
        ..Understood::default()
    };
    let mut corrected = !parsed.rewritten_from.is_empty();
    if corrected {
        u.showing_results_for = Some(parsed.meaningful_text());
    }
    for g in parsed.rewritten_from.iter().chain(&parsed.groups) {
        let of = |source: Source| -> Vec<String> {
            g.alternatives
                .iter()
                .filter(|a| a.source == source)
                .map(|a| a.text.clone())
                .collect()
        };
        let synonyms = of(Source::Synonym);
        if !synonyms.is_empty() {
            u.synonyms.push(Expansion {
                typed: g.raw.clone(),
                words: synonyms,
            });
        }
        let corrections = of(Source::Correction);
        if !corrections.is_empty() {
            corrected = true;
            u.corrections.push(Expansion {
                typed: g.raw.clone(),
                words: corrections,
            });
        }
        let completions = of(Source::Completion);
        if !completions.is_empty() {
            u.completions = Some(Expansion {
                typed: g.raw.clone(),
                words: completions,
            });
        }
    }
    if corrected && u.showing_results_for.is_none() {
        u.showing_results_for = Some(display_text(parsed));
    }
    u
}

/// The words that count, with unknown words replaced by their best
/// correction: what the results are for.
pub(crate) fn display_text(parsed: &ParsedQuery) -> String {
    parsed
        .groups
        .iter()
        .filter(|g| !g.stop)
        .map(|g| {
            match g
                .alternatives
                .iter()
                .find(|a| a.source == Source::Correction)
            {
                Some(a) if g.unknown => a.text.clone(),
                _ => g.raw.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query with each unknown word replaced by the closest known word
/// (up to two edits), if any was replaced.
pub(crate) fn did_you_mean(
    parsed: &ParsedQuery,
    vocab: &dyn Vocabulary,
    words: &mut TextAnalyzer,
) -> Option<String> {
    let mut changed = false;
    let mut out = Vec::new();
    for g in parsed.groups.iter().filter(|g| !g.stop) {
        if g.role.is_some() {
            out.push(g.raw.clone());
            continue;
        }
        // Word by word, inside quoted phrases too.
        let mut fixed = Vec::new();
        for word in g.raw.split_whitespace() {
            let typed: Vec<String> = analyze(words, word).into_iter().map(|t| t.term).collect();
            let distance = if typed.first().is_some_and(|w| w.chars().count() >= 6) {
                2
            } else {
                1
            };
            let suggestion = match typed.as_slice() {
                // A one-word group looked this close when it was read: its
                // corrections are the answer.
                [_] if g.searched >= distance && !g.raw.contains(char::is_whitespace) => g
                    .alternatives
                    .iter()
                    .find(|a| a.source == Source::Correction)
                    .map(|a| Word {
                        word: a.text.clone(),
                        articles: 0,
                        distance,
                    }),
                [w] if vocab.articles(w) == 0 && w.chars().count() >= 3 => {
                    vocab.near(w, distance, 1).into_iter().next()
                }
                _ => None,
            };
            match suggestion {
                Some(s) => {
                    changed = true;
                    fixed.push(s.word);
                }
                None => fixed.push(word.to_string()),
            }
        }
        let fixed = fixed.join(" ");
        out.push(if g.quoted {
            format!("\"{fixed}\"")
        } else {
            fixed
        });
    }
    changed.then(|| out.join(" "))
}
