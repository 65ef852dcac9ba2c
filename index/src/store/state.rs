//! What a generation knows about where its articles came from, committed
//! atomically with the documents it describes: a crash can never leave one
//! without the other.
//!
//! The per-file part is megabytes for a large corpus, and every write (a
//! webhook publish included) would otherwise parse and rewrite it, as would
//! every reader that reloads the commit. So it lives beside the index in a
//! file named by its content, written and synced before the commit that
//! names it; the commit payload holds the counts, the webhook part and that
//! name. A writer whose files part did not change (every webhook apply)
//! names the same file again without writing it, and a process reads a
//! given file once (`FILES` keeps the last one parsed).
//!
//! ```text
//! payload: { "articles": 11520, "pieces": 480213, "updated_at": "2026-…Z",
//!   "state": {
//!     "v": 2,
//!     "tracked": true,                       // written by a full folder build
//!     "files": "files-<fnv>",                // state/files-<fnv>.json, below
//!     "webhook": { "key": { "v": version, "s": slug, "b": blob }   // live
//!                  "key": { "v": version } } } }                    // tombstone
//! state/files-<fnv>.json:
//!   { "roles/po.json": { "s": size, "m": mtime_ns, "h": hash,
//!                        "a": [[key, slug, version], …] } }
//! ```
//!
//! Every article key has at most one owner: a content file, or the webhook
//! path (`apply`). A webhook entry, live or a tombstone, holds its key
//! against files whose copy of the article is not newer.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use indexer::{Problem, Severity};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::store::hash::fnv64;

/// Bumped when the layout below changes; an unknown layout is ignored (the
/// next `update` then rebuilds).
const STATE_VERSION: u32 = 2;

/// The folder of a generation that holds its per-file state files.
const FOLDER: &str = "state";

/// Per-file state, by path relative to the content folder, `/`-separated.
pub(crate) type Files = BTreeMap<String, FileState>;

/// The per-file and per-key state of a generation.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub version: u32,
    /// Whether `files` describes every file-sourced article of the index
    /// (the generation was built from a content folder by `build`).
    pub tracked: bool,
    /// Shared with the process's cache until changed (`files_mut`).
    pub files: Arc<Files>,
    /// By article key: the latest webhook change seen.
    pub webhook: BTreeMap<String, WebhookState>,
    /// The state file `files` was read from, if any: kept one more round.
    pub read_from: Option<String>,
}

/// The state as the payload holds it.
#[derive(Serialize, Deserialize)]
struct Stored<W> {
    v: u32,
    #[serde(default)]
    tracked: bool,
    /// The name of the files part (see `FOLDER`); none when it is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    files: Option<String>,
    #[serde(default)]
    webhook: W,
}
/// The state as any layout stores it (see [`State::load`]).
#[derive(Deserialize)]
struct AnyLayout {
    #[serde(default)]
    v: u32,
    #[serde(default)]
    tracked: bool,
    #[serde(default)]
    files: Option<FilesPart>,
    #[serde(default)]
    webhook: BTreeMap<String, WebhookState>,
}

/// A name (this layout) or the map itself (layout 1).
#[derive(Deserialize)]
#[serde(untagged)]
enum FilesPart {
    Name(String),
    Inline(serde::de::IgnoredAny),
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
    /// What reading it found wrong (a broken file, a skipped article, a
    /// warning): reported again on every update until the file changes.
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<RecordedProblem>,
}

/// A problem of a file as recorded: JSON path, reason, whether the file or
/// an article of it was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RecordedProblem(pub String, pub String, pub bool);

impl RecordedProblem {
    pub fn of(problem: &Problem) -> RecordedProblem {
        RecordedProblem(
            problem.path.clone(),
            problem.reason.clone(),
            problem.severity == Severity::Skipped,
        )
    }

    /// The problem again, in the file at `source`.
    pub fn replay(&self, source: &str) -> Problem {
        Problem {
            source: source.to_string(),
            path: self.0.clone(),
            reason: self.1.clone(),
            severity: if self.2 {
                Severity::Skipped
            } else {
                Severity::Warning
            },
        }
    }
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

    /// The per-file state, to change: copied first if the process's cache
    /// shares it.
    pub fn files_mut(&mut self) -> &mut Files {
        Arc::make_mut(&mut self.files)
    }

