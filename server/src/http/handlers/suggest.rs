//! `GET /suggest`: as-you-type completions.

use crate::error::{Code, Error};
use crate::http::params::Number;
use crate::http::request::Request;
use crate::http::respond::{json, Reply};
use crate::http::state::State;

pub async fn handle(state: &State, request: &Request) -> Result<Reply, Error> {
    let q = request.params.query()?;
    let limit = request
        .params
        .number(Number::Limit, index::MAX_SUGGESTIONS)?;
    if limit == 0 || limit > index::MAX_SUGGESTIONS {
        return Err(Error::new(
            Code::InvalidLimit,
            format!("limit must be between 1 and {}", index::MAX_SUGGESTIONS),
        ));
    }
    let query = q.clone();
    let locales = request.params.locales();
    let suggestions = state
        .search(move |index| index.suggest(&query, limit, &locales))
        .await?;
    Ok(json(
        &serde_json::json!({ "query": q, "suggestions": suggestions }),
        request.gzip,
    ))
}
