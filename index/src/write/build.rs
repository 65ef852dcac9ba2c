//! Writing the index: articles in, a new index out, made live atomically.
//!
//! A full build reads the content folder file by file (never the whole
//! corpus in memory), writes a new index (a generation folder, or an
//! OpenSearch index) and makes it live only once it is complete. One bad
//! file or article is reported and skipped; the build goes on.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use indexer::{Article, Problem, Taxonomy};

use crate::error::{Error, Result};
use crate::store::state::{Claims, State};
use crate::write::carry::Carried;
use crate::write::embedded::FolderTarget;
use crate::write::target::Target;
use crate::write::{folder, scan};

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub taxonomy: Arc<Taxonomy>,
    /// Memory for tantivy's indexing buffers, split between its threads.
    pub memory_budget: usize,
    /// A full build of a content folder raises `memory_budget` to twice
    /// the folder's bytes, up to this: fewer, larger segments, so a large
    /// corpus is not written as dozens of small segments merged again and
    /// again while it is read (at 100 copies of the manual, 24 segments
    /// and their merges made the build grow faster than the data).
    pub max_memory_budget: usize,
    pub threads: usize,
    /// How long to wait for another writer to finish.
    pub lock_wait: Duration,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            taxonomy: Arc::new(Taxonomy::builtin()),
            memory_budget: 96 << 20,
            max_memory_budget: 384 << 20,
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, 2),
            lock_wait: Duration::from_secs(30),
        }
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub files: usize,
    pub articles: usize,
    pub pieces: usize,
    /// Bytes of piece text indexed.
    pub text_bytes: usize,
    /// Skipped files and articles, and warnings.
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

impl BuildReport {
    fn count(&mut self, article: &Article) {
        self.articles += 1;
        self.pieces += article.pieces.len();
        self.text_bytes += article.pieces.iter().map(|p| p.text.len()).sum::<usize>();
    }

    pub fn skipped(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == indexer::Severity::Skipped)
    }
}

/// Builds a new index of every `.json` file below `content` into the index
/// folder `index_dir` and makes it live. `progress(done, total)` is called
/// after each file. On error the live index is left as it was.
///
/// The new generation records each file's size, time, hash and articles,
/// so that a later [`crate::write::update`] reads only what changed, and carries
/// over the articles, versions and tombstones of webhook changes
/// ([`crate::write::apply`]) from the generation it replaces.
pub fn build(
    content: &Path,
    index_dir: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<BuildReport> {
    let started = Instant::now();
    let files = indexer::list_files(content)?;
    let target = FolderTarget::lock(index_dir, options.lock_wait)?;
    build_into(&target, content, &files, options, progress, started)
}

/// [`build`] into a target held for writing, the files listed.
pub(crate) fn build_into(
    target: &dyn Target,
    content: &Path,
    files: &[PathBuf],
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize),
    started: Instant,
) -> Result<BuildReport> {
    let mut report = BuildReport {
        files: files.len(),
        ..BuildReport::default()
    };
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let grown = usize::try_from(bytes.saturating_mul(2)).unwrap_or(usize::MAX);
    let options = &BuildOptions {
        memory_budget: options
            .memory_budget
            .max(grown.min(options.max_memory_budget)),
        ..options.clone()
    };
    let mut carried = Carried::new(target.kept(), options.taxonomy.default_locale());
    let mut commit = target.fresh(options)?;
    *commit.state_mut() = State::new(true);
    carried.seed(commit.state_mut(), &mut report.problems);
    let mut claims = Claims::of(commit.state());
    let scan_started = SystemTime::now();
    let total = files.len();
    for (i, file) in files.iter().enumerate() {
        let read = scan::read(file, &options.taxonomy, scan_started);
        let rel = scan::relative(content, file);
        let (accepted, problems) =
            folder::admit(content, &rel, read, &mut claims, commit.state_mut());
        report.problems.extend(problems);
        for article in &accepted {
            commit.upsert(article)?;
            report.count(article);
        }
        progress(i + 1, total);
    }
    let mut problems = Vec::new();
    carried.re_add(&mut *commit, &mut problems, &mut |article| {
        report.count(article)
    })?;
    report.problems.extend(problems);
    commit.commit()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Builds a new live index from articles already in memory (webhook
/// fixtures, tests, the benchmark's synthetic corpus). It tracks no content
/// files: a later [`crate::write::update`] rebuilds from the folder.
pub fn build_from_articles(
    index_dir: &Path,
    articles: &[Article],
    options: &BuildOptions,
) -> Result<BuildReport> {
    let target = FolderTarget::lock(index_dir, options.lock_wait)?;
    build_articles_into(&target, articles, options)
}

/// [`build_from_articles`] into a target held for writing.
pub(crate) fn build_articles_into(
    target: &dyn Target,
    articles: &[Article],
    options: &BuildOptions,
) -> Result<BuildReport> {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let mut commit = target.fresh(options)?;
    for article in articles {
        commit.upsert(article)?;
        report.count(article);
    }
    commit.commit()?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Role ids by bit position; at most 64 roles fit the facet bit set.
pub(crate) fn role_ids(taxonomy: &Taxonomy) -> Vec<String> {
    taxonomy
        .roles()
        .iter()
        .take(64)
        .map(|r| r.id.clone())
        .collect()
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::io("i/o", e)
    }
}
