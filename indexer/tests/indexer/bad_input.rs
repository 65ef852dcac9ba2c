//! Bad input: every problem names the file, the exact JSON path and the
//! reason, and skips only what it must; the other articles of the file and
//! the folder are still read.

use indexer::{read_file, PieceKind, Severity};
use serde_json::json;

use crate::util::*;

#[test]
fn invalid_json_is_a_problem_at_the_root_naming_the_file() {
    let parsed = read_fixture("bad/invalid.json");

    assert!(parsed.articles.is_empty());
    let problem = assert_one_problem(&parsed.problems, Severity::Skipped, "$", "invalid JSON");
    assert_eq!(
        problem.source,
        fixture("bad/invalid.json").display().to_string()
    );
}

#[test]
fn wrong_types_are_reported_at_their_exact_path_and_only_their_article_is_skipped() {
    let parsed = read_fixture("bad/wrong-types.json");
    let source = fixture("bad/wrong-types.json").display().to_string();

    let titles: Vec<&str> = parsed.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["The One Good Article"]);
    assert_eq!(
        kinds_and_texts(&parsed.articles[0]),
        [(
            PieceKind::Paragraph,
            "Good content survives its bad neighbours."
        )]
    );

    let problems: Vec<(&str, &str)> = parsed
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(problems.len(), 4, "{problems:#?}");
    let expected = [
        (
            "$[0].blocks",
            "`blocks` must be a list of components, found a string",
        ),
        ("$[1].title", "`title` must be a string, found a number"),
        (
            "$[2].blocks[0].__component",
            "`__component` must be a string, found a number",
        ),
        (
            "$[3].blocks[0].body",
            "a rich-text component needs a `body`",
        ),
    ];
    for (problem, (path, reason)) in parsed.problems.iter().zip(expected) {
        assert_eq!(problem.path, path);
        assert!(problem.reason.contains(reason), "{problem}");
        assert_eq!(problem.severity, Severity::Skipped);
        assert_eq!(problem.source, source);
    }
}

#[test]
fn a_strapi_4_body_of_the_wrong_type_is_reported_inside_its_attributes() {
    let parsed = read_fixture("bad/strapi4-bad-body.json");

    let keys: Vec<&str> = parsed.articles.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["id:61", "id:63"]);
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data[1].attributes.blocks[0].body",
        "found a number",
    );
    assert!(
        problem.reason.contains("markdown text or a list of blocks"),
        "{problem}"
    );
    assert_eq!(
        problem.to_string(),
        format!(
            "{}: skipped at $.data[1].attributes.blocks[0].body: {}",
            fixture("bad/strapi4-bad-body.json").display(),
            problem.reason
        )
    );
}

#[test]
fn bad_files_never_stop_the_good_files_of_a_folder() {
    let folder = TempContent::new();
    folder.copy_fixture("bad/invalid.json", "a/invalid.json");
    folder.copy_fixture("bad/wrong-types.json", "b/wrong-types.json");
    folder.copy_fixture("bad/strapi4-bad-body.json", "c/strapi4.json");
    folder.copy_fixture("shapes/article.json", "d/article.json");
    folder.write("e/empty.json", "[]");

    let content = folder.read();

    assert_eq!(content.files, 5);
    let slugs: Vec<&str> = content.articles.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "the-one-good-article",
            "estimating-without-tears",
            "saying-no-kindly",
            "who-owns-the-backlog"
        ]
    );
    let problems: Vec<(String, &str)> = content
        .problems
        .iter()
        .map(|p| (p.source.clone(), p.path.as_str()))
        .collect();
    assert_eq!(
        problems,
        [
            (folder.source("a/invalid.json"), "$"),
            (folder.source("b/wrong-types.json"), "$[0].blocks"),
            (folder.source("b/wrong-types.json"), "$[1].title"),
            (
                folder.source("b/wrong-types.json"),
                "$[2].blocks[0].__component"
            ),
            (folder.source("b/wrong-types.json"), "$[3].blocks[0].body"),
            (
                folder.source("c/strapi4.json"),
                "$.data[1].attributes.blocks[0].body"
            ),
            (folder.source("e/empty.json"), "$"),
        ]
    );
    assert!(content
        .problems
        .iter()
        .all(|p| p.severity == Severity::Skipped));
}

#[test]
fn an_empty_list_file_is_a_problem_with_no_articles() {
    let parsed = parse_json("empty", "[]");
    assert!(parsed.articles.is_empty());
    let problem = assert_one_problem(&parsed.problems, Severity::Skipped, "$", "empty list");
    assert_eq!(problem.source, "empty.json");
}

