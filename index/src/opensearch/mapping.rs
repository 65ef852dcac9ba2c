//! The pieces index as OpenSearch holds it: one document per piece, the
//! fields of the embedded schema (`crate::embedded::schema`) under the same
//! meanings, and the analysis and similarity that make OpenSearch find and
//! score exactly what the embedded engine does.
//!
//! **Terms are ours.** Every analyzed field receives the terms our own
//! analyzers produce (`crate::analysis::analyzer`: per-language stemming,
//! accent folding, UK→US spelling), written out separated by spaces, and
//! OpenSearch only splits them on whitespace. So the terms and positions
//! are identical by construction: no second analysis chain to keep in step
//! with ours (asciifolding differs in details between Lucene and tantivy,
//! and the spelling folding is our code), and queries send the plan's terms
//! as they are (`search_analyzer` is whitespace only).
//!
//! Two more things in the stream make positions and statistics equal:
//! - a gap filler, `0_`, where our analyzer dropped a word (longer than 40
//!   bytes): the `stop` filter removes it and keeps its position, as
//!   tantivy keeps the gap;
//! - a marker, `_`, glued to the first term (`_word`) or alone in a field
//!   with no terms: `pattern_capture` splits it off at the same position
//!   (an overlap, not counted in the length). Every piece has it in every
//!   analyzed field of its own language, and only there, so a field's
//!   document count is its language's pieces and its term count those
//!   pieces' real terms plus one each.
//!
//! **Statistics per language.** The embedded engine scores a language's
//! fields as if its pieces were the whole index (`embedded::statistics`:
//! document frequencies and lengths scaled by N / N(language), so a
//! language with few pieces does not outrank the others). Here a
//! language's fields *are* its pieces (the marker above): N is
//! N(language) and the average length is its own. The two agree exactly
//! on an index of one language; on several, tantivy's scaled frequency
//! keeps the `+ 0.5` of the idf at the scale of the whole index, which
//! moves a score by well under 1% (a few percent for a term in very few
//! pieces of a small language): the same pieces match, nearly tied ones
//! may swap.
//!
//! **Scoring is tantivy's BM25.** A `scripted` similarity computes
//! `idf · (1 + k1) · tf / (tf + k1 · (1 − b + b · len / avglen))` with
//! `idf = ln(1 + (N − n + 0.5) / (n + 0.5))`, N the field's documents (its
//! language's pieces) and avglen its real terms over N, k1 1.2 and b 0.75. Lucene's own BM25 has
//! no `(1 + k1)` and counts only the documents with the field, which would
//! shift every text score against the plan's constant bonuses. Lengths come
//! from the same one-byte norm table in both. A sloppy phrase's frequency
//! is rounded, at least 1: tantivy counts each match as 1, Lucene as
//! 1/(1 + distance).
//!
//! **Sloppy phrases of three or more terms differ.** Lucene matches when
//! the terms fit in phrase order within `slop` positions of where they
//! should be; tantivy 0.27 walks the terms in the order of their document
//! frequencies in the segment (its intersection sorts them by cost) and
//! spends the slop along that walk, so whether "who writes the acceptance
//! criteria" matches "who writes acceptance criteria" with slop 1 depends
//! on how common each word is (its count of matching documents even
//! disagrees with its scoring). OpenSearch does what the plan says ("up to
//! `slop` words between or out of place"); the two engines then differ by a
//! phrase bonus on such pieces. Two-term phrases and exact phrases agree.

use serde_json::{json, Value};

use crate::analysis::Language;
use crate::search::plan::Field;

/// Bumped when the mapping, the analysis or the document layout change:
/// an index of another version is rebuilt, not read.
pub(crate) const FORMAT: u32 = 2;

/// The marker every analyzed field carries (see the module note).
pub(crate) const MARKER: &str = "_";
/// Stands for a word our analyzer dropped: removed, its position kept.
pub(crate) const GAP: &str = "0_";

/// The analyzed field of `field` in `language`.
pub(crate) fn field_name(language: Language, field: Field) -> String {
    let name = match field {
        Field::Text => "text",
        Field::Heading => "heading",
        Field::Title => "title",
        Field::Description => "description",
        Field::Context => "context",
    };
    format!("a.{name}_{}", language.code())
}

/// Every field of [`field_name`], in the order documents write them.
pub(crate) const FIELDS: [Field; 5] = [
    Field::Text,
    Field::Heading,
    Field::Title,
    Field::Description,
    Field::Context,
];

