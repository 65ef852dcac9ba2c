//! What a site needs besides search: as-you-type suggestions, the role
//! taxonomy with article counts, and an article's outline. All read the same
//! engine as search, through its reader.

use serde::Serialize;

use indexer::PieceKind;

use super::index::SearchIndex;
use super::plan::{Filters, Plan};
use super::request::check_locale;
use super::run::{index_languages, matching_locales};
use super::understand::synonyms::Synonyms;
use super::understand::{self, Understanding};
use crate::analysis::Language;
use crate::error::Result;
use crate::stored::StoredArticle;

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
    /// The article's locale, for titles and headings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
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
    /// prefix), each with its URL; in `locales` (as a search takes them)
    /// when given.
    pub fn suggest(&self, q: &str, limit: usize, locales: &[String]) -> Result<Vec<Suggestion>> {
        for locale in locales {
            check_locale(locale)?;
        }
        let limit = limit.clamp(1, MAX_SUGGESTIONS);
        let typed = q.trim().to_lowercase();
        let mut out = Vec::new();
        if typed.is_empty() {
            return Ok(out);
        }
        let reader = self.reader();
        let totals = reader.totals()?;
        let available = &totals.locales;
        let default_locale = self.taxonomy().default_locale();
        let matched = matching_locales(locales, available);
        let languages: Vec<Language> = if locales.is_empty() {
            index_languages(available, default_locale)
        } else {
            let mut out: Vec<Language> = Vec::new();
            for l in locales.iter().chain(&matched) {
                let language = Language::of_locale(l);
                if !out.contains(&language) {
                    out.push(language);
                }
            }
            out
        };
        for role in self.taxonomy().roles() {
            let local = languages
                .iter()
                .filter_map(|l| role.languages.get(l.code()));
            let local_names =
                local.flat_map(|n| n.name.iter().chain(&n.aliases).chain(&n.acronyms));
            let names = std::iter::once(&role.name)
                .chain(&role.acronyms)
                .chain(&role.aliases)
                .chain(local_names);
            if names
                .into_iter()
                .any(|n| indexer::fold(n).starts_with(indexer::fold(&typed).as_ref()))
            {
                out.push(Suggestion {
                    kind: "role",
                    text: role.name.clone(),
                    url: format!("/?role={}", role.id),
                    locale: None,
                    article: None,
                });
            }
            if out.len() >= limit / 2 {
                break;
            }
        }
        let mut a = self.analyzers();
        let options = &self.options;
        let readings = languages
            .iter()
            .map(|&language| {
                let (text, words) = a.both(language);
                let none = Synonyms::default();
                let synonyms = if language == Language::En {
                    &options.synonyms
                } else {
                    &none
                };
                let mut parsed = understand::parse(q, language, text, &options.taxonomy, synonyms);
                parsed.open_ended = !q.ends_with(char::is_whitespace);
                understand::expand(&mut parsed, reader.vocabulary(language), words, text);
                parsed
            })
            .collect();
        self.give_back(a);
        let understanding = Understanding { readings };
        if understanding.is_empty() {
            return Ok(out);
        }
        let plan = Plan::of(
            &understanding,
            Filters {
                kinds: vec![PieceKind::Title, PieceKind::Heading],
                locales: if locales.is_empty() {
                    Vec::new()
                } else if matched.is_empty() {
                    locales.iter().map(|l| l.to_lowercase()).collect()
                } else {
                    matched
                },
                ..Filters::default()
            },
        );
        for found in reader.pieces(&plan, limit * 3)? {
            if out.len() >= limit {
                break;
            }
            let Some(meta) = reader.article_by_key(&found.key)? else {
                continue;
            };
            let url = self.article_url(&meta.slug, meta.locale.as_deref());
            let piece = found.piece;
            let suggestion = if piece.kind == PieceKind::Title {
                Suggestion {
                    kind: "title",
                    text: piece.text,
                    url,
                    locale: meta.locale.clone(),
                    article: None,
                }
            } else {
                let anchor = piece.stored.anchor;
                Suggestion {
                    kind: "heading",
                    text: piece.text,
                    url: if anchor.is_empty() {
                        url
                    } else {
                        format!("{url}#{anchor}")
                    },
                    locale: meta.locale.clone(),
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
        let counts = self.reader().totals()?.roles;
        Ok(self
            .taxonomy()
            .roles()
            .iter()
            .map(|role| RoleInfo {
                id: role.id.clone(),
                name: role.name.clone(),
                acronyms: role.acronyms.clone(),
                aliases: role.aliases.clone(),
                articles: counts
                    .iter()
                    .find(|(id, _)| *id == role.id)
                    .map_or(0, |(_, n)| *n),
            })
            .collect())
    }

    /// An article's metadata and outline, by slug: in `locale` when given,
    /// else in the default locale if it has the slug, else in any.
    pub fn article(&self, slug: &str, locale: Option<&str>) -> Result<Option<ArticleOutline>> {
        if let Some(locale) = locale {
            check_locale(locale)?;
        }
        Ok(self
            .reader()
            .article_by_slug(slug, locale, self.taxonomy().default_locale())?
            .map(|meta| self.outline_of(meta)))
    }

    fn outline_of(&self, meta: StoredArticle) -> ArticleOutline {
        let url = self.article_url(&meta.slug, meta.locale.as_deref());
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
    /// it), by slug and locale (as [`SearchIndex::article`] finds it).
    pub fn article_pieces(
        &self,
        slug: &str,
        locale: Option<&str>,
    ) -> Result<Option<(ArticleOutline, Vec<PieceView>)>> {
        if let Some(locale) = locale {
            check_locale(locale)?;
        }
        let reader = self.reader();
        let Some(meta) = reader.article_by_slug(slug, locale, self.taxonomy().default_locale())?
        else {
            return Ok(None);
        };
        let pieces = reader
            .article_pieces(&meta)?
            .into_iter()
            .map(|p| PieceView {
                kind: p.kind.as_str().to_string(),
                text: p.text,
                anchor: p.stored.anchor,
                heading_path: p.stored.path,
                cells: p.stored.cells,
                media: p.stored.media,
            })
            .collect();
        Ok(Some((self.outline_of(meta), pieces)))
    }

    /// Every article in the index counts (used for the health report).
    pub fn article_count(&self) -> Result<usize> {
        self.reader().article_count()
    }
}
