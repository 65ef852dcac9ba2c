//! `GET /search`: the search call the CLI makes, as JSON.

use index::SearchRequest;

use crate::error::Error;
use crate::http::params::{Number, Param};
use crate::http::request::Request;
use crate::http::respond::{json, Reply};
use crate::http::state::State;

pub async fn handle(state: &State, request: &Request) -> Result<Reply, Error> {
    let p = &request.params;
    let search = SearchRequest {
        q: p.query()?,
        roles: p.all(Param::Role),
        categories: p.all(Param::Category),
        locales: p.locales(),
        limit: p.number(Number::Limit, 10)?,
        offset: p.number(Number::Offset, 0)?,
        sections: p.number(Number::Sections, 3)?,
    };
    // Bad limits are refused before any work or allocation.
    search.validate()?;
    let response = state.search(move |index| index.search(&search)).await?;
    Ok(json(&response, request.gzip))
}
