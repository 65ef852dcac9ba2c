//! `POST /webhooks/strapi`: checks the shared secret, reads the event,
//! applies it to the index and answers only once the change is committed
//! and searchable.

use warp::http::header::HeaderName;
use warp::http::{header, StatusCode};

use crate::error::{Code, Error};
use crate::http::request::{read_body, BodyStream, Request};
use crate::http::respond::{json_with, Reply};
use crate::http::state::State;
use crate::strapi::webhook::{action, secret_matches, Action};

/// How the answer to a change the index refused (a slug another article
/// holds) begins.
const NOT_APPLIED: &str = "not applied: ";

/// Largest webhook body, 5 MiB (Strapi entries with many blocks are big;
/// the README's limits table says so).
pub const MAX_WEBHOOK_BODY: usize = 5 << 20;

/// Applies the webhook, counts its delivery by event and outcome, and logs
/// every rejected one at WARN with its reason (never the secret): Strapi
/// logs nothing and never retries, so this is how a site team learns that
/// publishes are being lost.
pub async fn handle(state: &State, request: &Request, body: BodyStream) -> Result<Reply, Error> {
    // The header names the event before the body is read (a 401 never
    // reads it); the body's own `event` wins once it is read.
    let mut event = request
        .header(HeaderName::from_static("x-strapi-event"))
        .unwrap_or("unknown")
        .to_string();
    let result = apply(state, request, body, &mut event).await;
    let outcome = match &result {
        Ok((_, outcome)) => *outcome,
        Err(e) => match e.code().http_status() {
            Some(400) if e.message().starts_with(NOT_APPLIED) => "refused",
            Some(401) => "rejected_401",
            Some(413) => "rejected_413",
            Some(415) => "rejected_415",
            Some(503) => "unavailable",
            Some(status) if status < 500 => "rejected_400",
            _ => "failed",
        },
    };
    state.metrics.webhook(&event, outcome);
    match result {
        Ok((reply, _)) => Ok(reply),
        Err(e) => {
            tracing::warn!(
                event = %event,
                status = e.code().http_status().unwrap_or(500),
                code = %e.code(),
                reason = %e.message(),
                "webhook delivery rejected"
            );
            Err(e)
        }
    }
}

async fn apply(
    state: &State,
    request: &Request,
    mut body: BodyStream,
    event: &mut String,
) -> Result<(Reply, &'static str), Error> {
    let expected = state.options.webhook_secret.as_deref().unwrap_or_default();
    let presented = request
        .header(header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if expected.is_empty() || !secret_matches(presented.as_bytes(), expected.as_bytes()) {
        return Err(Error::new(
            Code::Unauthorized,
            "missing or wrong Authorization: Bearer <secret>",
        ));
    }
    let is_json = request.header(header::CONTENT_TYPE).is_some_and(|v| {
        v.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("application/json")
    });
    if !is_json {
        return Err(Error::new(
            Code::UnsupportedMediaType,
            "the body must be JSON (Content-Type: application/json)",
        ));
    }
    let bytes = read_body(&mut body, MAX_WEBHOOK_BODY, state.options.body_timeout).await?;
    if let Some(named) = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("event").and_then(|e| e.as_str()).map(str::to_string))
    {
        *event = named;
    }
    let action = action(
        &bytes,
        &state.options.webhook_models,
        &state.live.options().taxonomy,
    )
    .map_err(|e| Error::new(Code::InvalidBody, e.0))?;
    let (change, kind) = match action {
        Action::Test => {
            tracing::info!("webhook test from Strapi: the route and the secret work");
            let body = serde_json::json!({
                "status": "ok",
                "event": "trigger-test",
                "message": "rolesearch received Strapi's test: the route and the secret work",
            });
            return Ok((json_with(StatusCode::OK, &body, false), "test"));
        }
        Action::Ignore { reason } => {
            tracing::info!(%reason, "webhook ignored");
            let body = serde_json::json!({ "status": "ignored", "reason": reason });
            return Ok((json_with(StatusCode::ACCEPTED, &body, false), "ignored"));
        }
        Action::Upsert { article, version } => (
            index::Change::Upsert {
                article: *article,
                version,
            },
            "upsert",
        ),
        Action::Delete { key, version } => (index::Change::Delete { key, version }, "delete"),
    };
    let key = change.key().to_string();
    let slug = match &change {
        index::Change::Upsert { article, .. } => Some(article.slug.clone()),
        index::Change::Delete { .. } => None,
    };
    let report = state.live.apply(vec![change]).await?;
    let status: &'static str = match report.outcomes.first() {
        Some(index::Outcome::Stale { .. }) => "stale",
        Some(index::Outcome::Refused { reason }) => {
            return Err(Error::new(
                Code::InvalidBody,
                format!("{NOT_APPLIED}{reason}"),
            ));
        }
        _ => "applied",
    };
    tracing::info!(action = kind, key = %key, status, "webhook");
    let body = serde_json::json!({
        "status": status,
        "action": kind,
        "key": key,
        "slug": slug,
        "articles": report.articles,
    });
    Ok((json_with(StatusCode::OK, &body, false), status))
}
