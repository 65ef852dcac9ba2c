//! Every JSON shape a Strapi site produces: bare component lists, article
//! objects, Strapi 5 and Strapi 4 REST responses, collection files, webhook
//! entries and content folders.

use indexer::{parse_entry, Article, Media, PieceKind, Severity};
use serde_json::{json, Value};

use crate::util::*;

fn cover(name: &str, alt: &str, caption: Option<&str>, url: &str) -> Option<Media> {
    Some(Media {
        name: Some(name.to_string()),
        url: Some(url.to_string()),
        alt: Some(alt.to_string()),
        caption: caption.map(str::to_string),
    })
}

fn recorded_entry(name: &str) -> Value {
    let bytes = std::fs::read(fixture(name)).expect("recording is readable");
    let body: Value = serde_json::from_slice(&bytes).expect("recording is JSON");
    body["entry"].clone()
}

/// The article with its `source` cleared, to compare two readings of the
/// same content from different files.
fn without_source(mut article: Article) -> Article {
    article.source = String::new();
    article
}

#[test]
fn a_bare_component_list_takes_its_slug_from_the_file_stem_and_its_title_from_the_first_heading() {
    let article = only_article(read_fixture("shapes/standup-basics.json"));

    assert_eq!(article.slug, "standup-basics");
    assert_eq!(article.key, "standup-basics");
    assert_eq!(article.title, "Why stand-ups exist");
    assert_eq!(article.document_id, None);
    assert_eq!(article.strapi_id, None);
    assert_eq!(article.category, None);
    assert_eq!(article.author, None);
    assert_eq!(
        article.source,
        fixture("shapes/standup-basics.json").display().to_string()
    );
    let title = &article.pieces[0];
    assert_eq!(
        (title.kind, title.text.as_str(), title.position),
        (PieceKind::Title, "Why stand-ups exist", 0)
    );
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Paragraph, "A stand-up is a short daily sync."),
            (PieceKind::Heading, "Why stand-ups exist"),
            (
                PieceKind::Paragraph,
                "They surface blockers before they grow."
            ),
            (PieceKind::Heading, "Who runs them"),
            (
                PieceKind::Paragraph,
                "Often the Scrum Master, sometimes the team itself."
            ),
            (PieceKind::Media, "Standup circle"),
        ]
    );
    // The lead paragraph sits above every heading.
    let lead = piece(&article, "A stand-up is a short daily sync.");
    assert!(lead.heading_path.is_empty());
    assert_eq!(lead.anchor, "");
}

#[test]
fn a_bare_component_list_without_a_heading_is_titled_by_its_file_stem_made_readable() {
    let article = only_article(read_fixture("shapes/team-rituals_notes.json"));

    assert_eq!(article.title, "Team rituals notes");
    assert_eq!(article.slug, "team-rituals_notes");
    assert_eq!(article.pieces[0].kind, PieceKind::Title);
    assert_eq!(article.pieces[0].text, "Team rituals notes");
    assert_eq!(
        kinds_and_texts(&article),
        [
            (
                PieceKind::Paragraph,
                "Rituals only help when everyone knows why they exist."
            ),
            (PieceKind::ListItem, "Keep the daily check-in short"),
            (PieceKind::ListItem, "Move long talks to a follow-up"),
            (
                PieceKind::Quote,
                "Fifteen minutes is a promise, not a target. — A team coach"
            ),
        ]
    );
}

