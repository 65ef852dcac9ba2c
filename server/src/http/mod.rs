//! `rolesearch serve`: the HTTP API and the search page over one shared,
//! hot-swappable index.
//!
//! Warp carries the connections; routing, limits and errors are done here
//! in one dispatcher so that every answer (404, 405, 413, 414, …) comes
//! from the one error table in `error.rs`. Searches run on the blocking
//! pool under a concurrency limit and a deadline. A watcher task picks up
//! an index changed by another process (a new generation, or a new commit
//! in the live one) and swaps it in between requests.

mod article_page;
mod assets;
mod error;
mod metrics;
mod params;

use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use futures_util::{Stream, StreamExt};
use tokio::sync::Semaphore;
use warp::http::{HeaderMap, HeaderValue, Method, Response, StatusCode};
use warp::Filter;

use index::{OpenOptions, SearchIndex, SearchRequest, Store};
use indexer::Taxonomy;

use crate::settings::Settings;
use error::ApiError;
use metrics::Metrics;
use params::Params;

/// Longest URL accepted (path and query).
const MAX_URL: usize = 8 * 1024;
/// Longest `q` accepted, in bytes.
const MAX_QUERY: usize = 512;
/// Largest body any route reads.
const MAX_BODY: usize = 1 << 20;
/// Largest webhook body (Strapi entries with many blocks are big).
const MAX_WEBHOOK_BODY: usize = 5 << 20;

type Body = warp::hyper::body::Bytes;

/// What every request shares.
pub struct State {
    index: RwLock<Option<Arc<SearchIndex>>>,
    options: OpenOptions,
    settings: Settings,
    metrics: Metrics,
    searches: Arc<Semaphore>,
}

impl State {
    fn current(&self) -> Result<Arc<SearchIndex>, ApiError> {
        self.index
            .read()
            .ok()
            .and_then(|g| g.clone())
            .ok_or_else(|| ApiError::IndexUnavailable("the index is not loaded yet".into()))
    }
}

/// Runs the server until Ctrl-C or SIGTERM; requests in flight finish.
pub fn serve(settings: Settings) -> Result<()> {
    init_logging();
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Searches are CPU work on a 2-core class machine: a few blocking
        // threads do it all, and fewer threads mean fewer malloc arenas.
        .max_blocking_threads(16)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(run(settings))
}

/// glibc gives threads that allocate at once arenas of their own, up to
/// eight per core, and keeps what they freed: every webhook's short-lived
/// writer threads left the server ~120 MiB larger after 100 publishes
/// (`cargo bench -p rolesearch --bench serve -- publish`), against ~20 MiB
/// with two arenas, at the same speed. `MALLOC_ARENA_MAX`, when set, wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes a tuning parameter of the allocator;
        // it is called before the runtime starts any thread.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

