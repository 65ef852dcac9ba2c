//! The harness: a temp-dir index of the bundled content, built once per test
//! run, and helpers to run the `rolesearch` binary against it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn content() -> PathBuf {
    repo().join("content")
}

/// The `rolesearch` binary, with no settings leaking in from the
/// environment.
pub fn rolesearch() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rolesearch"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ROLESEARCH_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

/// An index of `content/`, built once through the CLI and shared by the
/// tests that only read it.
pub fn bundled_index() -> &'static Path {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("index");
        let out = index_folder(&content(), &path);
        assert!(
            out.status.success(),
            "indexing failed: {}",
            text(&out.stderr)
        );
        (dir, path)
    });
    path
}

/// Runs `rolesearch index --content CONTENT --index INDEX`.
pub fn index_folder(content: &Path, index: &Path) -> Output {
    rolesearch()
        .args(["index", "--content"])
        .arg(content)
        .arg("--index")
        .arg(index)
        .output()
        .expect("rolesearch runs")
}

/// Writes a content file of one article with one paragraph.
pub fn write_article(path: &Path, title: &str, slug: &str, body: &str) {
    let article = serde_json::json!({
        "title": title,
        "slug": slug,
        "blocks": [{"__component": "shared.rich-text", "body": body}],
    });
    std::fs::write(path, article.to_string()).expect("the content file is written");
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `rolesearch query --json` with `args` against `index`.
pub fn query(index: &Path, args: &[&str]) -> Output {
    rolesearch()
        .args(["query", "--json", "--index"])
        .arg(index)
        .args(args)
        .output()
        .expect("rolesearch runs")
}

/// Runs a query that must succeed and returns its JSON.
pub fn search(args: &[&str]) -> Value {
    let out = query(bundled_index(), args);
    assert!(
        out.status.success(),
        "query {args:?} failed with {:?}: {}",
        out.status.code(),
        text(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the output is JSON")
}

/// Slugs of the hits, in order.
pub fn slugs(response: &Value) -> Vec<String> {
    response["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["slug"].as_str().expect("slug").to_string())
        .collect()
}

/// Copies the folder `from` to `to`, every file dated an hour ago (so that
/// a file written by the test is newer, whatever the clock's grain).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            std::fs::File::options()
                .write(true)
                .open(&target)
                .unwrap()
                .set_modified(an_hour_ago)
                .unwrap();
        }
    }
}
