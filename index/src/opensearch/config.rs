//! How to reach an OpenSearch cluster and what to call things in it: node
//! URLs (tried in turn), the index-name prefix, credentials (from the
//! environment: never in a settings file), TLS verification with an
//! optional CA file, and the shape of the indexes a build creates.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Parameter, Result};

/// Environment variables the credentials come from.
pub const ENV_USERNAME: &str = "ROLESEARCH_OPENSEARCH_USERNAME";
pub const ENV_PASSWORD: &str = "ROLESEARCH_OPENSEARCH_PASSWORD";
/// An API key: `id:key`, or already base64-encoded as OpenSearch hands it out.
pub const ENV_API_KEY: &str = "ROLESEARCH_OPENSEARCH_API_KEY";

/// The default index-name prefix.
pub const DEFAULT_PREFIX: &str = "rolesearch";

/// How requests authenticate.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum Auth {
    #[default]
    None,
    Basic {
        username: String,
        password: String,
    },
    /// `Authorization: ApiKey <base64 of id:key>`.
    ApiKey(String),
}

impl std::fmt::Debug for Auth {
    /// Never prints a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => write!(f, "Basic({username:?}, ***)"),
            Auth::ApiKey(_) => f.write_str("ApiKey(***)"),
        }
    }
}

impl Auth {
    /// The credentials the environment gives: an API key, or a user name
    /// and password; none when neither is set. Half a pair is an error.
    pub fn from_env() -> Result<Auth> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(key) = var(ENV_API_KEY) {
            return Ok(Auth::ApiKey(key));
        }
        match (var(ENV_USERNAME), var(ENV_PASSWORD)) {
            (Some(username), Some(password)) => Ok(Auth::Basic { username, password }),
            (None, None) => Ok(Auth::None),
            _ => Err(invalid(format!(
                "{ENV_USERNAME} and {ENV_PASSWORD} go together: set both, or neither"
            ))),
        }
    }
}

/// An OpenSearch cluster, as rolesearch uses it.
#[derive(Debug, Clone)]
pub struct OpenSearchConfig {
    /// Node URLs (`https://search-1.example.com:9200`): requests go to the
    /// one that last answered, and to the next when a node cannot be reached.
    pub urls: Vec<String>,
    /// Every index rolesearch makes starts with it: `{prefix}` is the alias
    /// searches go to, `{prefix}-pieces-NNNNNN` the indexes behind it (one
    /// per full build), `{prefix}-state` what writers share.
    pub prefix: String,
    pub auth: Auth,
    /// PEM file of the certificate authorities to verify the nodes with
    /// (default: the Mozilla roots). Verification is always on.
    pub ca_file: Option<PathBuf>,
    /// The longest one request may take (a search, one bulk batch).
    pub timeout: Duration,
    /// The longest a connection may take to open before the next node is tried.
    pub connect_timeout: Duration,
    /// Primary shards of the indexes a build creates.
    pub shards: u32,
    /// Replicas of each shard (0 on a single node, or it stays yellow).
    pub replicas: u32,
    /// How long a replaced index is kept after the alias moves off it, for
    /// searches in flight, before it is deleted.
    pub retire_after: Duration,
    /// How long a writer's lease on the cluster lasts without renewal: a
    /// writer that dies leaves the cluster writable again after it.
    pub lease: Duration,
}

impl OpenSearchConfig {
    /// A cluster at `urls` with every other setting at its default, no
    /// credentials.
    pub fn new(urls: Vec<String>) -> OpenSearchConfig {
        OpenSearchConfig {
            urls,
            prefix: DEFAULT_PREFIX.to_string(),
            auth: Auth::None,
            ca_file: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(2),
            shards: 1,
            replicas: 0,
            retire_after: Duration::from_secs(2),
            lease: Duration::from_secs(60),
        }
    }

