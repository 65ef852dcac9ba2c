//! Articles that came by webhook, kept beside their generation as JSON, so a
//! full rebuild can re-add them exactly: the index itself stores only part
//! of an article (not which piece roles are main, not the SEO text, …).
//!
//! ```text
//! gen-000004/webhook/<fnv(key)>-<fnv(json)>.json
//! ```
//!
//! A blob is written and synced before the commit that names it; names are
//! derived from the content, so rewriting one is harmless. Blobs no commit
//! names (left by a crash, or replaced) are removed by the next writer.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use indexer::Article;

use crate::error::{Error, Result};
use crate::store::hash::fnv64;

const FOLDER: &str = "webhook";

fn folder(gen: &Path) -> PathBuf {
    gen.join(FOLDER)
}

/// The name a kept article goes by (derived from its key and content,
/// wherever it is kept) and its JSON.
pub(crate) fn named(article: &Article) -> (String, Vec<u8>) {
    let json = serde_json::to_vec(article).expect("an article serializes");
    let name = format!(
        "{:016x}-{:016x}",
        fnv64(article.key.as_bytes()),
        fnv64(&json)
    );
    (name, json)
}

/// Writes `article` into generation `gen`, synced; returns its name.
pub(crate) fn write(gen: &Path, article: &Article) -> Result<String> {
    let (name, json) = named(article);
    crate::store::named::write_once(&folder(gen), &name, &json)?;
    Ok(name)
}

/// A kept article from its JSON, checked to be the one of `key`; `from`
/// names where it was read.
pub(crate) fn parse(bytes: &[u8], key: &str, from: &str) -> Result<Article> {
    let article: Article = serde_json::from_slice(bytes).map_err(|e| {
        Error::io(
            format!("cannot read {from}"),
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })?;
    if article.key != key {
        return Err(Error::io(
            format!("{from} holds article {:?}", article.key),
            std::io::Error::new(std::io::ErrorKind::InvalidData, format!("not {key:?}")),
        ));
    }
    Ok(article)
}

/// Reads a kept article back, checking that it is the one of `key`.
pub(crate) fn read(gen: &Path, name: &str, key: &str) -> Result<Article> {
    let path = folder(gen).join(format!("{name}.json"));
    let bytes =
        fs::read(&path).map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    parse(&bytes, key, &path.display().to_string())
}

/// Whether a blob exists.
pub(crate) fn exists(gen: &Path, name: &str) -> bool {
    folder(gen).join(format!("{name}.json")).is_file()
}

/// Removes blobs (and temporary files) not in `keep`. Best effort: what
/// is left is removed next time.
pub(crate) fn prune(gen: &Path, keep: &HashSet<&str>) {
    crate::store::named::prune(&folder(gen), keep);
}
