//! `GET /openapi.json`: the OpenAPI 3.1 description of this API, kept in
//! the repository (`server/openapi.json`) and compiled in. Tests hold it
//! to the route table and the error table, and schemathesis holds the
//! server to it (`scripts/api-test`).

use crate::http::request::Request;
use crate::http::respond::{respond, Reply};

pub const OPENAPI: &str = include_str!("../../../openapi.json");

pub fn handle(request: &Request) -> Reply {
    respond(
        warp::http::StatusCode::OK,
        "application/json",
        OPENAPI.as_bytes().to_vec(),
        request.gzip,
    )
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::OPENAPI;
    use crate::error::Code;
    use crate::http::routes::Route;

    fn spec() -> Value {
        serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
    }

    #[test]
    fn the_description_has_every_route_with_its_methods_and_no_other() {
        let spec = spec();
        let paths = spec["paths"].as_object().unwrap();
        let mut expected: Vec<(String, String)> = Route::ALL
            .iter()
            .map(|r| (r.pattern().to_string(), r.allow().to_lowercase()))
            .collect();
        expected.push(("/index.html".into(), "get, head".into()));
        expected.sort();
        let mut described: Vec<(String, String)> = paths
            .iter()
            .map(|(path, ops)| {
                let methods: Vec<&str> = ops
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(|k| k.as_str())
                    .collect();
                (path.clone(), methods.join(", "))
            })
            .collect();
        described.sort();
        assert_eq!(described, expected);
    }

    #[test]
    fn the_error_codes_are_the_error_tables_http_codes() {
        let spec = spec();
        let codes = &spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        let described: Vec<&str> = codes
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let table: Vec<&str> = Code::ALL
            .iter()
            .filter(|c| c.http_status().is_some())
            .map(|c| c.as_str())
            .collect();
        assert_eq!(described, table);
        // Each code a route can answer is described under its status.
        for code in Code::ALL {
            let (Some(status), false) = (
                code.http_status(),
                matches!(
                    code,
                    Code::NotFound | Code::MethodNotAllowed | Code::Internal
                ),
            ) else {
                continue;
            };
            let listed = spec["components"]["responses"]
                .as_object()
                .unwrap()
                .values()
                .chain(spec["paths"].as_object().unwrap().values().flat_map(|ops| {
                    ops.as_object()
                        .unwrap()
                        .values()
                        .filter_map(|op| op["responses"].get(status.to_string()))
                }))
                .any(|r| {
                    r["description"]
                        .as_str()
                        .is_some_and(|d| d.contains(&format!("`{code}`")))
                });
            assert!(listed, "{code} ({status}) is in no response");
        }
    }
}
