//! Incremental indexing: bring the live generation in line with a content
//! folder by reading only the files that were added, changed or removed
//! since the state its last commit recorded.
//!
//! A file whose size and modification time are unchanged is not read; one
//! whose bytes hash the same is not re-indexed. A changed file's articles
//! (before and after) are deleted by key and its new ones added, one batch
//! per article. Everything, the new per-file state included, goes into one
//! tantivy commit: a crash leaves the index as it was before the run or as
//! it is after it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use indexer::{Article, Problem};

use crate::error::{Error, Result};
use crate::store::state::Claims;
use crate::write::build::{build_into, BuildOptions, BuildReport};
use crate::write::embedded::FolderTarget;
use crate::write::folder;
use crate::write::scan::{self, Loaded};
use crate::write::target::Target;

/// What an update did.
#[derive(Debug, Default)]
pub struct UpdateReport {
    /// A full build was done instead: there was no index, an index of
    /// another format version, or one that tracks no content files.
    pub full: bool,
    /// `.json` files in the content folder.
    pub files: usize,
    /// Files read (new, or size or time moved).
    pub read: usize,
    pub added: usize,
    /// Files whose bytes changed.
    pub changed: usize,
    pub removed: usize,
    /// Articles (re)indexed.
    pub upserted: usize,
    /// Articles removed and not re-added.
    pub deleted: usize,
    /// Articles and pieces in the index after the update.
    pub articles: u64,
    pub pieces: u64,
    /// Whether a commit was made (nothing changed: none).
    pub committed: bool,
    /// Problems of the files read: skipped files and articles, warnings.
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

impl UpdateReport {
    pub fn skipped(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == indexer::Severity::Skipped)
    }

    fn of_build(build: BuildReport) -> UpdateReport {
        UpdateReport {
            full: true,
            files: build.files,
            read: build.files,
            added: build.files,
            upserted: build.articles,
            articles: build.articles as u64,
            pieces: build.pieces as u64,
            committed: true,
            problems: build.problems,
            elapsed: build.elapsed,
            ..UpdateReport::default()
        }
    }
}

/// A file to (re)read.
struct Pending {
    rel: String,
    path: PathBuf,
    loaded: Loaded,
    /// The hash it had, if it was known.
    before: Option<u64>,
}

