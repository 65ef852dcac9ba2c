//! Incremental indexing and webhook changes: `index::update` re-reads only
//! what changed in a content folder, `index::apply` upserts and deletes
//! single articles by version, and both leave an index whose counts, state
//! and articles agree (`index::check`).

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use index::{
    ApplyReport, BuildOptions, Change, OpenOptions, Outcome, SearchIndex, SearchRequest,
    UpdateReport,
};
use indexer::{Article, Severity, Taxonomy};

use crate::util::{content, copy_dir};

const PO: &str = "roles/what-does-a-product-owner-do.json";

/// A scratch content folder (a copy of the bundled one, dated an hour
/// ago) and an index folder beside it.
struct Site {
    _dir: tempfile::TempDir,
    content: PathBuf,
    index: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("a temp dir");
        let site = Site {
            content: dir.path().join("content"),
            index: dir.path().join("index"),
            _dir: dir,
        };
        copy_dir(&content(), &site.content);
        site
    }

    /// A site with an index built from its content.
    fn built() -> Site {
        let site = Site::new();
        let report = index::build(
            &site.content,
            &site.index,
            &BuildOptions::default(),
            &mut |_, _| {},
        )
        .expect("build succeeds");
        assert!(report.articles > 20);
        site.consistent();
        site
    }

    fn update(&self) -> UpdateReport {
        let report = index::update(
            &self.content,
            &self.index,
            &BuildOptions::default(),
            &mut |_, _| {},
        )
        .expect("update succeeds");
        self.consistent();
        report
    }

    fn apply(&self, changes: &[Change]) -> ApplyReport {
        let report =
            index::apply(&self.index, changes, &BuildOptions::default()).expect("apply succeeds");
        self.consistent();
        report
    }

    fn consistent(&self) -> index::CheckReport {
        let check = index::check(&self.index).expect("the index checks");
        assert!(check.is_consistent(), "{:#?}", check.faults);
        check
    }

    fn open(&self) -> SearchIndex {
        SearchIndex::open(&self.index, OpenOptions::default()).expect("the index opens")
    }

    /// Slugs of the articles matching `q`.
    fn find(&self, q: &str) -> Vec<String> {
        find(&self.open(), q)
    }

    /// Whether the article `slug` matches `q`.
    fn finds(&self, q: &str, slug: &str) -> bool {
        self.find(q).iter().any(|s| s == slug)
    }

    fn articles(&self) -> usize {
        self.open().stats().unwrap().articles
    }

    /// The key of the one article of a content file.
    fn key_of(&self, rel: &str) -> String {
        let parsed = indexer::read_file(&self.file(rel), &Taxonomy::builtin());
        parsed.articles[0].key.clone()
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.content.join(rel)
    }

    /// Rewrites a content file through `change`, dated now.
    fn edit(&self, rel: &str, change: impl FnOnce(&mut Value)) {
        let path = self.file(rel);
        let mut value: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        change(&mut value);
        std::fs::write(&path, serde_json::to_vec_pretty(&value).unwrap()).unwrap();
    }
}

fn find(index: &SearchIndex, q: &str) -> Vec<String> {
    index
        .search(&SearchRequest::new(q))
        .expect("search works")
        .hits
        .into_iter()
        .map(|h| h.slug)
        .collect()
}

/// The number of content files bundled.
fn content_files() -> usize {
    indexer::list_files(&content()).unwrap().len()
}

/// Appends a paragraph to the first block of an article object.
fn add_paragraph(text: &str) -> impl FnOnce(&mut Value) + '_ {
    move |v| {
        let body = v["blocks"][0]["body"].as_str().unwrap().to_string();
        v["blocks"][0]["body"] = json!(format!("{body}\n\n{text}\n"));
    }
}

/// An article as a Strapi 5 webhook brings it.
fn webhook_article(id: &str, slug: &str, body: &str) -> Article {
    let entry = json!({
        "id": 900,
        "documentId": id,
        "title": format!("Webhook article {id}"),
        "slug": slug,
        "publishedAt": "2026-01-01T00:00:00.000Z",
        "blocks": [{"__component": "shared.rich-text", "body": body}],
    });
    let (article, _) =
        indexer::parse_entry("webhook", &entry, &Taxonomy::builtin()).expect("a valid entry");
    article
}