#[test]
fn an_article_object_keeps_its_fields_and_is_keyed_by_document_id_and_locale() {
    let article = only_article(read_fixture("shapes/article.json"));

    assert_eq!(article.key, "k3v9q2w8e7r6t5y4u3i2o1pa@en");
    assert_eq!(
        article.document_id.as_deref(),
        Some("k3v9q2w8e7r6t5y4u3i2o1pa")
    );
    assert_eq!(article.strapi_id, Some(12));
    assert_eq!(article.slug, "who-owns-the-backlog");
    assert_eq!(article.title, "Who Owns the Backlog?");
    assert_eq!(
        article.description.as_deref(),
        Some("A short look at backlog ownership in small teams.")
    );
    assert_eq!(
        article.published_at.as_deref(),
        Some("2026-03-02T10:00:00.000Z")
    );
    assert_eq!(
        article.updated_at.as_deref(),
        Some("2026-03-03T08:15:00.000Z")
    );
    assert_eq!(article.locale.as_deref(), Some("en"));
    assert_eq!(article.category.as_deref(), Some("Teams"));
    // `{"id": 5}` names no one outside a collection file.
    assert_eq!(article.author, None);
    assert_eq!(
        article.cover,
        cover(
            "backlog-board.png",
            "A board of sticky notes in three columns",
            Some("Our refinement wall"),
            "/uploads/backlog_board_1a2b3c.png"
        )
    );
}

#[test]
fn the_components_of_an_article_become_pieces_in_order_with_positions_from_zero() {
    let article = only_article(read_fixture("shapes/article.json"));

    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Who decides the order?"),
            (
                PieceKind::Paragraph,
                "The Product Owner orders the backlog so the team always knows what comes next."
            ),
            (PieceKind::Heading, "Refinement rhythm"),
            (
                PieceKind::Media,
                "A board of sticky notes in three columns — Our refinement wall"
            ),
            (
                PieceKind::TableRow,
                "Day: Tuesday · Session: Refinement with the BA"
            ),
            (
                PieceKind::TableRow,
                "Day: Thursday · Session: Sprint review"
            ),
            (
                PieceKind::Quote,
                "Small, clear tickets beat big, vague ones. — A delivery lead"
            ),
            (PieceKind::Media, "A story map on a whiteboard"),
            (PieceKind::Media, "The sprint goal, written large"),
        ]
    );
    let positions: Vec<u32> = article.pieces.iter().map(|p| p.position).collect();
    assert_eq!(positions, (0..10).collect::<Vec<u32>>());
    assert_eq!(article.pieces[0].text, "Who Owns the Backlog?");
}

#[test]
fn an_article_without_a_relation_or_cover_key_reads_them_as_absent() {
    let article = only_article(parse_value(
        "plain",
        &json!({
            "title": "Plain Article",
            "blocks": [{"__component": "shared.rich-text", "body": "Nothing else."}]
        }),
    ));

    assert_eq!(article.category, None);
    assert_eq!(article.author, None);
    assert_eq!(article.cover, None);
    assert_eq!(article.description, None);
    assert_eq!(
        article.locale.as_deref(),
        Some("en"),
        "no locale: the default one"
    );
    assert_eq!(article.slug, "plain-article");
}

