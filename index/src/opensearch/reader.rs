//! The OpenSearch engine as the search pipeline's [`Reader`]: a plan runs
//! as one `_search` that ranks pieces, groups them into articles (field
//! collapsing on the article key, its best pieces as inner hits) and
//! counts the facets (`facets`) at once; lookups by slug and key are term
//! queries on title pieces.
//!
//! - **Ranking** is the embedded engine's: an article ranks by its best
//!   piece (the collapse's top hit, sorted by score then key, so equal
//!   scores keep one order and pages never overlap), and shows its best
//!   pieces, the title piece only when nothing else of it matched (inner
//!   hits ask for one more than the sections shown, to leave it out).
//! - **Facets** count each facet without its own filter: the role and
//!   category filters are a `post_filter` (they restrict the hits, not the
//!   aggregations), and each count is a `filter` aggregation with the
//!   other filters.
//! - A reader searches the index it was opened on (one consistent view);
//!   if a rebuild has retired it meanwhile, the alias (the live index).

use std::sync::Arc;

use serde_json::{json, Value};

use indexer::PieceKind;

use super::client::check_shards;
use super::engine::{OpenSearchEngine, Snapshot};
use super::facets::{counting, counting_within, counts_at};
use super::query;
use crate::analysis::Language;
use crate::error::Result;
use crate::search::engine::{
    ArticleMeta, Facets, FoundPiece, Page, PieceData, Ranked, RankedArticle, Reader,
};
use crate::search::plan::{Filters, Plan};
use crate::search::understand::Vocabulary;
use crate::stored::{StoredArticle, StoredPiece};

/// The fields a piece is shown with.
const PIECE_SOURCE: [&str; 6] = ["key", "kind", "body", "piece", "seq", "position"];

/// Pieces the embedded engine first looks at for a page of `wanted`
/// articles, and at most (`crate::embedded::reader`).
fn first_top(wanted: usize) -> usize {
    (wanted * 8).max(64)
}
const MAX_TOP: usize = 20_000;

/// Where a piece stands in the ranking of all pieces: score, then write
/// order (the article's, then the piece's position), as the embedded
/// engine orders documents.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank {
    score: f32,
    seq: u64,
    position: u64,
}

impl Rank {
    /// Whether a piece at `self` comes before (or is) one at `other`.
    fn at_or_before(&self, other: &Rank) -> bool {
        self.score > other.score
            || (self.score == other.score
                && (self.seq, self.position) <= (other.seq, other.position))
    }

    fn of_source(score: f32, source: &Value) -> Rank {
        let n = |name: &str| source.get(name).and_then(Value::as_u64).unwrap_or(0);
        Rank {
            score,
            seq: n("seq"),
            position: n("position"),
        }
    }
}

pub(crate) struct OpenSearchReader<'e> {
    engine: &'e OpenSearchEngine,
    snap: Arc<Snapshot>,
}

impl<'e> OpenSearchReader<'e> {
    pub fn new(engine: &'e OpenSearchEngine, snap: Arc<Snapshot>) -> Self {
        OpenSearchReader { engine, snap }
    }

    /// Runs a search on the reader's index (the live one if it was retired).
    fn search(&self, body: &Value) -> Result<Value> {
        let params = if self.snap.shards > 1 {
            "?search_type=dfs_query_then_fetch"
        } else {
            ""
        };
        let client = &self.engine.client;
        let mut reply = client.json(
            "POST",
            &format!("/{}/_search{params}", self.snap.index),
            body,
        )?;
        if reply.status == 404 {
            reply = client.json(
                "POST",
                &format!("/{}/_search{params}", self.engine.alias),
                body,
            )?;
            if reply.status == 404 {
                return Err(self.engine.not_found());
            }
        }
        let answer = reply.success()?;
        check_shards(client.what(), &answer)?;
        Ok(answer)
    }