fn upsert(article: &Article, version: &str) -> Change {
    Change::Upsert {
        article: article.clone(),
        version: version.into(),
    }
}

fn delete(key: &str, version: &str) -> Change {
    Change::Delete {
        key: key.into(),
        version: version.into(),
    }
}

#[test]
fn an_update_with_nothing_changed_reads_no_file_and_changes_nothing() {
    let site = Site::built();
    let before = site.consistent();
    let report = site.update();
    assert!(!report.full);
    assert_eq!(report.files, content_files());
    assert_eq!(report.read, 0, "{report:?}");
    assert_eq!((report.added, report.changed, report.removed), (0, 0, 0));
    assert_eq!((report.upserted, report.deleted), (0, 0));
    assert!(!report.committed);
    assert_eq!(report.articles, before.articles);
    let after = site.consistent();
    assert_eq!(
        (after.generation, after.opstamp),
        (before.generation, before.opstamp)
    );
}

#[test]
fn a_touched_file_is_read_but_not_reindexed() {
    let site = Site::built();
    let path = site.file(PO);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(60))
        .unwrap();
    let report = site.update();
    assert_eq!(report.read, 1);
    assert_eq!((report.changed, report.upserted), (0, 0));
    // Its new time is recorded: the next update reads nothing.
    assert_eq!(site.update().read, 0);
}

#[test]
fn changing_one_article_file_reindexes_only_that_article() {
    let site = Site::built();
    let articles = site.articles();
    site.edit(
        PO,
        add_paragraph("Our product owner keeps a quokkaberry jar."),
    );
    let report = site.update();
    assert_eq!((report.read, report.changed), (1, 1), "{report:?}");
    assert_eq!((report.upserted, report.deleted), (1, 0));
    assert!(report.committed);
    assert_eq!(site.find("quokkaberry"), ["what-does-a-product-owner-do"]);

    site.edit(PO, |v| {
        let body = v["blocks"][0]["body"].as_str().unwrap();
        v["blocks"][0]["body"] = json!(body.replace("quokkaberry", "zebrafinch"));
    });
    let report = site.update();
    assert_eq!((report.changed, report.upserted), (1, 1));
    assert!(
        !site.finds("quokkaberry", "what-does-a-product-owner-do"),
        "the old text is gone"
    );
    assert_eq!(site.find("zebrafinch"), ["what-does-a-product-owner-do"]);
    assert_eq!(site.articles(), articles, "never two copies of an article");
}

