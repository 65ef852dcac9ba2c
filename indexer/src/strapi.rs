//! Every JSON shape a Strapi site produces, read into articles.
//!
//! A file may hold a bare list of dynamic-zone components, one article, a
//! list of articles, a Strapi 5 REST response (`{"data": …}`), a Strapi 4
//! REST response (where every entry, relation and media item is wrapped as
//! `{"data": {"id", "attributes"}}`, also inside components), or a
//! collection file like the blog template's seed data. Values are read
//! through accessors that look through the Strapi 4 wrappers, so every
//! message names the real path in the file.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::article::{Article, Media, PieceKind, Seo};
use crate::builder::Builder;
use crate::error::{Problem, Severity};
use crate::json::{type_name, Path, Shape};
use crate::taxonomy::Taxonomy;

/// Bodies longer than this are cut, with a warning.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// What one file or payload yielded.
#[derive(Debug, Default)]
pub struct Parsed {
    pub articles: Vec<Article>,
    pub problems: Vec<Problem>,
}

/// Names of related entries by id, from a collection file.
#[derive(Debug, Default)]
struct Lookups {
    categories: HashMap<String, String>,
    authors: HashMap<String, String>,
}

/// Reads the JSON text of one content file. `source` names it in messages;
/// `stem` is its file name without extension (slug and title of a bare
/// component list).
pub fn parse_file(source: &str, stem: &str, json: &[u8], taxonomy: &Taxonomy) -> Parsed {
    let mut parsed = Parsed::default();
    // Editors' tools save UTF-8 with a byte-order mark too.
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => {
            parsed.problems.push(Problem {
                source: source.to_string(),
                path: "$".to_string(),
                reason: format!("invalid JSON: {e}"),
                severity: Severity::Skipped,
            });
            return parsed;
        }
    };
    parse_value(source, stem, &value, taxonomy, &mut parsed);
    parsed
}

/// Reads one already parsed document (see [`parse_file`]).
pub fn parse_value(
    source: &str,
    stem: &str,
    value: &Value,
    taxonomy: &Taxonomy,
    parsed: &mut Parsed,
) {
    let root = Path::root();
    let reader = Reader {
        source,
        stem: Some(stem),
        taxonomy,
        lookups: Lookups::default(),
    };
    match value {
        Value::Array(items) if items.is_empty() => parsed.problems.push(reader.problem(
            Shape::new(
                root,
                "the file is an empty list: no components, no articles",
            ),
            Severity::Skipped,
        )),
        Value::Array(items) if items[0].get("__component").is_some() => {
            reader.bare_components(stem, items, &root, parsed)
        }
        Value::Array(items) => reader.article_list(items, &root, parsed),
        Value::Object(map) => {
            if let Some(articles) = map.get("articles") {
                let mut reader = reader;
                reader.lookups = collection_lookups(map);
                match articles {
                    Value::Array(items) => {
                        reader.article_list(items, &root.key("articles"), parsed)
                    }
                    other => parsed.problems.push(reader.problem(
                        Shape::new(
                            root.key("articles"),
                            format!("`articles` must be a list, found {}", type_name(other)),
                        ),
                        Severity::Skipped,
                    )),
                }
            } else if let Some(data) = map.get("data") {
                let path = root.key("data");
                match data {
                    // A page past the end of a REST list is empty, and says
                    // so in its pagination; an empty list alone is worth a word.
                    Value::Array(items)
                        if items.is_empty() && value.pointer("/meta/pagination").is_none() =>
                    {
                        parsed.problems.push(reader.problem(
                            Shape::new(path, "`data` is an empty list: no articles"),
                            Severity::Warning,
                        ))
                    }
                    Value::Array(items) => reader.article_list(items, &path, parsed),
                    Value::Object(_) => reader.one(data, &path, parsed),
                    Value::Null => parsed.problems.push(
                        reader.problem(
                            Shape::new(
                                path,
                                response_error(map)
                                    .unwrap_or_else(|| "`data` is null: no article".into()),
                            ),
                            Severity::Skipped,
                        ),
                    ),
                    other => parsed.problems.push(reader.problem(
                        Shape::new(
                            path,
                            format!(
                                "`data` must be an article or a list, found {}",
                                type_name(other)
                            ),
                        ),
                        Severity::Skipped,
                    )),
                }
            } else if map.contains_key("blocks")
                || map.contains_key("title")
                || map.contains_key("attributes")
            {
                reader.one(value, &root, parsed)
            } else {
                parsed.problems.push(reader.problem(
                    Shape::new(
                        root,
                        "not a Strapi article: expected a list of components, an article with `blocks`, \
                         a REST response with `data`, or a collection with `articles`",
                    ),
                    Severity::Skipped,
                ))
            }
        }
        other => parsed.problems.push(reader.problem(
            Shape::new(
                root,
                format!("expected an object or a list, found {}", type_name(other)),
            ),
            Severity::Skipped,
        )),
    }
}

