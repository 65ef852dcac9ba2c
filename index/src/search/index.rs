//! Opening an index and answering queries: the one search call behind the
//! CLI and the HTTP server.
//!
//! A query runs in two passes over the same tantivy query: the top pieces
//! by score, grouped into articles (an article ranks by its best pieces),
//! and an unscored pass that counts matching articles per role and
//! category. Offsets and limits are checked before anything is allocated.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tantivy::collector::TopDocs;
use tantivy::index::SegmentId;
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocId, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument};

use indexer::Taxonomy;

use crate::analysis::analyzer;
use crate::embedded::collect::{DocColumns, FacetCollector, RankCollector, TopPiece, KINDS};
use crate::embedded::schema::{kind_from_code, Fields};
use crate::embedded::stored::{StoredArticle, StoredPiece};
use crate::embedded::vocab::{Vocabulary, Word};
use crate::error::{Error, Parameter, Result};
use crate::search::cache::{CacheStats, ResponseCache};
use crate::search::query::{self, ParsedQuery, Source};
use crate::search::response::{
    Expansion, FacetDistribution, Hit, MediaView, Relaxed, SearchResponse, Section, Understood,
    Variant,
};
use crate::search::snippet::snippet;
use crate::search::synonyms::Synonyms;
use crate::store::{Stamp, Store};

pub const MAX_LIMIT: usize = 100;
pub const MAX_WINDOW: usize = 1000;
pub const MAX_SECTIONS: usize = 10;
pub const DEFAULT_URL_PATTERN: &str = "/articles/{slug}";

/// A search to run.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub q: String,
    /// Role ids or names; a piece must be filed under any of them.
    pub roles: Vec<String>,
    /// Category names; an article must be in any of them.
    pub categories: Vec<String>,
    pub limit: usize,
    pub offset: usize,
    /// Sections per article.
    pub sections: usize,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            roles: Vec::new(),
            categories: Vec::new(),
            limit: 10,
            offset: 0,
            sections: 3,
        }
    }
}

impl SearchRequest {
    pub fn new(q: impl Into<String>) -> Self {
        SearchRequest {
            q: q.into(),
            ..SearchRequest::default()
        }
    }

    /// Checks limits before any work: the collector reserves memory for
    /// offset + limit results, so both are bounded.
    pub fn validate(&self) -> Result<()> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Limit,
                message: format!("limit must be between 1 and {MAX_LIMIT}"),
            });
        }
        if self.offset > MAX_WINDOW || self.offset + self.limit > MAX_WINDOW {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Offset,
                message: format!("offset + limit must be at most {MAX_WINDOW}"),
            });
        }
        if self.sections == 0 || self.sections > MAX_SECTIONS {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Sections,
                message: format!("sections must be between 1 and {MAX_SECTIONS}"),
            });
        }
        Ok(())
    }
}

/// Settings of an opened index.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub taxonomy: Arc<Taxonomy>,
    /// Query-time synonyms.
    pub synonyms: Arc<Synonyms>,
    /// Article URLs: `{slug}` is replaced by the article's slug.
    pub url_pattern: String,
    /// Recent answers kept for repeated requests (0: none). Worth it in a
    /// server; a one-off CLI query or a benchmark of the search itself
    /// wants none.
    pub cached_responses: usize,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            taxonomy: Arc::new(Taxonomy::builtin()),
            synonyms: Arc::new(Synonyms::builtin()),
            url_pattern: DEFAULT_URL_PATTERN.to_string(),
            cached_responses: 0,
        }
    }
}

/// Counts and dates of an opened index.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndexStats {
    pub format_version: u32,
    pub generation: String,
    pub articles: usize,
    pub pieces: u64,
    pub updated_at: Option<String>,
    pub created_at: String,
}

/// An opened index, ready for concurrent searches.
pub struct SearchIndex {
    index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) stamp: Stamp,
    generation: PathBuf,
    pub(crate) options: OpenOptions,
    /// Analyzers (text, words) need `&mut`: a small pool.
    analyzers: Mutex<Vec<Analyzers>>,
    /// When `meta.json` was last seen changed (see `reload_if_changed`).
    meta_seen: Mutex<Option<std::time::SystemTime>>,
    /// What hits show of an article, by title document (see `hit_meta`).
    hit_metas: Mutex<HashMap<(SegmentId, DocId), Arc<HitMeta>>>,
    /// Decoded columns of the segments searched (see `collect`).
    columns: Mutex<HashMap<SegmentId, Arc<DocColumns>>>,
    responses: ResponseCache,
}

