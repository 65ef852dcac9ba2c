//! Strapi 5 "blocks" rich text (the editor's JSON tree) read exactly like
//! the equivalent markdown.

use indexer::{Article, PieceKind, Severity, MAX_BODY_BYTES};
use serde_json::{json, Value};

use crate::util::*;

fn blocks_article(body: Value) -> Article {
    article_with_blocks(json!([{"__component": "shared.rich-text", "body": body}]))
}

fn text(t: &str) -> Value {
    json!({"type": "text", "text": t})
}

fn paragraph(children: Value) -> Value {
    json!({"type": "paragraph", "children": children})
}

#[test]
fn a_blocks_body_yields_the_same_pieces_as_the_equivalent_markdown() {
    let from_markdown = only_article(read_fixture("blocks/analyst-markdown.json"));
    let from_blocks = only_article(read_fixture("blocks/analyst-blocks.json"));

    assert_eq!(from_blocks.pieces, from_markdown.pieces);
    assert_eq!(from_blocks.roles, from_markdown.roles);

    // And those pieces are the right ones.
    assert_eq!(
        kinds_and_texts(&from_blocks),
        [
            (PieceKind::Heading, "What a business analyst does"),
            (
                PieceKind::Paragraph,
                "A Business Analyst turns loose requests into clear requirements. See the checklist for the basics."
            ),
            (PieceKind::Heading, "Where do they sit?"),
            (
                PieceKind::Paragraph,
                "Usually beside the delivery team, close to the Product Owner."
            ),
            (PieceKind::Heading, "Typical week"),
            (PieceKind::ListItem, "Workshops with stakeholders"),
            (PieceKind::ListItem, "Mapping the current process"),
            (PieceKind::ListItem, "Listing the edge cases"),
            (PieceKind::ListItem, "Writing acceptance criteria"),
            (PieceKind::ListItem, "Gather"),
            (PieceKind::ListItem, "Model"),
            (PieceKind::ListItem, "Draw the flow"),
            (PieceKind::ListItem, "Confirm"),
            (
                PieceKind::Quote,
                "Ask why three times before writing anything down."
            ),
            (
                PieceKind::Paragraph,
                "given a refund over 500 then a manager approves it"
            ),
            (
                PieceKind::Media,
                "A swimlane diagram of a refund process — The refund flow after the workshop"
            ),
            (PieceKind::Heading, "Handover notes"),
            (
                PieceKind::Paragraph,
                "The BA hands the agreed flow to the team."
            ),
        ]
    );
    let sit = piece(&from_blocks, "Where do they sit?");
    assert_eq!(
        path(sit),
        ["What a business analyst does", "Where do they sit?"]
    );
    assert_eq!(
        path(piece(&from_blocks, "Draw the flow")),
        ["What a business analyst does", "Typical week"]
    );
    assert_eq!(
        path(piece(
            &from_blocks,
            "The BA hands the agreed flow to the team."
        )),
        [
            "What a business analyst does",
            "Typical week",
            "Handover notes"
        ]
    );
    let media = piece(
        &from_blocks,
        "A swimlane diagram of a refund process — The refund flow after the workshop",
    )
    .media
    .as_ref()
    .expect("media");
    assert_eq!(
        media.url.as_deref(),
        Some("/uploads/refund_swimlane_9d8c7b.png")
    );
    assert_eq!(
        media.caption.as_deref(),
        Some("The refund flow after the workshop")
    );
}

#[test]
fn a_heading_block_keeps_its_level() {
    let article = blocks_article(json!([
        {"type": "heading", "level": 1, "children": [text("Top")]},
        {"type": "heading", "level": 4, "children": [text("Deep")]},
        {"type": "heading", "level": 2, "children": [text("Back up")]},
        {"type": "heading", "children": [text("No level given")]}
    ]));
    let paths: Vec<Vec<&str>> = body(&article).iter().map(path).collect();
    assert_eq!(
        paths,
        [
            vec!["Top"],
            vec!["Top", "Deep"],
            vec!["Top", "Back up"],
            vec!["Top", "No level given"],
        ]
    );
}

#[test]
fn words_in_blocks_text_never_become_markup() {
    let article = blocks_article(json!([
        paragraph(json!([text(
            "# not a heading, *not emphasis* and [not](a-link)"
        )])),
        paragraph(json!([text("1. not a list")])),
        paragraph(json!([text("- not a bullet either")])),
        paragraph(json!([text("> not a quote")])),
        paragraph(json!([text(
            "Tags like <b>this</b> stay as typed & so do entities like &amp;"
        )]))
    ]));
    assert_eq!(
        kinds_and_texts(&article),
        [
            (
                PieceKind::Paragraph,
                "# not a heading, *not emphasis* and [not](a-link)"
            ),
            (PieceKind::Paragraph, "1. not a list"),
            (PieceKind::Paragraph, "- not a bullet either"),
            (PieceKind::Paragraph, "> not a quote"),
            (
                PieceKind::Paragraph,
                "Tags like <b>this</b> stay as typed & so do entities like &amp;"
            ),
        ]
    );
}

