//! Content files as the incremental indexer sees them: a path relative to
//! the content folder, size and modification time (cheap, from a `stat`),
//! and a 64-bit hash of the bytes (read only when size or time moved).

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use indexer::{Parsed, Problem, Severity, Taxonomy};

use crate::store::hash::fnv64;
use crate::store::state::FileState;

/// A modification time this close to the scan is not trusted: the file may
/// change again within the file system's time resolution without its time
/// moving, so it is read again next time (the "racy" case of git's index).
const RACY: Duration = Duration::from_secs(2);

/// `path` relative to `content`, with `/` separators.
pub(crate) fn relative(content: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(content).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Size and modification time (ns) of a file; `None` if it cannot be read.
pub(crate) fn stat(path: &Path) -> Option<(u64, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    Some((meta.len(), mtime))
}

/// Whether a file's recorded state says it is unchanged, without reading it.
pub(crate) fn unchanged(recorded: &FileState, size: u64, mtime: u64) -> bool {
    recorded.mtime != 0 && !recorded.clashed && recorded.size == size && recorded.mtime == mtime
}

/// The bytes of one content file, and its recorded state.
pub(crate) struct Loaded {
    pub state: FileState,
    bytes: Result<Vec<u8>, String>,
}

/// One content file, parsed.
pub(crate) struct Read {
    pub state: FileState,
    pub parsed: Parsed,
}

/// Reads one content file and records its size, time and hash. `started`
/// is when the scan began (see [`RACY`]). A file that cannot be read has
/// no articles and is tried again next time.
pub(crate) fn load(path: &Path, started: SystemTime) -> Loaded {
    let stat = stat(path);
    match std::fs::read(path) {
        Ok(bytes) => {
            let (size, mut mtime) = stat.unwrap_or((bytes.len() as u64, 0));
            let trusted = started
                .checked_sub(RACY)
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .is_some_and(|limit| u128::from(mtime) < limit.as_nanos());
            if !trusted {
                mtime = 0;
            }
            Loaded {
                state: FileState {
                    size,
                    mtime,
                    hash: fnv64(&bytes),
                    ..FileState::default()
                },
                bytes: Ok(bytes),
            }
        }
        Err(e) => Loaded {
            state: FileState::default(),
            bytes: Err(format!("cannot read the file: {e}")),
        },
    }
}

/// Parses a loaded file into articles, with its problems.
pub(crate) fn parse(path: &Path, loaded: Loaded, taxonomy: &Taxonomy) -> Read {
    let source = path.display().to_string();
    let parsed = match &loaded.bytes {
        Ok(bytes) => {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            indexer::parse_file(&source, &stem, bytes, taxonomy)
        }
        Err(reason) => Parsed {
            articles: Vec::new(),
            problems: vec![Problem {
                source,
                path: "$".to_string(),
                reason: reason.clone(),
                severity: Severity::Skipped,
            }],
        },
    };
    Read {
        state: loaded.state,
        parsed,
    }
}

/// Reads and parses one content file.
pub(crate) fn read(path: &Path, taxonomy: &Taxonomy, started: SystemTime) -> Read {
    parse(path, load(path, started), taxonomy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_use_slashes() {
        let content = Path::new("/c");
        assert_eq!(
            relative(content, Path::new("/c/roles/po.json")),
            "roles/po.json"
        );
    }

    #[test]
    fn a_file_changed_just_before_the_scan_is_read_again_next_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        std::fs::write(&path, "[]").unwrap();
        let now = SystemTime::now();
        assert_eq!(read(&path, &Taxonomy::builtin(), now).state.mtime, 0);
        let old = now - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let read = read(&path, &Taxonomy::builtin(), now);
        assert_ne!(read.state.mtime, 0);
        let (size, mtime) = stat(&path).unwrap();
        assert!(unchanged(&read.state, size, mtime));
    }
}