    /// The state of generation `gen` from its commit payload. An index
    /// written before it existed, or by `build_from_articles`, has an empty,
    /// untracked one. The webhook part is read from any layout (an index of
    /// an older format hands its webhook articles to the rebuild that
    /// replaces it); a files part of another layout, or one that cannot be
    /// read, leaves the state untracked (the next `update` rebuilds) but
    /// keeps the webhook part: versions and tombstones are never forgotten.
    pub fn load(gen: &Path, payload: Option<&str>) -> State {
        // Straight into the types: no intermediate JSON tree.
        #[derive(Deserialize)]
        struct Payload {
            #[serde(default)]
            state: Option<AnyLayout>,
        }
        match payload
            .and_then(|p| serde_json::from_str::<Payload>(p).ok())
            .and_then(|p| p.state)
        {
            Some(stored) => State::from_layout(stored, |name| read_files(gen, name)),
            None => State::new(false),
        }
    }

    /// The state from its stored layout (JSON of what [`State::stored`]
    /// gives), the files part read by `files` by name. What
    /// [`State::load`] says of layouts holds wherever the state is kept.
    pub fn from_stored(stored: &str, files: impl FnOnce(&str) -> Option<Arc<Files>>) -> State {
        match serde_json::from_str::<AnyLayout>(stored) {
            Ok(layout) => State::from_layout(layout, files),
            Err(_) => State::new(false),
        }
    }

    fn from_layout(stored: AnyLayout, files: impl FnOnce(&str) -> Option<Arc<Files>>) -> State {
        let mut state = State {
            webhook: stored.webhook,
            ..State::new(false)
        };
        if stored.v != STATE_VERSION {
            return state;
        }
        match stored.files {
            None => state.tracked = stored.tracked,
            Some(FilesPart::Name(name)) => {
                if let Some(read) = files(&name) {
                    state.files = read;
                    state.tracked = stored.tracked;
                    state.read_from = Some(name);
                }
            }
            Some(FilesPart::Inline(_)) => {}
        }
        state
    }

    /// The stored layout of this state, its files part named `files`.
    pub fn stored(&self, files: Option<String>) -> serde_json::Value {
        serde_json::to_value(Stored {
            v: self.version,
            tracked: self.tracked,
            files,
            webhook: &self.webhook,
        })
        .expect("the state serializes")
    }

    /// The commit payload for generation `gen`: counts, time, and this
    /// state, its files part written (synced) first unless that very file
    /// is already there.
    pub fn payload(&self, gen: &Path, articles: u64, pieces: u64) -> Result<String> {
        #[derive(Serialize)]
        struct Payload<'a> {
            articles: u64,
            pieces: u64,
            updated_at: String,
            state: Stored<&'a BTreeMap<String, WebhookState>>,
        }
        let files = if self.files.is_empty() {
            None
        } else {
            Some(write_files(gen, &self.files)?)
        };
        Ok(serde_json::to_string(&Payload {
            articles,
            pieces,
            updated_at: crate::timestamp::now_rfc3339(),
            state: Stored {
                v: self.version,
                tracked: self.tracked,
                files,
                webhook: &self.webhook,
            },
        })
        .expect("the state serializes"))
    }
}

/// The files part a process read or wrote last, by path: a content-named
/// file never changes, so a hit is always right.
static FILES: Mutex<Option<(PathBuf, Arc<Files>)>> = Mutex::new(None);

fn cached() -> std::sync::MutexGuard<'static, Option<(PathBuf, Arc<Files>)>> {
    FILES.lock().unwrap_or_else(|e| e.into_inner())
}

fn files_path(gen: &Path, name: &str) -> PathBuf {
    gen.join(FOLDER).join(format!("{name}.json"))
}

fn read_files(gen: &Path, name: &str) -> Option<Arc<Files>> {
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    let path = files_path(gen, name);
    if let Some((cached_path, files)) = cached().as_ref() {
        // Still there: a state that lost its file must look that way.
        if *cached_path == path && path.is_file() {
            return Some(files.clone());
        }
    }
    let bytes = fs::read(&path).ok()?;
    let files: Arc<Files> = Arc::new(serde_json::from_slice(&bytes).ok()?);
    *cached() = Some((path, files.clone()));
    Some(files)
}

/// Writes `files` into generation `gen` (unless there already), synced;
/// returns its name.
fn write_files(gen: &Path, files: &Arc<Files>) -> Result<String> {
    if let Some((path, cached)) = cached().as_ref() {
        if Arc::ptr_eq(cached, files) && path.parent() == Some(&gen.join(FOLDER)) && path.is_file()
        {
            if let Some(name) = path.file_stem() {
                return Ok(name.to_string_lossy().into_owned());
            }
        }
    }
    let (name, json) = files_part(files);
    let path = crate::store::named::write_once(&gen.join(FOLDER), &name, &json)?;
    *cached() = Some((path, files.clone()));
    Ok(name)
}

/// The files part as it is kept: its content-derived name and its JSON.
pub(crate) fn files_part(files: &Files) -> (String, Vec<u8>) {
    let json = serde_json::to_vec(files).expect("the file state serializes");
    (format!("files-{:016x}", fnv64(&json)), json)
}