/// Reads one article entry as a webhook or a REST call brings it (Strapi 4
/// or 5 shape). Problems that did not stop it are returned with it.
pub fn parse_entry(
    source: &str,
    entry: &Value,
    taxonomy: &Taxonomy,
) -> Result<(Article, Vec<Problem>), Problem> {
    let reader = Reader {
        source,
        stem: None,
        taxonomy,
        lookups: Lookups::default(),
    };
    let mut warnings = Vec::new();
    match reader.article(entry, &Path::root(), &mut warnings) {
        Ok(article) => Ok((article, warnings)),
        Err(shape) => Err(reader.problem(shape, Severity::Skipped)),
    }
}

fn response_error(map: &Map<String, Value>) -> Option<String> {
    let err = map.get("error")?;
    let message = err
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("error");
    let status = err.get("status").and_then(Value::as_u64);
    Some(match status {
        Some(s) => format!("the response is an error ({s} {message}), not an article"),
        None => format!("the response is an error ({message}), not an article"),
    })
}

fn collection_lookups(map: &Map<String, Value>) -> Lookups {
    let names = |key: &str| {
        let mut out = HashMap::new();
        if let Some(Value::Array(items)) = map.get(key) {
            for (position, item) in items.iter().enumerate() {
                let entity = Entity::of(item, &Path::root());
                // The blog template's seed data gives no ids: relations count
                // entries from 1 in list order.
                let id = entity
                    .id_string()
                    .or_else(|| Some((position + 1).to_string()));
                let name = entity.str("name").ok().flatten();
                if let (Some(id), Some(name)) = (id, name) {
                    out.insert(id, name);
                }
            }
        }
        out
    };
    Lookups {
        categories: names("categories"),
        authors: names("authors"),
    }
}

/// An entry, seen through a Strapi 4 `attributes` wrapper if it has one.
struct Entity<'v> {
    outer: &'v Map<String, Value>,
    outer_path: Path,
    attributes: Option<(&'v Map<String, Value>, Path)>,
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

impl<'v> Entity<'v> {
    fn of(value: &'v Value, path: &Path) -> Entity<'v> {
        let outer = value.as_object().unwrap_or(&EMPTY);
        let attributes = match outer.get("attributes") {
            Some(Value::Object(a)) => Some((a, path.key("attributes"))),
            _ => None,
        };
        Entity {
            outer,
            outer_path: path.clone(),
            attributes,
        }
    }

    fn get(&self, key: &str) -> Option<(&'v Value, Path)> {
        if let Some((attrs, path)) = &self.attributes {
            if let Some(v) = attrs.get(key) {
                return Some((v, path.key(key)));
            }
        }
        self.outer.get(key).map(|v| (v, self.outer_path.key(key)))
    }

    fn str(&self, key: &str) -> Result<Option<String>, Shape> {
        match self.get(key) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::String(s), _)) => Ok(Some(s.clone())),
            Some((other, path)) => Err(Shape::new(
                path,
                format!("`{key}` must be a string, found {}", type_name(other)),
            )),
        }
    }

    fn id_string(&self) -> Option<String> {
        match self.outer.get("id") {
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        }
    }
}

/// Looks through a Strapi 4 relation wrapper: `{"data": x}` is `x`.
fn unwrap_relation(value: &Value, path: Path) -> (&Value, Path) {
    if let Value::Object(map) = value {
        if map.len() == 1 {
            if let Some(data) = map.get("data") {
                return (data, path.key("data"));
            }
        }
    }
    (value, path)
}

struct Reader<'a> {
    source: &'a str,
    /// The file name without extension: the last resort for a title.
    stem: Option<&'a str>,
    taxonomy: &'a Taxonomy,
    lookups: Lookups,
}

