//! HTTP server benchmarks: `rolesearch serve` (the release binary) over
//! real TCP on 127.0.0.1, driven by a small keep-alive HTTP/1.1 client.
//!
//! ```text
//! cargo bench -p rolesearch --bench serve -- [load] [publish] [OPTIONS]
//! ```
//!
//! * `load`: GET /search over the index bench's fixed query mix, at each
//!   concurrency (threads, one keep-alive connection each), then once more
//!   with `Accept-Encoding: gzip`; requests/s, client-side latency
//!   percentiles, errors, server CPU and memory (VmHWM, VmRSS). These runs
//!   turn the server's cache of recent answers off, so every request is a
//!   real search; a last run, on a fresh server with the cache on as
//!   deployed, shows what repeated queries cost.
//! * `publish`: on a copy of the index, under a background search load,
//!   Strapi `entry.publish` webhooks of new articles one after another,
//!   each timed from just before the POST until a search for the unique
//!   word of the article finds it.
//!
//! Run without `--bench` (as `cargo test --all-targets` does), it is a
//! quick smoke test of the client against an in-process fake server.

#[allow(dead_code)]
#[path = "../../index/benches/support/queries.rs"]
mod queries;

#[path = "../../index/benches/support/flags.rs"]
mod flags;

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use flags::{number, Flags};

const USAGE: &str = "\
usage: cargo bench -p rolesearch --bench serve -- [load] [publish] [OPTIONS]

Benchmarks (default: both):
  load                   GET /search throughput and latency
  publish                webhook publish-to-searchable latency under load

Options:
  --index DIR            index of the corpus (default /tmp/rs-serve-bench-index;
                         built from --content when missing)
  --content DIR          corpus (default bench-out/corpus-10x/content)
  --requests N           timed requests per load run (default 5000 at c=1,
                         30000 at c>1)
  --concurrency N[,N..]  load runs (default 1,16; the gzip run uses the last)
  --warmup N             untimed requests first (default 500)
  --time-cap SECS        longest a load run may take (default 60)
  --no-gzip              skip the Accept-Encoding: gzip run
  --no-cached            skip the run with the server's answer cache on (the
                         other runs turn it off: every request is searched)
  --publishes N          webhooks to send (default 100)
  --search-threads N     background search threads while publishing (default 4)
  --bin PATH             the rolesearch binary (default: the one cargo built)