async fn run(settings: Settings) -> Result<()> {
    let options = OpenOptions {
        taxonomy: Arc::new(Taxonomy::builtin()),
        synonyms: Arc::new(crate::app::load_synonyms(settings.synonyms.as_deref())?),
        url_pattern: settings.url_pattern.clone(),
        cached_responses: settings.search_cache,
    };
    let index = open_or_build(&settings, &options)?;
    let state = Arc::new(State {
        index: RwLock::new(Some(Arc::new(index))),
        searches: Arc::new(Semaphore::new(settings.max_concurrent_searches)),
        options,
        settings: settings.clone(),
        metrics: Metrics::default(),
    });

    let socket = if settings.addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()
    } else {
        tokio::net::TcpSocket::new_v6()
    }?;
    socket.set_reuseaddr(true)?;
    // Accepted connections inherit TCP_NODELAY from the listening socket.
    socket.set_nodelay(true)?;
    socket
        .bind(settings.addr)
        .map_err(|e| crate::app::InputError(format!("cannot listen on {}: {e}", settings.addr)))?;
    let listener = socket.listen(1024)?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, index = %settings.index.display(), "rolesearch listening on http://{local}");
    // A line on stdout too, for scripts that wait for the server.
    println!("listening on http://{local}");
    let _ = std::io::stdout().flush();

    tokio::spawn(watch_index(state.clone()));
    if let (Some(url), Some(every)) = (settings.strapi_url.clone(), settings.sync_every) {
        tokio::spawn(sync_on_schedule(state.clone(), url, every));
    }

    let with_state = {
        let state = state.clone();
        warp::any().map(move || state.clone())
    };
    let routes = warp::method()
        .and(warp::path::full())
        .and(warp::query::raw().or(warp::any().map(String::new)).unify())
        .and(warp::header::headers_cloned())
        .and(warp::body::stream())
        .and(with_state)
        .then(handle);
    warp::serve(routes)
        .incoming(listener)
        .graceful(shutdown_signal())
        .run()
        .await;
    tracing::info!("rolesearch stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Opens the index, building it from the content folder first when there
/// is none yet.
fn open_or_build(settings: &Settings, options: &OpenOptions) -> Result<SearchIndex> {
    match SearchIndex::open(&settings.index, options.clone()) {
        Ok(index) => Ok(index),
        Err(index::Error::NotFound(_)) => {
            tracing::info!(content = %settings.content.display(), "no index yet: building one");
            let report = index::build(
                &settings.content,
                &settings.index,
                &index::BuildOptions::default(),
                &mut |_, _| {},
            )
            .with_context(|| format!("indexing {} failed", settings.content.display()))?;
            for p in &report.problems {
                tracing::warn!("{p}");
            }
            tracing::info!(
                articles = report.articles,
                pieces = report.pieces,
                seconds = report.elapsed.as_secs_f64(),
                "index built"
            );
            Ok(SearchIndex::open(&settings.index, options.clone())?)
        }
        Err(e) => Err(e.into()),
    }
}

/// Swaps in an index changed by another process: a new generation is
/// opened beside the old one and replaces it between requests; a new
/// commit in the live generation is picked up by a reload.
async fn watch_index(state: Arc<State>) {
    let mut ticker = tokio::time::interval(Duration::from_millis(200));
    loop {
        ticker.tick().await;
        refresh(&state).await;
    }
}

/// `serve --sync-every`: reconciles with Strapi on a schedule (the first
/// run right away), then refreshes this server's view of the index.
async fn sync_on_schedule(state: Arc<State>, url: String, every: Duration) {
    let mut ticker = tokio::time::interval(every);
    loop {
        ticker.tick().await;
        let source = crate::strapi::Source {
            url: url.clone(),
            token: std::env::var("ROLESEARCH_STRAPI_TOKEN")
                .ok()
                .filter(|t| !t.trim().is_empty()),
            collection: "articles".into(),
            page_size: 100,
        };
        let dir = state.settings.index.clone();
        let taxonomy = state.options.taxonomy.clone();
        match tokio::task::spawn_blocking(move || crate::sync::sync(&source, &dir, &taxonomy)).await
        {
            Ok(Ok(synced)) => tracing::info!("{synced}"),
            Ok(Err(e)) => tracing::warn!("sync with Strapi failed: {e:#}"),
            Err(e) => tracing::warn!("sync task failed: {e}"),
        }
        refresh(&state).await;
    }
}

/// Routes known to the server and the methods they take.
fn route_of(path: &str, webhooks: bool) -> Option<(&'static str, &'static str)> {
    Some(match path {
        "/webhooks/strapi" if webhooks => ("/webhooks/strapi", "POST"),
        "/" | "/index.html" => ("/", "GET, HEAD"),
        "/widget.js" => ("/widget.js", "GET, HEAD"),
        "/search" => ("/search", "GET, HEAD"),
        "/suggest" => ("/suggest", "GET, HEAD"),
        "/roles" => ("/roles", "GET, HEAD"),
        "/health" => ("/health", "GET, HEAD"),
        "/metrics" => ("/metrics", "GET, HEAD"),
        p if p.starts_with("/articles/") && p.len() > "/articles/".len() => {
            ("/articles/{slug}", "GET, HEAD")
        }
        _ => return None,
    })
}

async fn handle(
    method: Method,
    path: warp::path::FullPath,
    query: String,
    headers: HeaderMap,
    body: impl Stream<Item = Result<impl bytes::Buf, warp::Error>> + Send + Unpin + 'static,
    state: Arc<State>,
) -> Response<Body> {
    let started = Instant::now();
    let path = path.as_str().to_string();
    let route = route_of(&path, state.settings.webhook_secret.is_some());
    let label = route.map_or("unknown", |r| r.0);
    let result = dispatch(&method, &path, &query, &headers, body, route, &state).await;
    let mut response = match result {
        Ok(response) => response,
        Err(err) => error_response(&err),
    };
    add_cors(&mut response, &headers, &state.settings.cors_origins);
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    state.metrics.record(label, status, elapsed);
    tracing::info!(
        method = %method,
        path = %path,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    if method == Method::HEAD {
        *response.body_mut() = Body::new();
    }
    response
}

async fn dispatch(
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: impl Stream<Item = Result<impl bytes::Buf, warp::Error>> + Send + Unpin + 'static,
    route: Option<(&'static str, &'static str)>,
    state: &Arc<State>,
) -> Result<Response<Body>, ApiError> {
    if path.len() + query.len() + 1 > MAX_URL {
        return Err(ApiError::UriTooLong);
    }
    let Some((route, allow)) = route else {
        return Err(ApiError::NotFound);
    };
    if method == Method::OPTIONS {
        return Ok(preflight(allow));
    }
    if !allow.split(", ").any(|m| m == method.as_str()) {
        return Err(ApiError::MethodNotAllowed { allow });
    }
    if route == "/webhooks/strapi" {
        return webhook(state, headers, body).await;
    }
    // No GET route reads a body, but a client must not be able to push an
    // unbounded one either: read at most the limit, then refuse.
    let _ = read_body(body, MAX_BODY).await?;
    let params = Params::parse(query)?;
    let gzip = accepts_gzip(headers);
    match route {
        "/" => Ok(asset(assets::PAGE, "text/html; charset=utf-8", gzip)),
        "/widget.js" => Ok(asset(
            assets::WIDGET,
            "text/javascript; charset=utf-8",
            gzip,
        )),
        "/search" => search(state, &params, gzip).await,
        "/suggest" => suggest(state, &params, gzip).await,
        "/roles" => {
            let index = state.current()?;
            let roles = blocking(state, move || index.roles()).await?;
            Ok(json(&serde_json::json!({ "roles": roles }), gzip))
        }
        "/articles/{slug}" => {
            let raw = &path["/articles/".len()..];
            let slug = params::decode(raw).map_err(|_| ApiError::InvalidUtf8 {
                parameter: "the slug".into(),
            })?;
            let index = state.current()?;
            let lookup = slug.clone();
            // A browser following a deep link gets the article as a page;
            // API clients get its outline as JSON.
            if wants_html(headers) {
                return match blocking(state, move || index.article_pieces(&lookup)).await? {
                    Some((article, pieces)) => {
                        let html = article_page::render(&article, &pieces);
                        Ok(respond(
                            StatusCode::OK,
                            "text/html; charset=utf-8",
                            html.into_bytes(),
                            gzip,
                        ))
                    }
                    None => Err(ApiError::ArticleNotFound(slug)),
                };
            }
            match blocking(state, move || index.article(&lookup)).await? {
                Some(article) => Ok(json(&article, gzip)),
                None => Err(ApiError::ArticleNotFound(slug)),
            }
        }
        "/health" => health(state).await,
        "/metrics" => {
            let gauges = state.current().ok().and_then(|index| {
                Some(metrics::IndexGauges {
                    articles: index.article_count().ok()?,
                    documents: index.documents(),
                    size_bytes: metrics::folder_size(index.generation()),
                    cache: index.cache_stats(),
                    decoded_bytes: index.decoded_bytes() as u64,
                })
            });
            let text = state.metrics.render(gauges);
            Ok(respond(
                StatusCode::OK,
                "text/plain; version=0.0.4; charset=utf-8",
                text.into_bytes(),
                gzip,
            ))
        }
        _ => Err(ApiError::NotFound),
    }
}

/// The `q` parameter, at most `MAX_QUERY` bytes.
fn query_param(params: &Params) -> Result<String, ApiError> {
    let q = params.first("q").unwrap_or_default();
    if q.len() > MAX_QUERY {
        return Err(ApiError::InvalidParameter {
            code: "query_too_long",
            message: format!("q must be at most {MAX_QUERY} bytes"),
        });
    }
    Ok(q.to_string())
}

async fn search(
    state: &Arc<State>,
    params: &Params,
    gzip: bool,
) -> Result<Response<Body>, ApiError> {
    let q = query_param(params)?;
    let request = SearchRequest {
        q,
        roles: params.all("role"),
        categories: params.all("category"),
        limit: params.number("limit", 10, "invalid_limit")?,
        offset: params.number("offset", 0, "invalid_offset")?,
        sections: params.number("sections", 3, "invalid_sections")?,
    };
    // Bad limits are refused before any work or allocation.
    request.validate()?;
    let index = state.current()?;
    let response = blocking(state, move || index.search(&request)).await?;
    Ok(json(&response, gzip))
}

async fn suggest(
    state: &Arc<State>,
    params: &Params,
    gzip: bool,
) -> Result<Response<Body>, ApiError> {
    let q = query_param(params)?;
    let limit = params.number("limit", index::MAX_SUGGESTIONS, "invalid_limit")?;
    if limit == 0 || limit > index::MAX_SUGGESTIONS {
        return Err(ApiError::InvalidParameter {
            code: "invalid_limit",
            message: format!("limit must be between 1 and {}", index::MAX_SUGGESTIONS),
        });
    }
    let index = state.current()?;
    let query = q.clone();
    let suggestions = blocking(state, move || index.suggest(&query, limit)).await?;
    Ok(json(
        &serde_json::json!({ "query": q, "suggestions": suggestions }),
        gzip,
    ))
}

/// `POST /webhooks/strapi`: checks the shared secret, reads the event,
/// applies it to the index and answers only once the change is committed
/// and searchable.
async fn webhook(
    state: &Arc<State>,
    headers: &HeaderMap,
    body: impl Stream<Item = Result<impl bytes::Buf, warp::Error>> + Send + Unpin + 'static,
) -> Result<Response<Body>, ApiError> {
    let expected = state.settings.webhook_secret.as_deref().unwrap_or_default();
    let presented = headers
        .get(warp::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if expected.is_empty()
        || !crate::webhook::secret_matches(presented.trim().as_bytes(), expected.as_bytes())
    {
        return Err(ApiError::Unauthorized);
    }
    let is_json = headers
        .get(warp::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .eq_ignore_ascii_case("application/json")
        });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = read_body(body, MAX_WEBHOOK_BODY).await?;
    let action = crate::webhook::action(
        &bytes,
        &state.settings.webhook_models,
        &state.options.taxonomy,
    )
    .map_err(|e| ApiError::InvalidBody(e.0))?;
    let (change, kind) = match action {
        crate::webhook::Action::Ignore { reason } => {
            tracing::info!(%reason, "webhook ignored");
            let body = serde_json::json!({ "status": "ignored", "reason": reason });
            return Ok(respond(
                StatusCode::ACCEPTED,
                "application/json",
                serde_json::to_vec(&body).unwrap_or_default(),
                false,
            ));
        }
        crate::webhook::Action::Upsert { article, version } => (
            index::Change::Upsert {
                article: *article,
                version,
            },
            "upsert",
        ),
        crate::webhook::Action::Delete { key, version } => {
            (index::Change::Delete { key, version }, "delete")
        }
    };
    let key = change.key().to_string();
    let slug = match &change {
        index::Change::Upsert { article, .. } => Some(article.slug.clone()),
        index::Change::Delete { .. } => None,
    };
    let report = apply_changes(state, vec![change]).await?;
    let outcome = report.outcomes.first().cloned();
    let (status, text) = match &outcome {
        Some(index::Outcome::Stale { .. }) => (StatusCode::OK, "stale"),
        Some(index::Outcome::Refused { reason }) => {
            return Err(ApiError::InvalidBody(format!("not applied: {reason}")));
        }
        _ => (StatusCode::OK, "applied"),
    };
    tracing::info!(action = kind, key = %key, status = text, "webhook");
    let body = serde_json::json!({
        "status": text,
        "action": kind,
        "key": key,
        "slug": slug,
        "articles": report.articles,
    });
    Ok(respond(
        status,
        "application/json",
        serde_json::to_vec(&body).unwrap_or_default(),
        false,
    ))
}

/// Applies changes through the one writer, then makes them visible to this
/// server's searches before returning.
pub(crate) async fn apply_changes(
    state: &Arc<State>,
    changes: Vec<index::Change>,
) -> Result<index::ApplyReport, ApiError> {
    let dir = state.settings.index.clone();
    let report = tokio::task::spawn_blocking(move || {
        // A webhook carries one article: one indexing thread and a small
        // buffer open faster and leave less memory behind than a build's.
        let options = index::BuildOptions {
            lock_wait: Duration::from_secs(120),
            threads: 1,
            memory_budget: 24 << 20,
            ..index::BuildOptions::default()
        };
        index::apply(&dir, &changes, &options)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the index writer failed: {e}")))?
    .map_err(ApiError::from)?;
    refresh(state).await;
    Ok(report)
}

/// Brings this server's index up to date now (rather than at the watcher's
/// next tick).
async fn refresh(state: &Arc<State>) {
    let store = Store::new(&state.settings.index);
    let Ok(current) = state.current() else { return };
    let live = store.current_name();
    let ours = current
        .generation()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    if live.is_some() && live != ours {
        let dir = state.settings.index.clone();
        let options = state.options.clone();
        if let Ok(Ok(fresh)) =
            tokio::task::spawn_blocking(move || SearchIndex::open(&dir, options)).await
        {
            if let Ok(mut slot) = state.index.write() {
                *slot = Some(Arc::new(fresh));
            }
        }
    } else {
        let _ = tokio::task::spawn_blocking(move || current.reload_if_changed()).await;
    }
}

async fn health(state: &Arc<State>) -> Result<Response<Body>, ApiError> {
    let index = match state.current() {
        Ok(index) => index,
        Err(_) => {
            let body = serde_json::json!({ "status": "starting" });
            return Ok(respond(
                StatusCode::SERVICE_UNAVAILABLE,
                "application/json",
                serde_json::to_vec(&body).unwrap_or_default(),
                false,
            ));
        }
    };
    // Not under the search bound: a health probe must answer while every
    // search slot is busy.
    let stats = tokio::task::spawn_blocking(move || index.stats())
        .await
        .map_err(|e| ApiError::Internal(format!("the health check failed: {e}")))?
        .map_err(ApiError::from)?;
    let body = serde_json::json!({
        "status": "ready",
        "formatVersion": stats.format_version,
        "generation": stats.generation,
        "articles": stats.articles,
        "pieces": stats.pieces,
        "updatedAt": stats.updated_at,
        "createdAt": stats.created_at,
    });
    Ok(json(&body, false))
}

/// Runs index work on the blocking pool, under the concurrency limit and
/// the search deadline.
async fn blocking<T: Send + 'static>(
    state: &Arc<State>,
    work: impl FnOnce() -> index::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = tokio::time::timeout(
        Duration::from_millis(500),
        state.searches.clone().acquire_owned(),
    )
    .await
    .map_err(|_| ApiError::Overloaded)?
    .map_err(|_| ApiError::Overloaded)?;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(state.settings.search_timeout, task).await {
        Err(_) => Err(ApiError::Timeout),
        Ok(Err(join)) => Err(ApiError::Internal(format!("search task failed: {join}"))),
        Ok(Ok(result)) => result.map_err(ApiError::from),
    }
}

async fn read_body(
    mut body: impl Stream<Item = Result<impl bytes::Buf, warp::Error>> + Send + Unpin,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        let mut chunk =
            chunk.map_err(|e| ApiError::InvalidBody(format!("cannot read the body: {e}")))?;
        if out.len() + chunk.remaining() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        while chunk.has_remaining() {
            let part = chunk.chunk();
            out.extend_from_slice(part);
            let n = part.len();
            chunk.advance(n);
        }
    }
    Ok(out)
}

/// Whether the client prefers HTML (a browser navigating) over JSON.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(warp::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(warp::http::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|enc| {
            let mut parts = enc.trim().split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

fn json<T: serde::Serialize>(value: &T, gzip: bool) -> Response<Body> {
    match serde_json::to_vec(value) {
        Ok(bytes) => respond(StatusCode::OK, "application/json", bytes, gzip),
        Err(e) => error_response(&ApiError::Internal(format!(
            "cannot serialize the response: {e}"
        ))),
    }
}

fn asset(content: &'static str, content_type: &str, gzip: bool) -> Response<Body> {
    let mut r = respond(
        StatusCode::OK,
        content_type,
        content.as_bytes().to_vec(),
        gzip,
    );
    r.headers_mut().insert(
        "cache-control",
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// A response, gzip-compressed when the client accepts it and it is worth it.
fn respond(status: StatusCode, content_type: &str, bytes: Vec<u8>, gzip: bool) -> Response<Body> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header("vary", "Accept-Encoding");
    let bytes = if gzip && bytes.len() > 1024 {
        let mut encoder = flate2::write::GzEncoder::new(
            Vec::with_capacity(bytes.len() / 3),
            flate2::Compression::fast(),
        );
        match encoder.write_all(&bytes).and_then(|_| encoder.finish()) {
            Ok(compressed) => {
                builder = builder.header("content-encoding", "gzip");
                compressed
            }
            Err(_) => bytes,
        }
    } else {
        bytes
    };
    builder
        .body(Body::from(bytes))
        .unwrap_or_else(|_| Response::new(Body::new()))
}

fn error_response(err: &ApiError) -> Response<Body> {
    let (status, _) = err.status_and_code();
    let mut r = respond(status, "application/json", err.body(), false);
    if let ApiError::MethodNotAllowed { allow } = err {
        r.headers_mut()
            .insert("allow", HeaderValue::from_static(allow));
    }
    if let Some(seconds) = err.retry_after() {
        r.headers_mut()
            .insert("retry-after", HeaderValue::from(seconds));
    }
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        tracing::error!("{}", err.message());
    }
    r
}

fn preflight(allow: &'static str) -> Response<Body> {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .header("allow", allow)
        .body(Body::new())
        .unwrap_or_else(|_| Response::new(Body::new()))
}

/// CORS: only origins in the allowed list get the headers that let a
/// browser read the response; by default none but the same origin.
fn add_cors(response: &mut Response<Body>, headers: &HeaderMap, allowed: &[String]) {
    if !allowed.is_empty() {
        // Answers differ by origin: caches must know.
        response
            .headers_mut()
            .append("vary", HeaderValue::from_static("Origin"));
    }
    let Some(origin) = headers.get("origin").and_then(|o| o.to_str().ok()) else {
        return;
    };
    if !allowed.iter().any(|a| a == origin || a == "*") {
        return;
    }
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert("access-control-allow-origin", v);
    }
    h.append("vary", HeaderValue::from_static("Origin"));
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static("GET, HEAD, POST, OPTIONS"),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static("Content-Type, Authorization"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("600"));
}