#[test]
fn a_strapi_5_rest_list_reads_every_article_with_its_relations_and_media() {
    let parsed = parse_fixture_as(
        "strapi/019-s1-three-articles-articles-full-dz-populate.body",
        "articles",
    );
    assert_eq!(parsed.problems, []);
    let keys: Vec<&str> = parsed.articles.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(
        keys,
        ["cwoyil6d0v1j1x34evlj1wam@en", "gn2s0fe1ci0aqm6zegd7xgsr@en"]
    );

    let first = &parsed.articles[0];
    assert_eq!(first.title, "Indexing Strapi with webhooks");
    assert_eq!(first.slug, "indexing-strapi-with-webhooks");
    assert_eq!(first.strapi_id, Some(4));
    assert_eq!(first.category.as_deref(), Some("Search"));
    assert_eq!(first.author.as_deref(), Some("Ada Writer"));
    assert_eq!(
        first.published_at.as_deref(),
        Some("2026-11-29T11:37:29.337Z")
    );
    assert_eq!(
        first.cover,
        cover(
            "test-image.png",
            "Gradient test image",
            Some("A generated 600x400 gradient"),
            "/uploads/test_image_a54d6eae34.png"
        )
    );
    assert_eq!(
        kinds_and_texts(first),
        [
            (PieceKind::Heading, "Getting started (revised)"),
            (
                PieceKind::Paragraph,
                "Strapi stores rich text as Markdown. This paragraph has a link and inline code."
            ),
            (PieceKind::Heading, "Comparison table"),
            (
                PieceKind::TableRow,
                "Engine: Meilisearch · Language: Rust · Typo tolerance: yes"
            ),
            (
                PieceKind::TableRow,
                "Engine: Elasticsearch · Language: Java · Typo tolerance: fuzzy"
            ),
            (PieceKind::Heading, "Checklist"),
            (PieceKind::ListItem, "Install the plugin"),
            (PieceKind::ListItem, "Configure the webhook"),
            (PieceKind::ListItem, "nested item"),
            (PieceKind::ListItem, "Re-index everything"),
            (PieceKind::ListItem, "UPDATED: verify the index"),
            (PieceKind::ListItem, "first ordered"),
            (PieceKind::ListItem, "second ordered"),
            (
                PieceKind::Media,
                "Gradient test image — A generated 600x400 gradient"
            ),
            (
                PieceKind::Quote,
                "The most dangerous phrase in the language is: we've always done it this way. — Grace Hopper"
            ),
        ]
    );
    // The media block after the checklist sits under it.
    let media = &of_kind(first, PieceKind::Media)[0];
    assert_eq!(path(media), ["Comparison table", "Checklist"]);
    assert_eq!(media.anchor, "checklist");

    let second = &parsed.articles[1];
    assert_eq!(second.title, "Second article stays published");
    assert_eq!(
        kinds_and_texts(second),
        [
            (PieceKind::Heading, "Intro"),
            (PieceKind::Paragraph, "Plain paragraph."),
            (PieceKind::TableRow, "a: 1 · b: 2"),
            (PieceKind::Quote, "Short quote. — Anon"),
            (
                PieceKind::Media,
                "Gradient test image — A generated 600x400 gradient"
            ),
            (
                PieceKind::Media,
                "Gradient test image — A generated 600x400 gradient"
            ),
        ]
    );
}

#[test]
fn a_strapi_5_rest_single_response_reads_its_one_article_keyed_by_document_id() {
    let article = only_article(parse_fixture_as(
        "strapi/025-s1-article1-by-documentId-full.body",
        "single",
    ));

    assert_eq!(article.key, "cwoyil6d0v1j1x34evlj1wam@en");
    assert_eq!(
        article.locale.as_deref(),
        Some("en"),
        "no locale: the default one"
    );
    assert_eq!(article.title, "Indexing Strapi with webhooks");
    assert_eq!(
        article.description.as_deref(),
        Some("How the lifecycle looks from the outside")
    );
    assert_eq!(article.category.as_deref(), Some("Search"));
    assert_eq!(article.pieces.len(), 16);
}

#[test]
fn a_strapi_5_page_past_the_end_holds_no_articles_and_no_problems() {
    let parsed = parse_fixture_as("strapi/032-s2-final-articles-page2-size1.body", "page");
    assert!(parsed.articles.is_empty());
    assert_eq!(parsed.problems, []);
}

#[test]
fn a_strapi_5_draft_without_blocks_is_an_article_with_only_its_title() {
    let article = only_article(parse_fixture_as(
        "strapi/039-s2-article3-by-documentId-status-draft.body",
        "draft",
    ));
    assert_eq!(article.title, "Third article, draft only");
    assert_eq!(article.published_at, None);
    assert_eq!(article.pieces.len(), 1);
    assert_eq!(article.pieces[0].kind, PieceKind::Title);
}

#[test]
fn a_shallow_populate_reads_the_text_and_warns_about_media_blocks_without_a_file() {
    let parsed = parse_fixture_as(
        "strapi/018-s1-three-articles-articles-populate-star.body",
        "shallow",
    );
    assert_eq!(parsed.articles.len(), 2);
    let paths: Vec<&str> = parsed.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        ["$.data[0].blocks[1].file", "$.data[1].blocks[2].file"]
    );
    for problem in &parsed.problems {
        assert_eq!(problem.severity, Severity::Warning);
        assert!(problem.reason.contains("without a file"), "{problem}");
        assert_eq!(problem.source, "shallow.json");
    }
    assert!(of_kind(&parsed.articles[0], PieceKind::Media).is_empty());
    assert_eq!(of_kind(&parsed.articles[0], PieceKind::TableRow).len(), 2);
}

