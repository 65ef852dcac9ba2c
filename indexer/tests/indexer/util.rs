//! Shared helpers: the built-in taxonomy, fixture paths, a temporary
//! content folder, and short ways to look at pieces.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use indexer::{
    parse_file, read_file, read_folder, Article, Content, Parsed, Piece, PieceKind, Problem,
    Salience, Severity, Taxonomy,
};
use serde_json::Value;

/// The taxonomy shipped with rolesearch, built once.
pub fn taxonomy() -> &'static Taxonomy {
    static TAXONOMY: OnceLock<Taxonomy> = OnceLock::new();
    TAXONOMY.get_or_init(Taxonomy::builtin)
}

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Reads a fixture file the way a content folder reads it.
pub fn read_fixture(name: &str) -> Parsed {
    let path = fixture(name);
    assert!(path.is_file(), "missing fixture {}", path.display());
    read_file(&path, taxonomy())
}

/// Parses a fixture's bytes under a made-up source name and stem, for
/// fixtures that are not `.json` files (the byte-exact Strapi recordings).
pub fn parse_fixture_as(name: &str, stem: &str) -> Parsed {
    let bytes = std::fs::read(fixture(name)).expect("fixture is readable");
    parse_file(&format!("{stem}.json"), stem, &bytes, taxonomy())
}

/// Parses JSON text as the content of `stem.json`.
pub fn parse_json(stem: &str, json: &str) -> Parsed {
    parse_file(&format!("{stem}.json"), stem, json.as_bytes(), taxonomy())
}

/// Parses a JSON value as the content of `stem.json`.
pub fn parse_value(stem: &str, value: &Value) -> Parsed {
    parse_json(stem, &value.to_string())
}

/// The only article of a parse that must have no problems at all.
pub fn only_article(parsed: Parsed) -> Article {
    assert_eq!(
        parsed.problems,
        Vec::<Problem>::new(),
        "unexpected problems"
    );
    assert_eq!(parsed.articles.len(), 1, "expected exactly one article");
    parsed.articles.into_iter().next().expect("one article")
}

/// An article titled "Fixture" whose blocks are the given components.
pub fn article_with_blocks(blocks: Value) -> Article {
    let value = serde_json::json!({
        "title": "Fixture",
        "slug": "fixture",
        "blocks": blocks,
    });
    only_article(parse_value("fixture", &value))
}

/// An article titled "Fixture" made of one markdown rich-text component.
pub fn markdown_article(markdown: &str) -> Article {
    article_with_blocks(serde_json::json!([
        { "__component": "shared.rich-text", "body": markdown }
    ]))
}

/// The pieces after the title.
pub fn body(article: &Article) -> &[Piece] {
    assert_eq!(
        article.pieces[0].kind,
        PieceKind::Title,
        "first piece is the title"
    );
    &article.pieces[1..]
}

/// The piece with exactly this text.
pub fn piece<'a>(article: &'a Article, text: &str) -> &'a Piece {
    let found: Vec<&Piece> = article.pieces.iter().filter(|p| p.text == text).collect();
    match found.as_slice() {
        [one] => one,
        [] => panic!(
            "no piece reads {text:?}; pieces are:\n{}",
            describe(&article.pieces)
        ),
        _ => panic!("several pieces read {text:?}"),
    }
}

/// Pieces of one kind.
pub fn of_kind(article: &Article, kind: PieceKind) -> Vec<&Piece> {
    article.pieces.iter().filter(|p| p.kind == kind).collect()
}

/// (kind, text) of every piece after the title.
pub fn kinds_and_texts(article: &Article) -> Vec<(PieceKind, &str)> {
    body(article)
        .iter()
        .map(|p| (p.kind, p.text.as_str()))
        .collect()
}

/// The heading path as string slices.
pub fn path(piece: &Piece) -> Vec<&str> {
    piece.heading_path.iter().map(String::as_str).collect()
}

/// Role ids tagged main, in order.
pub fn main_roles(piece: &Piece) -> Vec<&str> {
    piece
        .roles
        .iter()
        .filter(|t| t.salience == Salience::Main)
        .map(|t| t.role.as_str())
        .collect()
}

/// Role ids tagged as mentions, in order.
pub fn mentioned_roles(piece: &Piece) -> Vec<&str> {
    piece
        .roles
        .iter()
        .filter(|t| t.salience == Salience::Mention)
        .map(|t| t.role.as_str())
        .collect()
}

/// Every role id of a piece, main ones first.
pub fn all_roles(piece: &Piece) -> Vec<&str> {
    piece.roles.iter().map(|t| t.role.as_str()).collect()
}

/// Cells as string slices.
pub fn cells(piece: &Piece) -> Vec<(&str, &str)> {
    piece
        .cells
        .iter()
        .map(|(h, c)| (h.as_str(), c.as_str()))
        .collect()
}

/// The one problem of a parse, checked for its path and a part of its
/// reason.
pub fn assert_one_problem<'a>(
    problems: &'a [Problem],
    severity: Severity,
    path: &str,
    reason_part: &str,
) -> &'a Problem {
    assert_eq!(problems.len(), 1, "expected one problem, got {problems:#?}");
    let problem = &problems[0];
    assert_eq!(problem.severity, severity, "{problem}");
    assert_eq!(problem.path, path, "{problem}");
    assert!(
        problem.reason.contains(reason_part),
        "reason {:?} should contain {reason_part:?}",
        problem.reason
    );
    problem
}

/// One line per piece, for failure messages.
pub fn describe(pieces: &[Piece]) -> String {
    pieces
        .iter()
        .map(|p| {
            format!(
                "{:>3} {:<9} #{} [{}] {} | path: {}",
                p.position,
                p.kind.as_str(),
                p.anchor,
                p.roles
                    .iter()
                    .map(|t| match t.salience {
                        Salience::Main => format!("*{}", t.role),
                        Salience::Mention => t.role.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                p.text,
                p.heading_path.join(" > ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A content folder in a temporary directory, removed when dropped.
pub struct TempContent {
    dir: tempfile::TempDir,
}

impl TempContent {
    pub fn new() -> TempContent {
        TempContent {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating its folders) and returns its full path.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, contents).expect("write a content file");
        path
    }

    /// Copies a fixture into the folder under a new relative name.
    pub fn copy_fixture(&self, fixture_name: &str, relative: &str) -> PathBuf {
        let bytes = std::fs::read(fixture(fixture_name)).expect("fixture is readable");
        self.write(relative, bytes)
    }

    /// Reads the folder; a folder error fails the test.
    pub fn read(&self) -> Content {
        read_folder(self.dir.path(), taxonomy()).expect("the folder is readable")
    }

    /// The full path of a file in the folder, as problems name it.
    pub fn source(&self, relative: &str) -> String {
        self.dir.path().join(relative).display().to_string()
    }
}