#[test]
fn added_files_are_indexed_and_removed_files_dropped() {
    let site = Site::built();
    let articles = site.articles();
    let mut copy: Value = serde_json::from_slice(&std::fs::read(site.file(PO)).unwrap()).unwrap();
    copy["documentId"] = json!("newdoc00000000000000000001");
    copy["slug"] = json!("a-brand-new-article");
    copy["title"] = json!("A Brand New Article about Okapi Herding");
    std::fs::create_dir_all(site.file("new")).unwrap();
    std::fs::write(
        site.file("new/a-brand-new-article.json"),
        serde_json::to_vec(&copy).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(site.file("roles/what-does-a-scrum-master-do.json")).unwrap();
    assert!(site.finds("scrum master", "what-does-a-scrum-master-do"));

    let report = site.update();
    assert_eq!(
        (report.read, report.added, report.changed, report.removed),
        (1, 1, 0, 1),
        "{report:?}"
    );
    assert_eq!((report.upserted, report.deleted), (1, 1));
    assert_eq!(site.articles(), articles);
    assert_eq!(site.find("okapi"), ["a-brand-new-article"]);
    assert!(!site.finds("scrum master", "what-does-a-scrum-master-do"));
}

#[test]
fn a_file_whose_article_key_is_another_files_is_skipped_naming_both() {
    let site = Site::built();
    let articles = site.articles();
    let twin = site.file("teams/twin-of-the-product-owner.json");
    std::fs::copy(site.file(PO), &twin).unwrap();
    let report = site.update();
    assert_eq!(report.added, 1);
    assert_eq!(report.upserted, 0);
    let clash: Vec<_> = report.skipped().collect();
    assert_eq!(clash.len(), 1, "{:?}", report.problems);
    assert_eq!(clash[0].source, twin.display().to_string());
    assert!(clash[0].reason.contains("already used by"), "{}", clash[0]);
    assert!(clash[0].reason.contains(PO), "{}", clash[0]);
    assert_eq!(site.articles(), articles);

    // Once the first file lets go, the twin gets the article.
    std::fs::remove_file(site.file(PO)).unwrap();
    let report = site.update();
    assert_eq!(report.removed, 1);
    assert_eq!(report.upserted, 1, "{report:?}");
    assert_eq!(report.deleted, 0);
    assert!(report.skipped().next().is_none());
    assert_eq!(site.articles(), articles);
    assert!(site.finds("product owner", "what-does-a-product-owner-do"));
}

#[test]
fn an_update_without_an_index_builds_one() {
    let site = Site::new();
    let report = site.update();
    assert!(report.full);
    assert!(report.committed);
    assert_eq!(report.files, content_files());
    assert!(report.articles > 20);
    assert_eq!(site.articles() as u64, report.articles);
    // and the next one is incremental.
    let next = site.update();
    assert!(!next.full);
    assert_eq!(next.read, 0);
}

#[test]
fn apply_upserts_and_deletes_webhook_articles() {
    let site = Site::built();
    let articles = site.articles();
    let a = webhook_article("wh1", "webhook-one", "Gnu wrangling for product owners.");
    let report = site.apply(&[upsert(&a, "2026-03-01T10:00:00.000Z")]);
    assert_eq!(report.outcomes, [Outcome::Upserted]);
    assert!(report.committed);
    assert_eq!(report.articles, articles as u64 + 1);
    assert_eq!(site.find("gnu wrangling"), ["webhook-one"]);

    let changed = webhook_article("wh1", "webhook-one", "Yak shaving for product owners.");
    site.apply(&[upsert(&changed, "2026-03-01T11:00:00.000Z")]);
    assert!(!site.finds("gnu wrangling", "webhook-one"));
    assert_eq!(site.find("yak shaving"), ["webhook-one"]);
    assert_eq!(site.articles(), articles + 1);

    let report = site.apply(&[delete(&a.key, "2026-03-01T12:00:00.000Z")]);
    assert_eq!(report.outcomes, [Outcome::Deleted { existed: true }]);
    assert!(!site.finds("yak shaving", "webhook-one"));
    assert_eq!(site.articles(), articles);
}

#[test]
fn the_same_change_twice_is_applied_once() {
    let site = Site::built();
    let a = webhook_article("wh2", "webhook-two", "Capybara grooming.");
    let change = upsert(&a, "2026-03-01T10:00:00Z");
    site.apply(std::slice::from_ref(&change));
    let before = site.consistent();
    let report = site.apply(&[change.clone(), change]);
    assert_eq!(
        report.outcomes,
        [
            Outcome::Stale {
                stored: "2026-03-01T10:00:00Z".into()
            },
            Outcome::Stale {
                stored: "2026-03-01T10:00:00Z".into()
            }
        ]
    );
    assert!(!report.committed);
    let after = site.consistent();
    assert_eq!(after.opstamp, before.opstamp);
    assert_eq!(site.find("capybara"), ["webhook-two"]);
    // The same instant written another way is the same version.
    let report = site.apply(&[upsert(&a, "2026-03-01T12:00:00+02:00")]);
    assert_eq!(report.stale, 1);
}

#[test]
fn an_older_change_is_ignored_and_a_tombstone_beats_a_late_older_upsert() {
    let site = Site::built();
    let articles = site.articles();
    let new = webhook_article("wh3", "webhook-three", "Narwhal tusks, the new text.");
    let old = webhook_article("wh3", "webhook-three", "Walrus whiskers, the old text.");
    // Out of order: the newer event arrives first.
    let report = site.apply(&[
        upsert(&new, "2026-03-02T10:00:00Z"),
        upsert(&old, "2026-03-01T10:00:00Z"),
    ]);
    assert_eq!(report.upserted, 1);
    assert_eq!(report.stale, 1);
    assert_eq!(site.find("narwhal"), ["webhook-three"]);
    assert!(!site.finds("walrus", "webhook-three"));

    site.apply(&[delete(&new.key, "2026-03-03T10:00:00Z")]);
    let report = site.apply(&[upsert(&new, "2026-03-02T12:00:00Z")]);
    assert_eq!(
        report.outcomes,
        [Outcome::Stale {
            stored: "2026-03-03T10:00:00Z".into()
        }]
    );
    assert!(!site.finds("narwhal", "webhook-three"));
    assert_eq!(site.articles(), articles);
    // A newer upsert brings it back.
    site.apply(&[upsert(&new, "2026-03-04T10:00:00Z")]);
    assert_eq!(site.find("narwhal"), ["webhook-three"]);
}

#[test]
fn a_change_with_a_bad_version_or_a_used_slug_is_refused() {
    let site = Site::built();
    let a = webhook_article("wh4", "webhook-four", "Meerkat lookouts.");
    let err = index::apply(
        &site.index,
        &[upsert(&a, "yesterday")],
        &BuildOptions::default(),
    )
    .expect_err("not a timestamp");
    assert!(
        matches!(
            err,
            index::Error::InvalidParameter {
                parameter: index::Parameter::Version,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("RFC 3339"), "{err}");

    let taken = webhook_article("wh5", "what-does-a-product-owner-do", "Meerkat lookouts.");
    let report = site.apply(&[upsert(&taken, "2026-03-01T10:00:00Z")]);
    assert!(matches!(&report.outcomes[0], Outcome::Refused { reason } if reason.contains(PO)));
    assert_eq!(report.problems[0].severity, Severity::Skipped);
    assert!(!site.finds("meerkat", "what-does-a-product-owner-do"));
}

#[test]
fn a_folder_update_keeps_webhook_articles() {
    let site = Site::built();
    let a = webhook_article("wh6", "webhook-six", "Pangolin scales.");
    site.apply(&[upsert(&a, "2026-03-01T10:00:00Z")]);
    // A webhook change also takes over an article a file gave.
    site.apply(&[delete(&site.key_of(PO), "2026-06-01T00:00:00Z")]);
    assert!(!site.finds("product owner", "what-does-a-product-owner-do"));

    site.edit(PO, add_paragraph("An older copy, edited: tapir."));
    std::fs::remove_file(site.file("pay/what-product-roles-pay-uk.json")).unwrap();
    let report = site.update();
    assert_eq!((report.changed, report.removed), (1, 1), "{report:?}");
    assert_eq!(site.find("pangolin"), ["webhook-six"]);
    // The file's copy is older than the delete: it stays deleted.
    assert!(!site.finds("tapir", "what-does-a-product-owner-do"));
    assert!(report
        .problems
        .iter()
        .any(|p| p.reason.contains("deleted by a webhook")));
}

#[test]
fn a_webhook_change_to_a_file_article_holds_until_the_file_has_a_newer_copy() {
    let site = Site::built();
    let articles = site.articles();
    let key = site.key_of(PO);
    let mut article = indexer::read_file(&site.file(PO), &Taxonomy::builtin()).articles[0].clone();
    article.pieces[1].text = "Kinkajou nights, from the webhook.".into();
    site.apply(&[upsert(&article, "2026-06-01T00:00:00Z")]);
    assert!(site.finds("kinkajou", "what-does-a-product-owner-do"));

    site.edit(PO, add_paragraph("Tamarin days, an older copy."));
    let report = site.update();
    assert_eq!(report.upserted, 0, "{report:?}");
    assert!(site.finds("kinkajou", "what-does-a-product-owner-do"));
    assert!(!site.finds("tamarin", "what-does-a-product-owner-do"));

    site.edit(PO, |v| v["updatedAt"] = json!("2026-09-01T00:00:00.000Z"));
    let report = site.update();
    assert_eq!(report.upserted, 1, "{report:?}");
    assert!(site.finds("tamarin", "what-does-a-product-owner-do"));
    assert!(!site.finds("kinkajou", "what-does-a-product-owner-do"));
    assert_eq!(site.consistent().webhook_articles, 0);
    assert_eq!(site.articles(), articles);
    // The file copy's version now guards the key against older events.
    assert_eq!(site.apply(&[delete(&key, "2026-07-01T00:00:00Z")]).stale, 1);
}

#[test]
fn a_full_rebuild_carries_webhook_articles_and_deletes_over() {
    let site = Site::built();
    let a = webhook_article("wh7", "webhook-seven", "Axolotl gills.");
    site.apply(&[upsert(&a, "2026-03-01T10:00:00Z")]);
    let key = site.key_of("roles/what-does-a-scrum-master-do.json");
    site.apply(&[delete(&key, "2026-06-01T00:00:00Z")]);
    let articles = site.articles();
    let generation = site.consistent().generation;

    let report = index::build(
        &site.content,
        &site.index,
        &BuildOptions::default(),
        &mut |_, _| {},
    )
    .unwrap();
    let check = site.consistent();
    assert_ne!(check.generation, generation);
    assert_eq!(check.webhook_articles, 1);
    assert_eq!(check.tombstones, 1);
    assert_eq!(report.articles, articles);
    assert_eq!(site.find("axolotl"), ["webhook-seven"]);
    assert!(!site.finds("scrum master", "what-does-a-scrum-master-do"));
    // Versions came along: the same event again is stale.
    assert_eq!(site.apply(&[upsert(&a, "2026-03-01T10:00:00Z")]).stale, 1);
}

#[test]
fn a_change_during_a_full_build_waits_and_lands_in_the_new_generation() {
    let site = Site::built();
    let before = site.consistent().generation;
    let a = webhook_article("wh8", "webhook-eight", "Quetzal feathers.");
    let mut waiting = None;
    let report = index::build(
        &site.content,
        &site.index,
        &BuildOptions::default(),
        &mut |done, _| {
            if done == 1 {
                let index = site.index.clone();
                let change = upsert(&a, "2026-03-01T10:00:00Z");
                waiting = Some(std::thread::spawn(move || {
                    index::apply(&index, &[change], &BuildOptions::default())
                }));
                std::thread::sleep(Duration::from_millis(300));
            }
        },
    )
    .unwrap();
    let applied = waiting
        .unwrap()
        .join()
        .unwrap()
        .expect("applied after the build");
    assert_eq!(applied.outcomes, [Outcome::Upserted]);
    assert!(
        applied.lock_wait >= Duration::from_millis(250),
        "{applied:?}"
    );
    let check = site.consistent();
    assert_ne!(check.generation, before);
    assert_eq!(check.articles, report.articles as u64 + 1);
    assert_eq!(site.find("quetzal"), ["webhook-eight"]);
}

#[test]
fn a_reader_opened_before_an_update_sees_it_after_reload() {
    let site = Site::built();
    let reader = site.open();
    let sees = |slug: &str| find(&reader, "ocelot").iter().any(|s| s == slug);
    assert!(!sees("what-does-a-product-owner-do"));
    site.edit(PO, add_paragraph("An ocelot attends sprint review."));
    site.update();
    let a = webhook_article("wh9", "webhook-nine", "Ocelot spotting.");
    site.apply(&[upsert(&a, "2026-03-01T10:00:00Z")]);
    assert!(!sees("what-does-a-product-owner-do"), "not before reload");
    assert!(!sees("webhook-nine"), "not before reload");
    reader.reload().unwrap();
    assert!(sees("what-does-a-product-owner-do"));
    assert!(sees("webhook-nine"));
    assert_eq!(
        reader.stats().unwrap().articles,
        site.consistent().articles as usize
    );
}

#[test]
fn an_index_changed_by_several_updates_counts_and_finds_like_a_full_rebuild() {
    let site = Site::built();
    // Three commits: new segments beside the first, with deleted pieces.
    for (rel, word) in [
        (PO, "quokkaberry"),
        ("teams/sprint-planning-and-backlog-grooming.json", "backlog"),
        (PO, "stakeholders"),
    ] {
        site.edit(
            rel,
            add_paragraph(&format!("A product owner and a {word} in a sprint review.")),
        );
        site.update();
    }
    let full = site.index.with_file_name("full");
    index::build(
        &site.content,
        &full,
        &BuildOptions::default(),
        &mut |_, _| {},
    )
    .expect("build succeeds");
    let updated = site.open();
    let rebuilt = SearchIndex::open(&full, OpenOptions::default()).unwrap();
    for (q, roles) in [
        ("product owner", vec![]),
        ("sprint review", vec![]),
        ("backlog", vec!["scrum-master".to_string()]),
        (
            "stakeholders",
            vec!["product-owner".to_string(), "BA".to_string()],
        ),
        ("", vec!["product-manager".to_string()]),
    ] {
        let request = SearchRequest {
            roles,
            limit: 100,
            ..SearchRequest::new(q)
        };
        let a = updated.search(&request).unwrap();
        let b = rebuilt.search(&request).unwrap();
        assert!(a.estimated_total_hits > 0, "{q:?} finds something");
        assert_eq!(a.estimated_total_hits, b.estimated_total_hits, "{q:?}");
        assert_eq!(
            serde_json::to_value(&a.facet_distribution).unwrap(),
            serde_json::to_value(&b.facet_distribution).unwrap(),
            "{q:?}"
        );
        let slugs = |r: &index::SearchResponse| {
            let mut s: Vec<String> = r.hits.iter().map(|h| h.slug.clone()).collect();
            s.sort();
            s
        };
        assert_eq!(slugs(&a), slugs(&b), "{q:?}");
        assert_eq!(
            a.hits.len(),
            a.estimated_total_hits,
            "{q:?}: one hit per article"
        );
    }
}

#[test]
fn a_lost_per_file_state_is_reported_and_the_next_update_rebuilds_keeping_webhook_articles() {
    let site = Site::built();
    let a = webhook_article("wh1", "webhook-one", "Quetzal spotting for product owners.");
    site.apply(&[upsert(&a, "2026-03-01T10:00:00.000Z")]);
    let gen = site
        .index
        .join(index::Store::new(&site.index).current_name().unwrap());
    std::fs::remove_dir_all(gen.join("state")).unwrap();

    let check = index::check(&site.index).unwrap();
    assert!(
        check.faults.iter().any(|f| f.contains("per-file state")),
        "{:?}",
        check.faults
    );
    let report = site.update();
    assert!(report.committed, "{report:?}");
    assert_eq!(site.find("quetzal spotting"), ["webhook-one"]);
    assert!(site.finds("scrum master", "what-does-a-scrum-master-do"));
    let stale = site.apply(&[upsert(&a, "2026-03-01T09:00:00.000Z")]);
    assert_eq!(stale.stale, 1, "the webhook version was not forgotten");
}

#[test]
fn a_broken_file_is_reported_by_every_update_until_it_is_fixed() {
    let site = Site::built();
    let broken = site.content.join("teams/broken.json");
    std::fs::write(&broken, "{\"title\": \"Half a file\", ").unwrap();
    // Dated an hour ago: a time the next update can trust.
    std::fs::File::options()
        .write(true)
        .open(&broken)
        .unwrap()
        .set_modified(SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let skipped = |report: &UpdateReport| -> Vec<String> {
        report
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
            .map(|p| p.source.clone())
            .collect()
    };
    let first = site.update();
    assert_eq!(skipped(&first), [broken.display().to_string()], "{first:?}");
    // Unchanged, not read again: still reported.
    let second = site.update();
    assert_eq!(second.read, 0, "{second:?}");
    assert_eq!(skipped(&second), [broken.display().to_string()]);
    // Fixed: reported no more.
    std::fs::write(
        &broken,
        r#"{"title": "A Whole File", "blocks": [{"__component": "shared.rich-text", "body": "Mended at last: pangolin."}]}"#,
    )
    .unwrap();
    let fixed = site.update();
    assert!(skipped(&fixed).is_empty(), "{fixed:?}");
    assert!(site.finds("pangolin", "a-whole-file"));
    assert!(skipped(&site.update()).is_empty());
}

#[test]
fn a_change_dated_in_the_future_is_refused_so_a_bad_clock_cannot_freeze_an_article() {
    let site = Site::built();
    let a = webhook_article("wh9", "webhook-nine", "Okapi stripes.");
    let report = site.apply(&[upsert(&a, "9999-12-31T00:00:00Z")]);
    match &report.outcomes[0] {
        Outcome::Refused { reason } => {
            assert!(reason.contains("9999-12-31"), "{reason}");
            assert!(reason.contains("createdAt"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(report.problems[0].severity, Severity::Skipped);
    assert!(!site.finds("okapi", "webhook-nine"));
    // A real change still applies.
    let report = site.apply(&[upsert(&a, "2026-03-01T10:00:00Z")]);
    assert!(
        matches!(report.outcomes[0], Outcome::Upserted),
        "{:?}",
        report.outcomes
    );
    assert!(site.finds("okapi", "webhook-nine"));
}
