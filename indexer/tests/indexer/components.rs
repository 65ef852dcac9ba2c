//! The blog template's components: rich text, media, quote, slider, SEO,
//! and components the indexer does not know.

use indexer::{Media, PieceKind, Seo, Severity};
use serde_json::json;

use crate::util::*;

#[test]
fn a_media_component_is_a_media_piece_whose_text_is_alt_text_and_caption() {
    let article = only_article(read_fixture("shapes/article.json"));

    let media = piece(
        &article,
        "A board of sticky notes in three columns — Our refinement wall",
    );
    assert_eq!(media.kind, PieceKind::Media);
    assert_eq!(
        media.media,
        Some(Media {
            name: Some("backlog-board.png".into()),
            url: Some("/uploads/backlog_board_1a2b3c.png".into()),
            alt: Some("A board of sticky notes in three columns".into()),
            caption: Some("Our refinement wall".into()),
        })
    );
    assert!(media.cells.is_empty());
}

#[test]
fn a_media_component_given_a_file_name_reads_the_name_as_its_text() {
    let article = article_with_blocks(json!([
        {"__component": "shared.media", "file": "team_offsite-photo.jpeg"}
    ]));

    let media = piece(&article, "Team offsite photo");
    assert_eq!(media.kind, PieceKind::Media);
    assert_eq!(
        media.media,
        Some(Media {
            name: Some("team_offsite-photo.jpeg".into()),
            url: None,
            alt: None,
            caption: None,
        })
    );
}

#[test]
fn a_media_piece_with_the_same_alt_text_and_caption_says_it_once() {
    let article = article_with_blocks(json!([
        {"__component": "shared.media", "file": {
            "name": "kanban.png", "url": "/uploads/kanban.png",
            "alternativeText": "A kanban board", "caption": "A kanban board"
        }}
    ]));
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::Media, "A kanban board")]
    );
}

#[test]
fn a_quote_component_reads_its_body_then_who_said_it() {
    let article = article_with_blocks(json!([
        {"__component": "shared.quote", "title": "A staff engineer", "body": "Ship the  smallest\nthing that teaches you something."},
        {"__component": "shared.quote", "body": "Unattributed words still count."},
        {"__component": "shared.quote", "title": "Only a name"}
    ]));

    assert_eq!(
        kinds_and_texts(&article),
        [
            (
                PieceKind::Quote,
                "Ship the smallest thing that teaches you something. — A staff engineer"
            ),
            (PieceKind::Quote, "Unattributed words still count."),
            (PieceKind::Quote, "Only a name"),
        ]
    );
}

#[test]
fn a_slider_component_makes_one_media_piece_per_file() {
    let article = only_article(read_fixture("shapes/article.json"));

    let slides: Vec<&str> = of_kind(&article, PieceKind::Media)
        .into_iter()
        .skip(1)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        slides,
        [
            "A story map on a whiteboard",
            "The sprint goal, written large"
        ]
    );
    let second = piece(&article, "The sprint goal, written large");
    let media = second.media.as_ref().expect("slider media is kept");
    assert_eq!(media.name.as_deref(), Some("sprint-goal.png"));
    assert_eq!(
        media.url.as_deref(),
        Some("/uploads/sprint_goal_7a8b9c.png")
    );
    assert_eq!(media.alt, None);
}

#[test]
fn seo_fields_are_article_data_and_never_pieces() {
    let article = only_article(read_fixture("shapes/article.json"));

    assert_eq!(
        article.seo,
        Some(Seo {
            meta_title: Some("Backlog ownership in small teams".into()),
            meta_description: Some("Who orders the backlog, and when the team refines it.".into()),
        })
    );
    // The article has its own description, so the SEO one is not used.
    assert_eq!(
        article.description.as_deref(),
        Some("A short look at backlog ownership in small teams.")
    );
    for p in &article.pieces {
        assert!(
            !p.text.contains("Backlog ownership in small teams"),
            "{p:?}"
        );
        assert!(!p.text.contains("Who orders the backlog"), "{p:?}");
    }
}

#[test]
fn the_description_falls_back_to_the_seo_meta_description() {
    let article = article_with_blocks(json!([
        {"__component": "shared.rich-text", "body": "Body text."},
        {"__component": "shared.seo", "metaTitle": "Meta title here", "metaDescription": "Meta description here."}
    ]));

    assert_eq!(
        article.description.as_deref(),
        Some("Meta description here.")
    );
    assert_eq!(article.title, "Fixture");
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::Paragraph, "Body text.")]
    );
}

#[test]
fn an_article_without_a_title_takes_the_seo_meta_title() {
    let article = only_article(parse_value(
        "untitled",
        &json!({
            "slug": "untitled-piece",
            "blocks": [
                {"__component": "shared.rich-text", "body": "## A heading\n\nText."},
                {"__component": "shared.seo", "metaTitle": "Titled by SEO"}
            ]
        }),
    ));
    assert_eq!(article.title, "Titled by SEO");
    assert_eq!(article.pieces[0].text, "Titled by SEO");
    assert_eq!(article.slug, "untitled-piece");
}

#[test]
fn an_unknown_component_is_skipped_with_a_warning_and_the_article_is_still_read() {
    let parsed = parse_json(
        "sprint-demo",
        &json!({
            "title": "Sprint Demo Tips",
            "slug": "sprint-demo-tips",
            "blocks": [
                {"__component": "shared.rich-text", "body": "## Before the demo\n\nRehearse once."},
                {"__component": "shared.video-embed", "url": "https://video.example.com/demo"},
                {"__component": "shared.rich-text", "body": "Show working software, not slides."}
            ]
        })
        .to_string(),
    );

    assert_eq!(parsed.articles.len(), 1);
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Warning,
        "$.blocks[1].__component",
        "shared.video-embed",
    );
    assert_eq!(problem.source, "sprint-demo.json");
    assert!(problem.reason.contains("unknown component"), "{problem}");
    assert!(
        problem
            .to_string()
            .starts_with("sprint-demo.json: warning at $.blocks[1].__component"),
        "{problem}"
    );
    assert_eq!(
        kinds_and_texts(&parsed.articles[0]),
        [
            (PieceKind::Heading, "Before the demo"),
            (PieceKind::Paragraph, "Rehearse once."),
            (PieceKind::Paragraph, "Show working software, not slides."),
        ]
    );
}
