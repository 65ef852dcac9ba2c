//! Which articles of an index came from Strapi (webhooks and sync) rather
//! than from content files, so a sync can remove the ones Strapi no longer
//! publishes without touching the others.

use std::path::Path;

use tantivy::Index;

use crate::error::{Error, Result};
use crate::store::state::State;
use crate::store::Store;
use crate::write::apply::Change;

/// Keys of the live (not deleted) articles that came from Strapi, with the
/// version each was last changed at.
pub fn strapi_articles(index_dir: &Path) -> Result<Vec<(String, String)>> {
    let store = Store::new(index_dir);
    let (gen, _) = match store.current() {
        Ok(found) => found,
        Err(Error::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let index = Index::open_in_dir(&gen)?;
    let meta = index.load_metas()?;
    Ok(strapi_in(&State::load(&gen, meta.payload.as_deref())))
}

/// The Strapi articles a write state records (whichever engine keeps it).
pub(crate) fn strapi_in(state: &State) -> Vec<(String, String)> {
    state
        .webhook
        .iter()
        .filter(|(_, w)| w.blob.is_some())
        .map(|(key, w)| (key.clone(), w.version.clone()))
        .collect()
}

/// Articles in the index (0 when there is none yet), from its last commit.
pub fn article_count(index_dir: &Path) -> Result<usize> {
    let store = Store::new(index_dir);
    let (gen, _) = match store.current() {
        Ok(found) => found,
        Err(Error::NotFound(_)) => return Ok(0),
        Err(e) => return Err(e),
    };
    let meta = Index::open_in_dir(&gen)?.load_metas()?;
    Ok(meta
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .and_then(|p| p.get("articles").and_then(serde_json::Value::as_u64))
        .unwrap_or(0) as usize)
}

/// Deletes of the Strapi articles whose keys are not in `published`, each
/// versioned just after the version the index has, so that any later real
/// event from Strapi (a republish) still wins over it, whatever this
/// machine's clock says. With `read_locales`, only articles of those
/// locales (a key's `@locale`, lower case) are candidates: a locale the
/// pull did not read is not Strapi saying its articles are gone.
pub fn unpublished_since(
    index_dir: &Path,
    published: &std::collections::HashSet<String>,
    read_locales: Option<&std::collections::HashSet<String>>,
) -> Result<Vec<Change>> {
    Ok(unpublished(
        strapi_articles(index_dir)?,
        published,
        read_locales,
    ))
}

/// [`unpublished_since`] over the Strapi articles of any engine.
pub(crate) fn unpublished(
    strapi: Vec<(String, String)>,
    published: &std::collections::HashSet<String>,
    read_locales: Option<&std::collections::HashSet<String>>,
) -> Vec<Change> {
    let read = |key: &str| match (read_locales, key.rsplit_once('@')) {
        (None, _) => true,
        (Some(locales), Some((_, locale))) => locales.contains(&locale.to_lowercase()),
        // A key without a locale (Strapi 4's id:N) is in every reading.
        (Some(_), None) => true,
    };
    strapi
        .into_iter()
        .filter(|(key, _)| !published.contains(key) && read(key))
        .map(|(key, version)| Change::Delete {
            version: just_after(&version).unwrap_or(version),
            key,
        })
        .collect()
}

/// An RFC 3339 timestamp one millisecond after `version`, in UTC.
fn just_after(version: &str) -> Option<String> {
    crate::write::version::parse(version)?.one_ms_later()
}

#[cfg(test)]
mod tests {
    use super::just_after;

    #[test]
    fn one_millisecond_later_in_utc() {
        assert_eq!(
            just_after("2026-11-29T11:37:22.898Z").as_deref(),
            Some("2026-11-29T11:37:22.899Z")
        );
        assert_eq!(
            just_after("2026-11-29T23:59:59.999Z").as_deref(),
            Some("2026-11-30T00:00:00.000Z")
        );
        assert_eq!(
            just_after("2026-11-29T12:00:00+02:00").as_deref(),
            Some("2026-11-29T10:00:00.001Z")
        );
        assert_eq!(
            just_after("2024-02-29T00:00:00Z").as_deref(),
            Some("2024-02-29T00:00:00.001Z")
        );
        assert_eq!(just_after("nonsense"), None);
    }
}