#[test]
fn a_strapi_not_found_response_is_a_problem_quoting_the_error() {
    let parsed = parse_fixture_as("strapi/040-s2-deleted-article1-by-documentId.body", "gone");
    assert!(parsed.articles.is_empty());
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data",
        "the response is an error (404 Not Found)",
    );
}

#[test]
fn a_strapi_forbidden_response_is_a_problem_quoting_the_error() {
    let parsed = parse_fixture_as("strapi/041-s2-articles-no-token.body", "forbidden");
    assert!(parsed.articles.is_empty());
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data",
        "the response is an error (403 Forbidden)",
    );
}

#[test]
fn a_null_data_without_an_error_is_a_problem() {
    let parsed = parse_value("null-data", &json!({"data": null, "meta": {}}));
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data",
        "`data` is null",
    );
}

#[test]
fn json_that_is_not_a_strapi_shape_is_a_problem_saying_what_was_expected() {
    let parsed = parse_value("other", &json!({"hello": "world"}));
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$",
        "not a Strapi article",
    );

    let parsed = parse_json("number", "42");
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$",
        "expected an object or a list, found a number",
    );

    let parsed = parse_value("data-string", &json!({"data": "nope"}));
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data",
        "`data` must be an article or a list, found a string",
    );

    let parsed = parse_value("articles-object", &json!({"articles": {"id": 1}}));
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.articles",
        "`articles` must be a list, found an object",
    );
}

#[test]
fn an_article_in_a_list_that_is_not_an_object_is_skipped_alone() {
    let parsed = parse_value(
        "mixed",
        &json!({"data": [
            "not an article",
            {"title": "A Real One", "slug": "a-real-one"}
        ]}),
    );
    assert_eq!(parsed.articles.len(), 1);
    assert_eq!(parsed.articles[0].slug, "a-real-one");
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data[0]",
        "an article must be an object, found a string",
    );
}

#[test]
fn a_component_that_is_not_an_object_or_has_no_name_skips_its_article() {
    let parsed = parse_value(
        "components",
        &json!([
            {"title": "Number Component", "blocks": [7]},
            {"title": "Nameless Component", "blocks": [{"body": "text"}]}
        ]),
    );
    assert!(parsed.articles.is_empty());
    let paths: Vec<(&str, &str)> = parsed
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.reason.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            (
                "$[0].blocks[0]",
                "a component must be an object, found a number"
            ),
            ("$[1].blocks[0]", "a component needs a `__component` name"),
        ]
    );
}

#[test]
fn media_and_relations_of_the_wrong_type_are_reported_at_their_path() {
    let parsed = parse_value(
        "media",
        &json!([
            {"title": "Bad Cover", "cover": 17},
            {"title": "Bad Media", "blocks": [{"__component": "shared.media", "file": true}]},
            {"title": "Bad Slider", "blocks": [{"__component": "shared.slider", "files": "one.png"}]},
            {"title": "Bad Author", "author": false},
            {"title": "Fine", "blocks": [{"__component": "shared.media", "file": null}]}
        ]),
    );
    let titles: Vec<&str> = parsed.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["Fine"]);
    let problems: Vec<(&str, Severity)> = parsed
        .problems
        .iter()
        .map(|p| (p.path.as_str(), p.severity))
        .collect();
    assert_eq!(
        problems,
        [
            ("$[0].cover", Severity::Skipped),
            ("$[1].blocks[0].file", Severity::Skipped),
            ("$[2].blocks[0].files", Severity::Skipped),
            ("$[3].author", Severity::Skipped),
            ("$[4].blocks[0].file", Severity::Warning),
        ]
    );
    assert!(parsed.problems[0].reason.contains("media file"));
    assert!(parsed.problems[2].reason.contains("must be a list"));
    assert!(parsed.problems[4].reason.contains("without a file"));
}

#[test]
fn a_blocks_body_with_a_malformed_node_skips_its_article_naming_the_node() {
    let parsed = parse_value(
        "nodes",
        &json!({"data": [
            {"title": "Typeless", "blocks": [{"__component": "shared.rich-text", "body": [{"children": []}]}]},
            {"title": "Text Number", "blocks": [{"__component": "shared.rich-text", "body": [
                {"type": "paragraph", "children": [{"type": "text", "text": 5}]}
            ]}]},
            {"title": "Imageless", "blocks": [{"__component": "shared.rich-text", "body": [{"type": "image"}]}]}
        ]}),
    );
    assert!(parsed.articles.is_empty());
    let paths: Vec<&str> = parsed.problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "$.data[0].blocks[0].body[0]",
            "$.data[1].blocks[0].body[0].children[0].text",
            "$.data[2].blocks[0].body[0].image",
        ]
    );
}

