//! Measuring relevance: a judged query set run against the index, scored
//! with nDCG@5, MRR, success@1 and success@3, per query and per tag, the
//! way search teams keep ranking changes honest (Elasticsearch's rank-eval
//! API does the same).
//!
//! A hit's gain is the best grade among the judgments for its article: a
//! judgment with an anchor counts in full when the hit's first section is
//! that section, one grade less when another of its shown sections is; a
//! judgment without an anchor counts for the article as a whole. A result
//! is relevant (for MRR and success@k) at grade 2 or more.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::search::index::SearchIndex;
use crate::search::request::SearchRequest;
use crate::search::response::Hit;

/// A judged query set (see `tests/judged/queries.json`).
#[derive(Debug, Clone, Deserialize)]
pub struct JudgedSet {
    #[serde(default)]
    pub description: String,
    /// The locales the queries are asked in (a site's search box sends
    /// its page's language); none: all.
    #[serde(default)]
    pub locales: Vec<String>,
    pub queries: Vec<JudgedQuery>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct JudgedQuery {
    pub q: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub relevant: Vec<Judgment>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Judgment {
    pub slug: String,
    #[serde(default)]
    pub anchor: Option<String>,
    pub grade: u8,
}

/// Mean scores over a set of queries.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub queries: usize,
    pub ndcg_at_5: f64,
    pub mrr: f64,
    pub success_at_1: f64,
    pub success_at_3: f64,
}

/// One query's scores and what came first.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryScore {
    pub q: String,
    pub tags: Vec<String>,
    pub ndcg_at_5: f64,
    pub reciprocal_rank: f64,
    pub success_at_1: bool,
    pub success_at_3: bool,
    /// `slug#anchor` of the first hit's first section.
    pub first: Option<String>,
}

/// A whole run: means, means per tag, and every query.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvalReport {
    pub overall: Metrics,
    pub by_tag: BTreeMap<String, Metrics>,
    pub queries: Vec<QueryScore>,
}

/// Runs every judged query and scores the results.
pub fn evaluate(index: &SearchIndex, set: &JudgedSet) -> Result<EvalReport> {
    let mut scores = Vec::with_capacity(set.queries.len());
    for judged in &set.queries {
        let request = SearchRequest {
            q: judged.q.clone(),
            roles: judged.roles.clone(),
            locales: set.locales.clone(),
            limit: 10,
            ..SearchRequest::default()
        };
        let response = index.search(&request)?;
        scores.push(score(judged, &response.hits));
    }
    let overall = mean(scores.iter());
    let mut by_tag: BTreeMap<String, Metrics> = BTreeMap::new();
    let tags: std::collections::BTreeSet<&String> =
        scores.iter().flat_map(|s| s.tags.iter()).collect();
    for tag in tags {
        by_tag.insert(
            tag.clone(),
            mean(scores.iter().filter(|s| s.tags.contains(tag))),
        );
    }
    Ok(EvalReport {
        overall,
        by_tag,
        queries: scores,
    })
}

fn gain(judged: &JudgedQuery, hit: &Hit) -> u8 {
    let mut best = 0;
    for j in judged.relevant.iter().filter(|j| j.slug == hit.slug) {
        let g = match &j.anchor {
            None => j.grade,
            Some(anchor) => {
                if hit.sections.first().is_some_and(|s| &s.anchor == anchor) {
                    j.grade
                } else if hit.sections.iter().any(|s| &s.anchor == anchor) {
                    j.grade.saturating_sub(1)
                } else {
                    0
                }
            }
        };
        best = best.max(g);
    }
    best
}

fn dcg(gains: impl Iterator<Item = u8>) -> f64 {
    gains
        .enumerate()
        .map(|(i, g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

fn score(judged: &JudgedQuery, hits: &[Hit]) -> QueryScore {
    let gains: Vec<u8> = hits.iter().map(|h| gain(judged, h)).collect();
    // The ideal list: each judged article once, at its best grade.
    let mut ideal: BTreeMap<&str, u8> = BTreeMap::new();
    for j in &judged.relevant {
        let e = ideal.entry(&j.slug).or_insert(0);
        *e = (*e).max(j.grade);
    }
    let mut ideal: Vec<u8> = ideal.into_values().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg(ideal.iter().copied().take(5));
    let ndcg = if idcg > 0.0 {
        dcg(gains.iter().copied().take(5)) / idcg
    } else {
        0.0
    };
    let first_relevant = gains.iter().position(|&g| g >= 2);
    QueryScore {
        q: judged.q.clone(),
        tags: judged.tags.clone(),
        ndcg_at_5: ndcg,
        reciprocal_rank: first_relevant.map_or(0.0, |i| 1.0 / (i + 1) as f64),
        success_at_1: first_relevant == Some(0),
        success_at_3: first_relevant.is_some_and(|i| i < 3),
        first: hits.first().map(|h| {
            format!(
                "{}#{}",
                h.slug,
                h.sections.first().map_or("", |s| s.anchor.as_str())
            )
        }),
    }
}

fn mean<'a>(scores: impl Iterator<Item = &'a QueryScore>) -> Metrics {
    let mut m = Metrics::default();
    for s in scores {
        m.queries += 1;
        m.ndcg_at_5 += s.ndcg_at_5;
        m.mrr += s.reciprocal_rank;
        m.success_at_1 += f64::from(u8::from(s.success_at_1));
        m.success_at_3 += f64::from(u8::from(s.success_at_3));
    }
    if m.queries > 0 {
        let n = m.queries as f64;
        m.ndcg_at_5 /= n;
        m.mrr /= n;
        m.success_at_1 /= n;
        m.success_at_3 /= n;
    }
    m
}
