//! `serve` settings, resolved once before anything starts: flag, then
//! environment variable (both through clap), then the TOML file, then the
//! default. Every value is checked here, so a bad one is one clear line at
//! startup rather than a failure later.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use index::OpenOptions;
use serde::Deserialize;

use super::shared;
use crate::cli::ServeArgs;
use crate::error::{Code, Error};
use crate::strapi::pull::Source;
use crate::strapi::sync::Guard;

/// The settings file, every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    addr: Option<String>,
    index: Option<PathBuf>,
    content: Option<PathBuf>,
    url_pattern: Option<String>,
    synonyms: Option<PathBuf>,
    cors_origins: Option<Vec<String>>,
    search_timeout_ms: Option<u64>,
    max_concurrent_searches: Option<usize>,
    search_cache: Option<usize>,
    search_cache_bytes: Option<Setting>,
    max_connections: Option<usize>,
    header_timeout: Option<Setting>,
    body_timeout: Option<Setting>,
    write_queue: Option<usize>,
    webhook_secret_file: Option<PathBuf>,
    webhook_models: Option<Vec<String>>,
    strapi_url: Option<String>,
    sync_every: Option<String>,
    sync_max_removal: Option<String>,
    default_locale: Option<String>,
    /// By locale: the URL pattern of its articles.
    locale_url_patterns: Option<std::collections::BTreeMap<String, String>>,
}

/// A setting a TOML file may give as a number or as text (`10` or
/// `"10s"`, `33554432` or `"32MiB"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Setting {
    Number(u64),
    Text(String),
}

impl Setting {
    fn text(self) -> String {
        match self {
            Setting::Number(n) => n.to_string(),
            Setting::Text(t) => t,
        }
    }
}

/// Everything `serve` needs, validated.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    pub index: PathBuf,
    pub content: PathBuf,
    /// The URL pattern, the synonyms and the answer cache's size.
    pub open: OpenOptions,
    pub cors_origins: Vec<String>,
    pub search_timeout: Duration,
    pub max_concurrent_searches: usize,
    /// Connections served at once (more get the cheap over-the-cap answer).
    pub max_connections: usize,
    /// Longest to read a request head, and longest an idle connection stays.
    pub header_timeout: Duration,
    /// Longest to read a request body.
    pub body_timeout: Duration,
    /// Changes that may wait for the index writer.
    pub write_queue: usize,
    /// The webhook secret; `None`: no webhook route.
    pub webhook_secret: Option<String>,
    pub webhook_models: Vec<String>,
    /// `--strapi-url` with `--sync-every`: pull from Strapi on a schedule.
    pub sync: Option<Schedule>,
}

/// Where to pull from, and how often.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub source: Source,
    pub every: Duration,
    /// A scheduled sync never removes more than this share of the index.
    pub guard: Guard,
}

/// A bad setting: one line, exit status 2.
fn invalid(message: impl Into<String>) -> Error {
    Error::new(Code::InvalidArgument, message)
}

