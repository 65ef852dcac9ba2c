//! `GET /` and `GET /widget.js`: the search page and the embeddable
//! widget, compiled into the binary.

use crate::http::request::Request;
use crate::http::respond::{asset, Reply};

const PAGE: &str = include_str!("../../../assets/index.html");
const WIDGET: &str = include_str!("../../../assets/widget.js");

pub fn page(request: &Request) -> Reply {
    asset(PAGE, "text/html; charset=utf-8", request.gzip)
}

pub fn widget(request: &Request) -> Reply {
    asset(WIDGET, "text/javascript; charset=utf-8", request.gzip)
}
