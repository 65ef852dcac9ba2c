//! Sites in several languages, through the library: pieces analyzed in
//! their locale's language, queries read in the languages they are limited
//! to, the locale filter and facet, local role titles, slugs per locale and
//! URL patterns per locale. The bundled content has French and German
//! articles, one of them a translation keeping its English slug.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use index::{BuildOptions, OpenOptions, SearchIndex, SearchRequest, SearchResponse};

use crate::util::content;

/// The bundled content, built once for these tests.
fn built() -> &'static PathBuf {
    static INDEX: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let report =
            index::build(&content(), &path, &BuildOptions::default(), &mut |_, _| {}).unwrap();
        assert!(report.skipped().next().is_none(), "{:?}", report.problems);
        (dir, path)
    });
    path
}

fn open(options: OpenOptions) -> SearchIndex {
    SearchIndex::open(built(), options).unwrap()
}

fn search(q: &str, locales: &[&str], roles: &[&str]) -> SearchResponse {
    open(OpenOptions::default())
        .search(&SearchRequest {
            locales: locales.iter().map(|l| l.to_string()).collect(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            ..SearchRequest::new(q)
        })
        .unwrap()
}

fn hits(r: &SearchResponse) -> Vec<(String, String)> {
    r.hits
        .iter()
        .map(|h| (h.slug.clone(), h.locale.clone().unwrap_or_default()))
        .collect()
}

fn facet(r: &SearchResponse) -> BTreeMap<String, usize> {
    r.facet_distribution.locale.iter().cloned().collect()
}

#[test]
fn a_french_plural_typed_without_accents_finds_the_french_piece() {
    // The text says "l'équipe Scrum"; typed plain and plural.
    let r = search("equipes scrum", &["fr"], &[]);
    assert!(r.hits.iter().all(|h| h.locale.as_deref() == Some("fr")));
    let po = r
        .hits
        .iter()
        .find(|h| h.slug == "que-fait-un-product-owner")
        .expect("the French PO article");
    let snippet = &po.sections[0].snippet;
    assert!(snippet.contains("<mark>équipe</mark>"), "{snippet}");
    assert!(snippet.contains("<mark>Scrum</mark>"), "{snippet}");
}

#[test]
fn a_query_limited_to_a_locale_is_read_with_that_languages_words_only() {
    let fr = search("les missions du business analyst", &["fr"], &[]);
    assert!(fr.understood.ignored_words.contains(&"les".to_string()));
    assert!(fr.understood.ignored_words.contains(&"du".to_string()));
    assert_eq!(
        hits(&fr)[0].0,
        "business-analyst-missions-et-competences",
        "{:?}",
        hits(&fr)
    );
    // In English "les" and "du" are words to find, and English stemming
    // does not fold French plurals: the French article is not in reach.
    let en = search("les missions du business analyst", &["en"], &[]);
    assert!(!en.understood.ignored_words.contains(&"les".to_string()));
    assert!(en.hits.iter().all(|h| h.locale.as_deref() == Some("en")));
}

#[test]
fn the_locale_facet_counts_articles_per_locale_as_if_its_filter_were_not_set() {
    let all = search("product owner", &[], &[]);
    let counts = facet(&all);
    assert!(
        counts["en"] > 0 && counts["fr"] > 0 && counts["de"] > 0,
        "{counts:?}"
    );
    let fr = search("product owner", &["fr"], &[]);
    assert!(!fr.hits.is_empty());
    assert!(fr.hits.iter().all(|h| h.locale.as_deref() == Some("fr")));
    assert_eq!(fr.estimated_total_hits, counts["fr"]);
    assert_eq!(facet(&fr), counts, "the facet ignores its own filter");
    // Several locales: any of them.
    let both = search("product owner", &["fr", "de"], &[]);
    assert_eq!(both.estimated_total_hits, counts["fr"] + counts["de"]);
}

#[test]
fn a_regional_locale_takes_in_its_language_and_an_unknown_one_finds_nothing() {
    let regional = search("product owner", &["fr-CA"], &[]);
    assert!(!regional.hits.is_empty());
    assert!(regional
        .hits
        .iter()
        .all(|h| h.locale.as_deref() == Some("fr")));
    let none = search("product owner", &["ja"], &[]);
    assert!(none.hits.is_empty());
    assert_eq!(none.estimated_total_hits, 0);
    let bad = open(OpenOptions::default()).search(&SearchRequest {
        locales: vec!["fr/../x".into()],
        ..SearchRequest::new("po")
    });
    assert!(matches!(
        bad,
        Err(index::Error::InvalidParameter {
            parameter: index::Parameter::Locale,
            ..
        })
    ));
}

#[test]
fn local_role_titles_tag_french_pieces_with_the_shared_role_and_its_facet_counts_them() {
    let r = search("chef de produit", &["fr"], &[]);
    assert_eq!(r.understood.roles, ["product-manager"]);
    let filtered = search("backlog", &["fr"], &["product-owner"]);
    assert!(!filtered.hits.is_empty());
    assert!(filtered
        .hits
        .iter()
        .all(|h| h.locale.as_deref() == Some("fr")));
    let everywhere = search("backlog", &[], &[]);
    let po = |r: &SearchResponse| {
        r.facet_distribution
            .role
            .iter()
            .find(|(id, _)| id == "product-owner")
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let english = search("backlog", &["en"], &[]);
    assert!(
        po(&everywhere) > po(&english),
        "French and German product-owner articles count in the role facet"
    );
}

#[test]
fn a_translation_may_keep_its_originals_slug_and_each_is_found_in_its_locale() {
    let index = open(OpenOptions::default());
    let slug = "product-owner-vs-business-analyst";
    let en = index.article(slug, Some("en")).unwrap().unwrap();
    let de = index.article(slug, Some("de")).unwrap().unwrap();
    assert_eq!(en.locale.as_deref(), Some("en"));
    assert_eq!(de.locale.as_deref(), Some("de"));
    assert_ne!(en.title, de.title);
    // No locale: the default one.
    let default = index.article(slug, None).unwrap().unwrap();
    assert_eq!(default.locale.as_deref(), Some("en"));
    assert!(index.article(slug, Some("fr")).unwrap().is_none());
}

#[test]
fn url_patterns_take_the_locale_and_a_locale_may_have_its_own() {
    let options = OpenOptions {
        url_pattern: "https://careers.example.com/{locale}/articles/{slug}".into(),
        locale_url_patterns: [("en".to_string(), "/articles/{slug}".to_string())].into(),
        ..OpenOptions::default()
    };
    let index = open(options);
    let r = index
        .search(&SearchRequest::new("product owner backlog"))
        .unwrap();
    for hit in &r.hits {
        match hit.locale.as_deref() {
            Some("en") => assert_eq!(hit.url, format!("/articles/{}", hit.slug)),
            Some(locale) => assert_eq!(
                hit.url,
                format!("https://careers.example.com/{locale}/articles/{}", hit.slug)
            ),
            None => panic!("a hit without a locale"),
        }
        for section in &hit.sections {
            assert!(section.url.starts_with(&hit.url), "{}", section.url);
        }
    }
    assert!(r.hits.iter().any(|h| h.locale.as_deref() != Some("en")));
}

#[test]
fn an_article_in_a_locale_of_no_supported_language_is_indexed_plainly_with_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("pl.json"),
        serde_json::json!({
            "documentId": "pl00000000000000000000001", "locale": "pl",
            "title": "Kim jest Product Owner", "slug": "kim-jest-product-owner",
            "blocks": [{"__component": "shared.rich-text", "body": "## Obowiązki\\n\\nProduct Owner zarządza backlogiem zespołu."}]
        })
        .to_string(),
    )
    .unwrap();
    let index = dir.path().join("index");
    let report = index::build(&content, &index, &BuildOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(report.articles, 1);
    let warning = report
        .problems
        .iter()
        .find(|p| p.path == "$.locale")
        .expect("a warning about the locale");
    assert_eq!(warning.severity, indexer::Severity::Warning);
    assert!(warning.reason.contains("\"pl\""), "{}", warning.reason);
    assert!(warning.source.ends_with("pl.json"), "{}", warning.source);
    let opened = SearchIndex::open(&index, OpenOptions::default()).unwrap();
    let r = opened
        .search(&SearchRequest {
            locales: vec!["pl".into()],
            ..SearchRequest::new("backlogiem")
        })
        .unwrap();
    assert_eq!(r.hits[0].slug, "kim-jest-product-owner");
}
