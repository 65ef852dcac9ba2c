//! One tantivy searcher, as the search pipeline's [`Reader`]: plans run as
//! tantivy queries with the ranking collector, pieces grouped into
//! articles, stored documents read for the page shown, and lookups by
//! slug and key.

use std::collections::HashMap;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::Field;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument};

use indexer::PieceKind;

use super::collect::{FacetCollector, FacetCounts, RankCollector, TopPiece, KINDS};
use super::query;
use super::schema::{kind_code, POSITION, PUBLISHED};
use super::segments::SegmentCache;
use super::statistics::LanguageStatistics;
use super::vocab::FstVocabulary;
use crate::analysis::Language;
use crate::error::Result;
use crate::search::engine::{Facets, FoundPiece, Page, PieceData, Ranked, RankedArticle, Reader};
use crate::search::plan::{Filters, Plan};
use crate::search::understand::Vocabulary;
use crate::stored::StoredArticle;

/// Most pieces a ranking keeps while looking for enough articles.
const MAX_TOP: usize = 20_000;

pub(crate) struct EmbeddedReader<'e> {
    segments: &'e SegmentCache,
    searcher: Searcher,
    /// By language (see `Language::index`).
    vocabs: Vec<FstVocabulary>,
}

impl<'e> EmbeddedReader<'e> {
    pub fn new(segments: &'e SegmentCache, searcher: Searcher) -> Self {
        EmbeddedReader {
            vocabs: Language::ALL
                .iter()
                .map(|l| FstVocabulary::new(searcher.clone(), segments.fields.of(*l).words))
                .collect(),
            searcher,
            segments,
        }
    }

    fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// Matching articles per role bit, category and locale, without scores.
    fn counts(&self, plan: &Plan, filters: Filters) -> Result<FacetCounts> {
        let searcher = self.searcher();
        let collector = FacetCollector {
            columns: self.segments.columns(searcher)?,
        };
        let query = query::build(&plan.filtered(filters), &self.segments.fields);
        Ok(searcher.search(&*query, &collector)?)
    }

    /// Role counts by id, of the roles that count any article.
    fn role_counts_of(&self, counts: &FacetCounts) -> Vec<(String, usize)> {
        self.segments
            .role_bits()
            .iter()
            .enumerate()
            .filter(|(i, _)| counts.roles[*i] > 0)
            .map(|(i, id)| (id.clone(), counts.roles[i]))
            .collect()
    }

    /// The title piece of an article, found by a raw term on one of the
    /// fields only title pieces carry (`title_of` = key, `slug`).
    fn title_doc(&self, field: Field, value: &str) -> Result<Option<TantivyDocument>> {
        let searcher = self.searcher();
        let q = query::raw_term(field, value);
        match searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        {
            Some((_, address)) => Ok(Some(searcher.doc(address)?)),
            None => Ok(None),
        }
    }

    fn piece_data(&self, doc: &TantivyDocument) -> PieceData {
        let f = &self.segments.fields;
        PieceData {
            kind: f.kind_of(doc),
            text: f.text_of(doc),
            stored: f.piece_of(doc),
        }
    }
}

