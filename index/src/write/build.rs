//! Writing the index: articles in, tantivy documents out, committed
//! atomically.
//!
//! A full build reads the content folder file by file (never the whole
//! corpus in memory), writes a new generation and publishes it only once it
//! is complete and synced. One bad file or article is reported and skipped;
//! the build goes on.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter};

use indexer::{Article, Problem, Taxonomy};

use crate::analysis::analyzer;
use crate::embedded::documents::article_documents;
use crate::embedded::schema::Fields;
use crate::error::{Error, Result};
use crate::store::state::{Claims, State};
use crate::store::{Store, WriteLock};
use crate::write::carry::Carried;
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
    let store = Store::new(index_dir);
    let lock = store.lock(options.lock_wait)?;
    build_locked(content, &files, &store, &lock, options, progress, started)
}

/// [`build`], with the lock held and the files listed.
pub(crate) fn build_locked(
    content: &Path,
    files: &[PathBuf],
    store: &Store,
    lock: &WriteLock,
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize, usize),
    started: Instant,
) -> Result<BuildReport> {
    let report = BuildReport {
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
    let mut carried = Carried::from_live(store, options.taxonomy.default_locale());
    in_new_generation(
        store,
        lock,
        options,
        report,
        started,
        |gen, writer, report| {
            let mut state = State::new(true);
            carried.seed(&mut state, &mut report.problems);
            let mut claims = Claims::of(&state);
            let scan_started = SystemTime::now();
            let total = files.len();
            for (i, file) in files.iter().enumerate() {
                let read = scan::read(file, &options.taxonomy, scan_started);
                let rel = scan::relative(content, file);
                let (accepted, problems) =
                    folder::admit(content, &rel, read, &mut claims, &mut state);
                report.problems.extend(problems);
                for article in &accepted {
                    writer.add(article)?;
                    report.count(article);
                }
                progress(i + 1, total);
            }
            let mut problems = Vec::new();
            carried.re_add(gen, &mut state, &mut problems, &mut |article| {
                writer.add(article)?;
                report.count(article);
                Ok(())
            })?;
            report.problems.extend(problems);
            Ok(state)
        },
    )
}

/// Writes a new generation (what `fill` adds, committed with the state it
/// returns) and publishes it; if anything fails, the generation is removed
/// and the live one stays.
fn in_new_generation(
    store: &Store,
    lock: &WriteLock,
    options: &BuildOptions,
    mut report: BuildReport,
    started: Instant,
    fill: impl FnOnce(&Path, &mut GenerationWriter, &mut BuildReport) -> Result<State>,
) -> Result<BuildReport> {
    let (name, gen) = store.new_generation(lock, role_ids(&options.taxonomy))?;
    let result = (|| -> Result<()> {
        let mut writer = GenerationWriter::create(&gen, options)?;
        let state = fill(&gen, &mut writer, &mut report)?;
        writer.commit(&gen, &report, &state)?;
        writer.finish()
    })();
    match result {
        Ok(()) => {
            store.publish(lock, &name)?;
            report.elapsed = started.elapsed();
            Ok(report)
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&gen);
            Err(e)
        }
    }
}

/// Builds a new live index from articles already in memory (webhook
/// fixtures, tests, the benchmark's synthetic corpus). It tracks no content
/// files: a later [`crate::write::update`] rebuilds from the folder.
pub fn build_from_articles(
    index_dir: &Path,
    articles: &[Article],
    options: &BuildOptions,
) -> Result<BuildReport> {
    let store = Store::new(index_dir);
    let lock = store.lock(options.lock_wait)?;
    publish_articles(&store, &lock, articles, options)
}

/// [`build_from_articles`], with the lock held.
pub(crate) fn publish_articles(
    store: &Store,
    lock: &WriteLock,
    articles: &[Article],
    options: &BuildOptions,
) -> Result<BuildReport> {
    let started = Instant::now();
    let report = BuildReport::default();
    in_new_generation(
        store,
        lock,
        options,
        report,
        started,
        |_, writer, report| {
            for article in articles {
                writer.add(article)?;
                report.count(article);
            }
            Ok(State::new(false))
        },
    )
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

struct GenerationWriter {
    writer: IndexWriter,
    fields: Fields,
    roles: Vec<String>,
}

impl GenerationWriter {
    fn create(gen: &Path, options: &BuildOptions) -> Result<GenerationWriter> {
        let (schema, fields) = Fields::schema();
        // zstd shrinks the stored text about a third more than the default
        // lz4, for a few microseconds more per document read.
        let settings = tantivy::IndexSettings {
            docstore_compression: tantivy::store::Compressor::Zstd(
                tantivy::store::ZstdCompressor {
                    compression_level: Some(3),
                },
            ),
            ..tantivy::IndexSettings::default()
        };
        let index = Index::builder()
            .schema(schema)
            .settings(settings)
            .create_in_dir(gen)?;
        analyzer::register(&index);
        let writer: IndexWriter =
            index.writer_with_num_threads(options.threads, options.memory_budget)?;
        Ok(GenerationWriter {
            writer,
            fields,
            roles: role_ids(&options.taxonomy),
        })
    }

    fn add(&mut self, article: &Article) -> Result<()> {
        // One batch: an article's pieces land in one segment, next to each
        // other, which the facet counts rely on.
        let ops: Vec<UserOperation> = article_documents(article, &self.fields, &self.roles)
            .into_iter()
            .map(UserOperation::Add)
            .collect();
        self.writer.run(ops)?;
        Ok(())
    }

    fn commit(&mut self, gen: &Path, report: &BuildReport, state: &State) -> Result<()> {
        let payload = state.payload(gen, report.articles as u64, report.pieces as u64)?;
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::io("i/o", e)
    }
}