#[test]
fn a_strapi_4_response_reads_exactly_like_its_strapi_5_twin() {
    let v5 = parse_fixture_as(
        "strapi/019-s1-three-articles-articles-full-dz-populate.body",
        "articles",
    );
    let v4 = parse_fixture_as(
        "strapi/020-s1-three-articles-articles-full-dz-populate-v4-format.body",
        "articles",
    );
    assert_eq!(v4.problems, []);
    assert_eq!(v4.articles.len(), 2);
    let v5: Vec<Article> = v5.articles.into_iter().map(without_source).collect();
    let v4: Vec<Article> = v4.articles.into_iter().map(without_source).collect();
    assert_eq!(v4, v5);
}

#[test]
fn a_strapi_4_single_response_unwraps_relations_media_and_slider_files() {
    let article = only_article(parse_fixture_as(
        "strapi/037-s2-article2-by-documentId-full-v4-format.body",
        "single",
    ));

    assert_eq!(article.key, "gn2s0fe1ci0aqm6zegd7xgsr@en");
    assert_eq!(article.strapi_id, Some(6));
    assert_eq!(article.title, "Second article stays published");
    assert_eq!(article.category.as_deref(), Some("Search"));
    assert_eq!(article.author.as_deref(), Some("Ada Writer"));
    let expected = cover(
        "test-image.png",
        "Gradient test image",
        Some("A generated 600x400 gradient"),
        "/uploads/test_image_a54d6eae34.png",
    );
    assert_eq!(article.cover, expected);
    let media = of_kind(&article, PieceKind::Media);
    assert_eq!(media.len(), 2, "one from shared.media, one from the slider");
    for m in media {
        assert_eq!(m.media, expected);
        assert_eq!(path(m), ["Intro"]);
    }
}

#[test]
fn a_strapi_4_list_without_document_ids_is_keyed_by_numeric_id() {
    let parsed = read_fixture("shapes/strapi4-list.json");
    assert_eq!(parsed.problems, []);
    assert_eq!(parsed.articles.len(), 2);

    let first = &parsed.articles[0];
    assert_eq!(first.key, "id:31");
    assert_eq!(first.strapi_id, Some(31));
    assert_eq!(first.document_id, None);
    assert_eq!(first.locale.as_deref(), Some("en"));
    assert_eq!(first.title, "Running a Discovery Week");
    assert_eq!(
        first.description.as_deref(),
        Some("Five days to test an idea before building it.")
    );
    assert_eq!(first.category.as_deref(), Some("Planning"));
    assert_eq!(first.author.as_deref(), Some("Ines Moreau"));
    assert_eq!(
        first.updated_at.as_deref(),
        Some("2026-02-04T12:30:00.000Z")
    );
    assert_eq!(
        first.cover,
        cover(
            "discovery-wall.png",
            "Interview notes grouped on a wall",
            Some("Day three: patterns appear"),
            "/uploads/discovery_wall_0f1e2d.png"
        )
    );
    assert_eq!(
        kinds_and_texts(first),
        [
            (PieceKind::Heading, "Day one"),
            (
                PieceKind::Paragraph,
                "Write down what you believe and how you would know you are wrong."
            ),
            (PieceKind::Heading, "Day three"),
            (
                PieceKind::Media,
                "Interview notes grouped on a wall — Day three: patterns appear"
            ),
            (PieceKind::Media, "A paper prototype of a sign-up form"),
            (PieceKind::Media, "A user trying the prototype"),
        ]
    );
    let slide = piece(first, "A user trying the prototype");
    assert_eq!(path(slide), ["Day three"]);
    let media = slide.media.as_ref().expect("media piece keeps its media");
    assert_eq!(media.name.as_deref(), Some("test-session.png"));
    assert_eq!(
        media.url.as_deref(),
        Some("/uploads/test_session_6f7e8d.png")
    );

    let second = &parsed.articles[1];
    assert_eq!(second.key, "id:32");
    assert_eq!(second.category, None);
    assert_eq!(second.author, None);
    assert_eq!(second.cover, None);
    assert_eq!(
        kinds_and_texts(second),
        [(
            PieceKind::Paragraph,
            "Lead with what the reader can now do."
        )]
    );
}