#[test]
fn bold_italic_code_and_link_text_reads_as_plain_words() {
    let article = blocks_article(json!([paragraph(json!([
        {"type": "text", "text": "Bold ", "bold": true},
        {"type": "text", "text": "italic", "italic": true},
        text(" and "),
        {"type": "text", "text": "both", "bold": true, "italic": true},
        text(", "),
        {"type": "text", "text": "a `tick` in code", "code": true},
        text(" and "),
        {"type": "link", "url": "https://example.com/a b", "children": [
            {"type": "text", "text": "a bold link", "bold": true}
        ]},
        text(".")
    ]))]));
    assert_eq!(
        kinds_and_texts(&article),
        [(
            PieceKind::Paragraph,
            "Bold italic and both, a `tick` in code and a bold link."
        )]
    );
}

#[test]
fn a_bold_only_paragraph_block_is_a_heading_like_its_markdown() {
    let article = blocks_article(json!([
        {"type": "heading", "level": 2, "children": [text("Interview questions")]},
        paragraph(json!([{"type": "text", "text": "Tell me about a hard trade-off", "bold": true}])),
        paragraph(json!([text("Pick a real one and explain what you gave up.")]))
    ]));
    let answer = piece(&article, "Pick a real one and explain what you gave up.");
    assert_eq!(
        path(answer),
        ["Interview questions", "Tell me about a hard trade-off"]
    );
    assert_eq!(answer.anchor, "tell-me-about-a-hard-trade-off");
}

#[test]
fn an_unknown_block_type_is_skipped_with_a_warning() {
    let parsed = parse_value(
        "blocks",
        &json!({
            "title": "Blocks",
            "blocks": [{"__component": "shared.rich-text", "body": [
                paragraph(json!([text("Kept.")])),
                {"type": "table", "children": []},
                paragraph(json!([text("Also kept.")]))
            ]}]
        }),
    );
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Warning,
        "$.blocks[0].body[1]",
        "\"table\"",
    );
    assert_eq!(problem.source, "blocks.json");
    assert_eq!(
        kinds_and_texts(&parsed.articles[0]),
        [
            (PieceKind::Paragraph, "Kept."),
            (PieceKind::Paragraph, "Also kept.")
        ]
    );
}

#[test]
fn a_blocks_heading_with_a_level_out_of_range_skips_the_article_naming_the_level() {
    let parsed = parse_value(
        "levels",
        &json!({
            "title": "Levels",
            "blocks": [{"__component": "shared.rich-text", "body": [
                {"type": "heading", "level": 9, "children": [text("Too deep")]}
            ]}]
        }),
    );
    assert!(parsed.articles.is_empty());
    assert_one_problem(
        &parsed.problems,
        Severity::Skipped,
        "$.blocks[0].body[0].level",
        "from 1 to 6",
    );
}

#[test]
fn leading_spaces_in_a_blocks_paragraph_do_not_change_its_text() {
    let article = blocks_article(json!([
        paragraph(json!([text("    Indented first line (with a note)!")])),
        paragraph(json!([text("First line.\n\n    Second line, indented.")]))
    ]));
    let texts: Vec<&str> = body(&article).iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Indented first line (with a note)!",
            "First line.",
            "Second line, indented."
        ]
    );
}

#[test]
fn bold_text_next_to_a_word_never_leaves_asterisks() {
    let article = blocks_article(json!([
        paragraph(json!([
            text("Release"),
            {"type": "text", "text": "(beta)", "bold": true},
            text(" notes")
        ])),
        paragraph(json!([
            {"type": "text", "text": "Done!", "bold": true},
            text("Next step")
        ])),
        paragraph(json!([
            text("产品负责人"),
            {"type": "text", "text": "（PO）", "bold": true},
            text("负责待办列表。")
        ]))
    ]));
    let texts: Vec<&str> = body(&article).iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Release(beta) notes",
            "Done!Next step",
            "产品负责人（PO）负责待办列表。"
        ]
    );
}

#[test]
fn a_blocks_body_over_one_mebibyte_is_cut_with_a_warning() {
    let sentence = "A filler sentence to make the blocks body large. ";
    let count = MAX_BODY_BYTES / sentence.len() + 10;
    let nodes: Vec<Value> = (0..count)
        .map(|i| paragraph(json!([text(&format!("{sentence}{i}"))])))
        .collect();
    let parsed = parse_value(
        "huge-blocks",
        &json!({
            "title": "Huge blocks",
            "blocks": [{"__component": "shared.rich-text", "body": nodes}]
        }),
    );
    assert_eq!(parsed.articles.len(), 1);
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Warning,
        "$.blocks[0].body",
        "cut to the first",
    );
    assert_eq!(problem.source, "huge-blocks.json");
}
