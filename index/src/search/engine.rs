//! The seam between the search pipeline and the engine that holds the
//! pieces. The pipeline (understanding, planning, relaxing, hits, snippets,
//! the response) is the same on every engine; an engine only executes
//! plans and looks things up, on one consistent view of its index (a
//! [`Reader`]) per request. The embedded tantivy engine (`crate::embedded`)
//! is the one there is; another (a search cluster) would implement the
//! same two traits.

use std::sync::Arc;

use indexer::PieceKind;

use super::plan::Plan;
use super::understand::Vocabulary;
use crate::analysis::Language;
use crate::error::Result;
use crate::stored::{StoredArticle, StoredPiece};

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

/// An index, opened.
pub(crate) trait Engine: Send + Sync {
    /// A consistent view of the index for one request.
    fn reader(&self) -> Box<dyn Reader + '_>;
    /// Re-reads the latest commit.
    fn reload(&self) -> Result<()>;
    /// Re-reads the latest commit only if it changed since the last look.
    fn reload_if_changed(&self) -> Result<()>;
    fn stats(&self) -> Result<IndexStats>;
    /// Pieces in the index.
    fn documents(&self) -> u64;
    /// Bytes of per-segment data the engine keeps decoded in memory.
    fn decoded_bytes(&self) -> usize;
}

/// Which results a ranking asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub offset: usize,
    pub limit: usize,
    /// Pieces per article.
    pub sections: usize,
}

/// What a hit shows of its article.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct ArticleMeta {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub main_roles: usize,
}

impl ArticleMeta {
    /// The roles the article is mainly about.
    pub fn main_roles(&self) -> &[String] {
        &self.roles[..self.main_roles.min(self.roles.len())]
    }

    /// The language its pieces are analyzed in.
    pub fn language(&self) -> Language {
        Language::of_locale(self.locale.as_deref().unwrap_or_default())
    }
}

/// A piece, as stored for display.
#[derive(Debug, Clone)]
pub(crate) struct PieceData {
    pub kind: PieceKind,
    pub text: String,
    pub stored: StoredPiece,
}

/// A ranked article and its best pieces.
#[derive(Debug, Clone)]
pub(crate) struct RankedArticle {
    pub score: f32,
    pub article: Arc<ArticleMeta>,
    /// Best first, at most the page's `sections`. The title piece only when
    /// nothing else in the article matched: the reader wants the place
    /// inside the article.
    pub pieces: Vec<(f32, PieceData)>,
}

/// Facet counts: matching articles per value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facets {
    pub roles: Vec<(String, usize)>,
    pub categories: Vec<(String, usize)>,
    pub locales: Vec<(String, usize)>,
}

/// What a ranking finds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ranked {
    /// Matching articles.
    pub articles: usize,
    /// Articles per role and per category, each counted as if its own
    /// filter were not set (a search box offers the other values), and
    /// per locale (counted with every filter: a query limited to some
    /// locales is read in their languages only, so the caller counts the
    /// locale facet without its filter on a plan read in every language).
    pub facets: Facets,
    /// The page asked for, best first: an article ranks by its best piece,
    /// and that order does not depend on the page, so pages never overlap.
    pub hits: Vec<RankedArticle>,
}

/// A best-scoring piece on its own (not grouped into articles).
#[derive(Debug, Clone)]
pub(crate) struct FoundPiece {
    /// The article it belongs to.
    pub key: String,
    pub piece: PieceData,
}

/// One consistent view of an index.
pub(crate) trait Reader {
    /// Identifies the view: an answer computed on one is valid on it only.
    fn generation(&self) -> u64;
    /// The words of the pieces of one language.
    fn vocabulary(&self, language: Language) -> &dyn Vocabulary;
    /// Every article counted per role it is mainly about, per category
    /// and per locale (lower case): what the index holds.
    fn totals(&self) -> Result<Facets>;
    /// Whether any piece matches.
    fn matches_any(&self, plan: &Plan) -> Result<bool>;
    /// Ranked articles and facet counts.
    fn rank(&self, plan: &Plan, page: Page) -> Result<Ranked>;
    /// Facet counts of the articles a plan matches.
    fn facets(&self, plan: &Plan) -> Result<Facets>;
    /// The `limit` best pieces, best first.
    fn pieces(&self, plan: &Plan, limit: usize) -> Result<Vec<FoundPiece>>;
    /// The article with `slug`: in `locale` when given, else the one in
    /// `default_locale` if any, else any.
    fn article_by_slug(
        &self,
        slug: &str,
        locale: Option<&str>,
        default_locale: &str,
    ) -> Result<Option<StoredArticle>>;
    fn article_by_key(&self, key: &str) -> Result<Option<StoredArticle>>;
    /// Every piece of an article, in order.
    fn article_pieces(&self, article: &StoredArticle) -> Result<Vec<PieceData>>;
    /// Articles in the index.
    fn article_count(&self) -> Result<usize>;
}
