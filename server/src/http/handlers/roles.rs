//! `GET /roles`: the role taxonomy with article counts.

use crate::error::Error;
use crate::http::request::Request;
use crate::http::respond::{json, Reply};
use crate::http::state::State;

pub async fn handle(state: &State, request: &Request) -> Result<Reply, Error> {
    let roles = state.search(|index| index.roles()).await?;
    Ok(json(&serde_json::json!({ "roles": roles }), request.gzip))
}