#[test]
fn a_file_that_cannot_be_read_is_a_problem_not_a_panic() {
    let folder = TempContent::new();
    let missing = folder.root().join("missing.json");
    let parsed = read_file(&missing, taxonomy());
    assert!(parsed.articles.is_empty());
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$",
        "cannot read the file",
    );
    assert_eq!(problem.source, missing.display().to_string());
}

#[test]
fn an_article_with_no_title_slug_or_heading_from_a_webhook_is_refused() {
    let problem = indexer::parse_entry(
        "webhook",
        &json!({"blocks": [{"__component": "shared.rich-text", "body": "Only text."}]}),
        taxonomy(),
    )
    .expect_err("nothing names this article");
    assert_eq!(problem.path, "$");
    assert!(problem.reason.contains("needs a `title`"), "{problem}");
}

#[test]
fn a_file_starting_with_a_byte_order_mark_is_read() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(
        br#"{"title": "Marked", "blocks": [{"__component": "shared.rich-text", "body": "Text."}]}"#,
    );
    let parsed = indexer::parse_file("bom.json", "bom", &bytes, taxonomy());
    assert_eq!(parsed.problems, []);
    assert_eq!(parsed.articles[0].title, "Marked");
}

#[test]
fn an_empty_data_object_is_skipped_and_an_empty_data_list_reported() {
    let parsed = parse_json("phantom", r#"{"data": {}}"#);
    assert!(
        parsed.articles.is_empty(),
        "no article named after the file"
    );
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.data",
        "empty object",
    );
    let parsed = parse_json("nothing", r#"{"data": []}"#);
    assert!(parsed.articles.is_empty());
    assert_one_problem(&parsed.problems, Severity::Warning, "$.data", "empty list");
    // A REST page past the end says so in its pagination: no problem.
    let parsed = parse_json(
        "past-the-end",
        r#"{"data": [], "meta": {"pagination": {"page": 3, "pageSize": 25, "pageCount": 2, "total": 40}}}"#,
    );
    assert_eq!(parsed.problems, []);
}

#[test]
fn an_article_whose_slug_or_key_is_over_its_limit_is_refused_naming_the_field() {
    let huge_slug = "s".repeat(5_000_000);
    let parsed = parse_value(
        "huge-slug",
        &json!({"title": "Huge slug", "slug": huge_slug, "blocks": []}),
    );
    assert!(parsed.articles.is_empty());
    let problem = assert_one_problem(&parsed.problems, Severity::Skipped, "$", "slug");
    assert!(problem.reason.contains("256"), "{problem}");
    let parsed = parse_value(
        "huge-key",
        &json!({"documentId": "d".repeat(70_000), "title": "Huge key", "blocks": []}),
    );
    assert!(parsed.articles.is_empty());
    assert_one_problem(&parsed.problems, Severity::Skipped, "$", "key");
}

#[test]
fn fields_over_their_limits_are_cut_with_a_warning_naming_them() {
    let parsed = parse_value(
        "long-fields",
        &json!({
            "title": "T".repeat(10_000),
            "category": {"name": "C".repeat(10_000)},
            "blocks": [{"__component": "shared.rich-text", "body": format!("## {}\n\nText.", "H".repeat(10_000))},
                       {"__component": "shared.media", "file": {"url": format!("https://cdn.example.com/{}", "u".repeat(5_000)), "alternativeText": "A".repeat(5_000)}}]
        }),
    );
    let article = &parsed.articles[0];
    assert_eq!(article.title.chars().count(), 500);
    assert_eq!(article.category.as_deref().unwrap().chars().count(), 200);
    let heading = of_kind(article, PieceKind::Heading)[0];
    assert_eq!(heading.text.chars().count(), 500);
    assert!(heading.anchor.len() <= 200);
    let media = of_kind(article, PieceKind::Media)[0];
    assert_eq!(media.media.as_ref().unwrap().url, None);
    assert!(media.text.chars().count() <= 1_000);
    let reasons: Vec<&str> = parsed
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| p.reason.as_str())
        .collect();
    for expected in [
        "title cut",
        "category cut",
        "heading cut",
        "anchor cut",
        "media URL",
        "alt text cut",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(expected)),
            "{expected}: {reasons:?}"
        );
    }
}