impl Reader<'_> {
    fn problem(&self, shape: Shape, severity: Severity) -> Problem {
        Problem {
            source: self.source.to_string(),
            path: shape.path.to_string(),
            reason: shape.reason,
            severity,
        }
    }

    fn warn(&self, warnings: &mut Vec<Problem>, path: String, reason: String) {
        warnings.push(Problem {
            source: self.source.to_string(),
            path,
            reason,
            severity: Severity::Warning,
        });
    }

    fn one(&self, value: &Value, path: &Path, parsed: &mut Parsed) {
        let mut warnings = Vec::new();
        match self.article(value, path, &mut warnings) {
            Ok(article) => parsed.articles.push(article),
            Err(shape) => parsed.problems.push(self.problem(shape, Severity::Skipped)),
        }
        parsed.problems.extend(warnings);
    }

    fn article_list(&self, items: &[Value], path: &Path, parsed: &mut Parsed) {
        for (i, item) in items.iter().enumerate() {
            self.one(item, &path.index(i), parsed);
        }
    }

    fn bare_components(&self, stem: &str, items: &[Value], path: &Path, parsed: &mut Parsed) {
        let mut warnings = Vec::new();
        let locale = self.taxonomy.default_locale().to_string();
        let mut builder = Builder::new(self.taxonomy, crate::taxonomy::language_of(&locale));
        let mut seo = None;
        match self.components(items, path, &mut builder, &mut seo, &mut warnings) {
            Ok(()) => {
                let title = builder
                    .first_heading()
                    .map(str::to_string)
                    .unwrap_or_else(|| crate::text::readable_stem(stem));
                builder.set_title(&title);
                builder.title_piece(&title);
                let (pieces, roles) = builder.finish();
                let slug = crate::text::slugify(stem);
                let mut article = Article {
                    key: slug.clone(),
                    slug,
                    title,
                    description: seo.as_ref().and_then(|s: &Seo| s.meta_description.clone()),
                    category: None,
                    author: None,
                    locale: Some(locale),
                    published_at: None,
                    updated_at: None,
                    document_id: None,
                    strapi_id: None,
                    seo,
                    cover: None,
                    roles,
                    pieces,
                    source: self.source.to_string(),
                };
                match crate::limits::enforce(&mut article, &path.to_string()) {
                    Ok(cut) => {
                        warnings.extend(cut);
                        parsed.articles.push(article);
                    }
                    Err(reason) => parsed
                        .problems
                        .push(self.problem(Shape::new(path.clone(), reason), Severity::Skipped)),
                }
            }
            Err(shape) => parsed.problems.push(self.problem(shape, Severity::Skipped)),
        }
        parsed.problems.extend(warnings);
    }

    /// An article entry, read and held to the limits.
    fn article(
        &self,
        value: &Value,
        path: &Path,
        warnings: &mut Vec<Problem>,
    ) -> Result<Article, Shape> {
        if value.as_object().is_some_and(|m| m.is_empty()) {
            return Err(Shape::new(
                path.clone(),
                "an empty object: no article (no title, slug, blocks or documentId)",
            ));
        }
        let mut article = self.read_article(value, path, warnings)?;
        let cut = crate::limits::enforce(&mut article, &path.to_string())
            .map_err(|reason| Shape::new(path.clone(), reason))?;
        warnings.extend(cut);
        Ok(article)
    }

    fn read_article(
        &self,
        value: &Value,
        path: &Path,
        warnings: &mut Vec<Problem>,
    ) -> Result<Article, Shape> {
        if !value.is_object() {
            return Err(Shape::new(
                path.clone(),
                format!("an article must be an object, found {}", type_name(value)),
            ));
        }
        let entity = Entity::of(value, path);
        let title = entity
            .str("title")?
            .map(|t| crate::text::clean(&t))
            .filter(|t| !t.is_empty());
        let slug = entity
            .str("slug")?
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let document_id = entity.str("documentId")?;
        let strapi_id = match entity.outer.get("id") {
            Some(Value::Number(n)) => n.as_i64(),
            _ => None,
        };
        // An article that names no locale is in the site's default one.
        let locale = entity
            .str("locale")?
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| self.taxonomy.default_locale().to_string());
        let description = entity
            .str("description")?
            .map(|d| crate::text::clean(&d))
            .filter(|d| !d.is_empty());
        let published_at = entity.str("publishedAt")?;
        let updated_at = entity.str("updatedAt")?;
        let category = self.relation_name(&entity, "category", &self.lookups.categories)?;
        let author = self.relation_name(&entity, "author", &self.lookups.authors)?;
        let cover = match entity.get("cover") {
            Some((v, p)) => self.media(v, p)?,
            None => None,
        };

        let mut builder = Builder::new(self.taxonomy, crate::taxonomy::language_of(&locale));
        if let Some(t) = &title {
            builder.set_title(t);
        }
        let mut seo = None;
        match entity.get("blocks") {
            None | Some((Value::Null, _)) => {}
            Some((Value::Array(items), p)) => {
                self.components(items, &p, &mut builder, &mut seo, warnings)?
            }
            Some((other, p)) => {
                return Err(Shape::new(
                    p,
                    format!(
                        "`blocks` must be a list of components, found {}",
                        type_name(other)
                    ),
                ))
            }
        }
        let title = match title {
            Some(t) => t,
            None => seo
                .as_ref()
                .and_then(|s: &Seo| s.meta_title.clone())
                .or_else(|| builder.first_heading().map(str::to_string))
                .or_else(|| {
                    slug.as_deref()
                        .or(self.stem)
                        .map(crate::text::readable_stem)
                })
                .ok_or_else(|| {
                    Shape::new(
                        path.clone(),
                        "an article needs a `title`, a `slug` or a heading",
                    )
                })?,
        };
        builder.set_title(&title);
        builder.title_piece(&title);
        // A slug made from a long title is cut (a slug given is checked).
        let slug = slug.unwrap_or_else(|| {
            let made = crate::text::slugify(&title);
            crate::text::truncate_at_char(&made, crate::limits::MAX_SLUG).to_string()
        });
        let key = article_key(document_id.as_deref(), &locale, strapi_id, &slug);
        let description =
            description.or_else(|| seo.as_ref().and_then(|s| s.meta_description.clone()));
        let (pieces, roles) = builder.finish();
        Ok(Article {
            key,
            slug,
            title,
            description,
            category,
            author,
            locale: Some(locale),
            published_at,
            updated_at,
            document_id,
            strapi_id,
            seo,
            cover,
            roles,
            pieces,
            source: self.source.to_string(),
        })
    }

    /// The display name of a relation: an object with a `name`, a Strapi 4
    /// wrapper of one, a bare id looked up in the collection file, or a
    /// plain string.
    fn relation_name(
        &self,
        entity: &Entity<'_>,
        key: &str,
        lookup: &HashMap<String, String>,
    ) -> Result<Option<String>, Shape> {
        let Some((value, path)) = entity.get(key) else {
            return Ok(None);
        };
        let (value, path) = unwrap_relation(value, path);
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone()).filter(|s| !s.is_empty())),
            Value::Number(n) => Ok(lookup.get(&n.to_string()).cloned()),
            Value::Object(_) => {
                let related = Entity::of(value, &path);
                if let Some(name) = related.str("name")?.or(related.str("title")?) {
                    return Ok(Some(name));
                }
                Ok(related.id_string().and_then(|id| lookup.get(&id).cloned()))
            }
            // A many-relation: the first one names it.
            Value::Array(items) => match items.first() {
                Some(first) => Ok(Entity::of(first, &path.index(0)).str("name")?),
                None => Ok(None),
            },
            other => Err(Shape::new(
                path,
                format!(
                    "`{key}` must be an object, an id or a name, found {}",
                    type_name(other)
                ),
            )),
        }
    }

    fn media(&self, value: &Value, path: Path) -> Result<Option<Media>, Shape> {
        let (value, path) = unwrap_relation(value, path);
        match value {
            Value::Null => Ok(None),
            Value::String(name) if name.trim().is_empty() => Ok(None),
            Value::String(name) => Ok(Some(Media {
                name: Some(name.clone()),
                url: None,
                alt: None,
                caption: None,
            })),
            Value::Object(_) => {
                let e = Entity::of(value, &path);
                Ok(Some(Media {
                    name: e.str("name")?,
                    url: e.str("url")?,
                    alt: e.str("alternativeText")?,
                    caption: e.str("caption")?,
                }))
            }
            other => Err(Shape::new(
                path,
                format!(
                    "a media file must be an object or a file name, found {}",
                    type_name(other)
                ),
            )),
        }
    }

    fn components(
        &self,
        items: &[Value],
        path: &Path,
        builder: &mut Builder<'_>,
        seo: &mut Option<Seo>,
        warnings: &mut Vec<Problem>,
    ) -> Result<(), Shape> {
        for (i, item) in items.iter().enumerate() {
            let path = path.index(i);
            let Value::Object(map) = item else {
                return Err(Shape::new(
                    path,
                    format!("a component must be an object, found {}", type_name(item)),
                ));
            };
            let component = match map.get("__component") {
                Some(Value::String(c)) => c.as_str(),
                Some(other) => {
                    return Err(Shape::new(
                        path.key("__component"),
                        format!("`__component` must be a string, found {}", type_name(other)),
                    ))
                }
                None => return Err(Shape::new(path, "a component needs a `__component` name")),
            };
            let entity = Entity::of(item, &path);
            match component {
                "shared.rich-text" => self.rich_text(&entity, &path, builder, warnings)?,
                "shared.media" => match entity.get("file") {
                    Some((v, p)) => match self.media(v, p.clone())? {
                        Some(media) => builder.media(media),
                        None => self.warn(
                            warnings,
                            p.to_string(),
                            "a media component without a file".into(),
                        ),
                    },
                    None => self.warn(
                        warnings,
                        path.key("file").to_string(),
                        "a media component without a file".into(),
                    ),
                },
                "shared.slider" => {
                    let Some((files, p)) = entity.get("files") else {
                        continue;
                    };
                    let (files, p) = unwrap_relation(files, p);
                    match files {
                        Value::Null => {}
                        Value::Array(list) => {
                            for (j, file) in list.iter().enumerate() {
                                if let Some(media) = self.media(file, p.index(j))? {
                                    builder.media(media);
                                }
                            }
                        }
                        other => {
                            return Err(Shape::new(
                                p,
                                format!(
                                    "a slider's `files` must be a list, found {}",
                                    type_name(other)
                                ),
                            ))
                        }
                    }
                }
                "shared.quote" => {
                    let body = entity.str("body")?.unwrap_or_default();
                    let who = entity.str("title")?.unwrap_or_default();
                    let text = match (body.trim().is_empty(), who.trim().is_empty()) {
                        (false, false) => format!("{} — {}", body.trim(), who.trim()),
                        (false, true) => body,
                        (true, _) => who,
                    };
                    builder.block(PieceKind::Quote, &text);
                }
                "shared.seo" => {
                    *seo = Some(Seo {
                        meta_title: entity.str("metaTitle")?,
                        meta_description: entity.str("metaDescription")?,
                    });
                }
                other => self.warn(
                    warnings,
                    path.key("__component").to_string(),
                    format!("unknown component {other:?} skipped"),
                ),
            }
            builder.end_component();
        }
        Ok(())
    }

    fn rich_text(
        &self,
        entity: &Entity<'_>,
        path: &Path,
        builder: &mut Builder<'_>,
        warnings: &mut Vec<Problem>,
    ) -> Result<(), Shape> {
        match entity.get("body") {
            None => Err(Shape::new(
                path.key("body"),
                "a rich-text component needs a `body`",
            )),
            Some((Value::Null, _)) => Ok(()),
            Some((Value::String(markdown), p)) => {
                let markdown = if markdown.len() > MAX_BODY_BYTES {
                    self.warn(
                        warnings,
                        p.to_string(),
                        format!(
                            "body of {} bytes cut to the first {} bytes (1 MiB)",
                            markdown.len(),
                            MAX_BODY_BYTES
                        ),
                    );
                    crate::text::truncate_at_char(markdown, MAX_BODY_BYTES)
                } else {
                    markdown.as_str()
                };
                crate::markdown::read(markdown, builder);
                Ok(())
            }
            Some((Value::Array(nodes), p)) => {
                let mut notes = Vec::new();
                let markdown = crate::blocks::to_markdown(nodes, &p, &mut notes)?;
                for (at, reason) in notes {
                    self.warn(warnings, at, reason);
                }
                let markdown = if markdown.len() > MAX_BODY_BYTES {
                    self.warn(
                        warnings,
                        p.to_string(),
                        format!(
                            "body of {} bytes (as text) cut to the first {} bytes (1 MiB)",
                            markdown.len(),
                            MAX_BODY_BYTES
                        ),
                    );
                    crate::text::truncate_at_char(&markdown, MAX_BODY_BYTES)
                } else {
                    markdown.as_str()
                };
                crate::markdown::read(markdown, builder);
                Ok(())
            }
            Some((other, p)) => Err(Shape::new(
                p,
                format!(
                    "a rich-text `body` must be markdown text or a list of blocks, found {}",
                    type_name(other)
                ),
            )),
        }
    }
}
/// The key of an article: its identity across updates, webhooks and
/// syncs. On Strapi 5 a document in one locale (`documentId@locale`, the
/// same before and after a site turns i18n on, since an article that names
/// no locale is in the default one); on Strapi 4 the entry's id (each
/// localization is an entry of its own); otherwise the slug.
pub fn article_key(
    document_id: Option<&str>,
    locale: &str,
    strapi_id: Option<i64>,
    slug: &str,
) -> String {
    match (document_id, strapi_id) {
        (Some(doc), _) => format!("{doc}@{locale}"),
        (None, Some(id)) => format!("id:{id}"),
        (None, None) => slug.to_string(),
    }
}