impl ServeOptions {
    pub fn resolve(args: ServeArgs) -> Result<ServeOptions, Error> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileSettings::default(),
        };
        let addr = args
            .addr
            .or(file.addr)
            .unwrap_or_else(|| "127.0.0.1:7700".into());
        let addr: SocketAddr = addr
            .parse()
            .map_err(|_| invalid(format!("addr {addr:?} is not a HOST:PORT socket address")))?;
        let url_pattern = shared::url_pattern(
            args.url_pattern
                .or(file.url_pattern)
                .unwrap_or_else(|| index::DEFAULT_URL_PATTERN.into()),
            "url_pattern",
        )?;
        let cors_origins = if args.cors_origins.is_empty() {
            file.cors_origins.unwrap_or_default()
        } else {
            args.cors_origins
        };
        for origin in &cors_origins {
            if !(origin.starts_with("http://") || origin.starts_with("https://"))
                || origin.ends_with('/')
            {
                return Err(invalid(format!(
                    "CORS origin {origin:?} must look like https://example.com (scheme, host, optional port, no path)"
                )));
            }
        }
        let timeout = args
            .search_timeout_ms
            .or(file.search_timeout_ms)
            .unwrap_or(2000);
        if timeout == 0 || timeout > 60_000 {
            return Err(invalid("search_timeout_ms must be between 1 and 60000"));
        }
        let concurrency = args
            .max_concurrent_searches
            .or(file.max_concurrent_searches)
            .unwrap_or_else(default_concurrency);
        if concurrency == 0 || concurrency > 4096 {
            return Err(invalid(
                "max_concurrent_searches must be between 1 and 4096",
            ));
        }
        let search_cache = args.search_cache.or(file.search_cache).unwrap_or(512);
        if search_cache > 10_000 {
            return Err(invalid("search_cache must be at most 10000"));
        }
        let cache_bytes = match args
            .search_cache_bytes
            .or(file.search_cache_bytes.map(Setting::text))
        {
            Some(text) => parse_size(&text, "search_cache_bytes")?,
            None => index::DEFAULT_CACHED_BYTES,
        };
        let max_connections = args
            .max_connections
            .or(file.max_connections)
            .unwrap_or(DEFAULT_MAX_CONNECTIONS);
        if max_connections == 0 || max_connections > 65_536 {
            return Err(invalid("max_connections must be between 1 and 65536"));
        }
        let header_timeout = timeout_setting(
            args.header_timeout
                .or(file.header_timeout.map(Setting::text)),
            "header_timeout",
            Duration::from_secs(10),
            300,
        )?;
        let body_timeout = timeout_setting(
            args.body_timeout.or(file.body_timeout.map(Setting::text)),
            "body_timeout",
            Duration::from_secs(30),
            600,
        )?;
        let write_queue = args.write_queue.or(file.write_queue).unwrap_or(16);
        if write_queue == 0 || write_queue > 1024 {
            return Err(invalid("write_queue must be between 1 and 1024"));
        }
        let secret_file = args.webhook_secret_file.or(file.webhook_secret_file);
        let webhook_secret = match (std::env::var("ROLESEARCH_WEBHOOK_SECRET").ok(), secret_file) {
            (Some(secret), _) if !secret.trim().is_empty() => Some(secret.trim().to_string()),
            (_, Some(path)) => {
                let secret = shared::read_text(&path, "webhook secret file")?;
                let secret = secret.trim().to_string();
                if secret.is_empty() {
                    return Err(Error::new(
                        Code::InvalidInput,
                        format!("webhook secret file {} is empty", path.display()),
                    ));
                }
                Some(secret)
            }
            _ => None,
        };
        let webhook_models = if args.webhook_models.is_empty() {
            file.webhook_models
                .unwrap_or_else(|| vec!["article".into(), "api::article.article".into()])
        } else {
            args.webhook_models
        };
        let strapi_url = args.strapi_url.or(file.strapi_url);
        let sync_every = match args.sync_every.or(file.sync_every) {
            None => None,
            Some(text) => Some(parse_duration(&text)?),
        };
        let synonyms = shared::synonyms(args.synonyms.or(file.synonyms).as_deref())?;
        let default_locale = args
            .default_locale
            .or(file.default_locale)
            .unwrap_or_else(|| indexer::DEFAULT_LOCALE.into());
        let locale_url_patterns = if args.locale_url_patterns.is_empty() {
            shared::locale_url_patterns(file.locale_url_patterns.unwrap_or_default())?
        } else {
            let mut pairs = Vec::new();
            for pair in args.locale_url_patterns {
                let (locale, pattern) = pair.split_once('=').ok_or_else(|| {
                    invalid(format!(
                        "--locale-url-pattern {pair:?} must look like fr=/fr/articles/{{slug}}"
                    ))
                })?;
                pairs.push((locale.trim().to_string(), pattern.trim().to_string()));
            }
            shared::locale_url_patterns(pairs)?
        };
        let max_removal = match args.sync_max_removal.or(file.sync_max_removal) {
            Some(text) => shared::share(&text, "sync_max_removal")?,
            None => Guard::default().max_removal,
        };
        let sync = match (strapi_url, sync_every) {
            (Some(url), Some(every)) => Some(Schedule {
                source: Source {
                    url,
                    token: shared::strapi_token(),
                    collection: "articles".into(),
                    page_size: 100,
                },
                every,
                guard: Guard {
                    max_removal,
                    allow_removals: false,
                },
            }),
            (None, Some(_)) => {
                return Err(invalid(
                    "--sync-every needs --strapi-url (or ROLESEARCH_STRAPI_URL)",
                ))
            }
            (_, None) => None,
        };
        let mut open = shared::open_options(
            shared::taxonomy(&default_locale)?,
            synonyms,
            url_pattern,
            locale_url_patterns,
            search_cache,
        );
        open.cached_bytes = cache_bytes;
        Ok(ServeOptions {
            max_connections,
            header_timeout,
            body_timeout,
            write_queue,
            webhook_secret,
            webhook_models,
            sync,
            addr,
            index: args
                .index
                .or(file.index)
                .unwrap_or_else(|| ".rolesearch-index".into()),
            content: args
                .content
                .or(file.content)
                .unwrap_or_else(|| "content".into()),
            open,
            cors_origins,
            search_timeout: Duration::from_millis(timeout),
            max_concurrent_searches: concurrency,
        })
    }
}