impl Reader for EmbeddedReader<'_> {
    fn generation(&self) -> u64 {
        self.searcher().generation().generation_id()
    }

    fn vocabulary(&self, language: Language) -> &dyn Vocabulary {
        &self.vocabs[language.index()]
    }

    fn totals(&self) -> Result<Facets> {
        let searcher = self.searcher();
        let generation = searcher.generation().generation_id();
        if let Some(totals) = self.segments.totals(generation) {
            return Ok(totals);
        }
        let collector = FacetCollector {
            columns: self.segments.columns(searcher)?,
        };
        let counts = searcher.search(&query::titles(&self.segments.fields), &collector)?;
        let totals = Facets {
            roles: self.role_counts_of(&counts),
            categories: counts.categories,
            locales: counts.locales,
        };
        self.segments.keep_totals(generation, totals.clone());
        Ok(totals)
    }

    fn facets(&self, plan: &Plan) -> Result<Facets> {
        let counts = self.counts(plan, plan.filters.clone())?;
        Ok(Facets {
            roles: self.role_counts_of(&counts),
            categories: counts.categories,
            locales: counts.locales,
        })
    }

    fn matches_any(&self, plan: &Plan) -> Result<bool> {
        let query = query::build(plan, &self.segments.fields);
        Ok(self.searcher().search(&*query, &Count)? > 0)
    }

    fn rank(&self, plan: &Plan, page: Page) -> Result<Ranked> {
        let searcher = self.searcher();
        let f = &self.segments.fields;
        let query = query::build(plan, f);
        let wanted = page.offset + page.limit;
        let mut kind_bonus = [0.0; KINDS];
        for (kind, bonus) in &plan.kind_bonus {
            kind_bonus[kind_code(*kind) as usize] = *bonus;
        }
        let mut rank = RankCollector {
            columns: self.segments.columns(searcher)?,
            limit: (wanted * 8).max(64),
            kind_bonus,
        };
        let stats = LanguageStatistics::new(searcher, f)?;
        let mut ranked = searcher.search_with_statistics_provider(&*query, &rank, &stats)?;
        let counts = &ranked.facets;
        // Each facet counts as if its own filter were not set, so a search
        // box can offer the other values ("any of" several roles).
        let role_counts = if plan.filters.roles.is_empty() {
            self.role_counts_of(counts)
        } else {
            let without = Filters {
                roles: Vec::new(),
                ..plan.filters.clone()
            };
            self.role_counts_of(&self.counts(plan, without)?)
        };
        let categories = if plan.filters.categories.is_empty() {
            counts.categories.clone()
        } else {
            let without = Filters {
                categories: Vec::new(),
                ..plan.filters.clone()
            };
            self.counts(plan, without)?.categories
        };
        let mut out = Ranked {
            articles: counts.articles,
            facets: Facets {
                roles: role_counts,
                categories,
                locales: counts.locales.clone(),
            },
            hits: Vec::new(),
        };
        if out.articles <= page.offset {
            return Ok(out);
        }
        if plan.browse {
            // No words to rank by: the newest articles first.
            let newest =
                TopDocs::with_limit(wanted).order_by_fast_field::<i64>(PUBLISHED, Order::Desc);
            for (_, title) in searcher
                .search(&*query, &newest)?
                .into_iter()
                .skip(page.offset)
            {
                let doc: TantivyDocument = searcher.doc(title)?;
                let Some(article) = self.segments.hit_meta(searcher, title)? else {
                    continue;
                };
                out.hits.push(RankedArticle {
                    score: 1.0,
                    article,
                    pieces: vec![(1.0, self.piece_data(&doc))],
                });
            }
            return Ok(out);
        }
        // Take top pieces until enough articles are covered.
        let groups = loop {
            let groups = group(&ranked.top, page.sections);
            if groups.len() >= wanted || ranked.complete || rank.limit >= MAX_TOP {
                break groups;
            }
            rank.limit = (rank.limit * 4).min(MAX_TOP);
            ranked = searcher.search_with_statistics_provider(&*query, &rank, &stats)?;
        };
        for g in groups.into_iter().skip(page.offset).take(page.limit) {
            let mut pieces = Vec::with_capacity(g.pieces.len());
            for (score, address) in &g.pieces {
                let doc: TantivyDocument = searcher.doc(*address)?;
                pieces.push((*score, self.piece_data(&doc)));
            }
            let Some(article) = self.segments.hit_meta(searcher, g.title)? else {
                continue;
            };
            out.hits.push(RankedArticle {
                score: g.score,
                article,
                pieces,
            });
        }
        Ok(out)
    }

    fn pieces(&self, plan: &Plan, limit: usize) -> Result<Vec<FoundPiece>> {
        let searcher = self.searcher();
        let f = &self.segments.fields;
        let query = query::build(plan, f);
        let stats = LanguageStatistics::new(searcher, f)?;
        let top = searcher.search_with_statistics_provider(
            &*query,
            &TopDocs::with_limit(limit).order_by_score(),
            &stats,
        )?;
        let mut out = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            out.push(FoundPiece {
                key: f.key_of(&doc).to_string(),
                piece: self.piece_data(&doc),
            });
        }
        Ok(out)
    }

    fn article_by_slug(
        &self,
        slug: &str,
        locale: Option<&str>,
        default_locale: &str,
    ) -> Result<Option<StoredArticle>> {
        let searcher = self.searcher();
        let f = &self.segments.fields;
        // Slugs are unique per locale: a few articles at most share one.
        let found = searcher.search(
            &query::raw_term(f.slug, slug),
            &TopDocs::with_limit(64).order_by_score(),
        )?;
        let mut articles: Vec<StoredArticle> = Vec::with_capacity(found.len());
        for (_, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            articles.extend(f.meta_json::<StoredArticle>(&doc));
        }
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
        let f = &self.segments.fields;
        Ok(self
            .title_doc(f.title_of, key)?
            .and_then(|doc| f.meta_json(&doc)))
    }

    fn article_pieces(&self, article: &StoredArticle) -> Result<Vec<PieceData>> {
        let searcher = self.searcher();
        let all: TermQuery = query::raw_term(self.segments.fields.key, &article.key);
        let limit = article.pieces.clamp(1, 100_000);
        let mut docs: Vec<(u64, TantivyDocument)> = Vec::new();
        for (_, address) in searcher.search(&all, &TopDocs::with_limit(limit).order_by_score())? {
            let position = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64(POSITION)?
                .first(address.doc_id)
                .unwrap_or(0);
            docs.push((position, searcher.doc(address)?));
        }
        docs.sort_by_key(|(p, _)| *p);
        Ok(docs.iter().map(|(_, d)| self.piece_data(d)).collect())
    }

    fn article_count(&self) -> Result<usize> {
        Ok(self
            .searcher()
            .search(&query::titles(&self.segments.fields), &Count)?)
    }
}

/// Top pieces of one article.
struct Group {
    score: f32,
    /// The article's title piece.
    title: DocAddress,
    pieces: Vec<(f32, DocAddress)>,
}

/// Groups top pieces (best first) into articles, in the order of their best
/// piece: that order does not depend on how many pieces were fetched, so
/// pages never overlap. The title piece counts for its article's rank but is
/// shown as a section only when nothing else in the article matched: the
/// reader wants the place inside the article.
fn group(top: &[TopPiece], sections: usize) -> Vec<Group> {
    let title_kind = kind_code(PieceKind::Title);
    let mut by_article: HashMap<DocAddress, usize> = HashMap::new();
    // (group, the title piece if it matched)
    let mut groups: Vec<(Group, Option<(f32, DocAddress)>)> = Vec::new();
    for piece in top {
        let title = DocAddress::new(piece.address.segment_ord, piece.title);
        let slot = *by_article.entry(title).or_insert_with(|| {
            groups.push((
                Group {
                    score: piece.score,
                    title,
                    pieces: Vec::new(),
                },
                None,
            ));
            groups.len() - 1
        });
        let (group, matched_title) = &mut groups[slot];
        if piece.kind == title_kind {
            *matched_title = Some((piece.score, piece.address));
        } else if group.pieces.len() < sections {
            group.pieces.push((piece.score, piece.address));
        }
    }
    groups
        .into_iter()
        .map(|(mut group, title)| {
            if group.pieces.is_empty() {
                group.pieces.extend(title);
            }
            group
        })
        .collect()
}