";

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench targets without `--bench`.
        return match smoke() {
            Ok(()) => {
                eprintln!("serve bench smoke test ok (run `cargo bench` for numbers)");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("serve bench smoke test failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let options = match parse_options(&args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

// ------------------------------------------------------------------ options

#[derive(Debug, Clone)]
struct Options {
    load: bool,
    publish: bool,
    index: PathBuf,
    content: PathBuf,
    requests: Option<usize>,
    concurrency: Vec<usize>,
    warmup: usize,
    time_cap: Duration,
    gzip: bool,
    cached: bool,
    publishes: usize,
    search_threads: usize,
    bin: PathBuf,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        load: false,
        publish: false,
        index: PathBuf::from("/tmp/rs-serve-bench-index"),
        content: workspace_path("bench-out/corpus-10x/content"),
        requests: None,
        concurrency: vec![1, 16],
        warmup: 500,
        time_cap: Duration::from_secs(60),
        gzip: true,
        cached: true,
        publishes: 100,
        search_threads: 4,
        bin: PathBuf::from(env!("CARGO_BIN_EXE_rolesearch")),
    };
    let mut flags = Flags::new(args);
    while let Some(flag) = flags.next_flag() {
        match flag.as_str() {
            // cargo bench adds it; cargo test does not.
            "--bench" => {}
            "load" => o.load = true,
            "publish" => o.publish = true,
            "--index" => o.index = workspace_path(&flags.value("--index")?),
            "--content" => o.content = workspace_path(&flags.value("--content")?),
            "--requests" => o.requests = Some(flags.number("--requests")?),
            "--concurrency" => {
                o.concurrency = flags
                    .value("--concurrency")?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|n| number("--concurrency", n).map(|n| n.max(1)))
                    .collect::<Result<_, _>>()?;
                if o.concurrency.is_empty() {
                    return Err("--concurrency needs at least one number".into());
                }
            }
            "--warmup" => o.warmup = flags.number("--warmup")?,
            "--time-cap" => o.time_cap = Duration::from_secs(flags.number("--time-cap")? as u64),
            "--no-gzip" => o.gzip = false,
            "--no-cached" => o.cached = false,
            "--publishes" => o.publishes = flags.number("--publishes")?.max(1),
            "--search-threads" => o.search_threads = flags.number("--search-threads")?,
            "--bin" => o.bin = flags.value("--bin")?.into(),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if !o.load && !o.publish {
        o.load = true;
        o.publish = true;
    }
    Ok(o)
}

/// `cargo bench` runs in the package folder (`server/`): a relative path
/// that is not there is looked up from the workspace root.
fn workspace_path(arg: &str) -> PathBuf {
    let path = PathBuf::from(arg);
    if path.is_relative() && !path.exists() {
        if let Some(root) = Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
            return root.join(path);
        }
    }
    path
}

fn run(o: &Options) -> Res<()> {
    ensure_index(o)?;
    let mut rows = Vec::new();
    if o.load {
        rows.extend(load_bench(o)?);
    }
    if o.publish {
        rows.push(publish_bench(o)?);
    }
    println!();
    for row in &rows {
        println!("{row}");
    }
    Ok(())
}

/// Builds the index from the corpus when the folder has none that opens
/// (none yet, or one of an older format).
fn ensure_index(o: &Options) -> Res<()> {
    match index::SearchIndex::open(&o.index, index::OpenOptions::default()) {
        Ok(_) => {
            eprintln!("index: {} (reused)", o.index.display());
            return Ok(());
        }
        Err(e) if o.index.join("CURRENT").exists() => {
            eprintln!(
                "index: {} does not open ({e}): rebuilding",
                o.index.display()
            );
        }
        Err(_) => {}
    }
    eprintln!(
        "index: building {} from {} ...",
        o.index.display(),
        o.content.display()
    );
    let status = Command::new(&o.bin)
        .args(["index", "--full", "--content"])
        .arg(&o.content)
        .arg("--index")
        .arg(&o.index)
        .status()?;
    if !status.success() {
        return Err(format!("rolesearch index failed: {status}").into());
    }
    Ok(())
}

// ------------------------------------------------------------------- server

/// A running `rolesearch serve`, killed when dropped.
struct Server {
    addr: String,
    child: Child,
    // Kept open: the server must never see a closed stdout.
    _stdout: ChildStdout,
}

impl Server {
    fn start(o: &Options, index: &Path, env: &[(&str, &str)]) -> Res<Server> {
        let mut child = Command::new(&o.bin)
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .arg("--content")
            .arg(&o.content)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let mut stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = Vec::new();
        let mut byte = [0u8; 1];
        while !line.ends_with(b"\n") {
            if stdout.read(&mut byte)? == 0 {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "the server exited before listening: {}",
                    String::from_utf8_lossy(&line)
                )
                .into());
            }
            line.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&line);
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .ok_or_else(|| format!("unexpected first line {line:?}"))?
            .to_string();
        Ok(Server {
            addr,
            child,
            _stdout: stdout,
        })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak and current resident memory.
    fn memory(&self) -> Memory {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            hwm: field("VmHWM:"),
            rss: field("VmRSS:"),
            anon: field("RssAnon:"),
            file: field("RssFile:"),
        }
    }

    /// User + system CPU time of the whole process so far.
    fn cpu(&self) -> Duration {
        cpu_of(&format!("/proc/{}/stat", self.pid()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// From `/proc/PID/status`, in KiB: VmHWM (peak resident), VmRSS, and
/// the current resident memory split into heap (anonymous) and mapped
/// files (the index, which the kernel may drop and read again).
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    hwm: u64,
    rss: u64,
    anon: u64,
    file: u64,
}

impl Memory {
    fn json(&self) -> Value {
        json!({
            "vm_hwm_mib": mib(self.hwm), "vm_rss_mib": mib(self.rss),
            "rss_anon_mib": mib(self.anon), "rss_file_mib": mib(self.file),
        })
    }
}

/// utime + stime of a `/proc/.../stat` file (clock ticks of 1/100 s).
fn cpu_of(path: &str) -> Duration {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // The command name may hold spaces: fields are counted after its ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // Fields 14 and 15 of the file: 12 and 13 after the name and state.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

// ------------------------------------------------------------------- client

/// One HTTP/1.1 keep-alive connection.
struct Conn {
    addr: String,
    stream: Option<(TcpStream, BufReader<TcpStream>)>,
    buf: Vec<u8>,
}

/// A response: status, the headers the bench looks at, the body as sent.
struct Reply {
    status: u16,
    content_type: String,
    gzip: bool,
    body: Vec<u8>,
}

impl Reply {
    /// The body, gunzipped when it came compressed.
    fn decoded(&self) -> Res<Vec<u8>> {
        if !self.gzip {
            return Ok(self.body.clone());
        }
        let mut out = Vec::with_capacity(self.body.len() * 4);
        flate2::read::GzDecoder::new(&self.body[..]).read_to_end(&mut out)?;
        Ok(out)
    }

    /// Checks a 200 with a JSON object body; returns the decoded size.
    fn check_json(&self) -> Res<usize> {
        if self.status != 200 {
            return Err(format!(
                "status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            )
            .into());
        }
        if !self.content_type.starts_with("application/json") {
            return Err(format!("content-type {:?}", self.content_type).into());
        }
        let decoded;
        let body: &[u8] = if self.gzip {
            decoded = self.decoded()?;
            &decoded
        } else {
            &self.body
        };
        if body.first() != Some(&b'{') {
            return Err("the body is not a JSON object".into());
        }
        serde_json::from_slice::<serde::de::IgnoredAny>(body)
            .map_err(|e| format!("the body is not JSON: {e}"))?;
        Ok(body.len())
    }
}

impl Conn {
    fn new(addr: &str) -> Conn {
        Conn {
            addr: addr.to_string(),
            stream: None,
            buf: Vec::with_capacity(1024),
        }
    }

    /// Sends one request and reads the whole response. After an error the
    /// connection is dropped; the next request opens a new one.
    fn request(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Res<Reply> {
        let result = self.exchange(method, target, headers, body);
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    fn get(&mut self, target: &str, headers: &[(&str, &str)]) -> Res<Reply> {
        self.request("GET", target, headers, b"")
    }

    fn exchange(
        &mut self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Res<Reply> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.addr)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(Duration::from_secs(30)))?;
            let reader = BufReader::with_capacity(64 * 1024, stream.try_clone()?);
            self.stream = Some((stream, reader));
        }
        let (writer, reader) = self.stream.as_mut().ok_or("no connection")?;
        self.buf.clear();
        write!(
            self.buf,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\n",
            self.addr
        )?;
        for (k, v) in headers {
            write!(self.buf, "{k}: {v}\r\n")?;
        }
        if !body.is_empty() || method == "POST" {
            write!(self.buf, "Content-Length: {}\r\n", body.len())?;
        }
        self.buf.extend_from_slice(b"\r\n");
        self.buf.extend_from_slice(body);
        writer.write_all(&self.buf)?;

        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Err("the server closed the connection".into());
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        let mut content_type = String::new();
        let mut gzip = false;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Err("the server closed the connection in the headers".into());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                return Err(format!("bad header {header:?}").into());
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>()?);
            } else if name.eq_ignore_ascii_case("content-type") {
                content_type = value.to_ascii_lowercase();
            } else if name.eq_ignore_ascii_case("content-encoding") {
                gzip = value.eq_ignore_ascii_case("gzip");
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(format!("transfer-encoding {value:?} is not supported").into());
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        let length = length.ok_or("a response without Content-Length")?;
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        if close {
            self.stream = None;
        }
        Ok(Reply {
            status,
            content_type,
            gzip,
            body,
        })
    }
}

/// Percent-encodes a query parameter value (all but unreserved bytes).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The GET /search target of a request of the mix.
fn search_target(r: &index::SearchRequest) -> String {
    let mut t = format!("/search?q={}", encode(&r.q));
    for role in &r.roles {
        let _ = write!(t, "&role={}", encode(role));
    }
    for category in &r.categories {
        let _ = write!(t, "&category={}", encode(category));
    }
    let d = index::SearchRequest::default();
    if r.limit != d.limit {
        let _ = write!(t, "&limit={}", r.limit);
    }
    if r.offset != d.offset {
        let _ = write!(t, "&offset={}", r.offset);
    }
    if r.sections != d.sections {
        let _ = write!(t, "&sections={}", r.sections);
    }
    t
}

fn targets() -> Vec<String> {
    queries::mix()
        .iter()
        .map(|q| search_target(&q.request))
        .collect()
}

// ------------------------------------------------------------------ numbers

/// Latency percentiles of a set of samples.
#[derive(Debug, Clone, Copy, Default)]
struct Percentiles {
    n: usize,
    mean: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

impl Percentiles {
    /// Nearest-rank percentiles, in milliseconds.
    fn of(samples: &mut [Duration]) -> Percentiles {
        if samples.is_empty() {
            return Percentiles::default();
        }
        samples.sort_unstable();
        let at = |p: f64| {
            let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
            ms(samples[rank.clamp(1, samples.len()) - 1])
        };
        let total: Duration = samples.iter().sum();
        Percentiles {
            n: samples.len(),
            mean: ms(total) / samples.len() as f64,
            p50: at(50.0),
            p90: at(90.0),
            p99: at(99.0),
            max: ms(samples[samples.len() - 1]),
        }
    }

    fn json(&self) -> Value {
        json!({
            "mean": round3(self.mean), "p50": round3(self.p50), "p90": round3(self.p90),
            "p99": round3(self.p99), "max": round3(self.max),
        })
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn mib(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

/// The share of time some runnable task waited for a CPU over the last
/// 10 s (`/proc/pressure/cpu`, "some avg10"), machine-wide: other work on
/// the machine, or this bench itself, competing for the cores.
fn cpu_pressure() -> String {
    std::fs::read_to_string("/proc/pressure/cpu")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()?
                .split_whitespace()
                .find_map(|f| f.strip_prefix("avg10="))
                .map(|v| format!("{v}%"))
        })
        .unwrap_or_else(|| "n/a".into())
}

/// CPU time of this process (the client threads).
fn own_cpu() -> Duration {
    cpu_of("/proc/self/stat")
}

/// Collects the first few error messages and counts them all.
#[derive(Default)]
struct Errors {
    count: AtomicUsize,
    first: Mutex<Vec<String>>,
}

impl Errors {
    fn add(&self, what: String) {
        self.count.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut first) = self.first.lock() {
            if first.len() < 5 {
                first.push(what);
            }
        }
    }

    fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    fn samples(&self) -> Vec<String> {
        self.first.lock().map(|f| f.clone()).unwrap_or_default()
    }
}

// --------------------------------------------------------------------- load

struct LoadRun {
    label: String,
    concurrency: usize,
    gzip: bool,
    requests: usize,
    errors: usize,
    error_samples: Vec<String>,
    elapsed: Duration,
    latency: Percentiles,
    wire_bytes: u64,
    json_bytes: u64,
    server_cpu: Duration,
    client_cpu: Duration,
    memory: Memory,
    /// The slowest queries of the mix: (target, mean ms, times sent).
    slowest: Vec<(String, f64, usize)>,
}

fn load_bench(o: &Options) -> Res<Vec<String>> {
    let server = Server::start(o, &o.index, &[("ROLESEARCH_SEARCH_CACHE", "0")])?;
    let mem0 = server.memory();
    let pressure0 = cpu_pressure();
    let targets = Arc::new(targets());
    eprintln!(
        "load: server pid {} on {} (index {}), {} queries in the mix; after start VmRSS {} MiB",
        server.pid(),
        server.addr,
        o.index.display(),
        targets.len(),
        mib(mem0.rss)
    );

    // Warm-up: untimed, every query of the mix at least once when it fits.
    let warm = run_load(&server, &targets, 1, o.warmup, o.time_cap, false);
    if warm.errors > 0 {
        return Err(format!(
            "{} errors in the warm-up: {:?}",
            warm.errors, warm.error_samples
        )
        .into());
    }

    let mut runs = Vec::new();
    for &c in &o.concurrency {
        let n = o.requests.unwrap_or(if c == 1 { 5000 } else { 30_000 });
        runs.push(run_load(&server, &targets, c, n, o.time_cap, false));
    }
    if o.gzip {
        let c = *o.concurrency.last().unwrap_or(&16);
        let n = o.requests.unwrap_or(if c == 1 { 5000 } else { 30_000 });
        runs.push(run_load(&server, &targets, c, n, o.time_cap, true));
    }
    drop(server);
    if o.cached {
        let cached = Server::start(o, &o.index, &[])?;
        let c = *o.concurrency.last().unwrap_or(&16);
        let n = o.requests.unwrap_or(if c == 1 { 5000 } else { 30_000 });
        run_load(&cached, &targets, 1, o.warmup, o.time_cap, false);
        let mut run = run_load(&cached, &targets, c, n, o.time_cap, false);
        run.label = format!("c={c} cached");
        runs.push(run);
    }

    let mut text = String::new();
    let _ = writeln!(
        text,
        "\nload: GET /search, {} queries in the mix, release server, {} CPUs; \
         CPU pressure (avg10) before {pressure0}, after {}\n",
        targets.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_pressure()
    );
    let _ = writeln!(
        text,
        "{:<11} {:>7} {:>6} {:>8} {:>7} {:>7} {:>7} {:>7} {:>8} {:>9} {:>9} {:>8} {:>8} {:>8}  targets",
        "run",
        "reqs",
        "errors",
        "req/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "KiB/resp",
        "srv ms/rq",
        "cli ms/rq",
        "HWM MiB",
        "RSS MiB",
        "anon MiB"
    );
    let mut lines = Vec::new();
    for r in &runs {
        let rps = r.requests as f64 / r.elapsed.as_secs_f64();
        let per = |d: Duration| ms(d) / r.requests.max(1) as f64;
        let mut verdict = Vec::new();
        let mut check = |ok: bool, what: String| {
            verdict.push(format!("{} {what}", if ok { "ok" } else { "MISS" }));
        };
        if r.label.ends_with("cached") {
            // Not the target's figure: the uncached runs are.
        } else if r.concurrency == 1 && !r.gzip {
            check(r.latency.p50 < 2.0, "p50<2ms".into());
            check(r.latency.p99 < 10.0, "p99<10ms".into());
        } else if !r.gzip {
            check(rps >= 1500.0, "≥1500 req/s".into());
            check(r.latency.p99 < 25.0, "p99<25ms".into());
        }
        check(r.errors == 0, "0 errors".into());
        check(mib(r.memory.hwm) < 150.0, "VmHWM<150MiB".into());
        let _ = writeln!(
            text,
            "{:<11} {:>7} {:>6} {:>8.0} {:>7.2} {:>7.2} {:>7.2} {:>7.2} {:>8.1} {:>9.3} {:>9.3} {:>8.1} {:>8.1} {:>8.1}  {}",
            r.label,
            r.requests,
            r.errors,
            rps,
            r.latency.p50,
            r.latency.p90,
            r.latency.p99,
            r.latency.max,
            r.wire_bytes as f64 / r.requests.max(1) as f64 / 1024.0,
            per(r.server_cpu),
            per(r.client_cpu),
            mib(r.memory.hwm),
            mib(r.memory.rss),
            mib(r.memory.anon),
            verdict.join(", ")
        );
        for e in &r.error_samples {
            let _ = writeln!(text, "    error: {e}");
        }
        lines.push(
            json!({
                "bench": "load",
                "run": r.label,
                "concurrency": r.concurrency,
                "gzip": r.gzip,
                "cache": r.label.ends_with("cached"),
                "requests": r.requests,
                "errors": r.errors,
                "seconds": round3(r.elapsed.as_secs_f64()),
                "requests_per_second": rps.round(),
                "latency_ms": r.latency.json(),
                "bytes_per_response": r.wire_bytes / r.requests.max(1) as u64,
                "json_bytes_per_response": r.json_bytes / r.requests.max(1) as u64,
                "server_cpu_ms_per_request": round3(per(r.server_cpu)),
                "client_cpu_ms_per_request": round3(per(r.client_cpu)),
                "server_memory": r.memory.json(),
                "server_vm_rss_after_start_mib": mib(mem0.rss),
                "slowest_queries": r.slowest.iter().map(|(t, m, n)| {
                    json!({"target": t, "mean_ms": round3(*m), "count": n})
                }).collect::<Vec<_>>(),
            })
            .to_string(),
        );
    }
    if let Some(r) = runs.first() {
        let _ = writeln!(
            text,
            "\nslowest queries at {} (mean of each query's requests):",
            r.label
        );
        for (target, mean, n) in &r.slowest {
            let _ = writeln!(text, "  {mean:>7.2} ms  x{n:<4} {target}");
        }
    }
    print!("{text}");
    Ok(lines)
}

/// `n` GET /search requests over `c` connections (a shared counter hands
/// out request numbers; request i sends query i of the mix, cyclically),
/// stopping early at `cap`.
fn run_load(
    server: &Server,
    targets: &Arc<Vec<String>>,
    c: usize,
    n: usize,
    cap: Duration,
    gzip: bool,
) -> LoadRun {
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(Errors::default());
    let cpu0 = (server.cpu(), own_cpu());
    let started = Instant::now();
    let handles: Vec<_> = (0..c)
        .map(|_| {
            let (next, errors, targets) = (next.clone(), errors.clone(), targets.clone());
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::new(&addr);
                let headers: &[(&str, &str)] = if gzip {
                    &[("Accept-Encoding", "gzip")]
                } else {
                    &[]
                };
                let mut samples = Vec::with_capacity(n / c + 1);
                let (mut wire, mut decoded) = (0u64, 0u64);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n || started.elapsed() >= cap {
                        break;
                    }
                    let target = &targets[i % targets.len()];
                    let t = Instant::now();
                    let reply = conn.get(target, headers);
                    let took = t.elapsed();
                    match reply.and_then(|r| r.check_json().map(|size| (r.body.len(), size))) {
                        Ok((w, d)) => {
                            wire += w as u64;
                            decoded += d as u64;
                        }
                        Err(e) => errors.add(format!("{target}: {e}")),
                    }
                    samples.push((i % targets.len(), took));
                }
                (samples, wire, decoded)
            })
        })
        .collect();
    let mut samples: Vec<(usize, Duration)> = Vec::with_capacity(n);
    let (mut wire, mut decoded) = (0, 0);
    for h in handles {
        match h.join() {
            Ok((s, w, d)) => {
                samples.extend(s);
                wire += w;
                decoded += d;
            }
            Err(_) => errors.add("a client thread panicked".into()),
        }
    }
    let elapsed = started.elapsed();
    let cpu1 = (server.cpu(), own_cpu());
    let memory = server.memory();
    let requests = samples.len();
    let mut by_target = vec![(Duration::ZERO, 0usize); targets.len()];
    for (t, d) in &samples {
        by_target[*t].0 += *d;
        by_target[*t].1 += 1;
    }
    let mut slowest: Vec<(String, f64, usize)> = by_target
        .iter()
        .enumerate()
        .filter(|(_, (_, n))| *n > 0)
        .map(|(t, (d, n))| (targets[t].clone(), ms(*d) / *n as f64, *n))
        .collect();
    slowest.sort_by(|a, b| b.1.total_cmp(&a.1));
    slowest.truncate(8);
    let mut samples: Vec<Duration> = samples.into_iter().map(|(_, d)| d).collect();
    LoadRun {
        label: format!("c={c}{}", if gzip { " gzip" } else { "" }),
        concurrency: c,
        gzip,
        requests,
        errors: errors.count(),
        error_samples: errors.samples(),
        elapsed,
        latency: Percentiles::of(&mut samples),
        wire_bytes: wire,
        json_bytes: decoded,
        server_cpu: cpu1.0.saturating_sub(cpu0.0),
        client_cpu: cpu1.1.saturating_sub(cpu0.1),
        memory,
        slowest,
    }
}

// ------------------------------------------------------------------ publish

fn publish_bench(o: &Options) -> Res<String> {
    let copy = tempfile::Builder::new()
        .prefix("rs-serve-bench-publish-")
        .tempdir()?;
    let t = Instant::now();
    copy_dir(&o.index, copy.path())?;
    eprintln!(
        "publish: copied {} to {} in {:.1}s",
        o.index.display(),
        copy.path().display(),
        t.elapsed().as_secs_f64()
    );
    // The answer cache off: every background search is a real one.
    let server = Server::start(
        o,
        copy.path(),
        &[
            ("ROLESEARCH_WEBHOOK_SECRET", "bench"),
            ("ROLESEARCH_SEARCH_CACHE", "0"),
        ],
    )?;
    let mut conn = Conn::new(&server.addr);
    let before = articles_of(&mut conn)?;
    let pressure0 = cpu_pressure();
    let templates = article_templates(&o.content, o.publishes);

    // Background search load.
    let targets = Arc::new(targets());
    let stop = Arc::new(AtomicBool::new(false));
    let bg_errors = Arc::new(Errors::default());
    let background: Vec<_> = (0..o.search_threads)
        .map(|t| {
            let (stop, errors, targets) = (stop.clone(), bg_errors.clone(), targets.clone());
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::new(&addr);
                let mut samples = Vec::new();
                let mut i = t * 37;
                while !stop.load(Ordering::Relaxed) {
                    let target = &targets[i % targets.len()];
                    let started = Instant::now();
                    if let Err(e) = conn.get(target, &[]).and_then(|r| r.check_json()) {
                        errors.add(format!("{target}: {e}"));
                    }
                    samples.push(started.elapsed());
                    i += 1;
                }
                samples
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));

    let nonce = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let base_ms = nonce;
    let mut publish = Vec::new();
    let mut webhook = Vec::new();
    let mut polls = Vec::new();
    let mut failures = Vec::new();
    let mut body_bytes = 0usize;
    let run_started = Instant::now();
    // The server's heap as publishes go: (publishes done, RssAnon KiB).
    let mut heap = vec![(0, server.memory().anon)];
    let cpu0 = server.cpu();
    for i in 0..o.publishes {
        let word = unique_word(nonce, i);
        let slug = format!("bench-publish-{nonce}-{i}");
        let template = templates.get(i % templates.len().max(1));
        let body = webhook_body(
            &word,
            &slug,
            &format!("benchdoc{nonce}x{i}"),
            &rfc3339(base_ms + i as u64 * 1000),
            template,
        );
        body_bytes += body.len();
        let target = format!("/search?q={}", encode(&word));
        let started = Instant::now();
        let reply = conn.request(
            "POST",
            "/webhooks/strapi",
            &[
                ("Content-Type", "application/json"),
                ("Authorization", "Bearer bench"),
            ],
            body.as_bytes(),
        );
        let answered = started.elapsed();
        match reply {
            Ok(r) if r.status == 200 => {
                let status = serde_json::from_slice::<Value>(&r.body)
                    .ok()
                    .and_then(|v| v["status"].as_str().map(str::to_string));
                if status.as_deref() != Some("applied") {
                    failures.push(format!("webhook {i}: {}", String::from_utf8_lossy(&r.body)));
                    continue;
                }
            }
            Ok(r) => {
                failures.push(format!(
                    "webhook {i}: status {}: {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                ));
                continue;
            }
            Err(e) => {
                failures.push(format!("webhook {i}: {e}"));
                continue;
            }
        }
        webhook.push(answered);
        let mut n = 0;
        let found = loop {
            n += 1;
            match conn.get(&target, &[]).and_then(|r| {
                r.check_json()?;
                Ok(serde_json::from_slice::<Value>(&r.body)?)
            }) {
                Ok(v) => {
                    let hit = v["hits"]
                        .as_array()
                        .is_some_and(|h| h.iter().any(|h| h["slug"] == slug.as_str()));
                    if hit {
                        break true;
                    }
                }
                Err(e) => failures.push(format!("search {i}: {e}")),
            }
            if started.elapsed() > Duration::from_secs(10) {
                break false;
            }
        };
        if found {
            publish.push(started.elapsed());
            polls.push(n);
        } else {
            failures.push(format!("article {i} not found after {n} searches"));
        }
        if (i + 1) % (o.publishes / 4).max(1) == 0 {
            heap.push((i + 1, server.memory().anon));
        }
    }
    let run_time = run_started.elapsed();
    let cpu = server.cpu().saturating_sub(cpu0);
    stop.store(true, Ordering::Relaxed);
    let mut bg = Vec::new();
    for h in background {
        match h.join() {
            Ok(s) => bg.extend(s),
            Err(_) => bg_errors.add("a search thread panicked".into()),
        }
    }
    let after = articles_of(&mut conn)?;
    let memory = server.memory();
    let bg_count = bg.len();
    let bg_lat = Percentiles::of(&mut bg);
    let pub_lat = Percentiles::of(&mut publish);
    let hook_lat = Percentiles::of(&mut webhook);
    polls.sort_unstable();
    let polls_max = polls.last().copied().unwrap_or(0);
    let polls_gt1 = polls.iter().filter(|&&p| p > 1).count();
    let polls_mean = polls.iter().sum::<usize>() as f64 / polls.len().max(1) as f64;

    let ok = |b: bool| if b { "ok" } else { "MISS" };
    let mut text = String::new();
    let _ = writeln!(
        text,
        "\npublish: {} webhooks (entry.publish, new articles, mean body {:.1} KiB) one after another, \
         {} background search threads; articles {} -> {}; CPU pressure (avg10) before {pressure0}, \
         after {}\n",
        o.publishes,
        body_bytes as f64 / o.publishes as f64 / 1024.0,
        o.search_threads,
        before,
        after,
        cpu_pressure()
    );
    let _ = writeln!(
        text,
        "{:<26} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "n", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (name, p) in [
        ("publish -> searchable", &pub_lat),
        ("webhook response alone", &hook_lat),
        ("background searches", &bg_lat),
    ] {
        let _ = writeln!(
            text,
            "{:<26} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            name, p.n, p.mean, p.p50, p.p90, p.p99, p.max
        );
    }
    let _ = writeln!(
        text,
        "\nsearches to find the article: mean {polls_mean:.2}, max {polls_max}, more than one: {polls_gt1}"
    );
    let _ = writeln!(
        text,
        "server heap (RssAnon) after N publishes: {}",
        heap.iter()
            .map(|(n, kib)| format!("{n}: {} MiB", mib(*kib)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        text,
        "background searches: {bg_count} ({:.0}/s), failed: {}; publish failures: {}; \
         server CPU {:.2}s over {:.2}s; VmHWM {} MiB, VmRSS {} MiB (anon {} MiB, files {} MiB)",
        bg_count as f64 / run_time.as_secs_f64(),
        bg_errors.count(),
        failures.len(),
        cpu.as_secs_f64(),
        run_time.as_secs_f64(),
        mib(memory.hwm),
        mib(memory.rss),
        mib(memory.anon),
        mib(memory.file)
    );
    for e in bg_errors.samples().iter().chain(failures.iter().take(5)) {
        let _ = writeln!(text, "    error: {e}");
    }
    let _ = writeln!(
        text,
        "targets: {} p99<250ms, {} 0 failed searches, {} every article found",
        ok(pub_lat.p99 < 250.0 && pub_lat.n == o.publishes),
        ok(bg_errors.count() == 0),
        ok(failures.is_empty() && after == before + o.publishes as u64)
    );
    print!("{text}");
    Ok(json!({
        "bench": "publish",
        "publishes": o.publishes,
        "found": pub_lat.n,
        "failures": failures.len(),
        "publish_latency_ms": pub_lat.json(),
        "webhook_response_ms": hook_lat.json(),
        "searches_to_find": {"mean": round3(polls_mean), "max": polls_max, "more_than_one": polls_gt1},
        "background_searches": bg_count,
        "background_search_errors": bg_errors.count(),
        "background_search_ms": bg_lat.json(),
        "articles_before": before,
        "articles_after": after,
        "server_cpu_seconds": round3(cpu.as_secs_f64()),
        "seconds": round3(run_time.as_secs_f64()),
        "server_memory": memory.json(),
        "server_rss_anon_mib_after_publishes": heap.iter().map(|(n, kib)| json!([n, mib(*kib)])).collect::<Vec<_>>(),
    })
    .to_string())
}

fn articles_of(conn: &mut Conn) -> Res<u64> {
    let reply = conn.get("/health", &[])?;
    reply.check_json()?;
    let v: Value = serde_json::from_slice(&reply.decoded()?)?;
    v["articles"]
        .as_u64()
        .ok_or_else(|| format!("/health without articles: {v}").into())
}

/// A made-up word no corpus has: letters only, so that every analyzer
/// keeps it whole.
fn unique_word(nonce: u64, i: usize) -> String {
    let mut word = String::from("zqv");
    let mut letters = |mut n: u64, count: usize| {
        for _ in 0..count {
            word.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
    };
    letters(nonce, 7);
    letters(i as u64, 4);
    word.push_str("blorp");
    word
}

/// Real article bodies from the corpus (rich-text blocks), `n` of them
/// spread over it, so that published articles have a realistic size.
fn article_templates(content: &Path, n: usize) -> Vec<Vec<Value>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(content)
        .map(|d| {
            d.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let step = (files.len() / n.max(1)).max(1);
    files
        .iter()
        .step_by(step)
        .take(n)
        .filter_map(|p| {
            let v: Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
            let blocks: Vec<Value> = v["blocks"]
                .as_array()?
                .iter()
                .filter(|b| b["__component"] == "shared.rich-text")
                .map(|b| json!({"__component": "shared.rich-text", "body": b["body"]}))
                .collect();
            (!blocks.is_empty()).then_some(blocks)
        })
        .collect()
}

/// A Strapi 5 `entry.publish` of a new article carrying `word`.
fn webhook_body(
    word: &str,
    slug: &str,
    document_id: &str,
    at: &str,
    template: Option<&Vec<Value>>,
) -> String {
    let mut blocks = vec![json!({
        "__component": "shared.rich-text",
        "body": format!(
            "## Publishing benchmark\n\nThis article mentions {word} once, so that a search \
             for it finds this article and no other.\n\n- written by the serve bench\n- \
             published through the Strapi webhook\n"
        ),
    })];
    blocks.extend(template.into_iter().flatten().cloned());
    json!({
        "event": "entry.publish",
        "createdAt": at,
        "model": "article",
        "uid": "api::article.article",
        "entry": {
            "id": 1,
            "documentId": document_id,
            "locale": "en",
            "title": format!("Bench publish {slug}"),
            "description": "An article published by the serve benchmark",
            "slug": slug,
            "createdAt": at,
            "updatedAt": at,
            "publishedAt": at,
            "blocks": blocks,
        },
    })
    .to_string()
}

/// `ms` milliseconds after the Unix epoch as RFC 3339 (UTC, milliseconds).
fn rfc3339(ms: u64) -> String {
    index::format_unix_fraction(ms / 1000, &format!(".{:03}", ms % 1000))
}

fn copy_dir(from: &Path, to: &Path) -> Res<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

// -------------------------------------------------------------------- smoke

/// The client, the query targets and the webhook payloads, against a fake
/// keep-alive server in this process: no index, no release build.
fn smoke() -> Res<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?.to_string();
    let server = std::thread::spawn(move || -> Res<usize> {
        let (stream, _) = listener.accept()?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut writer = stream;
        let mut served = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                return Ok(served);
            }
            let mut length = 0;
            let mut gzip = false;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h)?;
                let lower = h.trim().to_ascii_lowercase();
                if lower.is_empty() {
                    break;
                }
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse()?;
                }
                gzip |= lower.starts_with("accept-encoding:") && lower.contains("gzip");
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            let payload = json!({"target": line.split_whitespace().nth(1), "body": body.len()})
                .to_string()
                .into_bytes();
            let (payload, encoding) = if gzip {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(&payload)?;
                (e.finish()?, "Content-Encoding: gzip\r\n")
            } else {
                (payload, "")
            };
            write!(
                writer,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{encoding}content-length: {}\r\n\r\n",
                payload.len()
            )?;
            writer.write_all(&payload)?;
            served += 1;
        }
    });

    let targets = targets();
    if targets.len() < 100 || !targets.iter().any(|t| t.contains("&role=")) {
        return Err(format!("an unexpected query mix: {} targets", targets.len()).into());
    }
    let phrase = search_target(&index::SearchRequest::new("\"foreign key\" & b"));
    if phrase != "/search?q=%22foreign%20key%22%20%26%20b" {
        return Err(format!("bad encoding: {phrase}").into());
    }
    let body = webhook_body(
        &unique_word(1, 2),
        "s",
        "d",
        &rfc3339(1_700_000_000_123),
        None,
    );
    let payload: Value = serde_json::from_str(&body)?;
    if payload["createdAt"] != "2023-11-14T22:13:20.123Z" {
        return Err(format!("bad timestamp: {}", payload["createdAt"]).into());
    }

    let mut conn = Conn::new(&addr);
    for (i, target) in targets.iter().take(3).enumerate() {
        let gzip: &[(&str, &str)] = if i == 1 {
            &[("Accept-Encoding", "gzip")]
        } else {
            &[]
        };
        let reply = conn.get(target, gzip)?;
        reply.check_json()?;
        let v: Value = serde_json::from_slice(&reply.decoded()?)?;
        if v["target"] != target.as_str() || reply.gzip != (i == 1) {
            return Err(format!("unexpected reply {v}").into());
        }
    }
    let reply = conn.request("POST", "/webhooks/strapi", &[], body.as_bytes())?;
    let v: Value = serde_json::from_slice(&reply.body)?;
    if v["body"] != body.len() {
        return Err(format!("the body did not arrive whole: {v}").into());
    }
    drop(conn);
    let served = server.join().map_err(|_| "the fake server panicked")??;
    if served != 4 {
        return Err(format!("{served} requests on one connection, not 4").into());
    }
    let mut samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
    let p = Percentiles::of(&mut samples);
    if (p.p50, p.p99, p.max) != (50.0, 99.0, 100.0) {
        return Err(format!("bad percentiles {p:?}").into());
    }
    Ok(())
}
