//! What a generation knows about where its articles came from, kept in the
//! tantivy commit payload so that it is committed atomically with the
//! documents it describes: a crash can never leave one without the other.
//!
//! ```text
//! { "articles": 11520, "pieces": 480213, "updated_at": "2026-…Z",
//!   "state": {
//!     "v": 1,
//!     "tracked": true,                       // written by a full folder build
//!     "files": { "roles/po.json": { "s": size, "m": mtime_ns, "h": hash,
//!                                   "a": [[key, slug, version], …] } },
//!     "webhook": { "key": { "v": version, "s": slug, "b": blob }   // live
//!                  "key": { "v": version } } } }                    // tombstone
//! ```
//!
//! Every article key has at most one owner: a content file, or the webhook
//! path (`apply`). A webhook entry, live or a tombstone, holds its key
//! against files whose copy of the article is not newer.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

/// Bumped when the layout below changes; an unknown layout is ignored (the
/// next `update` then rebuilds).
const STATE_VERSION: u32 = 1;

/// The per-file and per-key state of a generation.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    #[serde(rename = "v")]
    pub version: u32,
    /// Whether `files` describes every file-sourced article of the index
    /// (the generation was built from a content folder by `build`).
    #[serde(default)]
    pub tracked: bool,
    /// By path relative to the content folder, `/`-separated.
    #[serde(default)]
    pub files: BTreeMap<String, FileState>,
    /// By article key: the latest webhook change seen.
    #[serde(default)]
    pub webhook: BTreeMap<String, WebhookState>,
}

/// What a content file was when last read, and the articles it gave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileState {
    #[serde(rename = "s")]
    pub size: u64,
    /// Modification time in nanoseconds since the epoch; 0 when it must not
    /// be trusted (the file changed too close to the read, or was
    /// unreadable) and the file is read again next time.
    #[serde(rename = "m")]
    pub mtime: u64,
    /// FNV-1a of the bytes.
    #[serde(rename = "h")]
    pub hash: u64,
    /// The articles indexed from it (a webhook change may hold one since).
    #[serde(rename = "a", default)]
    pub articles: Vec<FileArticle>,
    /// Some article was refused because another file or a webhook change
    /// holds its key or slug: the file is read again on every update, so it
    /// gets the article once the other lets go.
    #[serde(rename = "c", default, skip_serializing_if = "std::ops::Not::not")]
    pub clashed: bool,
}

/// Key, slug and version (`updatedAt`) of an article read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileArticle(pub String, pub String, #[serde(default)] pub Option<String>);

/// The latest webhook change of one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WebhookState {
    #[serde(rename = "v")]
    pub version: String,
    /// The article's slug; none for a tombstone.
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// The kept article (see `blobs`); none for a tombstone.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

impl WebhookState {
    pub fn is_live(&self) -> bool {
        self.slug.is_some()
    }
}

impl State {
    pub fn new(tracked: bool) -> State {
        State {
            version: STATE_VERSION,
            tracked,
            ..State::default()
        }
    }

    /// The state in a commit payload; an index written before it existed,
    /// or by `build_from_articles`, has an empty, untracked one.
    pub fn from_payload(payload: Option<&str>) -> State {
        // Straight into the types: no intermediate JSON tree (the state of
        // a large corpus is megabytes, and every write reads it).
        #[derive(Deserialize)]
        struct Payload {
            #[serde(default)]
            state: Option<State>,
        }
        payload
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
            .and_then(|p| p.state)
            .filter(|s| s.version == STATE_VERSION)
            .unwrap_or_else(|| State::new(false))
    }

    /// The commit payload: counts, time, and this state.
    pub fn payload(&self, articles: u64, pieces: u64) -> String {
        #[derive(Serialize)]
        struct Payload<'a> {
            articles: u64,
            pieces: u64,
            updated_at: String,
            state: &'a State,
        }
        serde_json::to_string(&Payload {
            articles,
            pieces,
            updated_at: crate::time::now_rfc3339(),
            state: self,
        })
        .expect("the state serializes")
    }
}

/// Who holds an article key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A content file, by relative path.
    File(String),
    Webhook,
}

/// The live keys and slugs of an index and who holds them: duplicate keys
/// and slugs are refused across files and webhook changes alike.
#[derive(Debug, Default)]
pub(crate) struct Claims {
    /// Key → (owner, slug).
    keys: HashMap<String, (Owner, String)>,
    /// Slug → key.
    slugs: HashMap<String, String>,
}