#[test]
fn a_collection_file_resolves_relation_ids_to_names_and_reads_file_name_media() {
    let parsed = read_fixture("shapes/collection.json");
    assert_eq!(parsed.problems, []);
    assert_eq!(parsed.articles.len(), 2);

    let first = &parsed.articles[0];
    assert_eq!(first.key, "id:1");
    assert_eq!(first.slug, "analyst-to-owner");
    assert_eq!(first.category.as_deref(), Some("Careers"));
    assert_eq!(first.author.as_deref(), Some("Felix Brandt"));
    assert_eq!(
        first.cover,
        Some(Media {
            name: Some("analyst-to-owner.png".into()),
            url: None,
            alt: None,
            caption: None,
        })
    );
    assert_eq!(
        kinds_and_texts(first),
        [
            (PieceKind::Heading, "The first month"),
            (
                PieceKind::Paragraph,
                "You stop writing every detail yourself and start deciding what matters most."
            ),
            (PieceKind::Media, "Analyst to owner"),
            (
                PieceKind::Quote,
                "Saying no was the hardest new skill. — A former analyst"
            ),
        ]
    );
    let media = piece(first, "Analyst to owner");
    assert_eq!(
        media.media.as_ref().and_then(|m| m.name.as_deref()),
        Some("analyst-to-owner.png")
    );
    assert_eq!(path(media), ["The first month"]);

    let second = &parsed.articles[1];
    assert_eq!(second.category.as_deref(), Some("Planning"));
    assert_eq!(second.author.as_deref(), Some("Noor Haddad"));
    assert_eq!(second.cover, None);
    // A slider whose files are plain file names.
    assert_eq!(
        kinds_and_texts(second),
        [
            (PieceKind::Paragraph, "A roadmap shows intent, not dates."),
            (PieceKind::Media, "Roadmap now next later"),
            (PieceKind::Media, "Roadmap themes"),
        ]
    );
    let names: Vec<Option<&str>> = of_kind(second, PieceKind::Media)
        .iter()
        .map(|p| p.media.as_ref().and_then(|m| m.name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            Some("roadmap-now-next-later.png"),
            Some("roadmap_themes.jpg")
        ]
    );
}

#[test]
fn a_blog_template_seed_file_resolves_relation_ids_by_position() {
    // The Strapi blog template's data.json lists categories and authors
    // without ids; articles point at them as {"id": n}, n counting from 1 in
    // list order (the order the seed script creates them in).
    let parsed = read_fixture("shapes/blog-template-seed.json");
    assert_eq!(parsed.problems, []);
    let relations: Vec<(Option<&str>, Option<&str>)> = parsed
        .articles
        .iter()
        .map(|a| (a.category.as_deref(), a.author.as_deref()))
        .collect();
    assert_eq!(
        relations,
        [
            (Some("rituals"), Some("Marek Novak")),
            (Some("tools"), Some("Lena Okoro")),
        ]
    );
}

#[test]
fn an_article_key_is_document_id_at_its_locale_or_the_default_one_then_numeric_id_then_slug() {
    let key = |value: Value| only_article(parse_value("keys", &value)).key;

    assert_eq!(
        key(
            json!({"id": 3, "documentId": "abc123", "locale": "fr", "title": "Un titre", "slug": "un-titre"})
        ),
        "abc123@fr"
    );
    // No locale: the site's default one, so the same document is one
    // article before and after the site turns i18n on.
    assert_eq!(
        key(json!({"id": 3, "documentId": "abc123", "title": "A Title", "slug": "a-title"})),
        "abc123@en"
    );
    assert_eq!(
        key(
            json!({"id": 3, "documentId": "abc123", "locale": "en", "title": "A Title", "slug": "a-title"})
        ),
        "abc123@en"
    );
    assert_eq!(
        key(json!({"id": 3, "locale": "fr", "title": "A Title", "slug": "a-title"})),
        "id:3"
    );
    assert_eq!(
        key(json!({"title": "A Title", "slug": "a-title"})),
        "a-title"
    );
    // Without a slug, the title makes one.
    let article = only_article(parse_value(
        "keys",
        &json!({"title": "What Is a PO, Really?"}),
    ));
    assert_eq!(article.slug, "what-is-a-po-really");
    assert_eq!(article.key, "what-is-a-po-really");
}

