//! The search response: one type, serialized the same for the CLI's
//! `--json` and the HTTP API.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResponse {
    pub query: String,
    pub processing_time_ms: f64,
    pub estimated_total_hits: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    pub facet_distribution: FacetDistribution,
}

/// An article and its best-matching sections.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub category: Option<String>,
    pub published_at: Option<String>,
    pub score: f32,
    /// Roles the article is mainly about.
    pub roles: Vec<String>,
    pub sections: Vec<Section>,
}

/// One piece of an article: the place a reader lands on.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub kind: String,
    pub heading: Option<String>,
    pub heading_path: Vec<String>,
    pub anchor: String,
    pub url: String,
    pub text: String,
    pub snippet: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "ordered_map"
    )]
    pub cells: Option<Vec<(String, String)>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<MediaView>,
    pub roles: Vec<String>,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaView {
    pub name: Option<String>,
    pub url: Option<String>,
    pub alt: Option<String>,
    pub caption: Option<String>,
}

/// Facet counts over the matching articles, largest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FacetDistribution {
    #[serde(serialize_with = "ordered_counts")]
    pub role: Vec<(String, usize)>,
    #[serde(serialize_with = "ordered_counts")]
    pub category: Vec<(String, usize)>,
}

fn ordered_map<S: Serializer>(
    cells: &Option<Vec<(String, String)>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let cells = cells.as_deref().unwrap_or_default();
    let mut map = s.serialize_map(Some(cells.len()))?;
    for (k, v) in cells {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn ordered_counts<S: Serializer>(counts: &[(String, usize)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(counts.len()))?;
    for (k, v) in counts {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
