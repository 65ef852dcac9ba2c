//! The writer, verifier and stopwatch behind `scripts/crash-test`.
//!
//! ```text
//! crash_writer init    INDEX CONTENT        full build of CONTENT into INDEX
//! crash_writer run     INDEX CONTENT LOG SEED
//!                      edits, removes and restores content files and runs
//!                      `update`, applies webhook upserts and deletes (some
//!                      stale), now and then a full `build`; forever, until
//!                      killed. After each commit it appends
//!                      "generation opstamp articles pieces" to LOG.
//! crash_writer verify  INDEX LOG            after a kill: the lock is free,
//!                      the index opens, a search runs, `index::check` finds
//!                      every article whole and the counts and state in
//!                      agreement, and the live commit is the last one LOG
//!                      names (same counts) or a later one.
//! crash_writer measure CONTENT              on a copy of CONTENT: full build,
//!                      then the time of an `update` after changing one file
//!                      and of an `apply` of one upsert.
//! ```

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use index::{BuildOptions, Change, OpenOptions, SearchIndex, SearchRequest, Store};
use indexer::{Article, Taxonomy};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| PathBuf::from(args.get(i).map(String::as_str).unwrap_or_default());
    let result = match args.first().map(String::as_str) {
        Some("init") if args.len() == 3 => init(&arg(1), &arg(2)),
        Some("run") if args.len() == 5 => run(
            &arg(1),
            &arg(2),
            &arg(3),
            args[4].parse().unwrap_or(1),
        ),
        Some("verify") if args.len() == 3 => verify(&arg(1), &arg(2)),
        Some("measure") if args.len() == 2 => measure(&arg(1)),
        _ => Err("usage: crash_writer init INDEX CONTENT | run INDEX CONTENT LOG SEED | verify INDEX LOG | measure CONTENT".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crash_writer: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

fn options() -> BuildOptions {
    BuildOptions {
        lock_wait: Duration::from_secs(5),
        ..BuildOptions::default()
    }
}

fn init(index: &Path, content: &Path) -> Result {
    let report = index::build(content, index, &options(), &mut |_, _| {})?;
    println!(
        "built {} articles, {} pieces",
        report.articles, report.pieces
    );
    Ok(())
}

/// xorshift64*: reproducible from a seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// RFC 3339 with nanoseconds, `offset` seconds from now.
fn version(offset: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let secs = now.as_secs().saturating_add_signed(offset);
    index::format_unix_fraction(secs, &format!(".{:09}", now.subsec_nanos()))
}

fn webhook_article(n: usize, text: &str) -> Article {
    let entry = json!({
        "id": 10_000 + n,
        "documentId": format!("crash{n:04}"),
        "title": format!("Crash test article {n}"),
        "slug": format!("crash-test-article-{n}"),
        "publishedAt": "2026-01-01T00:00:00.000Z",
        "blocks": [
            {"__component": "shared.rich-text",
             "body": format!("## Part one\n\n{text}\n\n## Part two\n\n- a product owner\n- a scrum master\n")}
        ],
    });
    indexer::parse_entry("webhook", &entry, &Taxonomy::builtin())
        .expect("a valid entry")
        .0
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    indexer::list_files(dir).unwrap_or_default()
}

/// Replaces a file atomically (a kill never leaves it half-written).
fn replace(path: &Path, bytes: &[u8], scratch: &Path) -> Result {
    let tmp = scratch.join("edit.tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

fn run(index: &Path, content: &Path, log: &Path, seed: u64) -> Result {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let parked = content.with_extension("parked");
    std::fs::create_dir_all(&parked)?;
    let options = options();
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    for n in 0usize.. {
        let roll = rng.below(100);
        if roll < 35 {
            // Edit a file: a new description, or the same JSON laid out
            // differently (same articles, new bytes).
            let files = json_files(content);
            let file = &files[rng.below(files.len())];
            let mut value: Value = serde_json::from_slice(&std::fs::read(file)?)?;
            let bytes = if value.get("description").is_some() {
                value["description"] = json!(format!("Edited by the crash test, round {n}."));
                serde_json::to_vec_pretty(&value)?
            } else if rng.below(2) == 0 {
                serde_json::to_vec(&value)?
            } else {
                serde_json::to_vec_pretty(&value)?
            };
            replace(file, &bytes, &parked)?;
            trace(seed, n, &format!("edit {}", file.display()));
            index::update(content, index, &options, &mut |_, _| {})?;
        } else if roll < 45 {
            let files = json_files(content);
            if files.len() > 5 {
                let file = &files[rng.below(files.len())];
                let name = file
                    .strip_prefix(content)?
                    .to_string_lossy()
                    .replace('/', "__");
                std::fs::rename(file, parked.join(&name))?;
                trace(seed, n, &format!("park {name}"));
            }
            index::update(content, index, &options, &mut |_, _| {})?;
        } else if roll < 55 {
            let files = json_files(&parked);
            if let Some(file) = files.get(rng.below(files.len())) {
                let name = file
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .replace("__", "/");
                std::fs::rename(file, content.join(&name))?;
                trace(seed, n, &format!("restore {name}"));
            }
            index::update(content, index, &options, &mut |_, _| {})?;
        } else if roll < 92 {
            let changes: Vec<Change> = (0..1 + rng.below(3))
                .map(|_| {
                    let k = rng.below(12);
                    // Mostly now; sometimes an hour old (stale, or not).
                    let v = version(if rng.below(4) == 0 { -3600 } else { 0 });
                    if rng.below(4) == 0 {
                        Change::Delete {
                            key: webhook_article(k, "").key,
                            version: v,
                        }
                    } else {
                        Change::Upsert {
                            article: webhook_article(k, &format!("Webhook text, round {n}.")),
                            version: v,
                        }
                    }
                })
                .collect();
            let what: Vec<String> = changes
                .iter()
                .map(|c| format!("{} {}", c.key(), c.version()))
                .collect();
            trace(seed, n, &format!("apply {what:?}"));
            let report = index::apply(index, &changes, &options)?;
            trace(seed, n, &format!("applied {:?}", report.outcomes));
        } else if roll < 97 {
            trace(seed, n, "build");
            index::build(content, index, &options, &mut |_, _| {})?;
        } else {
            trace(seed, n, "update");
            index::update(content, index, &options, &mut |_, _| {})?;
        }
        let check = index::check(index)?;
        if !check.is_consistent() {
            return Err(format!("inconsistent while running: {:?}", check.faults).into());
        }
        writeln!(
            log,
            "{} {} {} {}",
            check.generation, check.opstamp, check.articles, check.pieces
        )?;
    }
    Ok(())
}

/// Notes an operation on stderr when CRASH_TRACE is set.
fn trace(seed: u64, n: usize, what: &str) {
    if std::env::var_os("CRASH_TRACE").is_some() {
        eprintln!("[{seed}.{n}] {what}");
    }
}

fn generation_number(name: &str) -> u64 {
    name.trim_start_matches("gen-").parse().unwrap_or(0)
}

fn verify(index: &Path, log: &Path) -> Result {
    // A killed writer never leaves the lock held.
    let lock = Store::new(index)
        .lock(Duration::ZERO)
        .map_err(|e| format!("the write lock is still held: {e}"))?;
    drop(lock);
    // Nor tantivy's own writer lock in the generation.
    let current = std::fs::read_to_string(index.join("CURRENT"))?;
    let writer: tantivy::IndexWriter =
        tantivy::Index::open_in_dir(index.join(current.trim()))?.writer(15_000_000)?;
    drop(writer);
    let check = index::check(index)?;
    if !check.is_consistent() {
        return Err(format!("inconsistent index: {:?}", check.faults).into());
    }
    let opened = SearchIndex::open(index, OpenOptions::default())?;
    let response = opened.search(&SearchRequest::new("product owner backlog"))?;
    if response.hits.is_empty() {
        return Err("a search found nothing".into());
    }
    let stats = opened.stats()?;
    if stats.articles as u64 != check.articles {
        return Err(format!(
            "stats say {} articles, the check counted {}",
            stats.articles, check.articles
        )
        .into());
    }
    // The live commit is the last logged one, or one made after it.
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let last = text.lines().rev().find_map(|line| {
        let f: Vec<&str> = line.split(' ').collect();
        (f.len() == 4).then(|| {
            Some((
                f[0].to_string(),
                f[1].parse::<u64>().ok()?,
                f[2].parse::<u64>().ok()?,
                f[3].parse::<u64>().ok()?,
            ))
        })?
    });
    let relation = match last {
        None => "nothing logged yet",
        Some((gen, opstamp, articles, pieces))
            if gen == check.generation && opstamp == check.opstamp =>
        {
            if (articles, pieces) != (check.articles, check.pieces) {
                return Err(format!(
                    "commit {gen}@{opstamp} was logged with {articles} articles, {pieces} pieces; the index has {}, {}",
                    check.articles, check.pieces
                )
                .into());
            }
            "the last logged commit"
        }
        Some((gen, opstamp, _, _)) => {
            let later = generation_number(&check.generation) > generation_number(&gen)
                || (check.generation == gen && check.opstamp > opstamp);
            if !later {
                return Err(format!(
                    "the index is at {}@{}, older than the logged {gen}@{opstamp}",
                    check.generation, check.opstamp
                )
                .into());
            }
            "a commit after the last logged one"
        }
    };
    println!(
        "ok {}@{}: {} articles, {} pieces, {} webhook, {} deleted; {relation}",
        check.generation,
        check.opstamp,
        check.articles,
        check.pieces,
        check.webhook_articles,
        check.tombstones
    );
    Ok(())
}

fn copy_dir(from: &Path, to: &Path, mtime: SystemTime) -> Result<usize> {
    std::fs::create_dir_all(to)?;
    let mut n = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            n += copy_dir(&entry.path(), &target, mtime)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            std::fs::File::options()
                .write(true)
                .open(&target)?
                .set_modified(mtime)?;
            n += 1;
        }
    }
    Ok(n)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn measure(source: &Path) -> Result {
    let scratch = tempfile::tempdir()?;
    let content = scratch.path().join("content");
    let index = scratch.path().join("index");
    let copied = copy_dir(
        source,
        &content,
        SystemTime::now() - Duration::from_secs(3600),
    )?;
    let options = BuildOptions::default();
    let t = Instant::now();
    let built = index::build(&content, &index, &options, &mut |_, _| {})?;
    println!(
        "full build: {copied} files, {} articles, {} pieces in {}",
        built.articles,
        built.pieces,
        ms(t.elapsed())
    );
    let t = Instant::now();
    let nothing = index::update(&content, &index, &options, &mut |_, _| {})?;
    println!(
        "update, nothing changed: read {} files in {}",
        nothing.read,
        ms(t.elapsed())
    );

    let reader = SearchIndex::open(&index, OpenOptions::default())?;
    let files = json_files(&content);
    let (mut updates, mut visible, mut applies) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..7 {
        // Change one article file.
        let file = &files[(round * 1543) % files.len()];
        let mut value: Value = serde_json::from_slice(&std::fs::read(file)?)?;
        let word = format!("zorbleflux{}", "q".repeat(round + 1));
        let Some(body) = value
            .pointer_mut("/blocks/0/body")
            .filter(|b| b.is_string())
        else {
            return Err(format!(
                "{}: measure changes article objects whose first block is rich text \
                 (as the benchmark corpus has), this file is not one",
                file.display()
            )
            .into());
        };
        *body = json!(format!(
            "{}\n\nA new paragraph: {word}.\n",
            body.as_str().unwrap_or_default()
        ));
        std::fs::write(file, serde_json::to_vec_pretty(&value)?)?;
        let t = Instant::now();
        let report = index::update(&content, &index, &options, &mut |_, _| {})?;
        let took = t.elapsed();
        assert_eq!((report.changed, report.upserted), (1, 1), "{report:?}");
        updates.push(took);
        reader.reload()?;
        let hits = reader.search(&SearchRequest::new(&word))?.hits.len();
        visible.push(t.elapsed());
        assert!(hits >= 1, "{word} not found after the update");

        // Apply one upsert.
        let article = webhook_article(round, &format!("Webhook text, round {round}."));
        let t = Instant::now();
        let report = index::apply(
            &index,
            &[Change::Upsert {
                article,
                version: version(0),
            }],
            &options,
        )?;
        applies.push(t.elapsed());
        assert_eq!(report.upserted, 1);
    }
    let check = index::check(&index)?;
    println!(
        "update after changing one file: median {}, max {} ({} rounds; searchable after reload: median {})",
        ms(median(updates.clone())),
        ms(*updates.iter().max().unwrap()),
        updates.len(),
        ms(median(visible))
    );
    println!(
        "apply one upsert: median {}, max {}",
        ms(median(applies.clone())),
        ms(*applies.iter().max().unwrap())
    );
    let gen = index.join(&check.generation);
    let meta = std::fs::metadata(gen.join("meta.json"))?.len();
    let state: u64 = std::fs::read_dir(gen.join("state"))
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    println!(
        "index after: {} articles, {} pieces, consistent: {}, meta.json (counts and webhook state) {} KiB, per-file state {} KiB",
        check.articles,
        check.pieces,
        check.is_consistent(),
        meta / 1024,
        state / 1024
    );
    Ok(())
}