#[test]
fn webhook_entries_are_read_as_articles_with_parse_entry() {
    let (article, warnings) = parse_entry(
        "webhook",
        &recorded_entry("strapi/014-entry_publish.body"),
        taxonomy(),
    )
    .expect("a published entry is an article");
    assert_eq!(warnings, []);
    assert_eq!(article.source, "webhook");
    assert_eq!(article.key, "gn2s0fe1ci0aqm6zegd7xgsr@en");
    assert_eq!(article.strapi_id, Some(6));
    assert_eq!(article.category.as_deref(), Some("Search"));
    assert_eq!(article.author.as_deref(), Some("Ada Writer"));
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Intro"),
            (PieceKind::Paragraph, "Plain paragraph."),
            (PieceKind::TableRow, "a: 1 · b: 2"),
            (PieceKind::Quote, "Short quote. — Anon"),
            (
                PieceKind::Media,
                "Gradient test image — A generated 600x400 gradient"
            ),
            (
                PieceKind::Media,
                "Gradient test image — A generated 600x400 gradient"
            ),
        ]
    );
}

#[test]
fn webhook_entries_with_null_counted_or_missing_relations_still_read() {
    // entry.create of a draft: cover, author and category are null.
    let (created, warnings) = parse_entry(
        "webhook",
        &recorded_entry("strapi/015-entry_create.body"),
        taxonomy(),
    )
    .expect("a draft entry is an article");
    assert_eq!(warnings, []);
    assert_eq!(created.key, "nldyqzu2a75w6xptxp0plkg8@en");
    assert_eq!(
        (&created.cover, &created.author, &created.category),
        (&None, &None, &None)
    );
    assert_eq!(
        kinds_and_texts(&created),
        [
            (PieceKind::Heading, "Draft"),
            (PieceKind::Paragraph, "Not public yet.")
        ]
    );

    // entry.unpublish: relations reduced to {"count": 1}.
    let (unpublished, warnings) = parse_entry(
        "webhook",
        &recorded_entry("strapi/010-entry_unpublish.body"),
        taxonomy(),
    )
    .expect("an unpublished entry is an article");
    assert_eq!(warnings, []);
    assert_eq!(unpublished.author, None);
    assert_eq!(unpublished.category, None);
    assert_eq!(unpublished.pieces.len(), 16);

    // entry.delete: plain fields only, no blocks.
    let (deleted, warnings) = parse_entry(
        "webhook",
        &recorded_entry("strapi/016-entry_delete.body"),
        taxonomy(),
    )
    .expect("a deleted entry is an article");
    assert_eq!(warnings, []);
    assert_eq!(deleted.key, "cwoyil6d0v1j1x34evlj1wam@en");
    assert_eq!(deleted.pieces.len(), 1);
}

#[test]
fn parse_entry_refuses_an_entry_that_is_not_an_object() {
    let problem = parse_entry("webhook", &json!("just text"), taxonomy())
        .expect_err("a string is no article");
    assert_eq!(problem.source, "webhook");
    assert_eq!(problem.path, "$");
    assert_eq!(problem.severity, Severity::Skipped);
    assert!(problem.reason.contains("must be an object"), "{problem}");
}

