//! The words a question is made of that say how to read it rather than
//! what to find, per language (`index/data/question-words.json`, with its
//! sources): question and filler words dropped when other words remain,
//! the cues of a comparison or a definition question, the openings of a
//! definition heading, elisions to split off ("qu'un"), stop words that
//! spell a role acronym in that language, and, in English, the verbs that
//! ask about pay. Words are compared lower-cased with accents folded.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::analysis::Language;

const DATA: &str = include_str!("../../../data/question-words.json");

/// What a definition heading opens with in English ("What is a PO?").
const ENGLISH_HEADING_OPENINGS: [&str; 5] =
    ["what is", "what does", "what do", "who is", "what are"];

#[derive(Debug, Default, Deserialize)]
struct Entry {
    #[serde(default)]
    stop_words: Vec<String>,
    #[serde(default)]
    definition_cues: Vec<String>,
    #[serde(default)]
    definition_filler: Vec<String>,
    #[serde(default)]
    comparison_cues: Vec<String>,
    #[serde(default)]
    elisions: Vec<String>,
    #[serde(default)]
    acronym_collisions: HashMap<String, String>,
}

/// The question words of one language, folded.
#[derive(Debug, Default)]
pub(super) struct QuestionWords {
    pub stop: HashSet<String>,
    pub definition_cues: Vec<String>,
    pub definition_filler: HashSet<String>,
    pub comparison_cues: HashSet<String>,
    /// What a definition heading opens with.
    pub heading_openings: Vec<String>,
    /// Apostrophe prefixes split off a word ("qu'", "l'").
    pub elisions: Vec<String>,
    /// Lower-case stop words that are not a role's acronym here.
    pub acronym_collisions: HashSet<String>,
    /// Verbs that ask about pay after "how much".
    pub pay_verbs: &'static [&'static str],
}

impl QuestionWords {
    /// The words of `language` (none for the plain analysis).
    pub fn of(language: Language) -> &'static QuestionWords {
        static ALL: OnceLock<HashMap<Language, QuestionWords>> = OnceLock::new();
        static NONE: OnceLock<QuestionWords> = OnceLock::new();
        ALL.get_or_init(load)
            .get(&language)
            .unwrap_or_else(|| NONE.get_or_init(QuestionWords::default))
    }
}

fn load() -> HashMap<Language, QuestionWords> {
    let raw: HashMap<String, serde_json::Value> =
        serde_json::from_str(DATA).expect("question-words.json is valid JSON");
    let fold = |w: &String| normalize(w);
    let mut out = HashMap::new();
    for (code, value) in raw {
        let Some(language) = Language::from_code(&code) else {
            continue;
        };
        let entry: Entry = serde_json::from_value(value).expect("a question-words entry");
        let definition_cues: Vec<String> = entry.definition_cues.iter().map(fold).collect();
        let heading_openings = if language == Language::En {
            ENGLISH_HEADING_OPENINGS
                .iter()
                .map(|o| o.to_string())
                .collect()
        } else {
            definition_cues.clone()
        };
        out.insert(
            language,
            QuestionWords {
                stop: entry.stop_words.iter().map(fold).collect(),
                definition_cues,
                definition_filler: entry.definition_filler.iter().map(fold).collect(),
                comparison_cues: entry.comparison_cues.iter().map(fold).collect(),
                heading_openings,
                elisions: entry.elisions.iter().map(fold).collect(),
                acronym_collisions: entry.acronym_collisions.keys().map(fold).collect(),
                pay_verbs: if language == Language::En {
                    PAY_VERBS
                } else {
                    &[]
                },
            },
        );
    }
    out
}

/// Lower case, accents folded, the typographic apostrophe made plain: the
/// form question words are compared in.
pub(super) fn normalize(word: &str) -> String {
    indexer::fold(&word.replace('’', "'")).into_owned()
}

/// Verbs that ask about pay after "how much" ("how much do POs make").
const PAY_VERBS: &[&str] = &[
    "make", "makes", "earn", "earns", "get", "gets", "paid", "take",
];
