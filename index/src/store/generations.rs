//! Where an index lives on disk, and how it changes without ever exposing a
//! half-built state.
//!
//! ```text
//! INDEX_DIR/
//!   CURRENT          name of the live generation ("gen-000004")
//!   gen-000004/      a complete tantivy index + rolesearch.json (format version)
//!   write.lock       held (flock) by the one process writing
//! ```
//!
//! A full build writes a new generation beside the live one, syncs it, then
//! replaces `CURRENT` by rename: readers see the old index or the new one,
//! never a mix, and a crash at any moment leaves `CURRENT` naming a complete
//! generation. Incremental changes commit inside the live generation, which
//! tantivy makes atomic. The lock is an OS file lock, so a killed writer
//! never leaves it held.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Bumped whenever the schema, the analyzers or the stored layout change:
/// an index of another version must be rebuilt, not read.
pub const FORMAT_VERSION: u32 = 6;

const CURRENT: &str = "CURRENT";
const STAMP: &str = "rolesearch.json";
const LOCK: &str = "write.lock";

/// What is stamped into each generation when it is created.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stamp {
    pub format_version: u32,
    /// Role ids by bit position of the `role_mask` field.
    pub roles: Vec<String>,
    pub created_at: String,
}

/// An index folder.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// The exclusive right to write an index folder, until dropped.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The live generation's folder and its stamp, checked.
    pub fn current(&self) -> Result<(PathBuf, Stamp)> {
        let pointer = self.dir.join(CURRENT);
        let name = match fs::read_to_string(&pointer) {
            Ok(name) => name.trim().to_string(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if self.dir.join("meta.json").exists() {
                    return Err(Error::Foreign {
                        path: self.dir.clone(),
                        reason: "a bare tantivy index without a CURRENT file".into(),
                    });
                }
                if self.dir.is_dir()
                    && fs::read_dir(&self.dir)
                        .map(|mut d| d.next().is_some())
                        .unwrap_or(false)
                {
                    let only_lock = fs::read_dir(&self.dir)
                        .map(|d| d.flatten().all(|e| e.file_name() == LOCK))
                        .unwrap_or(false);
                    if !only_lock {
                        return Err(Error::Foreign {
                            path: self.dir.clone(),
                            reason: "the folder has no CURRENT file".into(),
                        });
                    }
                }
                return Err(Error::NotFound(self.dir.clone()));
            }
            Err(e) => return Err(Error::io(format!("cannot read {}", pointer.display()), e)),
        };
        if !is_generation_name(&name) {
            return Err(Error::Foreign {
                path: self.dir.clone(),
                reason: format!("CURRENT names {name:?}, not a generation"),
            });
        }
        let gen = self.dir.join(&name);
        let stamp_path = gen.join(STAMP);
        let stamp_text = fs::read_to_string(&stamp_path).map_err(|e| Error::Foreign {
            path: self.dir.clone(),
            reason: format!("cannot read {}: {e}", stamp_path.display()),
        })?;
        let raw: serde_json::Value =
            serde_json::from_str(&stamp_text).map_err(|e| Error::Foreign {
                path: self.dir.clone(),
                reason: format!("{} is not valid JSON: {e}", stamp_path.display()),
            })?;
        let found = raw
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as u32;
        if found != FORMAT_VERSION {
            return Err(Error::Version {
                path: self.dir.clone(),
                found,
                expected: FORMAT_VERSION,
            });
        }
        let stamp: Stamp = serde_json::from_value(raw).map_err(|e| Error::Foreign {
            path: self.dir.clone(),
            reason: format!("{}: {e}", stamp_path.display()),
        })?;
        Ok((gen, stamp))
    }

    /// Name of the live generation, if any.
    pub fn current_name(&self) -> Option<String> {
        fs::read_to_string(self.dir.join(CURRENT))
            .ok()
            .map(|s| s.trim().to_string())
    }

    /// Takes the write lock, waiting up to `wait` for another writer. A
    /// folder that holds anything but rolesearch's own files is refused
    /// before anything is written into it, not even the lock.
    pub fn lock(&self, wait: Duration) -> Result<WriteLock> {
        self.refuse_foreign()?;
        fs::create_dir_all(&self.dir).map_err(|e| {
            Error::io(
                format!("cannot create index folder {}", self.dir.display()),
                e,
            )
        })?;
        let path = self.dir.join(LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(format!("cannot open {}", path.display()), e))?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(WriteLock { _file: file }),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if started.elapsed() >= wait {
                        return Err(Error::Locked(self.dir.clone()));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io(format!("cannot lock {}", path.display()), e))
                }
            }
        }
    }

    /// Errs if the folder exists and holds something rolesearch did not
    /// write: no `CURRENT`, and a file or folder that is not one of ours.
    fn refuse_foreign(&self) -> Result<()> {
        if self.dir.join(CURRENT).is_file() {
            return Ok(());
        }
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name == LOCK
                || name == "CURRENT.tmp"
                || (is_generation_name(&name) && entry.path().join(STAMP).is_file());
            if !ours {
                return Err(Error::Foreign {
                    path: self.dir.clone(),
                    reason: format!("it has no CURRENT file and holds {name:?}"),
                });
            }
        }
        Ok(())
    }

    /// Creates the folder of a new generation (not yet live), stamped.
    pub fn new_generation(
        &self,
        _lock: &WriteLock,
        roles: Vec<String>,
    ) -> Result<(String, PathBuf)> {
        let mut highest = 0u64;
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(n) = name
                    .strip_prefix("gen-")
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    highest = highest.max(n);
                }
            }
        }
        let name = format!("gen-{:06}", highest + 1);
        let path = self.dir.join(&name);
        fs::create_dir_all(&path)
            .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
        let stamp = Stamp {
            format_version: FORMAT_VERSION,
            roles,
            created_at: crate::timestamp::now_rfc3339(),
        };
        let json = serde_json::to_vec_pretty(&stamp).expect("a stamp serializes");
        write_synced(&path.join(STAMP), &json)?;
        Ok((name, path))
    }

    /// Makes `name` the live generation, atomically, then removes the
    /// generations before the one it replaces. The replaced one stays: a
    /// reader that has just read the old `CURRENT` can still open it.
    pub fn publish(&self, _lock: &WriteLock, name: &str) -> Result<()> {
        let previous = self.current_name();
        let gen = self.dir.join(name);
        sync_dir(&gen)?;
        let tmp = self.dir.join("CURRENT.tmp");
        write_synced(&tmp, name.as_bytes())?;
        fs::rename(&tmp, self.dir.join(CURRENT)).map_err(|e| {
            Error::io(
                format!("cannot replace {}", self.dir.join(CURRENT).display()),
                e,
            )
        })?;
        sync_dir(&self.dir)?;
        let mut keep = vec![name];
        keep.extend(previous.as_deref());
        self.remove_stale(&keep);
        Ok(())
    }

    /// Removes generations not in `keep` (left by replaced or crashed
    /// builds). Failures are harmless: the next build tries again.
    pub fn remove_stale(&self, keep: &[&str]) {
        if let Ok(entries) = fs::read_dir(&self.dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if is_generation_name(&name) && !keep.contains(&name.as_str()) {
                    let _ = fs::remove_dir_all(entry.path());
                }
            }
        }
    }
}
fn is_generation_name(name: &str) -> bool {
    name.strip_prefix("gen-")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::create(path)
        .map_err(|e| Error::io(format!("cannot create {}", path.display()), e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

fn sync_dir(path: &Path) -> Result<()> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(format!("cannot sync {}", path.display()), e))
}