#[test]
fn a_folder_is_read_recursively_skipping_hidden_and_non_json_files() {
    let folder = TempContent::new();
    folder.copy_fixture("shapes/article.json", "teams/who-owns-the-backlog.json");
    folder.copy_fixture(
        "shapes/standup-basics.json",
        "teams/rituals/standup-basics.json",
    );
    folder.copy_fixture("shapes/collection.json", "deep/a/b/c/collection.json");
    folder.write("notes.txt", "not content");
    folder.write("README.md", "# not content");
    folder.write("teams/board.png", [0x89, b'P', b'N', b'G']);
    folder.write(".hidden.json", "{ this would be a problem");
    folder.write(".drafts/unfinished.json", "{ this too");
    folder.copy_fixture(
        "shapes/strapi4-list.json",
        "teams/.backup/strapi4-list.json",
    );

    let content = folder.read();

    assert_eq!(content.problems, []);
    assert_eq!(content.files, 3);
    let slugs: Vec<&str> = content.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "analyst-to-owner",
            "reading-a-roadmap",
            "standup-basics",
            "who-owns-the-backlog"
        ]
    );
    assert_eq!(
        content.articles[2].source,
        folder.source("teams/rituals/standup-basics.json")
    );
}

#[cfg(unix)]
#[test]
fn a_folder_follows_links_to_files_but_not_links_to_folders() {
    let folder = TempContent::new();
    let real = folder.copy_fixture("shapes/standup-basics.json", "real/standup-basics.json");
    std::os::unix::fs::symlink(&real, folder.root().join("linked-standup.json"))
        .expect("link a file");
    // A link back to the root would loop forever if followed.
    std::os::unix::fs::symlink(folder.root(), folder.root().join("real/loop"))
        .expect("link a folder");

    let content = folder.read();

    assert_eq!(content.problems, []);
    assert_eq!(content.files, 2, "the linked folder is not walked");
    let read: Vec<(&str, &str)> = content
        .articles
        .iter()
        .map(|a| (a.source.as_str(), a.slug.as_str()))
        .collect();
    let linked = folder.source("linked-standup.json");
    let original = folder.source("real/standup-basics.json");
    assert_eq!(
        read,
        [
            (linked.as_str(), "linked-standup"),
            (original.as_str(), "standup-basics")
        ]
    );
}

#[test]
fn reading_a_folder_that_does_not_exist_is_an_error() {
    let folder = TempContent::new();
    let missing = folder.root().join("nowhere");
    let err = indexer::read_folder(&missing, taxonomy()).expect_err("no such folder");
    assert!(err.to_string().contains("nowhere"), "{err}");
}

#[test]
fn a_repeated_slug_in_a_later_file_is_skipped_with_a_problem_naming_the_first_file() {
    let folder = TempContent::new();
    folder.write(
        "a-first.json",
        json!({"title": "Sprint Goals", "slug": "sprint-goals"}).to_string(),
    );
    folder.write(
        "b-second.json",
        json!({"title": "Sprint Goals Again", "slug": "sprint-goals"}).to_string(),
    );

    let content = folder.read();

    assert_eq!(content.articles.len(), 1);
    assert_eq!(content.articles[0].title, "Sprint Goals");
    let problem = assert_one_problem(&content.problems, Severity::Skipped, "$", "sprint-goals");
    assert_eq!(problem.source, folder.source("b-second.json"));
    assert!(
        problem.reason.contains(&folder.source("a-first.json")),
        "{problem}"
    );
}

#[test]
fn a_repeated_key_with_a_new_slug_is_skipped_with_a_problem_naming_the_first_file() {
    let folder = TempContent::new();
    folder.write(
        "one.json",
        json!({"documentId": "samedoc", "title": "Old Name", "slug": "old-name"}).to_string(),
    );
    folder.write(
        "two.json",
        json!({"documentId": "samedoc", "title": "New Name", "slug": "new-name"}).to_string(),
    );

    let content = folder.read();

    let slugs: Vec<&str> = content.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(slugs, ["old-name"]);
    let problem = assert_one_problem(&content.problems, Severity::Skipped, "$", "samedoc");
    assert_eq!(problem.source, folder.source("two.json"));
    assert!(problem.reason.contains("key"), "{problem}");
    assert!(
        problem.reason.contains(&folder.source("one.json")),
        "{problem}"
    );
}
