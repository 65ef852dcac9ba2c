//! `GET /articles/{slug}`: an article's outline as JSON, or the article as
//! a page for a browser following a result's deep link.

use warp::http::StatusCode;

use crate::error::{Code, Error};
use crate::http::article_page;
use crate::http::params::decode;
use crate::http::request::Request;
use crate::http::respond::{json, respond, Reply};
use crate::http::routes::Route;
use crate::http::state::State;

pub async fn handle(state: &State, request: &Request, route: Route) -> Result<Reply, Error> {
    let raw = route.slug(&request.path).unwrap_or_default();
    let slug = decode(raw).map_err(|e| e.error("the slug"))?;
    let not_found = |slug: String| {
        Error::new(
            Code::ArticleNotFound,
            format!("no article with slug {slug:?}"),
        )
    };
    let lookup = slug.clone();
    let locale = request.params.locales().into_iter().next();
    if request.wants_html() {
        return match state
            .search(move |index| index.article_pieces(&lookup, locale.as_deref()))
            .await?
        {
            Some((article, pieces)) => Ok(respond(
                StatusCode::OK,
                "text/html; charset=utf-8",
                article_page::render(&article, &pieces).into_bytes(),
                request.gzip,
            )),
            None => Err(not_found(slug)),
        };
    }
    match state
        .search(move |index| index.article(&lookup, locale.as_deref()))
        .await?
    {
        Some(article) => Ok(json(&article, request.gzip)),
        None => Err(not_found(slug)),
    }
}
