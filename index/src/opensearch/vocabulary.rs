//! The vocabulary of the OpenSearch engine, for our own typo correction
//! and prefixes: every distinct word of a language with the number of
//! articles it appears in, read from the index (each title piece lists its
//! article's words in `w.<language>`; a `composite` aggregation pages
//! through their values with document counts) into an FST in memory, and
//! searched with the same Levenshtein automata as the embedded engine's
//! term dictionary (`crate::embedded::vocab`). OpenSearch's own fuzzy
//! matching is never used: the same query is understood the same way on
//! both engines.
//!
//! Loading is part of a reload (a change of the index), never of a search.

use serde_json::{json, Value};
use tantivy_fst::{IntoStreamer, Map, MapBuilder, Streamer};

use super::client::Client;
use super::mapping::words_field;
use crate::analysis::Language;
use crate::embedded::vocab::{add, builder, rank, Dfa};
use crate::error::{Error, Result};
use crate::search::understand::{Vocabulary, Word};

/// Buckets per page of the aggregation.
const PAGE: usize = 10_000;

/// The words of one language.
pub(crate) struct Words {
    map: Map<Vec<u8>>,
}

impl Default for Words {
    fn default() -> Self {
        Words::from_sorted(Vec::new())
    }
}

impl Words {
    /// From (word, articles) pairs sorted by word, each word once.
    fn from_sorted(words: Vec<(String, u64)>) -> Words {
        let mut b = MapBuilder::memory();
        for (word, n) in &words {
            // Sorted and distinct by construction; a word that is not is
            // skipped rather than failing the whole vocabulary.
            let _ = b.insert(word.as_bytes(), *n);
        }
        let bytes = b.into_inner().unwrap_or_default();
        Words {
            map: Map::from_bytes(bytes).unwrap_or_else(|_| {
                Map::from_bytes(MapBuilder::memory().into_inner().unwrap_or_default())
                    .expect("an empty map")
            }),
        }
    }

    /// The vocabulary of `language` in `index`.
    pub fn load(client: &Client, index: &str, language: Language) -> Result<Words> {
        let field = words_field(language);
        let mut after: Option<Value> = None;
        let mut words: Vec<(String, u64)> = Vec::new();
        loop {
            let mut composite = json!({
                "size": PAGE,
                "sources": [{"w": {"terms": {"field": field}}}],
            });
            if let Some(key) = &after {
                composite["after"] = key.clone();
            }
            let body = json!({
                "size": 0,
                "track_total_hits": false,
                "query": {"exists": {"field": field}},
                "aggs": {"words": {"composite": composite}},
            });
            let answer = client
                .json("POST", &format!("/{index}/_search"), &body)?
                .success()?;
            super::client::check_shards(client.what(), &answer)?;
            let agg = answer.pointer("/aggregations/words").ok_or_else(|| {
                Error::OpenSearch("no vocabulary aggregation in the answer".into())
            })?;
            let buckets = agg
                .get("buckets")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for b in &buckets {
                if let (Some(w), Some(n)) = (
                    b.pointer("/key/w").and_then(Value::as_str),
                    b.get("doc_count").and_then(Value::as_u64),
                ) {
                    words.push((w.to_string(), n));
                }
            }
            match agg.get("after_key") {
                Some(key) if buckets.len() == PAGE => after = Some(key.clone()),
                _ => break,
            }
        }
        words.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        words.dedup_by(|a, b| a.0 == b.0);
        Ok(Words::from_sorted(words))
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.map.as_fst().size()
    }
}

impl Vocabulary for Words {
    fn articles(&self, word: &str) -> u64 {
        self.map.get(word.as_bytes()).unwrap_or(0)
    }

    fn near(&self, word: &str, distance: u8, limit: usize) -> Vec<Word> {
        let dfa = builder(distance).build_dfa(word);
        let mut found: Vec<Word> = Vec::new();
        let mut stream = self.map.search(Dfa(&dfa)).into_stream();
        while let Some((key, n)) = stream.next() {
            let Ok(text) = std::str::from_utf8(key) else {
                continue;
            };
            if text == word {
                continue;
            }
            let d = match dfa.eval(text) {
                levenshtein_automata::Distance::Exact(d) => d,
                levenshtein_automata::Distance::AtLeast(_) => continue,
            };
            add(&mut found, text, n, d);
        }
        rank(found, limit)
    }

    fn completions(&self, prefix: &str, limit: usize) -> Vec<Word> {
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xff);
        let mut found: Vec<Word> = Vec::new();
        let mut stream = self
            .map
            .range()
            .gt(prefix.as_bytes())
            .lt(&upper)
            .into_stream();
        // As the embedded engine: the first two thousand words of a huge
        // range hold plenty of candidates.
        let mut seen = 0;
        while let Some((key, n)) = stream.next() {
            if seen >= 2000 {
                break;
            }
            seen += 1;
            if let Ok(text) = std::str::from_utf8(key) {
                add(&mut found, text, n, 0);
            }
        }
        rank(found, limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> Words {
        Words::from_sorted(vec![
            ("backlog".into(), 5),
            ("backlogs".into(), 2),
            ("ticket".into(), 3),
            ("tickets".into(), 4),
        ])
    }

    #[test]
    fn counts_typos_and_prefixes_come_from_the_fst() {
        let w = words();
        assert_eq!(w.articles("backlog"), 5);
        assert_eq!(w.articles("nope"), 0);
        let near: Vec<String> = w
            .near("bakclog", 1, 5)
            .into_iter()
            .map(|w| w.word)
            .collect();
        assert_eq!(near, ["backlog"]);
        let done: Vec<String> = w
            .completions("tick", 5)
            .into_iter()
            .map(|w| w.word)
            .collect();
        assert_eq!(done, ["tickets", "ticket"]);
        assert_eq!(Words::default().articles("backlog"), 0);
    }
}
