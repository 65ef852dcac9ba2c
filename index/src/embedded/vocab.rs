//! The embedded engine's vocabulary: every distinct word of the corpus,
//! unstemmed, read from the term dictionary of the `words` field. It answers "is this a
//! word here, and in how many articles", "which words are one or two edits
//! away" (typos) and "which words start with this" (search as you type),
//! all with the FST's own automata: no scan of the word list.

use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy::schema::Field;
use tantivy::Searcher;
use tantivy_fst::Automaton;

use crate::search::understand::{Vocabulary, Word};

pub(crate) struct FstVocabulary {
    searcher: Searcher,
    field: Field,
}

/// The automaton of one lookup, shared by every segment's dictionary (and
/// by any other engine's word list held as an FST).
pub(crate) struct Dfa<'d>(pub &'d DFA);

impl Automaton for Dfa<'_> {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != levenshtein_automata::SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Building the automaton builders is the expensive part: once per process.
pub(crate) fn builder(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    match distance {
        1 => ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, true)),
        _ => TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, true)),
    }
}

impl FstVocabulary {
    pub fn new(searcher: Searcher, field: Field) -> Self {
        FstVocabulary { searcher, field }
    }
}

impl Vocabulary for FstVocabulary {
    fn articles(&self, word: &str) -> u64 {
        let mut total = 0;
        for segment in self.searcher.segment_readers() {
            if let Ok(inverted) = segment.inverted_index(self.field) {
                if let Ok(Some(info)) = inverted.terms().get(word.as_bytes()) {
                    total += u64::from(info.doc_freq);
                }
            }
        }
        total
    }

    fn near(&self, word: &str, distance: u8, limit: usize) -> Vec<Word> {
        let dfa = builder(distance).build_dfa(word);
        let mut found: Vec<Word> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(Dfa(&dfa)).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(text) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if text == word {
                    continue;
                }
                let d = match dfa.eval(text) {
                    Distance::Exact(d) => d,
                    Distance::AtLeast(_) => continue,
                };
                add(&mut found, text, u64::from(stream.value().doc_freq), d);
            }
        }
        rank(found, limit)
    }

    fn completions(&self, prefix: &str, limit: usize) -> Vec<Word> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let mut found: Vec<Word> = Vec::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.field) else {
                continue;
            };
            let Ok(mut stream) = inverted
                .terms()
                .range()
                .gt(prefix.as_bytes())
                .lt(&upper)
                .into_stream()
            else {
                continue;
            };
            // Stop early on huge ranges: the most common few are wanted, and
            // the first thousand words hold plenty of candidates.
            let mut seen = 0;
            while stream.advance() && seen < 2000 {
                seen += 1;
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    add(&mut found, text, u64::from(stream.value().doc_freq), 0);
                }
            }
        }
        rank(found, limit)
    }
}

pub(crate) fn add(found: &mut Vec<Word>, text: &str, articles: u64, distance: u8) {
    match found.iter_mut().find(|w| w.word == text) {
        Some(w) => w.articles += articles,
        None => found.push(Word {
            word: text.to_string(),
            articles,
            distance,
        }),
    }
}

/// Nearest, then most common, then alphabetical; at most `limit`.
pub(crate) fn rank(mut found: Vec<Word>, limit: usize) -> Vec<Word> {
    found.sort_by(|a, b| {
        a.distance
            .cmp(&b.distance)
            .then(b.articles.cmp(&a.articles))
            .then_with(|| a.word.cmp(&b.word))
    });
    found.truncate(limit);
    found
}
