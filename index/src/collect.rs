//! One pass over every matching piece, without scoring, that counts the
//! matching articles and, per article, its roles and category: the facet
//! counts and the total. Pieces of one article sit next to each other in a
//! segment (they are added together), so an article is a run of equal
//! `article` values; counting runs needs no hash set.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

pub(crate) struct FacetCollector;

#[derive(Debug, Clone)]
pub(crate) struct FacetCounts {
    /// Matching articles.
    pub articles: usize,
    /// Articles per role bit.
    pub roles: [usize; 64],
    /// Articles per category.
    pub categories: Vec<(String, usize)>,
}

impl Default for FacetCounts {
    fn default() -> Self {
        FacetCounts {
            articles: 0,
            roles: [0; 64],
            categories: Vec::new(),
        }
    }
}

pub(crate) struct SegmentFacets {
    article: Column<u64>,
    mask: Column<u64>,
    category: Option<StrColumn>,
    current: Option<u64>,
    current_mask: u64,
    current_category: Option<u64>,
    articles: usize,
    roles: [usize; 64],
    categories: Vec<usize>,
}

impl SegmentFacets {
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
        if let Some(ord) = self.current_category {
            if let Some(slot) = self.categories.get_mut(ord as usize) {
                *slot += 1;
            }
        }
    }
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let fast = segment.fast_fields();
        let category = fast.str("category")?;
        let terms = category.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentFacets {
            article: fast.u64("article")?,
            mask: fast.u64("role_mask")?,
            category,
            current: None,
            current_mask: 0,
            current_category: None,
            articles: 0,
            roles: [0; 64],
            categories: vec![0; terms],
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut total = FacetCounts::default();
        for fruit in fruits {
            total.articles += fruit.articles;
            for (i, n) in fruit.roles.iter().enumerate() {
                total.roles[i] += n;
            }
            for (name, n) in fruit.categories {
                match total.categories.iter_mut().find(|(c, _)| *c == name) {
                    Some(slot) => slot.1 += n,
                    None => total.categories.push((name, n)),
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        let article = self.article.first(doc).unwrap_or(0);
        if self.current != Some(article) {
            self.flush();
            self.current = Some(article);
            self.current_mask = 0;
            self.current_category = self.category.as_ref().and_then(|c| c.ords().first(doc));
        }
        self.current_mask |= self.mask.first(doc).unwrap_or(0);
    }

    fn harvest(mut self) -> Self::Fruit {
        self.flush();
        let mut categories = Vec::new();
        if let Some(column) = &self.category {
            let mut name = String::new();
            for (ord, &n) in self.categories.iter().enumerate() {
                if n > 0 && column.ord_to_str(ord as u64, &mut name).unwrap_or(false) {
                    categories.push((name.clone(), n));
                }
            }
        }
        FacetCounts {
            articles: self.articles,
            roles: self.roles,
            categories,
        }
    }
}
