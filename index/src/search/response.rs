//! The search response: one type, serialized the same for the CLI's
//! `--json` and the HTTP API.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResponse {
    pub query: String,
    pub processing_time_ms: f64,
    pub estimated_total_hits: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    pub facet_distribution: FacetDistribution,
    pub understood: Understood,
}

/// An article and its best-matching sections.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit {
    pub slug: String,
    pub title: String,
    /// The article's locale (the site's default one when it names none).
    pub locale: Option<String>,
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
    #[serde(serialize_with = "ordered_counts")]
    pub locale: Vec<(String, usize)>,
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

/// How the query was understood, so a search box can say "Showing results
/// for …".
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Understood {
    /// The words that counted, as typed.
    pub query: String,
    /// Words dropped as carrying no meaning ("who", "what is a").
    pub ignored_words: Vec<String>,
    /// Roles named in the query, by any name.
    pub roles: Vec<String>,
    /// The two roles a comparison query contrasts.
    pub comparison: Option<[String; 2]>,
    /// The role a "what is / what does … do" question asks about.
    pub definition: Option<String>,
    /// British or American spellings typed, and the form they also match.
    pub spelling: Vec<Variant>,
    /// Synonyms also searched.
    pub synonyms: Vec<Expansion>,
    /// Words the index does not know, and the corrections searched instead.
    pub corrections: Vec<Expansion>,
    /// The unfinished last word and the words it completes to.
    pub completions: Option<Expansion>,
    /// Whether words past the 32nd were ignored.
    pub truncated: bool,
    /// Set when nothing matched the whole query: the results are for this
    /// relaxed query.
    pub relaxed: Option<Relaxed>,
    /// A query with misspelt words replaced by known ones, when nothing
    /// matched.
    pub did_you_mean: Option<String>,
    /// What the results are for, when that differs from what was typed
    /// (corrected or relaxed).
    pub showing_results_for: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub typed: String,
    pub matches: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expansion {
    pub typed: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Relaxed {
    pub dropped: Vec<String>,
    pub query: String,
}
