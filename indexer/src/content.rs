//! A content folder: every `.json` file below it, read into articles, with
//! every problem kept and reported rather than stopping the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::article::Article;
use crate::error::{io_reason, Problem, ReadError, Severity};
use crate::strapi::{parse_file, Parsed};
use crate::taxonomy::Taxonomy;

/// Everything read from a content folder.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Article>,
    /// Skipped files and articles, and warnings, in file order.
    pub problems: Vec<Problem>,
    /// How many `.json` files were read.
    pub files: usize,
}

/// Lists the `.json` files below `dir`, sorted, skipping hidden files and
/// folders and not following symbolic links to folders (no loops).
pub fn list_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let meta = std::fs::metadata(dir).map_err(|e| ReadError::Folder {
        path: dir.display().to_string(),
        reason: io_reason(&e),
    })?;
    if !meta.is_dir() {
        return Err(ReadError::Folder {
            path: dir.display().to_string(),
            reason: "it is a file, not a folder".into(),
        });
    }
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| ReadError::Folder {
            path: folder.display().to_string(),
            reason: io_reason(&e),
        })?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
                && (kind.is_file() || path.is_file())
            {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads one content file. Never fails: an unreadable or invalid file is a
/// problem in the result.
pub fn read_file(path: &Path, taxonomy: &Taxonomy) -> Parsed {
    let source = path.display().to_string();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match std::fs::read(path) {
        Ok(bytes) => parse_file(&source, &stem, &bytes, taxonomy),
        Err(e) => Parsed {
            articles: Vec::new(),
            problems: vec![Problem {
                source,
                path: "$".to_string(),
                reason: format!("cannot read the file: {e}"),
                severity: Severity::Skipped,
            }],
        },
    }
}

/// Reads every `.json` file below `dir`. One bad file or article never stops
/// the others; articles whose key, or slug in the same locale, repeats one
/// read earlier are skipped with a problem naming both files.
pub fn read_folder(dir: &Path, taxonomy: &Taxonomy) -> Result<Content, ReadError> {
    let files = list_files(dir)?;
    let mut content = Content {
        files: files.len(),
        ..Content::default()
    };
    let mut merge = Merge::default();
    for file in &files {
        merge.add(read_file(file, taxonomy), &mut content);
    }
    Ok(content)
}

/// Collects parsed files into one content set, refusing repeated keys and
/// slugs repeated in one locale (Strapi keeps slugs unique per locale).
#[derive(Debug, Default)]
pub struct Merge {
    keys: HashMap<String, String>,
    /// By (locale, slug).
    slugs: HashMap<(String, String), String>,
}

impl Merge {
    pub fn add(&mut self, parsed: Parsed, content: &mut Content) {
        content.problems.extend(parsed.problems);
        for article in parsed.articles {
            let slug = (
                article.locale.as_deref().unwrap_or_default().to_lowercase(),
                article.slug.clone(),
            );
            let clash = self
                .keys
                .get(&article.key)
                .map(|first| ("key", article.key.clone(), first.clone()))
                .or_else(|| {
                    self.slugs
                        .get(&slug)
                        .map(|first| ("slug", article.slug.clone(), first.clone()))
                });
            if let Some((what, value, first)) = clash {
                content.problems.push(Problem {
                    source: article.source.clone(),
                    path: "$".to_string(),
                    reason: format!("article {what} {value:?} is already used by {first}"),
                    severity: Severity::Skipped,
                });
                continue;
            }
            self.keys
                .insert(article.key.clone(), article.source.clone());
            self.slugs.insert(slug, article.source.clone());
            content.articles.push(article);
        }
    }
}