/// Removes the state files of generation `gen` but those in `keep` (the
/// committed one, and the one before it for a reader that has just read
/// the older commit). Best effort: what is left is removed next time.
pub(crate) fn prune(gen: &Path, keep: &[Option<&str>]) {
    let keep: HashSet<&str> = keep.iter().flatten().copied().collect();
    crate::store::named::prune(&gen.join(FOLDER), &keep);
}

/// The name of the files part a payload names.
pub(crate) fn files_named(payload: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Payload {
        state: Option<Stored<serde::de::IgnoredAny>>,
    }
    serde_json::from_str::<Payload>(payload).ok()?.state?.files
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
        for (path, file) in state.files.iter() {
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
        let gen = tempfile::tempdir().unwrap();
        let mut state = State::new(true);
        state.files_mut().insert(
            "roles/po.json".into(),
            FileState {
                size: 10,
                mtime: u64::MAX - 1,
                hash: u64::MAX,
                articles: vec![FileArticle("k".into(), "s".into(), None)],
                clashed: true,
                problems: vec![RecordedProblem("$.blocks".into(), "bad".into(), true)],
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
        let payload = state.payload(gen.path(), 3, 7).unwrap();
        let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(v["articles"], 3);
        assert_eq!(v["pieces"], 7);
        assert!(v["updated_at"].is_string());
        assert!(
            !payload.contains("roles/po.json"),
            "the files part is not in the payload"
        );
        *cached() = None;
        let back = State::load(gen.path(), Some(&payload));
        assert!(back.tracked);
        assert_eq!(back.files, state.files);
        assert_eq!(back.webhook, state.webhook);
        assert_eq!(back.read_from, files_named(&payload));
    }

    #[test]
    fn an_unchanged_files_part_is_named_again_and_a_changed_one_written_anew() {
        let gen = tempfile::tempdir().unwrap();
        let mut state = State::new(true);
        state
            .files_mut()
            .insert("a.json".into(), FileState::default());
        let first = files_named(&state.payload(gen.path(), 1, 1).unwrap()).unwrap();
        state.webhook.insert(
            "w".into(),
            WebhookState {
                version: "2024-01-01T00:00:00Z".into(),
                slug: None,
                blob: None,
            },
        );
        let again = files_named(&state.payload(gen.path(), 1, 1).unwrap()).unwrap();
        assert_eq!(first, again);
        state
            .files_mut()
            .insert("b.json".into(), FileState::default());
        let changed = files_named(&state.payload(gen.path(), 2, 2).unwrap()).unwrap();
        assert_ne!(first, changed);
        prune(gen.path(), &[Some(&changed)]);
        let left: Vec<_> = fs::read_dir(gen.path().join(FOLDER))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, [format!("{changed}.json")]);
    }

    #[test]
    fn a_missing_files_part_makes_the_state_untracked_but_keeps_the_webhook_part() {
        let gen = tempfile::tempdir().unwrap();
        let mut state = State::new(true);
        state
            .files_mut()
            .insert("a.json".into(), FileState::default());
        state.webhook.insert(
            "w".into(),
            WebhookState {
                version: "2024-01-01T00:00:00Z".into(),
                slug: Some("s".into()),
                blob: Some("b".into()),
            },
        );
        let payload = state.payload(gen.path(), 1, 1).unwrap();
        fs::remove_dir_all(gen.path().join(FOLDER)).unwrap();
        let back = State::load(gen.path(), Some(&payload));
        assert!(!back.tracked && back.files.is_empty());
        assert_eq!(back.webhook, state.webhook, "the webhook part is kept");
    }

    #[test]
    fn the_webhook_part_of_an_older_layout_is_read() {
        let payload = r#"{"articles":1,"pieces":2,"state":{"v":1,"tracked":true,
            "files":{"a.json":{"s":1,"m":2,"h":3,"a":[["k","s",null]]}},
            "webhook":{"w":{"v":"2024-01-01T00:00:00Z","s":"slug","b":"blob"}}}}"#;
        let state = State::load(Path::new("/nonexistent"), Some(payload));
        assert!(!state.tracked && state.files.is_empty());
        assert_eq!(state.webhook["w"].slug.as_deref(), Some("slug"));
    }

    #[test]
    fn a_payload_without_state_is_untracked() {
        let gen = Path::new("/nonexistent");
        let s = State::load(gen, Some(r#"{"articles":1,"pieces":2,"updated_at":"x"}"#));
        assert!(!s.tracked && s.files.is_empty() && s.webhook.is_empty());
        assert!(!State::load(gen, None).tracked);
    }

    #[test]
    fn claims_follow_webhook_entries_over_files() {
        let mut state = State::new(true);
        state.files_mut().insert(
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