    /// The hits of an answer.
    fn hits(answer: &Value) -> &[Value] {
        answer
            .pointer("/hits/hits")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The role, category and locale counts of `plan` as it is.
    fn counts(&self, plan: &Plan) -> Result<super::facets::Counts> {
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": query::build(plan, &plan.filters),
            "aggs": {"f": counting()},
        });
        counts_at(&self.search(&body)?, "/aggregations/f/value")
    }

    /// The title pieces' metadata of `keys`, in order (none where missing).
    fn metas(&self, keys: &[String]) -> Result<Vec<Option<ArticleMeta>>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let docs: Vec<Value> = keys
            .iter()
            .map(|k| {
                json!({
                    "_id": super::documents::piece_id(k, 0),
                    "routing": k,
                    "_source": ["kind", "meta"],
                })
            })
            .collect();
        let client = &self.engine.client;
        let mut reply = client.json(
            "POST",
            &format!("/{}/_mget", self.snap.index),
            &json!({"docs": docs}),
        )?;
        if reply.status == 404 {
            reply = client.json(
                "POST",
                &format!("/{}/_mget", self.engine.alias),
                &json!({"docs": docs}),
            )?;
        }
        let answer = reply.success()?;
        let found = answer
            .get("docs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(found
            .iter()
            .map(|d| {
                let source = d.get("_source")?;
                (source.get("kind")?.as_str()? == PieceKind::Title.as_str())
                    .then(|| serde_json::from_value(source.get("meta")?.clone()).ok())
                    .flatten()
            })
            .collect())
    }

    /// The last piece the embedded engine's ranking would look at, when it
    /// would not look at all `matching` pieces: it takes the best
    /// [`first_top`] pieces, four times more while they hold fewer than
    /// `wanted` articles, and shows an article's sections from those only
    /// (so an article whose other pieces fall outside shows its title).
    /// Found by asking for the top pieces themselves (keys only).
    fn cut(&self, ranked: &Value, matching: usize, wanted: usize) -> Result<Option<Rank>> {
        let mut top = first_top(wanted);
        if matching <= top {
            return Ok(None);
        }
        loop {
            let mut body = json!({
                "size": top,
                "track_total_hits": false,
                "track_scores": true,
                "query": ranked["query"],
                "sort": [{"_score": "desc"}, {"seq": "asc"}, {"position": "asc"}],
                "_source": false,
                "docvalue_fields": ["key"],
            });
            if let Some(p) = ranked.get("post_filter") {
                body["post_filter"] = p.clone();
            }
            let answer = self.search(&body)?;
            let hits = Self::hits(&answer);
            let mut keys = std::collections::HashSet::new();
            for h in hits {
                if let Some(k) = h.pointer("/fields/key/0").and_then(Value::as_str) {
                    keys.insert(k);
                }
            }
            let complete = hits.len() < top;
            if keys.len() >= wanted || complete || top >= MAX_TOP {
                if complete {
                    return Ok(None);
                }
                return Ok(hits.last().map(|h| {
                    let n = |i: usize| {
                        h.pointer(&format!("/sort/{i}"))
                            .and_then(Value::as_u64)
                            .unwrap_or(0)
                    };
                    Rank {
                        score: score_of(h),
                        seq: n(1),
                        position: n(2),
                    }
                }));
            }
            top = (top * 4).min(MAX_TOP);
        }
    }

    fn stored_article(source: &Value) -> Option<StoredArticle> {
        serde_json::from_value(source.get("meta")?.clone()).ok()
    }
}

/// An article of the page: its score, key and the pieces shown.
type Group = (f32, String, Vec<(f32, PieceData)>);

/// A piece from its `_source`.
fn piece_data(source: &Value) -> PieceData {
    let kind = source
        .get("kind")
        .and_then(Value::as_str)
        .and_then(PieceKind::parse)
        .unwrap_or(PieceKind::Paragraph);
    let stored = source
        .get("piece")
        .cloned()
        .and_then(|p| serde_json::from_value::<StoredPiece>(p).ok())
        .unwrap_or(StoredPiece {
            anchor: String::new(),
            path: Vec::new(),
            cells: Vec::new(),
            media: None,
            roles: Vec::new(),
        });
    PieceData {
        kind,
        text: source
            .get("body")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        stored,
    }
}

fn score_of(hit: &Value) -> f32 {
    hit.get("_score")
        .and_then(Value::as_f64)
        .or_else(|| hit.pointer("/sort/0").and_then(Value::as_f64))
        .unwrap_or(0.0) as f32
}

