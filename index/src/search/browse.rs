//! What a site needs besides search: as-you-type suggestions, the role
//! taxonomy with article counts, and an article's outline. All read the same
//! opened index as search.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::TantivyDocument;

use indexer::PieceKind;

use crate::embedded::collect::FacetCollector;
use crate::embedded::schema::kind_code;
use crate::embedded::stored::{StoredArticle, StoredPiece};
use crate::embedded::vocab::Vocabulary;
use crate::error::Result;
use crate::search::index::{parse_meta, SearchIndex};
use crate::search::query;

/// At most this many suggestions.
pub const MAX_SUGGESTIONS: usize = 10;

/// One as-you-type completion.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// `role`, `title` or `heading`.
    pub kind: &'static str,
    pub text: String,
    pub url: String,
    /// The article, for headings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
}

/// A role of the taxonomy and how many articles are mainly about it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleInfo {
    pub id: String,
    pub name: String,
    pub acronyms: Vec<String>,
    pub aliases: Vec<String>,
    pub articles: usize,
}

/// One piece of an article, for reading the article whole.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PieceView {
    pub kind: String,
    pub text: String,
    pub anchor: String,
    pub heading_path: Vec<String>,
    pub cells: Vec<(String, String)>,
    pub media: Option<indexer::Media>,
}

/// An article's metadata and outline.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleOutline {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub author: Option<String>,
    pub locale: Option<String>,
    pub published_at: Option<String>,
    pub updated_at: Option<String>,
    /// Roles the article is mainly about, then the ones it mentions.
    pub roles: Vec<String>,
    pub main_roles: Vec<String>,
    pub pieces: usize,
    pub outline: Vec<OutlineEntry>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutlineEntry {
    pub level: u8,
    pub heading: String,
    pub anchor: String,
    pub url: String,
}

