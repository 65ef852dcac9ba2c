//! A small index of the current format, committed to the repository
//! (`tests/fixtures/index-v<FORMAT_VERSION>/`, built from
//! `tests/fixtures/compat-content/`): this build of rolesearch must open and
//! search what an earlier build of the same format wrote. Changing the
//! schema, the analyzers or the stored layout bumps `FORMAT_VERSION`, and
//! then a new fixture is committed:
//!
//! ```text
//! ROLESEARCH_WRITE_FIXTURE=1 cargo test -p rolesearch-index --test index compatibility
//! ```

use std::path::PathBuf;

use index::{BuildOptions, OpenOptions, SearchIndex, SearchRequest, FORMAT_VERSION};

use crate::util::{copy_dir, fixtures};

/// The committed fixture, written anew first when asked.
fn fixture() -> PathBuf {
    static WRITE: std::sync::Once = std::sync::Once::new();
    if std::env::var_os("ROLESEARCH_WRITE_FIXTURE").is_some() {
        WRITE.call_once(write_fixture);
    }
    fixtures().join(format!("index-v{FORMAT_VERSION}"))
}

/// Writes the fixture anew (only when asked): a fresh build without the
/// write lock, so nothing but the index is committed.
fn write_fixture() {
    let dir = fixtures().join(format!("index-v{FORMAT_VERSION}"));
    let _ = std::fs::remove_dir_all(&dir);
    index::build(
        &fixtures().join("compat-content"),
        &dir,
        &BuildOptions {
            threads: 1,
            ..BuildOptions::default()
        },
        &mut |_, _| {},
    )
    .expect("the fixture builds");
    let _ = std::fs::remove_file(dir.join("write.lock"));
    let gen = dir.join(std::fs::read_to_string(dir.join("CURRENT")).unwrap().trim());
    for lock in [".tantivy-meta.lock", ".tantivy-writer.lock"] {
        let _ = std::fs::remove_file(gen.join(lock));
    }
}

#[test]
fn a_committed_index_of_the_current_format_opens_checks_and_answers() {
    assert!(
        fixture().is_dir(),
        "no committed index of format {FORMAT_VERSION} at {}: write one with \
         ROLESEARCH_WRITE_FIXTURE=1 cargo test -p rolesearch-index --test index compatibility",
        fixture().display()
    );
    // A copy: opening must never change the committed files.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("index");
    copy_dir(&fixture(), &copy);

    let report = index::check(&copy).expect("the check runs");
    assert!(report.faults.is_empty(), "{:?}", report.faults);
    assert_eq!(report.articles, 2);

    let index = SearchIndex::open(&copy, OpenOptions::default()).expect("it opens");
    assert_eq!(index.stats().unwrap().format_version, FORMAT_VERSION);
    let hits = index
        .search(&SearchRequest::new("who keeps watch over the backlog"))
        .unwrap()
        .hits;
    assert_eq!(hits[0].slug, "meerkat-lookouts");
    assert_eq!(
        hits[0].sections[0].url,
        "/articles/meerkat-lookouts#who-keeps-watch"
    );
    let roadmap = index.search(&SearchRequest::new("roadmap")).unwrap();
    assert_eq!(roadmap.hits[0].slug, "dune-roadmaps");
    let roles = index.roles().unwrap();
    let po = roles.iter().find(|r| r.id == "product-owner").unwrap();
    assert_eq!(po.articles, 1);
}

#[test]
fn an_index_of_another_format_is_refused_with_a_rebuild_hint() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("index");
    copy_dir(&fixture(), &copy);
    let current = std::fs::read_to_string(copy.join("CURRENT")).unwrap();
    let stamp = copy.join(current.trim()).join("rolesearch.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&stamp).unwrap()).unwrap();
    json["format_version"] = serde_json::json!(FORMAT_VERSION - 1);
    std::fs::write(&stamp, json.to_string()).unwrap();
    let err = SearchIndex::open(&copy, OpenOptions::default())
        .err()
        .expect("an older format is refused");
    assert!(
        matches!(err, index::Error::Version { found, expected, .. } if found == FORMAT_VERSION - 1 && expected == FORMAT_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("rebuild it"), "{err}");
}

#[test]
fn a_rebuild_of_a_format_5_index_keeps_its_webhook_article_and_the_next_publish_of_that_document_updates_it(
) {
    // Format 5 keyed an article that named no locale by its bare
    // documentId; today it is `documentId@<default locale>`.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("index");
    copy_dir(&fixtures().join("upgrade-from-v5"), &copy);
    let options = BuildOptions::default();
    let report = index::build(
        &fixtures().join("compat-content"),
        &copy,
        &options,
        &mut |_, _| {},
    )
    .expect("a full build replaces the old format");
    assert!(report.skipped().next().is_none(), "{:?}", report.problems);
    let open = || SearchIndex::open(&copy, OpenOptions::default()).unwrap();
    let find = |q: &str| -> Vec<String> {
        open()
            .search(&SearchRequest::new(q))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.slug)
            .collect()
    };
    assert_eq!(find("quokka"), ["legacy-webhook-article"]);
    assert_eq!(open().stats().unwrap().articles, 3);

    // The same document, published again now that the site has locales.
    let entry = serde_json::json!({
        "documentId": "leg4cy0webhook0article01", "locale": "en",
        "title": "A Legacy Webhook Article", "slug": "legacy-webhook-article",
        "publishedAt": "2026-02-01T09:00:00.000Z", "updatedAt": "2026-02-01T09:00:00.000Z",
        "blocks": [{"__component": "shared.rich-text", "body": "## After locales\n\nEdited once locales were on: wombat."}]
    });
    let (article, _) =
        indexer::parse_entry("webhook", &entry, &indexer::Taxonomy::builtin()).unwrap();
    assert_eq!(article.key, "leg4cy0webhook0article01@en");
    let applied = index::apply(
        &copy,
        &[index::Change::Upsert {
            article,
            version: "2026-02-01T09:00:00.000Z".into(),
        }],
        &options,
    )
    .unwrap();
    assert!(
        matches!(applied.outcomes[0], index::Outcome::Upserted),
        "{:?}",
        applied.outcomes
    );
    assert_eq!(open().stats().unwrap().articles, 3, "updated in place");
    assert_eq!(find("wombat"), ["legacy-webhook-article"]);
    assert!(find("quokka").is_empty(), "the old text is gone");
}
