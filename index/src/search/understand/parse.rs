//! Reading the typed text: chunks (words and quoted phrases), role names
//! spanning several words, question words, comparisons and definition
//! questions, British spellings, and "how much do POs make".

use tantivy::tokenizer::TextAnalyzer;

use indexer::{AcronymCase, Taxonomy};

use super::synonyms::{apply_synonyms, Synonyms};
use super::words::{normalize, QuestionWords};
use super::{Group, ParsedQuery, MAX_WORDS};
use crate::analysis::analyzer::analyze;
use crate::analysis::Language;

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

pub(super) fn terms_of(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analyze(analyzer, text)
        .into_iter()
        .map(|t| t.term)
        .collect()
}

/// Understands `input` read in `language` (whose text analyzer `analyzer`
/// is): words, phrases, roles, stop words, synonyms, spelling variants,
/// comparisons and definition questions. Typo corrections and completions
/// need the index: see [`expand`](super::expand).
pub fn parse(
    input: &str,
    language: Language,
    analyzer: &mut TextAnalyzer,
    taxonomy: &Taxonomy,
    synonyms: &Synonyms,
) -> ParsedQuery {
    let words_of = QuestionWords::of(language);
    // Never look at more than a few KiB, whatever the caller allowed; a
    // zero-width space inside a word does not split it.
    let input = indexer::text::strip_invisible(input);
    let input = indexer::text::truncate_at_char(&input, 4096);
    let (chunks, truncated) = chunks(input);
    let chunks = split_elisions(chunks, &words_of.elisions);
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
        for m in taxonomy.mentions_in(&joined, "", AcronymCase::Any, language.roles()) {
            let (first, last) = (chunk_of(m.bytes.0), chunk_of(m.bytes.1.saturating_sub(1)));
            if first < k {
                continue;
            }
            // "se" typed in a French query is a pronoun, not the SE.
            let typed = &joined[m.bytes.0..m.bytes.1];
            if m.by_acronym
                && !typed.chars().any(char::is_uppercase)
                && words_of.acronym_collisions.contains(&normalize(typed))
            {
                continue;
            }
            for w in &run[k..first] {
                push_word(&mut groups, w, analyzer, words_of);
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
            push_word(&mut groups, w, analyzer, words_of);
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
    let folded: Vec<String> = words.iter().map(|w| normalize(w)).collect();
    let comparison = match roles.as_slice() {
        [a, b, ..] if folded.iter().any(|w| words_of.comparison_cues.contains(w)) => {
            Some((a.clone(), b.clone()))
        }
        _ => None,
    };
    let opening = folded.join(" ");
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
        (None, [role, ..])
            if words_of
                .definition_cues
                .iter()
                .any(|cue| opening.starts_with(cue.as_str())) =>
        {
            Some(role.clone())
        }
        (None, [role]) if only_role => Some(role.clone()),
        _ => None,
    };
    // How a definition heading would name the role: its name and acronyms,
    // and its local title in this language.
    let definition_names: Vec<Vec<String>> = definition
        .as_deref()
        .and_then(|id| taxonomy.role(id))
        .map(|role| {
            let local = role
                .languages
                .get(language.code())
                .and_then(|l| l.name.as_deref());
            std::iter::once(role.name.as_str())
                .chain(role.acronyms.iter().map(String::as_str))
                .chain(local)
                .map(|n| terms_of(analyzer, n))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let mut groups = groups;
    if !words_of.pay_verbs.is_empty() && opening.contains("how much") {
        let pay = synonyms.alternatives_of("salary");
        for g in groups
            .iter_mut()
            .filter(|g| g.role.is_none() && !g.quoted && g.alternatives.is_empty())
        {
            if words_of.pay_verbs.contains(&g.raw.to_lowercase().as_str()) && !pay.is_empty() {
                g.stop = false;
                g.unknown = true;
                g.alternatives = pay.clone();
            }
        }
    }
    if definition.is_some() {
        for g in groups.iter_mut().filter(|g| g.role.is_none() && !g.quoted) {
            if words_of.definition_filler.contains(&normalize(&g.raw)) {
                g.stop = true;
            }
        }
    }
    let mut spelling = Vec::new();
    if language == Language::En {
        for w in &words {
            if let Some(us) = crate::analysis::spelling::americanize(w) {
                spelling.push((w.to_string(), us));
            }
        }
    }
    let open_ended = !input.ends_with(char::is_whitespace) && !input.ends_with('"') && !truncated;
    ParsedQuery {
        language,
        groups,
        roles,
        truncated,
        comparison,
        definition,
        spelling,
        open_ended,
        rewritten_from: Vec::new(),
        definition_names,
        definition_openings: words_of
            .heading_openings
            .iter()
            .map(|o| terms_of(analyzer, o))
            .filter(|t| !t.is_empty())
            .collect(),
    }
}

/// Splits elided articles and pronouns off the words they lean on
/// ("qu'un" is "qu'" and "un", "l'analyste" is "l'" and "analyste").
fn split_elisions(chunks: Vec<Chunk>, elisions: &[String]) -> Vec<Chunk> {
    if elisions.is_empty() {
        return chunks;
    }
    let mut out = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        if chunk.quoted {
            out.push(chunk);
            continue;
        }
        let text = chunk.text.replace('’', "'");
        let lower = normalize(&text);
        match elisions
            .iter()
            .find(|e| lower.starts_with(e.as_str()) && lower.len() > e.len())
        {
            // Elisions are ASCII letters and an apostrophe: the same bytes
            // in the typed word.
            Some(e) if text.is_char_boundary(e.len()) => {
                out.push(Chunk {
                    text: text[..e.len()].to_string(),
                    quoted: false,
                });
                out.push(Chunk {
                    text: text[e.len()..].to_string(),
                    quoted: false,
                });
            }
            _ => out.push(chunk),
        }
    }
    out
}

fn push_word(
    groups: &mut Vec<Group>,
    word: &str,
    analyzer: &mut TextAnalyzer,
    words_of: &QuestionWords,
) {
    let terms = terms_of(analyzer, word);
    if terms.is_empty() {
        return;
    }
    let lower = normalize(word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\''));
    let stop = terms.len() == 1
        && (words_of.stop.contains(&lower) || words_of.stop.contains(lower.trim_matches('\'')));
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
