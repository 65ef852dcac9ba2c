//! Files named by their content, kept beside a generation: the webhook
//! articles (`blobs`) and the per-file state (`state`). A name never
//! changes meaning, so a file is written once, completely (a temporary
//! file, synced, renamed, the folder synced) before any commit names it,
//! and removed once no commit does.

use std::collections::HashSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// `dir/<name>.json`, written and synced unless it is already there.
pub(crate) fn write_once(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.join(format!("{name}.json"));
    if path.is_file() {
        return Ok(path);
    }
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
    let tmp = dir.join(format!("{name}.tmp"));
    let written = fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(format!("cannot write {}", tmp.display()), e));
    }
    fs::rename(&tmp, &path)
        .and_then(|_| fs::File::open(dir)?.sync_all())
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))?;
    Ok(path)
}

/// Removes the files of `dir` (temporary ones too) whose name is not in
/// `keep`. Best effort: what is left is removed next time.
pub(crate) fn prune(dir: &Path, keep: &HashSet<&str>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file
            .strip_suffix(".json")
            .is_none_or(|stem| !keep.contains(stem))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}
