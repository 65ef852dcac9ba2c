//! The collectors of a search: one pass over the matching pieces that keeps
//! the best-scoring ones and counts matching articles per role and category.
//!
//! An article's pieces are added together, title first, with positions
//! 0, 1, 2…: in a segment they are a run of consecutive documents, and the
//! title piece of the piece at `doc` is at `doc - position`. That start
//! identifies the article (no hash to read, no hash set to fill) and points
//! at its stored metadata. Deletes remove whole articles and merges keep
//! document order, so the runs survive both (`check` verifies it).
//!
//! Every matching piece needs its position, kind and role bits: they come
//! from [`DocColumns`], decoded once per segment.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::columns::DocColumns;
use super::schema::{CATEGORY, LOCALE};

/// Counts the matching articles, per role and per category, unscored.
pub(crate) struct FacetCollector {
    /// By segment ordinal.
    pub columns: Vec<Arc<DocColumns>>,
}

/// Keeps the `limit` best pieces (score plus a bonus by piece kind) and
/// counts facets, in the same pass.
pub(crate) struct RankCollector {
    pub limit: usize,
    /// Added to a piece's score, by kind code.
    pub kind_bonus: [Score; KINDS],
    /// By segment ordinal.
    pub columns: Vec<Arc<DocColumns>>,
}

fn columns_of(
    columns: &[Arc<DocColumns>],
    ord: SegmentOrdinal,
) -> tantivy::Result<Arc<DocColumns>> {
    columns.get(ord as usize).cloned().ok_or_else(|| {
        tantivy::TantivyError::InternalError(format!("no decoded columns for segment {ord}"))
    })
}

/// Piece kind codes are below this.
pub(crate) const KINDS: usize = 8;

#[derive(Debug, Clone)]
pub(crate) struct FacetCounts {
    /// Matching articles.
    pub articles: usize,
    /// Articles per role bit.
    pub roles: [usize; 64],
    /// Articles per category.
    pub categories: Vec<(String, usize)>,
    /// Articles per locale.
    pub locales: Vec<(String, usize)>,
}

impl Default for FacetCounts {
    fn default() -> Self {
        FacetCounts {
            articles: 0,
            roles: [0; 64],
            categories: Vec::new(),
            locales: Vec::new(),
        }
    }
}

impl FacetCounts {
    fn merge(fruits: impl IntoIterator<Item = FacetCounts>) -> FacetCounts {
        let mut total = FacetCounts::default();
        for fruit in fruits {
            total.articles += fruit.articles;
            for (i, n) in fruit.roles.iter().enumerate() {
                total.roles[i] += n;
            }
            add_counts(&mut total.categories, fruit.categories);
            add_counts(&mut total.locales, fruit.locales);
        }
        total
    }
}

fn add_counts(total: &mut Vec<(String, usize)>, more: Vec<(String, usize)>) {
    for (name, n) in more {
        match total.iter_mut().find(|(c, _)| *c == name) {
            Some(slot) => slot.1 += n,
            None => total.push((name, n)),
        }
    }
}

/// Articles per value of a string column of one segment (the category,
/// the locale): every piece of an article has the same value.
struct StrFacet {
    column: Option<StrColumn>,
    counts: Vec<usize>,
    /// The value of the article being counted.
    current: Option<u64>,
}

impl StrFacet {
    fn new(segment: &SegmentReader, name: &str) -> tantivy::Result<StrFacet> {
        let column = segment.fast_fields().str(name)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(StrFacet {
            column,
            counts: vec![0; terms],
            current: None,
        })
    }

    /// A new article starts at `doc`.
    fn start(&mut self, doc: DocId) {
        self.current = self.column.as_ref().and_then(|c| c.ords().first(doc));
    }

    /// The article ends: count its value.
    fn flush(&mut self) {
        if let Some(slot) = self
            .current
            .and_then(|ord| self.counts.get_mut(ord as usize))
        {
            *slot += 1;
        }
    }

    fn finish(&self) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        if let Some(column) = &self.column {
            let mut name = String::new();
            for (ord, &n) in self.counts.iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    out.push((name.clone(), n));
                }
            }
        }
        out
    }
}

/// One of the best pieces.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TopPiece {
    pub score: Score,
    pub address: DocAddress,
    /// The document of the article's title piece, in the same segment.
    pub title: DocId,
    pub kind: u64,
}

/// What a ranked pass finds.
#[derive(Debug, Default)]
pub(crate) struct Ranked {
    pub facets: FacetCounts,
    /// Best first; equal scores in index order.
    pub top: Vec<TopPiece>,
    /// Whether every matching piece is in `top`.
    pub complete: bool,
}