    /// A cluster at `urls` (one or more, or comma-separated) with the
    /// credentials the environment gives ([`Auth::from_env`]).
    pub fn from_env(urls: &[String], prefix: &str) -> Result<OpenSearchConfig> {
        let urls = urls
            .iter()
            .flat_map(|u| u.split(','))
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty())
            .collect();
        let config = OpenSearchConfig {
            prefix: prefix.to_string(),
            auth: Auth::from_env()?,
            ..OpenSearchConfig::new(urls)
        };
        config.check()?;
        Ok(config)
    }

    /// Checks the URLs and the prefix.
    pub fn check(&self) -> Result<()> {
        if self.urls.is_empty() {
            return Err(invalid("no OpenSearch node URL given".into()));
        }
        for url in &self.urls {
            let rest = url
                .strip_prefix("http://")
                .or_else(|| url.strip_prefix("https://"));
            if rest.is_none_or(|r| r.is_empty() || r.contains(['?', '#', ' '])) {
                return Err(invalid(format!(
                    "{url:?} is not a node URL such as https://127.0.0.1:9200"
                )));
            }
        }
        let p = &self.prefix;
        let valid = !p.is_empty()
            && p.len() <= 100
            && !p.starts_with(['-', '_', '+', '.'])
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if !valid {
            return Err(invalid(format!(
                "index prefix {p:?}: lower-case letters, digits, - and _, not starting with - or _"
            )));
        }
        if self.shards == 0 {
            return Err(invalid("shards must be at least 1".into()));
        }
        Ok(())
    }

    /// The alias searches go to.
    pub(crate) fn alias(&self) -> String {
        self.prefix.clone()
    }

    /// The index of generation `n`.
    pub(crate) fn pieces_index(&self, n: u64) -> String {
        format!("{}-pieces-{n:06}", self.prefix)
    }

    /// The generation number of one of our pieces indexes.
    pub(crate) fn generation_of(&self, index: &str) -> Option<u64> {
        index
            .strip_prefix(&self.prefix)?
            .strip_prefix("-pieces-")?
            .parse()
            .ok()
    }

    /// Every pieces index of this prefix.
    pub(crate) fn pieces_pattern(&self) -> String {
        format!("{}-pieces-*", self.prefix)
    }

    pub(crate) fn state_index(&self) -> String {
        format!("{}-state", self.prefix)
    }

    /// How errors and messages name the cluster.
    pub(crate) fn describe(&self) -> String {
        format!(
            "OpenSearch at {} (index {})",
            self.urls.join(", "),
            self.prefix
        )
    }
}

fn invalid(message: String) -> Error {
    Error::InvalidParameter {
        parameter: Parameter::OpenSearch,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_prefixes_are_checked() {
        let mut c = OpenSearchConfig::new(vec!["http://127.0.0.1:9200".into()]);
        assert!(c.check().is_ok());
        c.prefix = "Bad".into();
        assert!(c.check().is_err());
        c.prefix = "-x".into();
        assert!(c.check().is_err());
        c.prefix = "site_1-search".into();
        assert!(c.check().is_ok());
        c.urls = vec!["127.0.0.1:9200".into()];
        assert!(c.check().is_err());
        c.urls = vec![];
        assert!(c.check().is_err());
    }

    #[test]
    fn generations_round_trip_through_index_names() {
        let c = OpenSearchConfig::new(vec!["http://x:1".into()]);
        assert_eq!(c.pieces_index(7), "rolesearch-pieces-000007");
        assert_eq!(c.generation_of("rolesearch-pieces-000007"), Some(7));
        assert_eq!(c.generation_of("rolesearch-state"), None);
        assert_eq!(c.generation_of("other-pieces-000007"), None);
    }

    #[test]
    fn credentials_never_print() {
        let a = Auth::Basic {
            username: "u".into(),
            password: "secret".into(),
        };
        assert!(!format!("{a:?}").contains("secret"));
        assert!(!format!("{:?}", Auth::ApiKey("k3y".into())).contains("k3y"));
    }
}