impl SearchIndex {
    /// Completions for what has been typed so far: role names, then article
    /// titles and section headings that match it (the last word as a
    /// prefix), each with its URL.
    pub fn suggest(&self, q: &str, limit: usize) -> Result<Vec<Suggestion>> {
        let limit = limit.clamp(1, MAX_SUGGESTIONS);
        let typed = q.trim().to_lowercase();
        let mut out = Vec::new();
        if typed.is_empty() {
            return Ok(out);
        }
        for role in self.taxonomy().roles() {
            let names = std::iter::once(&role.name)
                .chain(&role.acronyms)
                .chain(&role.aliases);
            if names
                .into_iter()
                .any(|n| n.to_lowercase().starts_with(&typed))
            {
                out.push(Suggestion {
                    kind: "role",
                    text: role.name.clone(),
                    url: format!("/?role={}", role.id),
                    article: None,
                });
            }
            if out.len() >= limit / 2 {
                break;
            }
        }
        let searcher = self.reader.searcher();
        let mut a = self.analyzers();
        let mut parsed = query::parse(q, &mut a.text, self.taxonomy(), &self.options.synonyms);
        parsed.open_ended = !q.ends_with(char::is_whitespace);
        let vocab = Vocabulary::new(&searcher, self.fields.words);
        query::expand(&mut parsed, &vocab, &mut a.words, &mut a.text);
        self.give_back(a);
        if parsed.is_empty() {
            return Ok(out);
        }
        let f = &self.fields;
        let kinds: Vec<(Occur, Box<dyn Query>)> = [PieceKind::Title, PieceKind::Heading]
            .into_iter()
            .map(|k| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_u64(f.kind, kind_code(k)),
                    IndexRecordOption::Basic,
                ));
                (Occur::Should, q)
            })
            .collect();
        let query = BooleanQuery::new(vec![
            (Occur::Must, query::build(&parsed, f, &[], &[])),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(
                    Box::new(BooleanQuery::new(kinds)),
                    0.0,
                )),
            ),
        ]);
        let top = searcher.search(&query, &TopDocs::with_limit(limit * 3).order_by_score())?;
        for (_, address) in top {
            if out.len() >= limit {
                break;
            }
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = doc
                .get_first(f.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string();
            let key = doc
                .get_first(f.key)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let Some(meta) = self.meta_by_key(&searcher, key)? else {
                continue;
            };
            let url = self.article_url(&meta.slug);
            let suggestion = if doc.get_first(f.meta).is_some() {
                Suggestion {
                    kind: "title",
                    text,
                    url,
                    article: None,
                }
            } else {
                let piece: Option<StoredPiece> = doc
                    .get_first(f.piece)
                    .and_then(|v| v.as_str())
                    .and_then(|s| serde_json::from_str(s).ok());
                let anchor = piece.map(|p| p.anchor).unwrap_or_default();
                Suggestion {
                    kind: "heading",
                    text,
                    url: if anchor.is_empty() {
                        url
                    } else {
                        format!("{url}#{anchor}")
                    },
                    article: Some(meta.title.clone()),
                }
            };
            if !out
                .iter()
                .any(|s: &Suggestion| s.url == suggestion.url && s.text == suggestion.text)
            {
                out.push(suggestion);
            }
        }
        Ok(out)
    }

    /// The role taxonomy with, for each role, the number of articles mainly
    /// about it.
    pub fn roles(&self) -> Result<Vec<RoleInfo>> {
        let searcher = self.reader.searcher();
        let titles = TermQuery::new(
            Term::from_field_u64(self.fields.kind, kind_code(PieceKind::Title)),
            IndexRecordOption::Basic,
        );
        let collector = FacetCollector {
            columns: self.doc_columns(&searcher)?,
        };
        let counts = searcher.search(&titles, &collector)?;
        Ok(self
            .taxonomy()
            .roles()
            .iter()
            .map(|role| RoleInfo {
                id: role.id.clone(),
                name: role.name.clone(),
                acronyms: role.acronyms.clone(),
                aliases: role.aliases.clone(),
                articles: self
                    .stamp
                    .roles
                    .iter()
                    .position(|r| *r == role.id)
                    .map_or(0, |bit| counts.roles[bit]),
            })
            .collect())
    }

    /// An article's metadata and outline, by slug.
    pub fn article(&self, slug: &str) -> Result<Option<ArticleOutline>> {
        let searcher = self.reader.searcher();
        let Some(doc) = self.title_doc(&searcher, self.fields.slug, slug)? else {
            return Ok(None);
        };
        Ok(parse_meta(&doc, &self.fields).map(|meta| self.outline_of(meta)))
    }

    fn outline_of(&self, meta: StoredArticle) -> ArticleOutline {
        let url = self.article_url(&meta.slug);
        ArticleOutline {
            outline: meta
                .outline
                .iter()
                .map(|(level, heading, anchor)| OutlineEntry {
                    level: *level,
                    heading: heading.clone(),
                    anchor: anchor.clone(),
                    url: format!("{url}#{anchor}"),
                })
                .collect(),
            main_roles: meta.roles[..meta.main_roles.min(meta.roles.len())].to_vec(),
            roles: meta.roles,
            slug: meta.slug,
            title: meta.title,
            url,
            description: meta.description,
            category: meta.category,
            author: meta.author,
            locale: meta.locale,
            published_at: meta.published_at,
            updated_at: meta.updated_at,
            pieces: meta.pieces,
        }
    }

    /// Every piece of an article, in order (the article as a reader sees
    /// it), by slug.
    pub fn article_pieces(&self, slug: &str) -> Result<Option<(ArticleOutline, Vec<PieceView>)>> {
        let searcher = self.reader.searcher();
        let Some(doc) = self.title_doc(&searcher, self.fields.slug, slug)? else {
            return Ok(None);
        };
        let Some(meta) = parse_meta(&doc, &self.fields) else {
            return Ok(None);
        };
        let key = meta.key.clone();
        let outline = self.outline_of(meta);
        let all = TermQuery::new(
            Term::from_field_text(self.fields.key, &key),
            IndexRecordOption::Basic,
        );
        let limit = outline.pieces.clamp(1, 100_000);
        let mut docs: Vec<(u64, TantivyDocument)> = Vec::new();
        for (_, address) in searcher.search(&all, &TopDocs::with_limit(limit).order_by_score())? {
            let position = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("position")?
                .first(address.doc_id)
                .unwrap_or(0);
            docs.push((position, searcher.doc(address)?));
        }
        docs.sort_by_key(|(p, _)| *p);
        let f = &self.fields;
        let pieces = docs
            .into_iter()
            .map(|(_, d)| {
                let stored: Option<StoredPiece> = d
                    .get_first(f.piece)
                    .and_then(|v| v.as_str())
                    .and_then(|s| serde_json::from_str(s).ok());
                let kind = crate::embedded::schema::kind_from_code(
                    d.get_first(f.kind).and_then(|v| v.as_u64()).unwrap_or(2),
                );
                let stored = stored.unwrap_or(StoredPiece {
                    anchor: String::new(),
                    path: Vec::new(),
                    cells: Vec::new(),
                    media: None,
                    roles: Vec::new(),
                });
                PieceView {
                    kind: kind.as_str().to_string(),
                    text: d
                        .get_first(f.text)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string(),
                    anchor: stored.anchor,
                    heading_path: stored.path,
                    cells: stored.cells,
                    media: stored.media,
                }
            })
            .collect();
        Ok(Some((outline, pieces)))
    }

    /// Every article in the index counts (used for the health report).
    pub fn article_count(&self) -> Result<usize> {
        let searcher = self.reader.searcher();
        let titles = TermQuery::new(
            Term::from_field_u64(self.fields.kind, kind_code(PieceKind::Title)),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&titles, &tantivy::collector::Count)?)
    }

    fn meta_by_key(
        &self,
        searcher: &tantivy::Searcher,
        key: &str,
    ) -> Result<Option<StoredArticle>> {
        Ok(self
            .title_doc(searcher, self.fields.title_of, key)?
            .and_then(|doc| parse_meta(&doc, &self.fields)))
    }

    /// Documents in the index (for metrics).
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}
