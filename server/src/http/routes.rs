//! The one route table: every route the server answers, its path pattern
//! (also its label in `/metrics`) and the methods it takes. The dispatcher
//! finds a request's route here, answers 405 with `Allow` from here, and
//! matches on the route to call its handler.

use warp::http::Method;

macro_rules! routes {
    ($( $variant:ident $pattern:literal $allow:literal, )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Route {
            $( $variant, )*
        }

        impl Route {
            /// Every route, in table order.
            pub const ALL: &'static [Route] = &[$( Route::$variant, )*];

            /// The path, `{slug}` standing for an article's slug.
            pub fn pattern(self) -> &'static str {
                match self {
                    $( Route::$variant => $pattern, )*
                }
            }

            /// The methods it takes, as `Allow` lists them.
            pub fn allow(self) -> &'static str {
                match self {
                    $( Route::$variant => $allow, )*
                }
            }
        }
    };
}

routes! {
    // route   pattern              methods
    Page       "/"                  "GET, HEAD",
    Widget     "/widget.js"         "GET, HEAD",
    Search     "/search"            "GET, HEAD",
    Suggest    "/suggest"           "GET, HEAD",
    Roles      "/roles"             "GET, HEAD",
    Article    "/articles/{slug}"   "GET, HEAD",
    Health     "/health"            "GET, HEAD",
    Metrics    "/metrics"           "GET, HEAD",
    OpenApi    "/openapi.json"      "GET, HEAD",
    Webhook    "/webhooks/strapi"   "POST",
}

impl Route {
    /// The route of `path`; the webhook route exists only with a secret.
    pub fn find(path: &str, webhooks: bool) -> Option<Route> {
        if path == "/index.html" {
            return Some(Route::Page);
        }
        let route = Route::ALL.iter().copied().find(|r| match r.prefix() {
            Some(prefix) => path.len() > prefix.len() && path.starts_with(prefix),
            None => r.pattern() == path,
        })?;
        (route != Route::Webhook || webhooks).then_some(route)
    }

    /// The part of `path` that stands for the pattern's `{slug}`, still
    /// percent-encoded.
    pub fn slug(self, path: &str) -> Option<&str> {
        path.strip_prefix(self.prefix()?)
    }

    /// What comes before `{slug}` in a pattern that has one.
    fn prefix(self) -> Option<&'static str> {
        self.pattern().strip_suffix("{slug}")
    }

    pub fn takes(self, method: &Method) -> bool {
        self.allow().split(", ").any(|m| m == method.as_str())
    }

    /// Whether the handler reads the body itself (any other route's body
    /// is read up to the limit and dropped).
    pub fn takes_body(self) -> bool {
        self == Route::Webhook
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_found_at_its_pattern() {
        for &route in Route::ALL {
            let path = route.pattern().replace("{slug}", "a-slug");
            assert_eq!(Route::find(&path, true), Some(route), "{path}");
        }
        assert_eq!(Route::find("/webhooks/strapi", false), None);
        assert_eq!(Route::find("/articles/", true), None);
        assert_eq!(Route::find("/index.html", true), Some(Route::Page));
        assert_eq!(Route::Article.slug("/articles/a%20b"), Some("a%20b"));
        assert!(Route::Search.takes(&Method::HEAD));
        assert!(!Route::Webhook.takes(&Method::GET));
    }
}