/// Articles whose hit metadata is kept parsed: a few megabytes at most.
const HIT_META_CACHE: usize = 16_384;

impl SearchIndex {
    /// Opens the live generation of the index folder `dir`. If a writer
    /// replaces it while it is being opened, the new one is opened instead.
    pub fn open(dir: &Path, options: OpenOptions) -> Result<SearchIndex> {
        let store = Store::new(dir);
        let mut attempt = 0;
        loop {
            let before = store.current_name();
            match SearchIndex::open_current(&store, dir, options.clone()) {
                Err(_) if attempt < 5 && store.current_name() != before => attempt += 1,
                other => return other,
            }
        }
    }

    fn open_current(store: &Store, dir: &Path, options: OpenOptions) -> Result<SearchIndex> {
        let (generation, stamp) = store.current()?;
        // Before the reader opens: a commit after it is a change to see.
        let meta_seen = meta_modified(&generation);
        let index = Index::open_in_dir(&generation).map_err(|e| Error::Foreign {
            path: dir.to_path_buf(),
            reason: e.to_string(),
        })?;
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| Error::Foreign {
            path: dir.to_path_buf(),
            reason: "its schema lacks rolesearch's fields".into(),
        })?;
        analyzer::register(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            stamp,
            generation,
            analyzers: Mutex::new(Vec::new()),
            meta_seen: Mutex::new(meta_seen),
            hit_metas: Mutex::new(HashMap::new()),
            columns: Mutex::new(HashMap::new()),
            responses: ResponseCache::new(options.cached_responses),
            options,
        })
    }

    pub fn generation(&self) -> &Path {
        &self.generation
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.options.taxonomy
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Re-reads the live generation's latest commit.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// Re-reads the latest commit only if `meta.json` changed since the last
    /// look (or the opening): a poller can call this often without reloading
    /// every time, and a reload starts a new searcher generation, which the
    /// answer cache does not serve across.
    pub fn reload_if_changed(&self) -> Result<()> {
        let modified = meta_modified(&self.generation);
        let mut seen = self.meta_seen.lock().unwrap_or_else(|e| e.into_inner());
        if modified.is_some() && *seen == modified {
            return Ok(());
        }
        self.reader.reload()?;
        *seen = modified;
        Ok(())
    }

    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.reader.searcher();
        let meta = self.index.load_metas()?;
        let payload: serde_json::Value = meta
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .unwrap_or_default();
        let articles = searcher
            .search(
                &TermQuery::new(
                    Term::from_field_u64(
                        self.fields.kind,
                        crate::embedded::schema::kind_code(indexer::PieceKind::Title),
                    ),
                    IndexRecordOption::Basic,
                ),
                &tantivy::collector::Count,
            )
            .unwrap_or(0);
        Ok(IndexStats {
            format_version: self.stamp.format_version,
            generation: self
                .generation
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            articles,
            pieces: searcher.num_docs(),
            updated_at: payload
                .get("updated_at")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            created_at: self.stamp.created_at.clone(),
        })
    }

    pub(crate) fn analyzers(&self) -> Analyzers {
        self.analyzers
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_else(|| Analyzers {
                text: analyzer::text_analyzer(),
                words: analyzer::words_analyzer(),
            })
    }

    pub(crate) fn give_back(&self, analyzers: Analyzers) {
        if let Ok(mut pool) = self.analyzers.lock() {
            if pool.len() < 64 {
                pool.push(analyzers);
            }
        }
    }

    /// Understands a query without running it (typos and completions
    /// resolved against the current index).
    pub fn parse(&self, q: &str) -> ParsedQuery {
        let mut a = self.analyzers();
        let mut parsed = query::parse(
            q,
            &mut a.text,
            &self.options.taxonomy,
            &self.options.synonyms,
        );
        let searcher = self.reader.searcher();
        let vocab = Vocabulary::new(&searcher, self.fields.words);
        query::expand(&mut parsed, &vocab, &mut a.words, &mut a.text);
        self.give_back(a);
        parsed
    }

    /// Resolves role names ("PO", "Product Owner", "product-owner") to ids.
    pub fn resolve_roles(&self, roles: &[String]) -> Result<Vec<String>> {
        roles
            .iter()
            .map(|r| {
                self.options
                    .taxonomy
                    .resolve(r)
                    .map(str::to_string)
                    .ok_or_else(|| Error::UnknownRole(r.clone()))
            })
            .collect()
    }

    pub fn article_url(&self, slug: &str) -> String {
        let encoded: String = slug
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        self.options.url_pattern.replace("{slug}", &encoded)
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse> {
        let started = Instant::now();
        request.validate()?;
        let roles = self.resolve_roles(&request.roles)?;
        let searcher = self.reader.searcher();
        let elapsed = || (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0;
        let cache = self.responses.enabled().then(|| {
            (
                ResponseCache::key(request, &roles),
                searcher.generation().generation_id(),
            )
        });
        if let Some((key, generation)) = &cache {
            if let Some(cached) = self.responses.get(key, *generation) {
                let mut response = SearchResponse::clone(&cached);
                response.processing_time_ms = elapsed();
                return Ok(response);
            }
        }
        let mut a = self.analyzers();
        let result = self.run(&searcher, request, &roles, &mut a);
        self.give_back(a);
        let mut response = result?;
        response.processing_time_ms = elapsed();
        if let Some((key, generation)) = cache {
            self.responses
                .put(key, generation, Arc::new(response.clone()));
        }
        Ok(response)
    }

    /// The decoded columns of every segment of `searcher`, by ordinal:
    /// decoded the first time a segment is searched, dropped once no
    /// searcher has it.
    pub(crate) fn doc_columns(&self, searcher: &Searcher) -> Result<Vec<Arc<DocColumns>>> {
        let lock = || self.columns.lock().unwrap_or_else(|e| e.into_inner());
        let ids: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        let mut found: Vec<Option<Arc<DocColumns>>> = {
            let cache = lock();
            ids.iter().map(|id| cache.get(id).cloned()).collect()
        };
        if found.iter().all(Option::is_some) {
            return Ok(found.into_iter().flatten().collect());
        }
        // Decoded outside the lock: other searches go on meanwhile.
        for (slot, segment) in found.iter_mut().zip(searcher.segment_readers()) {
            if slot.is_none() {
                *slot = Some(Arc::new(DocColumns::decode(segment)?));
            }
        }
        let found: Vec<Arc<DocColumns>> = found.into_iter().flatten().collect();
        let mut cache = lock();
        cache.retain(|id, _| ids.contains(id));
        for (id, columns) in ids.iter().zip(&found) {
            cache.entry(*id).or_insert_with(|| columns.clone());
        }
        Ok(found)
    }

    /// Bytes of decoded columns held.
    pub fn decoded_bytes(&self) -> usize {
        let cache = self.columns.lock().unwrap_or_else(|e| e.into_inner());
        cache.values().map(|c| c.size()).sum()
    }

    /// Entries, capacity, hits and misses of the cache of recent answers.
    pub fn cache_stats(&self) -> CacheStats {
        self.responses.stats()
    }

    fn run(
        &self,
        searcher: &Searcher,
        request: &SearchRequest,
        roles: &[String],
        a: &mut Analyzers,
    ) -> Result<SearchResponse> {
        let vocab = Vocabulary::new(searcher, self.fields.words);
        let mut parsed = query::parse(
            &request.q,
            &mut a.text,
            &self.options.taxonomy,
            &self.options.synonyms,
        );
        query::expand_and_reparse(
            &mut parsed,
            &vocab,
            &mut a.words,
            &mut a.text,
            &self.options.taxonomy,
            &self.options.synonyms,
        );
        let mut understood = understood(&parsed);
        let mut response = SearchResponse {
            query: request.q.clone(),
            processing_time_ms: 0.0,
            estimated_total_hits: 0,
            offset: request.offset,
            limit: request.limit,
            hits: Vec::new(),
            facet_distribution: FacetDistribution::default(),
            understood: Understood::default(),
        };
        let browsing = parsed.is_empty();
        if browsing && roles.is_empty() && request.categories.is_empty() {
            response.understood = understood;
            return Ok(response);
        }
        let f = &self.fields;
        // No words but a filter: browse the articles filed under it.
        let build = |parsed: &ParsedQuery, roles: &[String], categories: &[String]| {
            if browsing {
                query::browse(f, roles, categories)
            } else {
                query::build(parsed, f, roles, categories)
            }
        };
        let mut query = build(&parsed, roles, &request.categories);
        let wanted = request.offset + request.limit;
        let columns = self.doc_columns(searcher)?;
        let facet_collector = FacetCollector {
            columns: columns.clone(),
        };
        let mut rank = RankCollector {
            columns,
            limit: (wanted * 8).max(64),
            kind_bonus: if browsing {
                [0.0; KINDS]
            } else {
                query::kind_bonus()
            },
        };
        let mut ranked = searcher.search(&*query, &rank)?;
        if ranked.facets.articles == 0 && !browsing {
            // No dead ends: suggest spellings, and answer a relaxed query.
            understood.did_you_mean = did_you_mean(&parsed, &vocab, &mut a.words);
            if let Some((relaxed, dropped)) =
                self.relax(searcher, &parsed, roles, &request.categories)?
            {
                let text = display_text(&relaxed);
                understood.relaxed = Some(Relaxed {
                    dropped,
                    query: text.clone(),
                });
                understood.showing_results_for = Some(text);
                query = build(&relaxed, roles, &request.categories);
                ranked = searcher.search(&*query, &rank)?;
                parsed = relaxed;
            }
        }
        response.understood = understood;
        let facets = &ranked.facets;
        response.estimated_total_hits = facets.articles;
        // Each facet counts as if its own filter were not set, so a search
        // box can offer the other values ("any of" several roles).
        let role_facets = if roles.is_empty() {
            None
        } else {
            Some(searcher.search(&*build(&parsed, &[], &request.categories), &facet_collector)?)
        };
        let category_facets = if request.categories.is_empty() {
            None
        } else {
            Some(searcher.search(&*build(&parsed, roles, &[]), &facet_collector)?)
        };
        let role_source = role_facets.as_ref().unwrap_or(facets);
        let mut role_counts: Vec<(String, usize)> = self
            .stamp
            .roles
            .iter()
            .enumerate()
            .filter(|(i, _)| role_source.roles[*i] > 0)
            .map(|(i, id)| (id.clone(), role_source.roles[i]))
            .collect();
        role_counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut categories = category_facets
            .map(|c| c.categories)
            .unwrap_or_else(|| facets.categories.clone());
        categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        response.facet_distribution = FacetDistribution {
            role: role_counts,
            category: categories,
        };
        let analyzer = &mut a.text;
        if facets.articles <= request.offset {
            return Ok(response);
        }

        // Take top pieces until enough articles are covered.
        let groups = loop {
            let groups = group(&ranked.top, request.sections);
            if groups.len() >= wanted || ranked.complete || rank.limit >= 20_000 {
                break groups;
            }
            rank.limit = (rank.limit * 4).min(20_000);
            ranked = searcher.search(&*query, &rank)?;
        };

        let terms = parsed.highlight_terms();
        for g in groups.into_iter().skip(request.offset).take(request.limit) {
            let mut docs = Vec::with_capacity(g.pieces.len());
            for (score, address) in &g.pieces {
                let doc: TantivyDocument = searcher.doc(*address)?;
                docs.push((*score, doc));
            }
            let Some(meta) = self.hit_meta(searcher, g.title)? else {
                continue;
            };
            let url = self.article_url(&meta.slug);
            let sections = docs
                .iter()
                .map(|(score, doc)| self.section(doc, *score, &url, &terms, analyzer))
                .collect();
            response.hits.push(Hit {
                slug: meta.slug.clone(),
                title: meta.title.clone(),
                url,
                category: meta.category.clone(),
                published_at: meta.published_at.clone(),
                score: round(g.score),
                roles: meta.roles[..meta.main_roles.min(meta.roles.len())].to_vec(),
                sections,
            });
        }
        Ok(response)
    }

    /// The query with its least informative words dropped until something
    /// matches: words the index does not know first, then the most common.
    fn relax(
        &self,
        searcher: &Searcher,
        parsed: &ParsedQuery,
        roles: &[String],
        categories: &[String],
    ) -> Result<Option<(ParsedQuery, Vec<String>)>> {
        let vocab = Vocabulary::new(searcher, self.fields.words);
        let mut candidates: Vec<(usize, u64)> = parsed
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.stop)
            .map(|(i, g)| {
                let known = g
                    .terms
                    .iter()
                    .map(|t| vocab.articles(t))
                    .max()
                    .unwrap_or(0)
                    .max(vocab.articles(&g.raw.to_lowercase()));
                // Unknown words go first (u64::MAX), then the most common.
                (
                    i,
                    if known == 0 && g.alternatives.is_empty() {
                        u64::MAX
                    } else {
                        known
                    },
                )
            })
            .collect();
        if candidates.len() < 2 {
            return Ok(None);
        }
        candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
        let mut current = parsed.clone();
        let mut dropped = Vec::new();
        let mut removed: Vec<usize> = Vec::new();
        for (index, _) in candidates.iter().take(candidates.len() - 1) {
            removed.push(*index);
            dropped.push(parsed.groups[*index].raw.clone());
            current.groups = parsed
                .groups
                .iter()
                .enumerate()
                .filter(|(i, _)| !removed.contains(i))
                .map(|(_, g)| g.clone())
                .collect();
            let query = query::build(&current, &self.fields, roles, categories);
            if searcher.search(&*query, &tantivy::collector::Count)? > 0 {
                return Ok(Some((current, dropped)));
            }
        }
        Ok(None)
    }

    /// The title piece of an article, found by a raw term on one of the
    /// fields only title pieces carry (`title_of` = key, `slug`).
    pub(crate) fn title_doc(
        &self,
        searcher: &Searcher,
        field: Field,
        value: &str,
    ) -> Result<Option<TantivyDocument>> {
        let q = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        match searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())?
            .into_iter()
            .next()
        {
            Some((_, address)) => Ok(Some(searcher.doc(address)?)),
            None => Ok(None),
        }
    }

    /// What a hit shows of an article, from its title piece at `title`.
    /// Parsed once per title document: a segment never changes, so the
    /// entry stays right for as long as the segment is searched.
    fn hit_meta(&self, searcher: &Searcher, title: DocAddress) -> Result<Option<Arc<HitMeta>>> {
        let key = (
            searcher.segment_reader(title.segment_ord).segment_id(),
            title.doc_id,
        );
        if let Some(meta) = self.lock_hit_metas().get(&key) {
            return Ok(Some(meta.clone()));
        }
        let doc: TantivyDocument = searcher.doc(title)?;
        let Some(meta) = parse_hit_meta(&doc, &self.fields).map(Arc::new) else {
            return Ok(None);
        };
        let mut cache = self.lock_hit_metas();
        if cache.len() >= HIT_META_CACHE {
            cache.clear();
        }
        cache.insert(key, meta.clone());
        Ok(Some(meta))
    }

    fn lock_hit_metas(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(SegmentId, DocId), Arc<HitMeta>>> {
        self.hit_metas.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn section(
        &self,
        doc: &TantivyDocument,
        score: f32,
        article_url: &str,
        terms: &[String],
        analyzer: &mut TextAnalyzer,
    ) -> Section {
        let f = &self.fields;
        let text = doc
            .get_first(f.text)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let kind = kind_from_code(doc.get_first(f.kind).and_then(|v| v.as_u64()).unwrap_or(2));
        let stored: StoredPiece = doc
            .get_first(f.piece)
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(StoredPiece {
                anchor: String::new(),
                path: Vec::new(),
                cells: Vec::new(),
                media: None,
                roles: Vec::new(),
            });
        let url = if stored.anchor.is_empty() {
            article_url.to_string()
        } else {
            format!("{article_url}#{}", stored.anchor)
        };
        Section {
            kind: kind.as_str().to_string(),
            heading: stored.path.last().cloned(),
            heading_path: stored.path,
            anchor: stored.anchor,
            url,
            snippet: snippet(&text, terms, analyzer),
            text,
            cells: (kind == indexer::PieceKind::TableRow).then_some(stored.cells),
            media: stored.media.map(|m| MediaView {
                name: m.name,
                url: m.url,
                alt: m.alt,
                caption: m.caption,
            }),
            roles: stored.roles,
            score: round(score),
        }
    }
}

/// When the commit of generation `gen` last changed.
fn meta_modified(gen: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(gen.join("meta.json"))
        .and_then(|m| m.modified())
        .ok()
}

fn round(score: f32) -> f32 {
    (score * 1000.0).round() / 1000.0
}

/// The analyzers a query needs, pooled together.
pub(crate) struct Analyzers {
    pub text: TextAnalyzer,
    pub words: TextAnalyzer,
}

/// What the response says about how the query was understood.
fn understood(parsed: &ParsedQuery) -> Understood {
    let mut u = Understood {
        query: parsed.meaningful_text(),
        ignored_words: parsed
            .groups
            .iter()
            .filter(|g| g.stop)
            .map(|g| g.raw.clone())
            .collect(),
        roles: parsed.roles.clone(),
        comparison: parsed.comparison.clone().map(|(a, b)| [a, b]),
        definition: parsed.definition.clone(),
        spelling: parsed
            .spelling
            .iter()
            .map(|(typed, us)| Variant {
                typed: typed.clone(),
                matches: us.clone(),
            })
            .collect(),
        truncated: parsed.truncated,
        ..Understood::default()
    };
    let mut corrected = !parsed.rewritten_from.is_empty();
    if corrected {
        u.showing_results_for = Some(parsed.meaningful_text());
    }
    for g in parsed.rewritten_from.iter().chain(&parsed.groups) {
        let of = |source: Source| -> Vec<String> {
            g.alternatives
                .iter()
                .filter(|a| a.source == source)
                .map(|a| a.text.clone())
                .collect()
        };
        let synonyms = of(Source::Synonym);
        if !synonyms.is_empty() {
            u.synonyms.push(Expansion {
                typed: g.raw.clone(),
                words: synonyms,
            });
        }
        let corrections = of(Source::Correction);
        if !corrections.is_empty() {
            corrected = true;
            u.corrections.push(Expansion {
                typed: g.raw.clone(),
                words: corrections,
            });
        }
        let completions = of(Source::Completion);
        if !completions.is_empty() {
            u.completions = Some(Expansion {
                typed: g.raw.clone(),
                words: completions,
            });
        }
    }
    if corrected && u.showing_results_for.is_none() {
        u.showing_results_for = Some(display_text(parsed));
    }
    u
}

/// The words that count, with unknown words replaced by their best
/// correction: what the results are for.
fn display_text(parsed: &ParsedQuery) -> String {
    parsed
        .groups
        .iter()
        .filter(|g| !g.stop)
        .map(|g| {
            match g
                .alternatives
                .iter()
                .find(|a| a.source == Source::Correction)
            {
                Some(a) if g.unknown => a.text.clone(),
                _ => g.raw.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query with each unknown word replaced by the closest known word
/// (up to two edits), if any was replaced.
fn did_you_mean(
    parsed: &ParsedQuery,
    vocab: &Vocabulary<'_>,
    words: &mut TextAnalyzer,
) -> Option<String> {
    let mut changed = false;
    let mut out = Vec::new();
    for g in parsed.groups.iter().filter(|g| !g.stop) {
        if g.role.is_some() {
            out.push(g.raw.clone());
            continue;
        }
        // Word by word, inside quoted phrases too.
        let mut fixed = Vec::new();
        for word in g.raw.split_whitespace() {
            let typed: Vec<String> = crate::analysis::analyzer::analyze(words, word)
                .into_iter()
                .map(|t| t.term)
                .collect();
            let distance = if typed.first().is_some_and(|w| w.chars().count() >= 6) {
                2
            } else {
                1
            };
            let suggestion = match typed.as_slice() {
                // A one-word group looked this close when it was read: its
                // corrections are the answer.
                [_] if g.searched >= distance && !g.raw.contains(char::is_whitespace) => g
                    .alternatives
                    .iter()
                    .find(|a| a.source == Source::Correction)
                    .map(|a| Word {
                        word: a.text.clone(),
                        articles: 0,
                        distance,
                    }),
                [w] if vocab.articles(w) == 0 && w.chars().count() >= 3 => {
                    vocab.near(w, distance, 1).into_iter().next()
                }
                _ => None,
            };
            match suggestion {
                Some(s) => {
                    changed = true;
                    fixed.push(s.word);
                }
                None => fixed.push(word.to_string()),
            }
        }
        let fixed = fixed.join(" ");
        out.push(if g.quoted {
            format!("\"{fixed}\"")
        } else {
            fixed
        });
    }
    changed.then(|| out.join(" "))
}

/// What a hit shows of its article: read from the stored metadata without
/// building the rest of it (the outline of a long article is most of it).
#[derive(serde::Deserialize)]
struct HitMeta {
    slug: String,
    title: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    main_roles: usize,
}

fn parse_hit_meta(doc: &TantivyDocument, f: &Fields) -> Option<HitMeta> {
    doc.get_first(f.meta)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
}

pub(crate) fn parse_meta(doc: &TantivyDocument, f: &Fields) -> Option<StoredArticle> {
    doc.get_first(f.meta)
        .and_then(|v| v.as_str())
        .and_then(|s| serde_json::from_str(s).ok())
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
    let title_kind = crate::embedded::schema::kind_code(indexer::PieceKind::Title);
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
