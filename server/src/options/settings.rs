//! The settings file (`--config`, ROLESEARCH_CONFIG): one TOML file for
//! every command, every key optional. `serve` reads all of it; the other
//! commands read where the index is (`index`, `engine`, `opensearch_*`)
//! and `default_locale`. Its relative paths are relative to its folder,
//! wherever the command is started from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::shared;
use crate::cli::Engine;
use crate::error::{Code, Error};

/// The settings file's keys.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub addr: Option<String>,
    pub index: Option<PathBuf>,
    pub content: Option<PathBuf>,
    pub url_pattern: Option<String>,
    pub synonyms: Option<PathBuf>,
    pub cors_origins: Option<Vec<String>>,
    pub search_timeout_ms: Option<u64>,
    pub max_concurrent_searches: Option<usize>,
    pub search_cache: Option<usize>,
    pub search_cache_bytes: Option<Setting>,
    pub max_connections: Option<usize>,
    pub header_timeout: Option<Setting>,
    pub body_timeout: Option<Setting>,
    pub write_queue: Option<usize>,
    pub webhook_secret_file: Option<PathBuf>,
    pub webhook_models: Option<Vec<String>>,
    pub strapi_url: Option<String>,
    pub sync_every: Option<String>,
    pub sync_max_removal: Option<String>,
    pub default_locale: Option<String>,
    /// By locale: the URL pattern of its articles.
    pub locale_url_patterns: Option<BTreeMap<String, String>>,
    /// `tantivy` (default) or `opensearch`.
    pub engine: Option<Engine>,
    /// One node URL or a list of them.
    pub opensearch_url: Option<OneOrMany>,
    pub opensearch_prefix: Option<String>,
    pub opensearch_ca_file: Option<PathBuf>,
    pub opensearch_shards: Option<u32>,
    pub opensearch_replicas: Option<u32>,
}

/// A setting a TOML file may give as a number or as text (`10` or
/// `"10s"`, `33554432` or `"32MiB"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Setting {
    Number(u64),
    Text(String),
}

impl Setting {
    pub fn text(self) -> String {
        match self {
            Setting::Number(n) => n.to_string(),
            Setting::Text(t) => t,
        }
    }
}

/// A string or a list of strings.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The settings file at `path` (none: every key unset).
pub fn read(path: Option<&Path>) -> Result<FileSettings, Error> {
    let Some(path) = path else {
        return Ok(FileSettings::default());
    };
    let text = shared::read_text(path, "settings file")?;
    let mut file: FileSettings = toml::from_str(&text).map_err(|e| {
        Error::new(
            Code::InvalidInput,
            format!("settings file {}: {}", path.display(), e.message()),
        )
    })?;
    let folder = path.parent().unwrap_or(Path::new(""));
    for setting in [
        &mut file.index,
        &mut file.content,
        &mut file.synonyms,
        &mut file.webhook_secret_file,
        &mut file.opensearch_ca_file,
    ] {
        if let Some(relative) = setting.take() {
            *setting = Some(folder.join(relative));
        }
    }
    Ok(file)
}