/// The vocabulary field of `language`: on title pieces, every distinct
/// word of the article, unstemmed (keyword values, aggregated to load the
/// vocabulary).
pub(crate) fn words_field(language: Language) -> String {
    format!("w.{}", language.code())
}

/// Settings and mappings of a new pieces index.
pub(crate) fn pieces_index(shards: u32, roles: &[String]) -> Value {
    let analyzed = |positions: bool| {
        let mut f = json!({
            "type": "text",
            "analyzer": "rs_indexed",
            "search_analyzer": "rs_terms",
            "similarity": "rs_bm25",
        });
        if !positions {
            f["index_options"] = json!("freqs");
        }
        f
    };
    let mut a = serde_json::Map::new();
    let mut w = serde_json::Map::new();
    for language in Language::ALL {
        for field in FIELDS {
            let name = field_name(language, field);
            let short = name.trim_start_matches("a.").to_string();
            a.insert(short, analyzed(field != Field::Context));
        }
        w.insert(
            language.code().to_string(),
            json!({"type": "keyword", "doc_values": true, "index": false}),
        );
    }
    let keyword = || json!({"type": "keyword"});
    json!({
        "settings": {
            "index": {
                "number_of_shards": shards,
                // Replicas are added once the build is complete.
                "number_of_replicas": 0,
                // Only our own refreshes make changes visible: a whole
                // `_bulk` at once (an article's pieces share one shard).
                "refresh_interval": "-1",
                "max_inner_result_window": 200,
                // The embedded engine looks at up to 20,000 top pieces.
                "max_result_window": 20_000,
            },
            "analysis": {
                "filter": {
                    "rs_marker": {
                        "type": "pattern_capture",
                        "preserve_original": false,
                        "patterns": ["^(_)", "^_(.+)$"],
                    },
                    "rs_gap": {"type": "stop", "stopwords": [GAP], "ignore_case": false},
                },
                "analyzer": {
                    "rs_indexed": {
                        "type": "custom",
                        "tokenizer": "whitespace",
                        "filter": ["rs_marker", "rs_gap"],
                    },
                    "rs_terms": {"type": "custom", "tokenizer": "whitespace"},
                },
            },
            "similarity": {
                "rs_bm25": {
                    "type": "scripted",
                    "weight_script": {"source": WEIGHT_SCRIPT},
                    "script": {"source": SCORE_SCRIPT},
                },
            },
        },
        "mappings": {
            "dynamic": false,
            // The analyzed terms are for searching only.
            "_source": {"excludes": ["a.*", "w.*"]},
            "_meta": {"rolesearch": {"format": FORMAT, "roles": roles}},
            "properties": {
                "key": keyword(),
                "title_of": keyword(),
                "slug": keyword(),
                "kind": keyword(),
                "position": {"type": "integer"},
                "locale": keyword(),
                "lang": keyword(),
                "role": keyword(),
                "mention": keyword(),
                "category": keyword(),
                // A 64-bit hash of the key: facet counts group by it.
                "aid": {"type": "long"},
                // Write order of the article: ties in score go by it.
                "seq": {"type": "long"},
                "role_mask": {"type": "long"},
                "a": {"properties": a},
                "w": {"properties": w},
            },
        },
    })
}

/// idf · (1 + k1) · boost, once per term (a phrase sums its terms').
const WEIGHT_SCRIPT: &str = "double N = field.docCount; double n = term.docFreq; \
     return query.boost * 2.2 * Math.log(1.0 + (N - n + 0.5) / (n + 0.5));";

/// tf / (tf + k1 · (1 − b + b · len / avglen)); the marker (one per
/// document) is not a real term. A sloppy phrase's frequency (Lucene:
/// 1/(1 + distance) per match, overlapping matches included) is rounded,
/// at least 1: tantivy counts whole matches.
const SCORE_SCRIPT: &str = "double N = field.docCount; \
     double avg = (field.sumTotalTermFreq - N) / N; \
     double f = Math.max(1.0, (double) Math.round(doc.freq)); \
     return weight * f / (f + 1.2 * (0.25 + 0.75 * doc.length / avg));";

/// The state index: generation documents, content-named file states and
/// kept webhook articles, and the writers' lease (see `writer`).
pub(crate) fn state_index() -> Value {
    json!({
        "settings": {
            "index": {
                "number_of_shards": 1,
                "auto_expand_replicas": "0-1",
            },
        },
        "mappings": {
            "dynamic": false,
            "properties": {
                "type": {"type": "keyword"},
                "key": {"type": "keyword"},
            },
        },
    })
}