impl Claims {
    /// The claims of a committed state.
    pub fn of(state: &State) -> Claims {
        let mut claims = Claims::default();
        for (key, w) in &state.webhook {
            if let Some(slug) = &w.slug {
                claims.claim(key, slug, Owner::Webhook);
            }
        }
        for (path, file) in &state.files {
            for FileArticle(key, slug, _) in &file.articles {
                if !state.webhook.contains_key(key) {
                    claims.claim(key, slug, Owner::File(path.clone()));
                }
            }
        }
        claims
    }

    pub fn claim(&mut self, key: &str, slug: &str, owner: Owner) {
        self.release(key);
        if let Some(other) = self.slugs.insert(slug.to_string(), key.to_string()) {
            if other != key {
                self.keys.remove(&other);
            }
        }
        self.keys.insert(key.to_string(), (owner, slug.to_string()));
    }

    /// Frees a key and its slug; returns who held it.
    pub fn release(&mut self, key: &str) -> Option<Owner> {
        let (owner, slug) = self.keys.remove(key)?;
        if self.slugs.get(&slug).is_some_and(|k| k == key) {
            self.slugs.remove(&slug);
        }
        Some(owner)
    }

    /// Frees every key a file holds; returns them.
    pub fn release_file(&mut self, path: &str, file: &FileState) -> Vec<String> {
        let mut released = Vec::new();
        for FileArticle(key, _, _) in &file.articles {
            if matches!(self.owner(key), Some(Owner::File(p)) if p == path) {
                self.release(key);
                released.push(key.clone());
            }
        }
        released
    }

    pub fn owner(&self, key: &str) -> Option<&Owner> {
        self.keys.get(key).map(|(owner, _)| owner)
    }

    /// The key and owner of the article using `slug`.
    pub fn slug_holder(&self, slug: &str) -> Option<(&str, &Owner)> {
        let key = self.slugs.get(slug)?;
        self.keys.get(key).map(|(owner, _)| (key.as_str(), owner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_round_trips_through_the_payload() {
        let mut state = State::new(true);
        state.files.insert(
            "roles/po.json".into(),
            FileState {
                size: 10,
                mtime: u64::MAX - 1,
                hash: u64::MAX,
                articles: vec![FileArticle("k".into(), "s".into(), None)],
                clashed: true,
            },
        );
        state.webhook.insert(
            "w".into(),
            WebhookState {
                version: "2024-01-01T00:00:00Z".into(),
                slug: None,
                blob: None,
            },
        );
        let payload = state.payload(3, 7);
        let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(v["articles"], 3);
        assert_eq!(v["pieces"], 7);
        assert!(v["updated_at"].is_string());
        let back = State::from_payload(Some(&payload));
        assert!(back.tracked);
        assert_eq!(back.files, state.files);
        assert_eq!(back.webhook, state.webhook);
    }

    #[test]
    fn a_payload_without_state_is_untracked() {
        let s = State::from_payload(Some(r#"{"articles":1,"pieces":2,"updated_at":"x"}"#));
        assert!(!s.tracked && s.files.is_empty() && s.webhook.is_empty());
        assert!(!State::from_payload(None).tracked);
    }

    #[test]
    fn claims_follow_webhook_entries_over_files() {
        let mut state = State::new(true);
        state.files.insert(
            "a.json".into(),
            FileState {
                articles: vec![
                    FileArticle("k1".into(), "s1".into(), None),
                    FileArticle("k2".into(), "s2".into(), None),
                ],
                ..FileState::default()
            },
        );
        state.webhook.insert(
            "k2".into(),
            WebhookState {
                version: "2024-01-01T00:00:00Z".into(),
                slug: Some("s2b".into()),
                blob: Some("b".into()),
            },
        );
        let mut claims = Claims::of(&state);
        assert_eq!(claims.owner("k1"), Some(&Owner::File("a.json".into())));
        assert_eq!(claims.owner("k2"), Some(&Owner::Webhook));
        assert!(claims.slug_holder("s2").is_none());
        let released = claims.release_file("a.json", &state.files["a.json"]);
        assert_eq!(released, vec!["k1".to_string()]);
        assert!(claims.slug_holder("s1").is_none());
        assert_eq!(claims.slug_holder("s2b"), Some(("k2", &Owner::Webhook)));
    }
}
