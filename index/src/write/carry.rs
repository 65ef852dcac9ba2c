//! Webhook articles carried from the live index into the new one a full
//! build writes: the build holds the write lock from start to end, so a
//! webhook that arrives meanwhile waits and is applied to the new index;
//! the ones applied before are re-added here, from the copies the live
//! index keeps (see [`Commit::keep`]), with their versions and tombstones,
//! so a rebuild from the content folder never loses them. The same on
//! every target.

use std::collections::{BTreeMap, HashMap};

use indexer::{Article, Problem, Severity};

use crate::error::Result;
use crate::store::state::{State, WebhookState};
use crate::write::target::{Commit, Copies, Kept};

/// The webhook state of the index being replaced.
pub(crate) struct Carried {
    webhook: BTreeMap<String, WebhookState>,
    copies: Box<dyn Copies>,
    /// Keys of an older format, by the key they have now (see `rekey`).
    renamed: HashMap<String, String>,
    default_locale: String,
}

impl Carried {
    /// What the live index keeps ([`crate::write::target::Target::kept`]).
    ///
    /// An index of an older format may key an article that named no
    /// locale by its bare `documentId`: it is keyed `documentId@locale` now
    /// (the default locale), its slug claimed in that locale, so the next
    /// webhook of the same document updates it instead of adding another.
    pub fn new(kept: Kept, default_locale: &str) -> Carried {
        let mut webhook = BTreeMap::new();
        let mut renamed = HashMap::new();
        for (key, mut entry) in kept.webhook {
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
            webhook,
            copies: kept.copies,
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
                if !self.copies.exists(blob) {
                    problems.push(lost(&key, "its kept copy is missing"));
                    continue;
                }
            }
            state.webhook.insert(key, entry);
        }
    }

    /// Re-adds the webhook articles the new state still holds (a newer
    /// file copy may have taken some back), keeping their copies with the
    /// new index; `added` is told of each.
    pub fn re_add(
        &self,
        commit: &mut dyn Commit,
        problems: &mut Vec<Problem>,
        added: &mut dyn FnMut(&Article),
    ) -> Result<()> {
        let live: Vec<(String, String)> = commit
            .state()
            .webhook
            .iter()
            .filter_map(|(k, w)| Some((k.clone(), w.blob.clone()?)))
            .collect();
        for (key, blob) in live {
            let stored_as = self.renamed.get(&key).unwrap_or(&key);
            match self.copies.read(&blob, stored_as) {
                Ok(mut article) => {
                    if article.locale.is_none() {
                        article.locale = Some(self.default_locale.clone());
                    }
                    article.key = key.clone();
                    let name = commit.keep(&article)?;
                    if let Some(entry) = commit.state_mut().webhook.get_mut(&key) {
                        entry.blob = Some(name);
                    }
                    commit.upsert(&article)?;
                    added(&article);
                }
                Err(e) => {
                    commit.state_mut().webhook.remove(&key);
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