/// Updates the index in `index_dir` from the content folder `content`,
/// reading only added, changed and removed files; builds a full index if
/// there is none yet (or one of another format version, or one that
/// tracks no files). `progress(done, total)` is called as files are
/// checked. Takes the write lock for the whole run; returns once the
/// change is committed (durable, and visible to a reader that reloads).
pub fn update(
    content: &Path,
    index_dir: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<UpdateReport> {
    let started = Instant::now();
    let files = indexer::list_files(content)?;
    let target = FolderTarget::lock(index_dir, options.lock_wait)?;
    update_into(&target, content, &files, options, progress, started)
}

/// [`update`] of a target held for writing, the files listed.
pub(crate) fn update_into(
    target: &dyn Target,
    content: &Path,
    files: &[PathBuf],
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize),
    started: Instant,
) -> Result<UpdateReport> {
    let mut live = match target.live(options) {
        Ok(live) if live.state().tracked => live,
        Ok(_) | Err(Error::NotFound(_) | Error::Version { .. }) => {
            let build = build_into(target, content, files, options, progress, started)?;
            return Ok(UpdateReport::of_build(build));
        }
        Err(e) => return Err(e),
    };
    let mut report = UpdateReport {
        files: files.len(),
        ..UpdateReport::default()
    };

    // Which files to read: new ones, and known ones whose size or time
    // moved (or that lost an article to a clash last time).
    let scan_started = SystemTime::now();
    let mut seen = HashSet::with_capacity(files.len());
    let mut pending = Vec::new();
    let total = files.len();
    for (i, path) in files.iter().enumerate() {
        let rel = scan::relative(content, path);
        let recorded = live.state().files.get(&rel);
        let unchanged = recorded.is_some_and(|r| {
            scan::stat(path).is_some_and(|(size, mtime)| scan::unchanged(r, size, mtime))
        });
        // A file still broken is reported until it is fixed.
        let replay = |r: &crate::store::state::FileState| -> Vec<Problem> {
            let source = path.display().to_string();
            r.problems.iter().map(|p| p.replay(&source)).collect()
        };
        if unchanged {
            report
                .problems
                .extend(recorded.map(replay).unwrap_or_default());
        } else {
            let loaded = scan::load(path, scan_started);
            report.read += 1;
            match recorded {
                // Same bytes: only the recorded time moves.
                Some(r) if r.hash == loaded.state.hash && !r.clashed => {
                    report.problems.extend(replay(r));
                    let r = live
                        .state_mut()
                        .files_mut()
                        .get_mut(&rel)
                        .expect("recorded");
                    if (r.size, r.mtime) != (loaded.state.size, loaded.state.mtime) {
                        r.size = loaded.state.size;
                        r.mtime = loaded.state.mtime;
                        live.touch();
                    }
                }
                _ => pending.push(Pending {
                    before: recorded.map(|r| r.hash),
                    rel: rel.clone(),
                    path: path.clone(),
                    loaded,
                }),
            }
        }
        seen.insert(rel);
        progress(i + 1, total);
    }
    let removed: Vec<String> = live
        .state()
        .files
        .keys()
        .filter(|rel| !seen.contains(*rel))
        .cloned()
        .collect();

    // Let go of what removed and re-read files held, then admit the new
    // articles in path order (the order of a full build).
    let mut claims = Claims::of(live.state());
    let mut released: Vec<String> = Vec::new();
    for rel in &removed {
        let file = live.state_mut().files_mut().remove(rel).expect("listed");
        released.extend(claims.release_file(rel, &file));
        report.removed += 1;
        live.touch();
    }
    let mut upserts: Vec<Article> = Vec::new();
    let mut kept: HashSet<String> = HashSet::new();
    for p in &pending {
        if let Some(file) = live.state().files.get(&p.rel) {
            released.extend(claims.release_file(&p.rel, file));
        }
    }
    for p in pending {
        let before = live.state().files.get(&p.rel).cloned();
        let same_bytes = p.before == Some(p.loaded.state.hash);
        let read = scan::parse(&p.path, p.loaded, &options.taxonomy);
        let (accepted, problems) =
            folder::admit(content, &p.rel, read, &mut claims, live.state_mut());
        report.problems.extend(problems);
        let after = &live.state().files[&p.rel];
        if same_bytes
            && before
                .as_ref()
                .is_some_and(|b| b.articles == after.articles)
        {
            // Read again only because of a clash, which still stands: the
            // index already holds what it gives.
            kept.extend(after.articles.iter().map(|a| a.0.clone()));
            if before.as_ref() != Some(after) {
                live.touch();
            }
            continue;
        }
        match p.before {
            None => report.added += 1,
            Some(_) if !same_bytes => report.changed += 1,
            Some(_) => {}
        }
        live.touch();
        upserts.extend(accepted);
    }

    // Write: deletes of what is gone, then each new article in one batch.
    let upserted: HashSet<&str> = upserts.iter().map(|a| a.key.as_str()).collect();
    let mut deleted = HashSet::new();
    for key in &released {
        if !upserted.contains(key.as_str()) && !kept.contains(key) && deleted.insert(key) {
            live.delete(key)?;
            report.deleted += 1;
        }
    }
    for article in &upserts {
        live.upsert(article)?;
        report.upserted += 1;
    }
    let committed = live.commit()?;
    (report.articles, report.pieces) = (committed.articles, committed.pieces);
    report.committed = committed.committed;
    report.elapsed = started.elapsed();
    Ok(report)
}
