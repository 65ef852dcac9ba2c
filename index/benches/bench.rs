//! Indexing and search benchmark.
//!
//! ```text
//! cargo bench -p rolesearch-index --bench bench -- [OPTIONS]
//! ```
//!
//! For each corpus (synthetic, or a content folder such as the PostgreSQL
//! manual made by `scripts/bench-corpus`) it measures a full build with
//! `index::build` (listing, reading and parsing the files included) in a
//! child process, so that the child's peak RSS is the build's alone, then
//! opens the index and times `SearchIndex::search` over a fixed query mix.
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it is a
//! quick smoke test on a tiny synthetic corpus.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use index::{BuildOptions, OpenOptions, SearchIndex};
use serde_json::{json, Value};

use support::corpus::Generator;
use support::flags::{number, Flags};
use support::queries::{self, BenchQuery};

const USAGE: &str = "\
usage: cargo bench -p rolesearch-index --bench bench -- [OPTIONS]

Corpora (in the order given; default --synthetic 1000,10000,100000):
  --synthetic N[,N...]   a synthetic corpus of N articles (repeatable)
  --content DIR          an existing content folder (repeatable; relative to
                         the workspace root or to index/, where cargo runs it)
  --index DIR            an index folder already built: searches only

Options:
  --queries N            timed searches, cycling over the mix (default 1000)
  --warmup N             untimed searches first (default 300)
  --json                 JSON lines on stdout (the table goes to stderr)
  --threads N            indexing threads (default: the build's default)
  --memory-mb N          indexing memory budget in MiB (default: the build's)
  --per-file N           synthetic articles per JSON file (default 1;
                         N > 1 writes {\"data\": [...]} lists)
  --builds N             build N times, report the median build (default 1)
  --phases               also time reading + parsing alone (no indexing),
                         and count indexed tokens and stored bytes by field
  --workdir DIR          where temporary corpora and indexes go
  --keep                 keep them (their paths are printed)
  --seed N               synthetic corpus seed (default 1)
  --list-queries         print the query mix and exit
";

const DEFAULT_SYNTHETIC: &[usize] = &[1000, 10_000, 100_000];

#[derive(Debug, Clone)]
enum Source {
    Synthetic(usize),
    Content(PathBuf),
    /// An index already built: searches only.
    Index(PathBuf),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Source::Synthetic(n) => format!("synthetic-{n}"),
            Source::Index(dir) => format!("index:{}", dir.display()),
            Source::Content(dir) => {
                // "bench-out/corpus-10x/content" reads better as "corpus-10x".
                let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
                match (name.as_deref(), dir.parent().and_then(|p| p.file_name())) {
                    (Some("content"), Some(parent)) => parent.to_string_lossy().into_owned(),
                    (Some(n), _) => n.to_string(),
                    _ => dir.display().to_string(),
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
struct Options {
    sources: Vec<Source>,
    queries: usize,
    warmup: usize,
    json: bool,
    threads: Option<usize>,
    memory_mb: Option<usize>,
    per_file: usize,
    builds: usize,
    phases: bool,
    workdir: Option<PathBuf>,
    keep: bool,
    seed: u64,
    list_queries: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sources: Vec::new(),
            queries: 1000,
            warmup: 300,
            json: false,
            threads: None,
            memory_mb: None,
            per_file: 1,
            builds: 1,
            phases: false,
            workdir: None,
            keep: false,
            seed: 1,
            list_queries: false,
        }
    }
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag.as_str() {
            // cargo bench adds it; cargo test does not.
            "--bench" => {}
            "--synthetic" => {
                let v = flags.value("--synthetic")?;
                for n in v.split(',').filter(|s| !s.is_empty()) {
                    o.sources.push(Source::Synthetic(number("--synthetic", n)?));
                }
            }
            "--content" => o
                .sources
                .push(Source::Content(content_dir(&flags.value("--content")?))),
            "--index" => o
                .sources
                .push(Source::Index(content_dir(&flags.value("--index")?))),
            "--queries" => o.queries = flags.number("--queries")?,
            "--warmup" => o.warmup = flags.number("--warmup")?,
            "--threads" => o.threads = Some(flags.number("--threads")?.max(1)),
            "--memory-mb" => o.memory_mb = Some(flags.number("--memory-mb")?),
            "--per-file" => o.per_file = flags.number("--per-file")?.max(1),
            "--builds" => o.builds = flags.number("--builds")?.max(1),
            "--workdir" => o.workdir = Some(flags.value("--workdir")?.into()),
            "--seed" => o.seed = flags.number("--seed")? as u64,
            "--json" => o.json = true,
            "--phases" => o.phases = true,
            "--keep" => o.keep = true,
            "--list-queries" => o.list_queries = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if o.sources.is_empty() {
        o.sources = DEFAULT_SYNTHETIC
            .iter()
            .map(|&n| Source::Synthetic(n))
            .collect();
    }
    Ok(o)
}

/// `cargo bench` runs the bench in the package folder (`index/`): a
/// relative folder that is not there is looked up from the workspace root.
fn content_dir(arg: &str) -> PathBuf {
    let path = PathBuf::from(arg);
    if path.is_relative() && !path.exists() {
        if let Some(root) = Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
            if root.join(&path).exists() {
                return root.join(path);
            }
        }
    }
    path
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("--child-build") => child_build(&args[1..]),
        Some("--child-parse") => child_parse(&args[1..]),
        _ if args.iter().any(|a| a == "--bench") => match parse_options(&args) {
            Ok(options) => run(&options),
            Err(e) if e.is_empty() => {
                print!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("error: {e}\n\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        // `cargo test --all-targets` runs bench targets without `--bench`:
        // a smoke test, whatever filter arguments it was given.
        _ => smoke(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn smoke() -> Res<()> {
    let options = Options {
        sources: vec![Source::Synthetic(60)],
        queries: queries::mix().len(),
        warmup: 5,
        ..Options::default()
    };
    let mut sink = String::new();
    let result = bench_one(&options, &options.sources[0], &mut sink)?;
    let searched = &result["search"];
    if searched["zero_hit_queries"].as_u64() >= searched["distinct_queries"].as_u64() {
        return Err("no query found anything".into());
    }
    eprintln!("bench smoke test ok (run `cargo bench` for numbers)");
    Ok(())
}

// ---------------------------------------------------------------- children

/// Runs a full build and prints its measurements as one JSON line.
/// Arguments: CONTENT INDEX THREADS MEMORY_BYTES (0 = default).
fn child_build(args: &[String]) -> Res<()> {
    let [content, index_dir, threads, memory] = args else {
        return Err("--child-build CONTENT INDEX THREADS MEMORY".into());
    };
    let mut options = BuildOptions::default();
    let threads: usize = threads.parse()?;
    let memory: usize = memory.parse()?;
    if threads > 0 {
        options.threads = threads;
    }
    if memory > 0 {
        // Exactly this budget, not grown with the corpus.
        options.memory_budget = memory;
        options.max_memory_budget = memory;
    }
    // The taxonomy is built before the clock starts, as a server has it.
    options.taxonomy = Arc::new(indexer::Taxonomy::builtin());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let mut first_file: Option<Duration> = None;
    let mut last_file = Duration::ZERO;
    // VmHWM counts the index files tantivy maps and touches while merging:
    // anonymous memory (heap) is sampled apart, every 64 files.
    let mut peak = RssSample::default();
    let report = index::build(
        Path::new(content),
        Path::new(index_dir),
        &options,
        &mut |done, _| {
            let now = started.elapsed();
            first_file.get_or_insert(now);
            last_file = now;
            if done % 64 == 0 {
                peak.sample();
            }
        },
    )?;
    let total = started.elapsed();
    peak.sample();
    let skipped = report.skipped().count();
    let line = json!({
        "files": report.files,
        "articles": report.articles,
        "pieces": report.pieces,
        "text_bytes": report.text_bytes,
        "problems": report.problems.len(),
        "skipped": skipped,
        "build_s": total.as_secs_f64(),
        "first_file_s": first_file.unwrap_or_default().as_secs_f64(),
        "feed_s": last_file.as_secs_f64(),
        "tail_s": (total - last_file).as_secs_f64(),
        "cpu_s": cpu_seconds().zip(cpu_before).map(|(a, b)| a - b),
        "vmhwm_kib": vmhwm_kib(),
        "peak_anon_kib": peak.anon_kib,
        "peak_file_kib": peak.file_kib,
        "threads": options.threads,
        "memory_budget": options.memory_budget,
        "loadavg_before": load.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    });
    println!("{line}");
    Ok(())
}

/// Lists, reads and parses every file (no indexing) and prints the time.
fn child_parse(args: &[String]) -> Res<()> {
    let [content] = args else {
        return Err("--child-parse CONTENT".into());
    };
    let taxonomy = indexer::Taxonomy::builtin();
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    let files = indexer::list_files(Path::new(content))?;
    let listed = started.elapsed();
    let (mut articles, mut pieces) = (0, 0);
    for file in &files {
        let parsed = indexer::read_file(file, &taxonomy);
        articles += parsed.articles.len();
        pieces += parsed
            .articles
            .iter()
            .map(|a| a.pieces.len())
            .sum::<usize>();
    }
    let line = json!({
        "files": files.len(),
        "articles": articles,
        "pieces": pieces,
        "list_s": listed.as_secs_f64(),
        "parse_s": started.elapsed().as_secs_f64(),
        "cpu_s": cpu_seconds().zip(cpu_before).map(|(a, b)| a - b),
        "vmhwm_kib": vmhwm_kib(),
    });
    println!("{line}");
    Ok(())
}

fn run_child(args: &[&str]) -> Res<Value> {
    let exe = std::env::current_exe()?;
    let output = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err(format!("child {args:?} failed: {}", output.status).into());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    Ok(serde_json::from_str(line)?)
}

/// Peak resident set size of this process, KiB.
fn vmhwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Largest resident anonymous and file-backed memory seen, KiB.
#[derive(Default)]
struct RssSample {
    anon_kib: u64,
    file_kib: u64,
}

impl RssSample {
    fn sample(&mut self) {
        let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
            return;
        };
        let field = |name: &str| -> u64 {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        self.anon_kib = self.anon_kib.max(field("RssAnon:"));
        self.file_kib = self.file_kib.max(field("RssFile:"));
    }
}

/// User + system CPU time of this process (Linux, USER_HZ = 100).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

// ------------------------------------------------------------------ parent

fn run(options: &Options) -> Res<()> {
    let mix = queries::mix();
    if options.list_queries {
        for (i, q) in mix.iter().enumerate() {
            println!("{i:3} {:16} {}", q.kind, q.label());
        }
        return Ok(());
    }
    // Human-readable output goes to stdout, or to stderr under --json.
    let mut text = String::new();
    let _ = writeln!(text, "rolesearch index benchmark");
    let _ = writeln!(text, "machine: {}", machine());
    let defaults = BuildOptions::default();
    let _ = writeln!(
        text,
        "options: {} timed searches over a mix of {} distinct queries, warmup {}, \
         index threads {}, memory budget {} MiB, synthetic seed {}, {} article(s) per synthetic file",
        options.queries,
        mix.len(),
        options.warmup,
        options.threads.unwrap_or(defaults.threads),
        options
            .memory_mb
            .unwrap_or(defaults.memory_budget >> 20),
        options.seed,
        options.per_file,
    );
    let _ = writeln!(
        text,
        "corpora: {}",
        options
            .sources
            .iter()
            .map(Source::name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    if cfg!(debug_assertions) {
        let _ = writeln!(text, "WARNING: not an optimized build");
    }
    emit(options, &text);

    let mut results = Vec::new();
    for source in &options.sources {
        let mut details = String::new();
        let result = bench_one(options, source, &mut details)?;
        if options.json {
            println!("{result}");
        }
        emit(options, &details);
        results.push(result);
    }
    emit(options, &summary_table(&results));
    Ok(())
}

fn emit(options: &Options, text: &str) {
    if options.json {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
}

fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map(|kib| format!("{:.1} GiB RAM", kib / 1048576.0))
        .unwrap_or_default();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|s| format!("Linux {}", s.trim()))
        .unwrap_or_default();
    let command = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .stderr(Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc = command(&rustc, &["--version"]).unwrap_or_else(|| "rustc ?".into());
    let git = command(
        "git",
        &[
            "-C",
            env!("CARGO_MANIFEST_DIR"),
            "rev-parse",
            "--short",
            "HEAD",
        ],
    )
    .map(|rev| format!(", git {rev}"))
    .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem}, {kernel}, {rustc}{git}")
}

/// Benchmarks one corpus; writes details to `text`, returns the JSON result.
fn bench_one(options: &Options, source: &Source, text: &mut String) -> Res<Value> {
    let name = source.name();
    if let Source::Index(dir) = source {
        return search_only(options, dir, &name, text);
    }
    let work = {
        let mut b = tempfile::Builder::new();
        b.prefix("rolesearch-bench-");
        match &options.workdir {
            Some(dir) => {
                std::fs::create_dir_all(dir)?;
                b.tempdir_in(dir)?
            }
            None => b.tempdir()?,
        }
    };

    // The corpus.
    let (content, markdown_bytes, json_bytes, generate_s) = match source {
        Source::Synthetic(n) => {
            let dir = work.path().join("content");
            eprintln!("[{name}] generating {n} articles in {}", dir.display());
            let started = Instant::now();
            let generator = Generator::new(options.seed);
            let written = generator.write(&dir, *n, options.per_file)?;
            let took = started.elapsed().as_secs_f64();
            eprintln!(
                "[{name}] generated {} files, {:.1} MB markdown, {:.1} MB JSON in {took:.1} s \
                 ({} words of vocabulary)",
                written.files,
                mb(written.markdown_bytes),
                mb(written.json_bytes),
                generator.vocabulary(),
            );
            (dir, written.markdown_bytes, written.json_bytes, Some(took))
        }
        Source::Content(dir) | Source::Index(dir) => {
            eprintln!("[{name}] measuring {}", dir.display());
            let (markdown, json) = measure_content(dir)?;
            (dir.clone(), markdown, json, None)
        }
    };

    // The build, in a child process; with --builds N, the median of N.
    let index_dir = work.path().join("index");
    let threads = options.threads.unwrap_or(0).to_string();
    let memory = (options.memory_mb.unwrap_or(0) << 20).to_string();
    let mut builds = Vec::new();
    for round in 0..options.builds {
        eprintln!(
            "[{name}] building the index in {} ({}/{})",
            index_dir.display(),
            round + 1,
            options.builds
        );
        if index_dir.exists() {
            std::fs::remove_dir_all(&index_dir)?;
        }
        builds.push(run_child(&[
            "--child-build",
            &content.to_string_lossy(),
            &index_dir.to_string_lossy(),
            &threads,
            &memory,
        ])?);
    }
    let build_times: Vec<f64> = builds
        .iter()
        .map(|b| round3(b["build_s"].as_f64().unwrap_or(0.0)))
        .collect();
    builds.sort_by(|a, b| num(&a["build_s"]).total_cmp(&num(&b["build_s"])));
    let build = builds.swap_remove(builds.len() / 2);
    let index_bytes = dir_size(&index_dir);
    let parse = if options.phases {
        eprintln!("[{name}] reading and parsing alone");
        Some(run_child(&["--child-parse", &content.to_string_lossy()])?)
    } else {
        None
    };

    // Searches.
    let opened = Instant::now();
    let index = SearchIndex::open(&index_dir, OpenOptions::default())?;
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    let searcher = raw_searcher(&index)?;
    let space = space_usage(&searcher)?;
    let detail = if options.phases {
        Some(index_detail(&searcher)?)
    } else {
        None
    };
    let search = search_bench(options, &index, &name)?;
    drop(index);

    let f = |key: &str| build[key].as_f64().unwrap_or(0.0);
    let u = |key: &str| build[key].as_u64().unwrap_or(0) as usize;
    let build_s = f("build_s");
    let articles = u("articles");
    let peak_mib = f("vmhwm_kib") / 1024.0;
    let result = json!({
        "corpus": name,
        "files": u("files"),
        "articles": articles,
        "pieces": u("pieces"),
        "skipped": u("skipped"),
        "markdown_mb": round3(mb(markdown_bytes)),
        "json_mb": round3(mb(json_bytes)),
        "text_mb": round3(mb(u("text_bytes"))),
        "generate_s": generate_s.map(round3),
        "build_s": round3(build_s),
        "build_runs_s": build_times,
        "feed_s": round3(f("feed_s")),
        "tail_s": round3(f("tail_s")),
        "build_cpu_s": build["cpu_s"].as_f64().map(round3),
        "articles_per_s": round3(articles as f64 / build_s),
        "markdown_mb_per_s": round3(mb(markdown_bytes) / build_s),
        "peak_rss_mib": round3(peak_mib),
        "peak_anon_mib_sampled": round3(f("peak_anon_kib") / 1024.0),
        "peak_file_mib_sampled": round3(f("peak_file_kib") / 1024.0),
        "index_mb": round3(mb(index_bytes as usize)),
        "threads": build["threads"],
        "memory_budget_mib": u("memory_budget") >> 20,
        "loadavg_before_build": build["loadavg_before"],
        "parse_only": parse.as_ref().map(|p| json!({
            "parse_s": p["parse_s"].as_f64().map(round3),
            "list_s": p["list_s"].as_f64().map(round3),
            "cpu_s": p["cpu_s"].as_f64().map(round3),
            "peak_rss_mib": p["vmhwm_kib"].as_f64().map(|k| round3(k / 1024.0)),
        })),
        "open_ms": round3(open_ms),
        "space": space,
        "index_detail": detail,
        "search": search,
    });
    describe(&result, text);
    if options.keep {
        let kept = work.keep();
        eprintln!("[{name}] kept {}", kept.display());
    }
    Ok(result)
}

/// Searches an index built before (profiling, or an index of the CLI).
fn search_only(options: &Options, dir: &Path, name: &str, text: &mut String) -> Res<Value> {
    let opened = Instant::now();
    let index = SearchIndex::open(dir, OpenOptions::default())?;
    let open_ms = opened.elapsed().as_secs_f64() * 1e3;
    let stats = index.stats()?;
    let space = space_usage(&raw_searcher(&index)?)?;
    let search = search_bench(options, &index, name)?;
    let result = json!({
        "corpus": name,
        "articles": stats.articles,
        "pieces": stats.pieces,
        "index_mb": round3(mb(dir_size(dir) as usize)),
        "open_ms": round3(open_ms),
        "space": space,
        "search": search,
    });
    describe(&result, text);
    Ok(result)
}

/// Markdown (rich-text bodies) and JSON bytes of a content folder.
fn measure_content(dir: &Path) -> Res<(usize, usize)> {
    fn walk(v: &Value, total: &mut usize) {
        match v {
            Value::Object(map) => {
                if map.get("__component").and_then(Value::as_str) == Some("shared.rich-text") {
                    if let Some(Value::String(body)) = map.get("body") {
                        *total += body.len();
                    }
                }
                map.values().for_each(|v| walk(v, total));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, total)),
            _ => {}
        }
    }
    let (mut markdown, mut json) = (0, 0);
    for file in indexer::list_files(dir)? {
        let bytes = std::fs::read(&file)?;
        json += bytes.len();
        if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
            walk(&value, &mut markdown);
        }
    }
    Ok((markdown, json))
}

/// Where the index's bytes are: by component, and the largest fields.
/// A plain tantivy searcher of the generation `index` opened: what the
/// space figures read (the index's own engine is not public).
fn raw_searcher(index: &SearchIndex) -> Res<tantivy::Searcher> {
    Ok(tantivy::Index::open_in_dir(index.generation())?
        .reader()?
        .searcher())
}

fn space_usage(searcher: &tantivy::Searcher) -> Res<Value> {
    let usage = searcher.space_usage()?;
    let mut components: Vec<(&str, u64)> = Vec::new();
    let mut fields: Vec<(String, u64)> = Vec::new();
    let add = |list: &mut Vec<(String, u64)>, key: String, bytes: u64| match list
        .iter_mut()
        .find(|(k, _)| *k == key)
    {
        Some(entry) => entry.1 += bytes,
        None => list.push((key, bytes)),
    };
    let mut store = 0;
    for segment in usage.segments() {
        let parts = [
            ("termdict", segment.termdict()),
            ("postings", segment.postings()),
            ("positions", segment.positions()),
            ("fast", segment.fast_fields()),
            ("fieldnorms", segment.fieldnorms()),
        ];
        for (component, per_field) in parts {
            match components.iter_mut().find(|(c, _)| *c == component) {
                Some(entry) => entry.1 += per_field.total().get_bytes(),
                None => components.push((component, per_field.total().get_bytes())),
            }
            for field in per_field.fields() {
                add(
                    &mut fields,
                    format!("{}.{component}", field.field_name()),
                    field.total().get_bytes(),
                );
            }
        }
        store += segment.store().total().get_bytes();
    }
    components.push(("store", store));
    fields.sort_by_key(|f| std::cmp::Reverse(f.1));
    let mb = |b: u64| round3(b as f64 / 1e6);
    Ok(json!({
        "segments": usage.segments().len(),
        "total_mb": mb(usage.total().get_bytes()),
        "components_mb": components.iter().map(|(c, b)| json!([c, mb(*b)])).collect::<Vec<_>>(),
        "largest_mb": fields.iter().take(12).map(|(f, b)| json!([f, mb(*b)])).collect::<Vec<_>>(),
    }))
}

/// Indexed tokens and stored bytes (before compression) by field.
fn index_detail(searcher: &tantivy::Searcher) -> Res<Value> {
    use tantivy::schema::document::Value as _;
    let schema = searcher.schema();
    let mut tokens: Vec<(String, u64)> = Vec::new();
    let mut stored: Vec<(String, u64)> = Vec::new();
    for (field, entry) in schema.fields() {
        if !entry.is_indexed() || !matches!(entry.field_type(), tantivy::schema::FieldType::Str(_))
        {
            continue;
        }
        let mut n = 0;
        for segment in searcher.segment_readers() {
            n += segment.inverted_index(field)?.total_num_tokens();
        }
        tokens.push((entry.name().to_string(), n));
    }
    for segment in searcher.segment_readers() {
        let store = segment.get_store_reader(1)?;
        for doc in store.iter::<tantivy::TantivyDocument>(segment.alive_bitset()) {
            for (field, value) in doc?.field_values() {
                let bytes = value.as_str().map_or(8, str::len) as u64;
                let name = schema.get_field_name(field);
                match stored.iter_mut().find(|(n, _)| n == name) {
                    Some(entry) => entry.1 += bytes,
                    None => stored.push((name.to_string(), bytes)),
                }
            }
        }
    }
    tokens.sort_by_key(|t| std::cmp::Reverse(t.1));
    stored.sort_by_key(|t| std::cmp::Reverse(t.1));
    Ok(json!({
        "tokens_millions": tokens.iter().map(|(f, n)| json!([f, round3(*n as f64 / 1e6)])).collect::<Vec<_>>(),
        "stored_raw_mb": stored.iter().map(|(f, n)| json!([f, round3(*n as f64 / 1e6)])).collect::<Vec<_>>(),
    }))
}

fn dir_size(dir: &Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            match entry.metadata() {
                Ok(m) if m.is_dir() => pending.push(entry.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn search_bench(options: &Options, index: &SearchIndex, name: &str) -> Res<Value> {
    let mix = queries::mix();
    let run = |q: &BenchQuery| -> Res<(Duration, usize)> {
        let started = Instant::now();
        let response = index
            .search(&q.request)
            .map_err(|e| format!("query {}: {e}", q.label()))?;
        let took = started.elapsed();
        let hits = response.estimated_total_hits;
        std::hint::black_box(response);
        Ok((took, hits))
    };
    eprintln!(
        "[{name}] {} warmup + {} timed searches",
        options.warmup, options.queries
    );
    for i in 0..options.warmup {
        run(&mix[i % mix.len()])?;
    }
    let mut all = Vec::with_capacity(options.queries);
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); mix.len()];
    let mut hits: Vec<Option<usize>> = vec![None; mix.len()];
    for i in 0..options.queries {
        let at = i % mix.len();
        let (took, n) = run(&mix[at])?;
        all.push(took);
        per_query[at].push(took);
        hits[at] = Some(n);
    }
    let mut kinds: Vec<&str> = Vec::new();
    for q in &mix {
        if !kinds.contains(&q.kind) {
            kinds.push(q.kind);
        }
    }
    let by_kind: Vec<Value> = kinds
        .iter()
        .filter_map(|kind| {
            let mut d: Vec<Duration> = mix
                .iter()
                .zip(&per_query)
                .filter(|(q, _)| q.kind == *kind)
                .flat_map(|(_, t)| t.iter().copied())
                .collect();
            if d.is_empty() {
                return None;
            }
            let queries = mix.iter().filter(|q| q.kind == *kind).count();
            Some(json!({ "kind": kind, "queries": queries, "runs": d.len(), "latency": latency(&mut d) }))
        })
        .collect();
    let mut slowest: Vec<(f64, usize)> = per_query
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.is_empty())
        .map(|(i, t)| (ms(t.iter().sum::<Duration>()) / t.len() as f64, i))
        .collect();
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<Value> = slowest
        .iter()
        .take(8)
        .map(|&(mean, i)| {
            json!({
                "query": mix[i].label(),
                "kind": mix[i].kind,
                "mean_ms": round3(mean),
                "hits": hits[i],
            })
        })
        .collect();
    let ran = hits.iter().filter(|h| h.is_some()).count();
    let zero = hits.iter().filter(|h| **h == Some(0)).count();
    Ok(json!({
        "runs": all.len(),
        "warmup": options.warmup,
        "distinct_queries": ran,
        "zero_hit_queries": zero,
        "latency": latency(&mut all),
        "by_kind": by_kind,
        "slowest": slowest,
    }))
}

fn latency(d: &mut [Duration]) -> Value {
    if d.is_empty() {
        return Value::Null;
    }
    d.sort();
    let at = |p: f64| {
        let rank = ((p * d.len() as f64).ceil() as usize).clamp(1, d.len());
        round3(ms(d[rank - 1]))
    };
    let mean = ms(d.iter().sum::<Duration>()) / d.len() as f64;
    json!({
        "p50_ms": at(0.50),
        "p90_ms": at(0.90),
        "p99_ms": at(0.99),
        "max_ms": round3(ms(d[d.len() - 1])),
        "mean_ms": round3(mean),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

/// The per-corpus details: phases, latency by kind, slowest queries.
fn describe(r: &Value, text: &mut String) {
    let _ = writeln!(text, "\n== {} ==", r["corpus"].as_str().unwrap_or("?"));
    if r["build_s"].is_number() {
        let _ = writeln!(
            text,
            "corpus: {} files, {} articles, {} pieces ({} skipped), {:.1} MB markdown, \
             {:.1} MB JSON, {:.1} MB piece text",
            r["files"],
            r["articles"],
            r["pieces"],
            r["skipped"],
            num(&r["markdown_mb"]),
            num(&r["json_mb"]),
            num(&r["text_mb"]),
        );
        let cpu = num(&r["build_cpu_s"]);
        let _ = writeln!(
            text,
            "build: {:.2} s = {:.2} s reading, parsing and feeding the writer + {:.2} s \
             final flush, commit, merges and publish; {:.2} s CPU ({:.2} cores busy); \
             {} threads, {} MiB budget; peak RSS {:.0} MiB (sampled peaks: heap {:.0} MiB, \
             mapped files {:.0} MiB); index {:.1} MB; load average before: {}",
            num(&r["build_s"]),
            num(&r["feed_s"]),
            num(&r["tail_s"]),
            cpu,
            cpu / num(&r["build_s"]),
            r["threads"],
            r["memory_budget_mib"],
            num(&r["peak_rss_mib"]),
            num(&r["peak_anon_mib_sampled"]),
            num(&r["peak_file_mib_sampled"]),
            num(&r["index_mb"]),
            r["loadavg_before_build"].as_str().unwrap_or("?"),
        );
    } else {
        let _ = writeln!(
            text,
            "index: {} articles, {} pieces",
            r["articles"], r["pieces"]
        );
    }
    if r["build_runs_s"].as_array().is_some_and(|a| a.len() > 1) {
        let _ = writeln!(text, "build runs (s): {} (median shown)", r["build_runs_s"]);
    }
    let pairs = |v: &Value| {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{} {:.1}", p[0].as_str().unwrap_or("?"), num(&p[1])))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let space = &r["space"];
    let _ = writeln!(
        text,
        "index: {} segments, {:.1} MB: {}\n  largest (MB): {}",
        space["segments"],
        num(&space["total_mb"]),
        pairs(&space["components_mb"]),
        pairs(&space["largest_mb"]),
    );
    if r["index_detail"].is_object() {
        let d = &r["index_detail"];
        let _ = writeln!(
            text,
            "  indexed tokens (millions): {}\n  stored before compression (MB): {}",
            pairs(&d["tokens_millions"]),
            pairs(&d["stored_raw_mb"]),
        );
    }
    if let Some(p) = r["parse_only"].as_object() {
        let _ = writeln!(
            text,
            "reading + parsing alone (no index): {:.2} s ({:.2} s CPU), peak RSS {:.0} MiB",
            num(&p["parse_s"]),
            num(&p["cpu_s"]),
            num(&p["peak_rss_mib"]),
        );
    }
    let s = &r["search"];
    let l = &s["latency"];
    let _ = writeln!(
        text,
        "search: open {:.1} ms; {} runs over {} queries ({} found nothing): \
         p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms, mean {:.3} ms",
        num(&r["open_ms"]),
        s["runs"],
        s["distinct_queries"],
        s["zero_hit_queries"],
        num(&l["p50_ms"]),
        num(&l["p90_ms"]),
        num(&l["p99_ms"]),
        num(&l["max_ms"]),
        num(&l["mean_ms"]),
    );
    let _ = writeln!(
        text,
        "  {:<16} {:>7} {:>6} {:>9} {:>9} {:>9}",
        "kind", "queries", "runs", "p50 ms", "p99 ms", "max ms"
    );
    for k in s["by_kind"].as_array().into_iter().flatten() {
        let l = &k["latency"];
        let _ = writeln!(
            text,
            "  {:<16} {:>7} {:>6} {:>9.3} {:>9.3} {:>9.3}",
            k["kind"].as_str().unwrap_or("?"),
            k["queries"].as_u64().unwrap_or(0),
            k["runs"].as_u64().unwrap_or(0),
            num(&l["p50_ms"]),
            num(&l["p99_ms"]),
            num(&l["max_ms"]),
        );
    }
    let _ = writeln!(text, "  slowest (mean ms, total hits):");
    for q in s["slowest"].as_array().into_iter().flatten() {
        let _ = writeln!(
            text,
            "  {:>9.3} {:>7} {}",
            num(&q["mean_ms"]),
            q["hits"].as_u64().unwrap_or(0),
            q["query"].as_str().unwrap_or("?"),
        );
    }
}

fn summary_table(results: &[Value]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n{:<18} {:>8} {:>9} {:>7} {:>7} {:>8} {:>8} {:>6} {:>9} {:>8} {:>7} {:>7} {:>7} {:>7}",
        "corpus",
        "articles",
        "pieces",
        "md MB",
        "text MB",
        "build s",
        "art/s",
        "MB/s",
        "peak MiB",
        "index MB",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms"
    );
    for r in results {
        let l = &r["search"]["latency"];
        let _ = writeln!(
            t,
            "{:<18} {:>8} {:>9} {:>7.1} {:>7.1} {:>8.2} {:>8.0} {:>6.1} {:>9.0} {:>8.1} {:>7.3} {:>7.3} {:>7.3} {:>7.2}",
            r["corpus"].as_str().unwrap_or("?"),
            r["articles"].as_u64().unwrap_or(0),
            r["pieces"].as_u64().unwrap_or(0),
            num(&r["markdown_mb"]),
            num(&r["text_mb"]),
            num(&r["build_s"]),
            num(&r["articles_per_s"]),
            num(&r["markdown_mb_per_s"]),
            num(&r["peak_rss_mib"]),
            num(&r["index_mb"]),
            num(&l["p50_ms"]),
            num(&l["p90_ms"]),
            num(&l["p99_ms"]),
            num(&l["max_ms"]),
        );
    }
    t
}
