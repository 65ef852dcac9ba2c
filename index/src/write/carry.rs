//! Webhook articles carried from the live generation into the new one a
//! full build writes: the build holds the write lock from start to end, so
//! a webhook that arrives meanwhile waits and is applied to the new
//! generation; the ones applied before are re-added here, from the copies
//! kept beside the old generation (see `blobs`), with their versions and
//! tombstones, so a rebuild from the content folder never loses them.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use tantivy::Index;

use indexer::{Article, Problem, Severity};

use crate::error::Result;
use crate::store::blobs;
use crate::store::state::{State, WebhookState};
use crate::store::Store;

/// The webhook state of the generation being replaced.
pub(crate) struct Carried {
    gen: Option<PathBuf>,
    webhook: BTreeMap<String, WebhookState>,
    /// Keys of an older format, by the key they have now (see `rekey`).
    renamed: HashMap<String, String>,
    default_locale: String,
}

impl Carried {
    /// What the live generation holds: nothing if there is none or it
    /// cannot be read (a full build is also the way out of a broken index).
    /// Its format version does not matter: kept articles are `indexer`
    /// data, not index data.
    ///
    /// A generation of an older format may key an article that named no
    /// locale by its bare `documentId`: it is keyed `documentId@locale` now
    /// (the default locale), its slug claimed in that locale, so the next
    /// webhook of the same document updates it instead of adding another.
    pub fn from_live(store: &Store, default_locale: &str) -> Carried {
        let gen = store
            .current_name()
            .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
            .map(|name| store.dir().join(name));
        let payload = gen
            .as_deref()
            .and_then(|g| Index::open_in_dir(g).ok())
            .and_then(|i| i.load_metas().ok())
            .and_then(|m| m.payload);
        let old = gen
            .as_deref()
            .map(|g| State::load(g, payload.as_deref()).webhook)
            .unwrap_or_default();
        let mut webhook = BTreeMap::new();
        let mut renamed = HashMap::new();
        for (key, mut entry) in old {
            let new_key = rekey(&key, default_locale);
            if let Some(slug) = &mut entry.slug {
                if !slug.contains('/') {
                    *slug = format!("{}/{slug}", default_locale.to_lowercase());
                }
            }
            if new_key != key {
                renamed.insert(new_key.clone(), key);
            }
            webhook.insert(new_key, entry);
        }
        Carried {
            gen,
            webhook,
            renamed,
            default_locale: default_locale.to_string(),
        }
    }

    /// Puts the carried versions and tombstones into the new state, leaving
    /// out articles whose kept copy is missing (a resent event restores
    /// them).
    pub fn seed(&mut self, state: &mut State, problems: &mut Vec<Problem>) {
        for (key, entry) in std::mem::take(&mut self.webhook) {
            if let Some(blob) = &entry.blob {
                let kept = self.gen.as_deref().is_some_and(|g| blobs::exists(g, blob));
                if !kept {
                    problems.push(lost(&key, "its kept copy is missing"));
                    continue;
                }
            }
            state.webhook.insert(key, entry);
        }
    }

    /// Re-adds the webhook articles the new state still holds (a newer
    /// file copy may have taken some back), keeping their copies in
    /// `new_gen`.
    pub fn re_add(
        &self,
        new_gen: &Path,
        state: &mut State,
        problems: &mut Vec<Problem>,
        add: &mut dyn FnMut(&Article) -> Result<()>,
    ) -> Result<()> {
        let Some(old_gen) = self.gen.as_deref() else {
            return Ok(());
        };
        let live: Vec<(String, String)> = state
            .webhook
            .iter()
            .filter_map(|(k, w)| Some((k.clone(), w.blob.clone()?)))
            .collect();
        for (key, blob) in live {
            let stored_as = self.renamed.get(&key).unwrap_or(&key);
            match blobs::read(old_gen, &blob, stored_as) {
                Ok(mut article) => {
                    if article.locale.is_none() {
                        article.locale = Some(self.default_locale.clone());
                    }
                    article.key = key.clone();
                    let name = blobs::write(new_gen, &article)?;
                    if let Some(entry) = state.webhook.get_mut(&key) {
                        entry.blob = Some(name);
                    }
                    add(&article)?;
                }
                Err(e) => {
                    state.webhook.remove(&key);
                    problems.push(lost(&key, &e.to_string()));
                }
            }
        }
        Ok(())
    }
}

/// The key of today's format for a webhook key of any format: a bare
/// Strapi 5 `documentId` (24 lower-case letters and digits, no `@locale`)
/// is in the default locale; Strapi 4's `id:N` and slugs stay.
fn rekey(key: &str, default_locale: &str) -> String {
    let document_id = key.len() == 24
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if document_id {
        format!("{key}@{default_locale}")
    } else {
        key.to_string()
    }
}

fn lost(key: &str, why: &str) -> Problem {
    Problem {
        source: "webhook".to_string(),
        path: "$".to_string(),
        reason: format!(
            "webhook article {key:?} was not carried into the rebuilt index ({why}); send its event again"
        ),
        severity: Severity::Skipped,
    }
}