/// Per-segment facet counting over runs of one article.
pub(crate) struct SegmentFacets {
    columns: Arc<DocColumns>,
    category: StrFacet,
    locale: StrFacet,
    current: Option<DocId>,
    current_mask: u64,
    articles: usize,
    roles: [usize; 64],
}

impl SegmentFacets {
    fn new(segment: &SegmentReader, columns: Arc<DocColumns>) -> tantivy::Result<SegmentFacets> {
        Ok(SegmentFacets {
            columns,
            category: StrFacet::new(segment, CATEGORY)?,
            locale: StrFacet::new(segment, LOCALE)?,
            current: None,
            current_mask: 0,
            articles: 0,
            roles: [0; 64],
        })
    }

    /// Counts `doc`; returns its article's start.
    fn count(&mut self, doc: DocId) -> DocId {
        let start = self.columns.start(doc);
        if self.current != Some(start) {
            self.flush();
            self.current = Some(start);
            self.current_mask = 0;
            self.category.start(doc);
            self.locale.start(doc);
        }
        self.current_mask |= self.columns.mask(doc);
        start
    }

    fn flush(&mut self) {
        if self.current.is_none() {
            return;
        }
        self.articles += 1;
        let mut mask = self.current_mask;
        while mask != 0 {
            let bit = mask.trailing_zeros() as usize;
            self.roles[bit] += 1;
            mask &= mask - 1;
        }
        self.category.flush();
        self.locale.flush();
    }

    fn finish(mut self) -> FacetCounts {
        self.flush();
        FacetCounts {
            articles: self.articles,
            roles: self.roles,
            categories: self.category.finish(),
            locales: self.locale.finish(),
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        SegmentFacets::new(segment, columns_of(&self.columns, segment_ord)?)
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        Ok(FacetCounts::merge(fruits))
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.count(doc);
    }

    fn harvest(self) -> Self::Fruit {
        self.finish()
    }
}

/// Per-segment ranking: facets plus a bounded buffer of the best pieces,
/// cut back to `limit` whenever it doubles (amortized O(1) per piece).
pub(crate) struct SegmentRanked {
    segment: SegmentOrdinal,
    facets: SegmentFacets,
    kind_bonus: [Score; KINDS],
    limit: usize,
    best: Vec<TopPiece>,
    /// Pieces below this score cannot enter the top any more.
    threshold: Option<Score>,
    seen: usize,
}

/// Best first; equal scores in index order.
fn better(a: &TopPiece, b: &TopPiece) -> std::cmp::Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.address.cmp(&b.address))
}

impl SegmentRanked {
    fn cut(&mut self) {
        if self.best.len() > self.limit {
            self.best.select_nth_unstable_by(self.limit - 1, better);
            self.best.truncate(self.limit);
            self.threshold = self.best.iter().map(|p| p.score).reduce(Score::min);
        }
    }
}

impl Collector for RankCollector {
    type Fruit = Ranked;
    type Child = SegmentRanked;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentRanked> {
        Ok(SegmentRanked {
            segment: segment_ord,
            facets: SegmentFacets::new(segment, columns_of(&self.columns, segment_ord)?)?,
            kind_bonus: self.kind_bonus,
            limit: self.limit.max(1),
            best: Vec::new(),
            threshold: None,
            seen: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Ranked>) -> tantivy::Result<Ranked> {
        let mut complete = true;
        let mut top = Vec::new();
        let mut facets = Vec::with_capacity(fruits.len());
        for fruit in fruits {
            complete &= fruit.complete;
            top.extend(fruit.top);
            facets.push(fruit.facets);
        }
        top.sort_unstable_by(better);
        if top.len() > self.limit {
            top.truncate(self.limit);
            complete = false;
        }
        Ok(Ranked {
            facets: FacetCounts::merge(facets),
            top,
            complete,
        })
    }
}

impl SegmentCollector for SegmentRanked {
    type Fruit = Ranked;

    fn collect(&mut self, doc: DocId, score: Score) {
        let title = self.facets.count(doc);
        self.seen += 1;
        let kind = self.facets.columns.kind(doc);
        let score = score + self.kind_bonus.get(kind as usize).copied().unwrap_or(0.0);
        // An equal score comes later in index order: it loses the tie.
        if self.threshold.is_some_and(|t| score <= t) {
            return;
        }
        self.best.push(TopPiece {
            score,
            address: DocAddress::new(self.segment, doc),
            title,
            kind,
        });
        if self.best.len() >= self.limit * 2 {
            self.cut();
        }
    }

    fn harvest(mut self) -> Ranked {
        self.cut();
        self.best.sort_unstable_by(better);
        Ranked {
            complete: self.seen <= self.limit,
            top: self.best,
            facets: self.facets.finish(),
        }
    }
}
