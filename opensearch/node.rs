//! A real OpenSearch node for a test binary (shared by the index tests and
//! the server's end-to-end tests, `#[path]`-included by both): the one
//! `OPENSEARCH_URL` names (`scripts/test` starts one for the whole run),
//! or one started here with `opensearch/start-node` on free ports, once
//! per test binary, and stopped when the binary exits, however it ends.
//! Without Java or Maven there is no node, and the reason is returned for
//! the test's `SKIPPED` line.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The node's base URL, or why there is none.
pub fn node() -> Result<&'static str, &'static str> {
    static NODE: OnceLock<Result<String, String>> = OnceLock::new();
    NODE.get_or_init(start_node)
        .as_ref()
        .map(String::as_str)
        .map_err(String::as_str)
}

/// The node, or a `SKIPPED` line and out of the test. The line is
/// written to stderr itself, past the test harness's capture, so that it
/// shows (and `scripts/test` counts it) although the test passes.
#[allow(unused_macros)]
macro_rules! node_or_skip {
    ($test:expr) => {
        match $crate::opensearch_node::node() {
            Ok(url) => url,
            Err(why) => {
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "{} SKIPPED: no OpenSearch node: {why}",
                    $test
                );
                return;
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use node_or_skip;

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("opensearch")
}

fn start_node() -> Result<String, String> {
    if let Ok(url) = std::env::var("OPENSEARCH_URL") {
        if !url.trim().is_empty() {
            return Ok(url.trim().trim_end_matches('/').to_string());
        }
    }
    let have = |cmd: &str, arg: &str| {
        Command::new(cmd)
            .arg(arg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !have("java", "-version") {
        return Err("no java on PATH (a JDK 17 starts one)".into());
    }
    let scripts = scripts();
    let fetched = scripts.join("target/classpath.txt").is_file() || have("mvn", "-v");
    if !fetched {
        return Err("no mvn on PATH to fetch OpenSearch's jars (opensearch/fetch)".into());
    }
    let out = Command::new(scripts.join("fetch"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("opensearch/fetch: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "opensearch/fetch failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .map_err(|e| e.to_string())
    };
    let (http, transport) = (free()?, free()?);
    let pid = std::process::id();
    let name = format!("tests-{pid}");
    let run = std::env::temp_dir().join(format!("rolesearch-opensearch-tests-{pid}"));
    let started = Command::new(scripts.join("start-node"))
        .args([&name, &http.to_string(), &transport.to_string()])
        .env("OPENSEARCH_RUN", &run)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("opensearch/start-node: {e}"))?;
    if !started.status.success() {
        return Err(format!(
            "opensearch/start-node failed: {}{}",
            String::from_utf8_lossy(&started.stdout).trim(),
            String::from_utf8_lossy(&started.stderr).trim()
        ));
    }
    eprintln!("{}", String::from_utf8_lossy(&started.stdout).trim());
    // Stopped once this process is gone, however it ends.
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; OPENSEARCH_RUN='{run}' '{stop}' '{name}' >/dev/null 2>&1; rm -rf '{run}'",
        run = run.display(),
        stop = scripts.join("stop").display(),
    );
    Command::new("sh")
        .args(["-c", &watchdog])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("the node's watchdog: {e}"))?;
    Ok(format!("http://127.0.0.1:{http}"))
}