/// Reads the settings file; its relative paths are relative to its folder,
/// wherever `serve` is started from.
fn read_file(path: &Path) -> Result<FileSettings, Error> {
    let text = shared::read_text(path, "settings file")?;
    let mut file: FileSettings = toml::from_str(&text).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            format!("settings file {}: {}", path.display(), e.message()),
        )
    })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    for setting in [
        &mut file.index,
        &mut file.content,
        &mut file.synonyms,
        &mut file.webhook_secret_file,
    ] {
        if let Some(relative) = setting.take() {
            *setting = Some(folder.join(relative));
        }
    }
    Ok(file)
}

/// Parses `90s`, `10m`, `1h` (or plain seconds) into a duration of at
/// least one second.
fn parse_duration(text: &str) -> Result<Duration, Error> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let malformed = || invalid(format!("duration {text:?} must look like 90s, 10m or 1h"));
    let n: u64 = number.parse().map_err(|_| malformed())?;
    let unit = match unit.trim() {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        _ => return Err(malformed()),
    };
    match n.checked_mul(unit) {
        Some(0) => Err(invalid(format!("duration {text:?} must be at least 1s"))),
        Some(secs) if secs <= MAX_SYNC_EVERY => Ok(Duration::from_secs(secs)),
        // A timer that far off would overflow the clock.
        _ => Err(invalid(format!(
            "duration {text:?} must be at most 30 days"
        ))),
    }
}

/// The default of `--max-connections`: far more than a search box's
/// readers keep open, and few enough for a default `ulimit -n` of 1024.
const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// A timeout setting, from 1 s to `max_secs`.
fn timeout_setting(
    text: Option<String>,
    name: &str,
    default: Duration,
    max_secs: u64,
) -> Result<Duration, Error> {
    let Some(text) = text else {
        return Ok(default);
    };
    let d = parse_duration(&text).map_err(|e| invalid(format!("{name}: {}", e.message())))?;
    if d.as_secs() > max_secs {
        return Err(invalid(format!(
            "{name} must be at most {max_secs}s, not {text:?}"
        )));
    }
    Ok(d)
}

/// Parses a size in bytes: `33554432`, `512KiB`, `32MiB`, `1GiB` (at most
/// 4 GiB).
fn parse_size(text: &str, name: &str) -> Result<usize, Error> {
    let t = text.trim();
    let (number, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let malformed = || {
        invalid(format!(
            "{name} {text:?} must be a size such as 32MiB, 512KiB or a number of bytes"
        ))
    };
    let n: u64 = number.parse().map_err(|_| malformed())?;
    let unit: u64 = match unit.trim() {
        "" | "B" => 1,
        "KiB" | "K" | "KB" => 1 << 10,
        "MiB" | "M" | "MB" => 1 << 20,
        "GiB" | "G" | "GB" => 1 << 30,
        _ => return Err(malformed()),
    };
    match n.checked_mul(unit) {
        Some(bytes) if bytes <= 4 << 30 => Ok(bytes as usize),
        _ => Err(invalid(format!(
            "{name} must be at most 4GiB, not {text:?}"
        ))),
    }
}

/// The longest `--sync-every`, in seconds: 30 days.
const MAX_SYNC_EVERY: u64 = 30 * 24 * 3600;

/// Searches are CPU work: one per core, plus one so a core is never idle
/// while a search thread hands its answer back. More at once would only
/// share the cores, stretching every search (a slow one most) where a
/// first-come queue keeps the tail short.
fn default_concurrency() -> usize {
    (std::thread::available_parallelism().map_or(2, |n| n.get()) + 1).max(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_seconds_minutes_or_hours_from_one_second_to_thirty_days() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration(" 2h "), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("45"), Ok(Duration::from_secs(45)));
        for bad in [
            "0s",
            "10x",
            "m",
            "720h1",
            "721h",
            "99999999999999999999h",
            "18446744073709551615m",
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert_eq!(err.code(), Code::InvalidArgument, "{bad}");
        }
    }

    #[test]
    fn sizes_are_bytes_or_binary_units_up_to_four_gibibytes() {
        assert_eq!(parse_size("32MiB", "x"), Ok(32 << 20));
        assert_eq!(parse_size("512KiB", "x"), Ok(512 << 10));
        assert_eq!(parse_size("1000", "x"), Ok(1000));
        assert_eq!(parse_size("0", "x"), Ok(0));
        for bad in ["", "MiB", "3 parsecs", "5GiB", "99999999999999999999"] {
            let err = parse_size(bad, "search_cache_bytes").unwrap_err();
            assert!(err.message().contains("search_cache_bytes"), "{bad}");
        }
    }
}