impl Reader for OpenSearchReader<'_> {
    fn generation(&self) -> u64 {
        self.snap.generation
    }

    fn vocabulary(&self, language: Language) -> &dyn Vocabulary {
        &self.snap.vocabs[language.index()]
    }

    fn totals(&self) -> Result<Facets> {
        if let Some(totals) = self.snap.totals.get() {
            return Ok(totals.clone());
        }
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": {"bool": {"filter": [query::titles()]}},
            "aggs": {"f": counting()},
        });
        let totals =
            counts_at(&self.search(&body)?, "/aggregations/f/value")?.facets(&self.snap.roles);
        Ok(self.snap.totals.get_or_init(|| totals).clone())
    }

    fn matches_any(&self, plan: &Plan) -> Result<bool> {
        if plan.matches_nothing() {
            return Ok(false);
        }
        let body = json!({
            "size": 0,
            "terminate_after": 1,
            "track_total_hits": true,
            "query": query::build(plan, &plan.filters),
        });
        let answer = self.search(&body)?;
        Ok(answer
            .pointer("/hits/total/value")
            .and_then(Value::as_u64)
            .unwrap_or(0)
            > 0)
    }

    fn rank(&self, plan: &Plan, page: Page) -> Result<Ranked> {
        let f = &plan.filters;
        // Role and category filters restrict the hits, not the counts.
        let unfiltered = Filters {
            roles: Vec::new(),
            categories: Vec::new(),
            ..f.clone()
        };
        let role_filter = query::filter_clauses(&Filters {
            roles: f.roles.clone(),
            ..Filters::default()
        });
        let category_filter = query::filter_clauses(&Filters {
            categories: f.categories.clone(),
            ..Filters::default()
        });
        let both: Vec<Value> = role_filter
            .iter()
            .chain(&category_filter)
            .cloned()
            .collect();
        let mut aggs = json!({"all": counting_within(both.clone())});
        if !f.roles.is_empty() {
            aggs["roles"] = counting_within(category_filter.clone());
        }
        if !f.categories.is_empty() {
            aggs["cats"] = counting_within(role_filter.clone());
        }
        let ranked_query = query::with_kind_bonus(plan, query::build(plan, &unfiltered));
        let post_filter = (!both.is_empty()).then(|| json!({"bool": {"filter": both.clone()}}));
        let mut body = json!({
            "from": page.offset,
            "size": page.limit,
            "track_total_hits": true,
            "track_scores": true,
            "query": ranked_query,
            "sort": [{"_score": "desc"}, {"seq": "asc"}],
            "_source": false,
            "collapse": {
                "field": "key",
                "inner_hits": {
                    "name": "best",
                    "size": page.sections + 1,
                    "track_scores": true,
                    "sort": [{"_score": "desc"}, {"position": "asc"}],
                    "_source": PIECE_SOURCE,
                },
            },
            "aggs": aggs,
        });
        if let Some(p) = &post_filter {
            body["post_filter"] = p.clone();
        }
        let answer = self.search(&body)?;
        let all = counts_at(&answer, "/aggregations/all/f/value")?;
        let roles = if f.roles.is_empty() {
            all.role_counts(&self.snap.roles)
        } else {
            counts_at(&answer, "/aggregations/roles/f/value")?.role_counts(&self.snap.roles)
        };
        let categories = if f.categories.is_empty() {
            all.categories.clone()
        } else {
            counts_at(&answer, "/aggregations/cats/f/value")?.categories
        };
        let mut out = Ranked {
            articles: all.articles,
            facets: Facets {
                roles,
                categories,
                locales: all.locales.clone(),
            },
            hits: Vec::new(),
        };
        if out.articles <= page.offset {
            return Ok(out);
        }
        let matching = answer
            .pointer("/hits/total/value")
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        let cut = self.cut(&body, matching, page.offset + page.limit)?;
        let groups: Vec<Group> = Self::hits(&answer)
            .iter()
            .map(|hit| {
                let key = hit
                    .pointer("/fields/key/0")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let mut title = None;
                let mut pieces = Vec::new();
                let inner = hit
                    .pointer("/inner_hits/best/hits/hits")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                for piece in inner {
                    let source = piece.get("_source").unwrap_or(&Value::Null);
                    let score = score_of(piece);
                    if cut.is_some_and(|c| !Rank::of_source(score, source).at_or_before(&c)) {
                        continue;
                    }
                    let data = piece_data(source);
                    if data.kind == PieceKind::Title {
                        title = Some((score, data));
                    } else if pieces.len() < page.sections {
                        pieces.push((score, data));
                    }
                }
                if pieces.is_empty() {
                    pieces.extend(title);
                }
                (score_of(hit), key, pieces)
            })
            .collect();
        let keys: Vec<String> = groups.iter().map(|g| g.1.clone()).collect();
        for ((score, _, pieces), meta) in groups.into_iter().zip(self.metas(&keys)?) {
            let Some(meta) = meta else { continue };
            out.hits.push(RankedArticle {
                score,
                article: Arc::new(meta),
                pieces,
            });
        }
        Ok(out)
    }

    fn facets(&self, plan: &Plan) -> Result<Facets> {
        Ok(self.counts(plan)?.facets(&self.snap.roles))
    }

    fn pieces(&self, plan: &Plan, limit: usize) -> Result<Vec<FoundPiece>> {
        if plan.matches_nothing() {
            return Ok(Vec::new());
        }
        let body = json!({
            "size": limit,
            "track_total_hits": false,
            "track_scores": true,
            "query": query::build(plan, &plan.filters),
            "sort": [{"_score": "desc"}, {"seq": "asc"}, {"position": "asc"}],
            "_source": PIECE_SOURCE,
        });
        let answer = self.search(&body)?;
        Ok(Self::hits(&answer)
            .iter()
            .filter_map(|hit| {
                let source = hit.get("_source")?;
                Some(FoundPiece {
                    key: source.get("key")?.as_str()?.to_string(),
                    piece: piece_data(source),
                })
            })
            .collect())
    }

    fn article_by_slug(
        &self,
        slug: &str,
        locale: Option<&str>,
        default_locale: &str,
    ) -> Result<Option<StoredArticle>> {
        // Slugs are unique per locale: a few articles at most share one.
        let body = json!({
            "size": 64,
            "track_total_hits": false,
            "query": {"bool": {"filter": [{"term": {"slug": slug}}, query::titles()]}},
            "sort": [{"seq": "asc"}],
            "_source": ["meta"],
        });
        let answer = self.search(&body)?;
        let mut articles: Vec<StoredArticle> = Self::hits(&answer)
            .iter()
            .filter_map(|h| Self::stored_article(h.get("_source")?))
            .collect();
        let locale_is = |a: &StoredArticle, want: &str| {
            a.locale
                .as_deref()
                .is_some_and(|l| l.eq_ignore_ascii_case(want))
        };
        let chosen = match locale {
            Some(want) => articles.iter().position(|a| locale_is(a, want)),
            None => articles
                .iter()
                .position(|a| locale_is(a, default_locale))
                .or(if articles.is_empty() { None } else { Some(0) }),
        };
        Ok(chosen.map(|i| articles.swap_remove(i)))
    }

    fn article_by_key(&self, key: &str) -> Result<Option<StoredArticle>> {
        let body = json!({
            "size": 1,
            "track_total_hits": false,
            "query": {"bool": {"filter": [{"term": {"title_of": key}}]}},
            "_source": ["meta"],
        });
        let answer = self.search(&body)?;
        Ok(Self::hits(&answer)
            .first()
            .and_then(|h| Self::stored_article(h.get("_source")?)))
    }

    fn article_pieces(&self, article: &StoredArticle) -> Result<Vec<PieceData>> {
        let mut out: Vec<PieceData> = Vec::with_capacity(article.pieces);
        let mut after: Option<Value> = None;
        loop {
            let mut body = json!({
                "size": 1000,
                "track_total_hits": false,
                "query": {"bool": {"filter": [{"term": {"key": article.key}}]}},
                "sort": [{"position": "asc"}],
                "_source": PIECE_SOURCE,
            });
            if let Some(a) = &after {
                body["search_after"] = a.clone();
            }
            let answer = self.search(&body)?;
            let hits = Self::hits(&answer);
            for hit in hits {
                out.push(piece_data(hit.get("_source").unwrap_or(&Value::Null)));
            }
            match hits.last().and_then(|h| h.get("sort")) {
                Some(sort) if hits.len() == 1000 => after = Some(sort.clone()),
                _ => break,
            }
        }
        Ok(out)
    }

    fn article_count(&self) -> Result<usize> {
        self.engine.count_titles(&self.snap.index)
    }
}
