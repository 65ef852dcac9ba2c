//! `POST /webhooks/strapi`: checks the shared secret, reads the event,
//! applies it to the index and answers only once the change is committed
//! and searchable.

use warp::http::{header, StatusCode};

use crate::error::{Code, Error};
use crate::http::request::{read_body, BodyStream, Request};
use crate::http::respond::{json_with, Reply};
use crate::http::state::State;
use crate::strapi::webhook::{action, secret_matches, Action};

/// Largest webhook body (Strapi entries with many blocks are big).
const MAX_WEBHOOK_BODY: usize = 5 << 20;

pub async fn handle(
    state: &State,
    request: &Request,
    mut body: BodyStream,
) -> Result<Reply, Error> {
    let expected = state.options.webhook_secret.as_deref().unwrap_or_default();
    let presented = request
        .header(header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if expected.is_empty() || !secret_matches(presented.trim().as_bytes(), expected.as_bytes()) {
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
    let bytes = read_body(&mut body, MAX_WEBHOOK_BODY).await?;
    let action = action(
        &bytes,
        &state.options.webhook_models,
        &state.live.options().taxonomy,
    )
    .map_err(|e| Error::new(Code::InvalidBody, e.0))?;
    let (change, kind) = match action {
        Action::Ignore { reason } => {
            tracing::info!(%reason, "webhook ignored");
            let body = serde_json::json!({ "status": "ignored", "reason": reason });
            return Ok(json_with(StatusCode::ACCEPTED, &body, false));
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
    let status = match report.outcomes.first() {
        Some(index::Outcome::Stale { .. }) => "stale",
        Some(index::Outcome::Refused { reason }) => {
            return Err(Error::new(
                Code::InvalidBody,
                format!("not applied: {reason}"),
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
    Ok(json_with(StatusCode::OK, &body, false))
}
