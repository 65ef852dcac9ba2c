//! Markdown rich text into pieces: kinds, plain text, heading paths and
//! anchors, bold pseudo-headings, tables, lists, images, HTML, deep nesting
//! and oversized bodies.

use std::collections::HashSet;

use indexer::{Media, PieceKind, Severity, MAX_BODY_BYTES};
use serde_json::json;

use crate::util::*;

/// Runs `f` on a thread with a 256 KiB stack: it fails (aborts the test
/// binary) if reading recurses once per nesting level.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .name("small-stack".into())
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the reader finished on a small stack")
}

#[test]
fn one_article_yields_every_kind_of_piece() {
    let article = markdown_article(
        "## Heading\n\nA paragraph.\n\n- A list item\n\n| Column | Other |\n|---|---|\n| Cell | More |\n\n![An image](/uploads/i.png)\n\n> A quote.\n",
    );

    let kinds: HashSet<PieceKind> = article.pieces.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, PieceKind::ALL.into_iter().collect());
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Heading"),
            (PieceKind::Paragraph, "A paragraph."),
            (PieceKind::ListItem, "A list item"),
            (PieceKind::TableRow, "Column: Cell · Other: More"),
            (PieceKind::Media, "An image"),
            (PieceKind::Quote, "A quote."),
        ]
    );
    for kind in PieceKind::ALL {
        assert_eq!(PieceKind::parse(kind.as_str()), Some(kind));
    }
}

#[test]
fn markdown_and_inline_html_are_stripped_to_plain_text() {
    let article = markdown_article(
        "A **bold** and *italic* word, `code`, a [link](https://example.com/guide) and <em>emphasis</em>, ~~struck~~ too.",
    );
    assert_eq!(
        kinds_and_texts(&article),
        [(
            PieceKind::Paragraph,
            "A bold and italic word, code, a link and emphasis, struck too."
        )]
    );
}

#[test]
fn entities_are_decoded_whitespace_is_folded_and_zero_width_characters_removed() {
    let article = markdown_article(
        "Fish &amp; chips&nbsp;for   two &#8212; the <span>R&amp;D</span> team\nplans the back\u{200B}log\u{FEFF} with  care.",
    );
    assert_eq!(
        kinds_and_texts(&article),
        [(
            PieceKind::Paragraph,
            "Fish & chips for two — the R&D team plans the backlog with care."
        )]
    );
}

#[test]
fn html_in_markdown_is_text_and_a_script_body_never_becomes_markup() {
    let article = markdown_article(
        "<script>\nalert(\"owned\");\n</script>\n\nBefore <script>steal()</script> after.\n\n<div>\n<p>Inside a <strong>div</strong> block</p>\n</div>\n",
    );
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Paragraph, "alert(\"owned\");"),
            (PieceKind::Paragraph, "Before steal() after."),
            (PieceKind::Paragraph, "Inside a div block"),
        ]
    );
    for p in &article.pieces {
        assert!(!p.text.contains('<') && !p.text.contains('>'), "{p:?}");
    }
}

#[test]
fn headings_nest_into_a_path_outermost_first() {
    let article = markdown_article(
        "# Guide\n\nIntro.\n\n## Part one\n\n### Detail\n\nDeep text.\n\n## Part two\n\nSecond part text.",
    );

    let paths: Vec<(&str, Vec<&str>)> = body(&article)
        .iter()
        .map(|p| (p.text.as_str(), path(p)))
        .collect();
    assert_eq!(
        paths,
        [
            ("Guide", vec!["Guide"]),
            ("Intro.", vec!["Guide"]),
            ("Part one", vec!["Guide", "Part one"]),
            ("Detail", vec!["Guide", "Part one", "Detail"]),
            ("Deep text.", vec!["Guide", "Part one", "Detail"]),
            ("Part two", vec!["Guide", "Part two"]),
            ("Second part text.", vec!["Guide", "Part two"]),
        ]
    );
    assert_eq!(piece(&article, "Deep text.").heading(), Some("Detail"));
    assert!(article.pieces[0].heading_path.is_empty());
}

#[test]
fn each_piece_anchors_to_its_nearest_heading_and_repeated_headings_get_numbered_anchors() {
    let article = markdown_article(
        "Before any heading.\n\n## Overview\n\nFirst.\n\n## Overview\n\nSecond.\n\n## Overview\n\nThird.\n\n## Overview 1\n\nFourth.\n\n## What is a Product Owner (PO)?\n\nFifth.",
    );

    let anchors: Vec<(&str, &str)> = body(&article)
        .iter()
        .map(|p| (p.text.as_str(), p.anchor.as_str()))
        .collect();
    assert_eq!(
        anchors,
        [
            ("Before any heading.", ""),
            ("Overview", "overview"),
            ("First.", "overview"),
            ("Overview", "overview-1"),
            ("Second.", "overview-1"),
            ("Overview", "overview-2"),
            ("Third.", "overview-2"),
            ("Overview 1", "overview-1-1"),
            ("Fourth.", "overview-1-1"),
            (
                "What is a Product Owner (PO)?",
                "what-is-a-product-owner-po"
            ),
            ("Fifth.", "what-is-a-product-owner-po"),
        ]
    );
    assert_eq!(article.pieces[0].anchor, "");
}

#[test]
fn positions_count_up_from_zero_at_the_title() {
    let article = markdown_article("## A\n\nOne.\n\n- Two\n- Three\n\n> Four.");
    let positions: Vec<u32> = article.pieces.iter().map(|p| p.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4, 5]);
    assert_eq!(article.pieces[0].kind, PieceKind::Title);
    assert_eq!(article.pieces[0].text, "Fixture");
}

#[test]
fn a_bold_only_paragraph_is_a_heading_for_what_follows_until_the_next_heading() {
    let article = markdown_article(
        "## Roles\n\n**The Product Owner**\n\nOrders the backlog.\n\nAlso writes stories.\n\n## Next\n\nAfter.",
    );

    let bold = piece(&article, "The Product Owner");
    assert_eq!(bold.kind, PieceKind::Heading);
    assert_eq!(path(bold), ["Roles", "The Product Owner"]);
    assert_eq!(bold.anchor, "the-product-owner");
    for text in ["Orders the backlog.", "Also writes stories."] {
        let p = piece(&article, text);
        assert_eq!(p.kind, PieceKind::Paragraph);
        assert_eq!(path(p), ["Roles", "The Product Owner"], "{text}");
        assert_eq!(p.anchor, "the-product-owner");
    }
    assert_eq!(path(piece(&article, "After.")), ["Next"]);
}

#[test]
fn a_bold_line_that_leads_a_paragraph_is_a_heading_for_that_paragraph() {
    let article = markdown_article(
        "## Roles\n\n**What does a PO do?**\nOrders the backlog and answers questions.\n\nThis paragraph is back under the real heading.",
    );

    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Roles"),
            (PieceKind::Heading, "What does a PO do?"),
            (
                PieceKind::Paragraph,
                "Orders the backlog and answers questions."
            ),
            (
                PieceKind::Paragraph,
                "This paragraph is back under the real heading."
            ),
        ]
    );
    let answer = piece(&article, "Orders the backlog and answers questions.");
    assert_eq!(path(answer), ["Roles", "What does a PO do?"]);
    assert_eq!(answer.anchor, "what-does-a-po-do");
    let after = piece(&article, "This paragraph is back under the real heading.");
    assert_eq!(path(after), ["Roles"]);
    assert_eq!(after.anchor, "roles");
}

#[test]
fn a_bold_line_followed_by_a_hard_break_also_leads_its_paragraph() {
    let article = markdown_article("**Who signs off?**  \nThe sponsor does.");
    let answer = piece(&article, "The sponsor does.");
    assert_eq!(path(answer), ["Who signs off?"]);
    assert_eq!(piece(&article, "Who signs off?").kind, PieceKind::Heading);
}

#[test]
fn a_bold_line_ending_in_a_period_or_like_a_sentence_is_not_a_heading() {
    let long = "Long ".repeat(40);
    let article = markdown_article(&format!(
        "## Notes\n\n**PM = direction. PO = execution.**\n\n**Keep going!**\n\n**{long}**\n\n**Mostly bold** but not all.\n\nText."
    ));

    assert_eq!(of_kind(&article, PieceKind::Heading).len(), 1);
    for p in body(&article).iter().skip(1) {
        assert_eq!(p.kind, PieceKind::Paragraph, "{p:?}");
        assert_eq!(path(p), ["Notes"], "{p:?}");
    }
    assert_eq!(
        piece(&article, "PM = direction. PO = execution.").kind,
        PieceKind::Paragraph
    );
}

#[test]
fn a_bold_line_inside_a_list_item_or_quote_is_not_a_heading() {
    let article = markdown_article("- **Bold item**\n- Plain item\n\n> **Bold quote**");
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::ListItem, "Bold item"),
            (PieceKind::ListItem, "Plain item"),
            (PieceKind::Quote, "Bold quote"),
        ]
    );
}

#[test]
fn a_bold_heading_does_not_reach_into_the_next_component() {
    let article = article_with_blocks(json!([
        {"__component": "shared.rich-text", "body": "## Real heading\n\n**Pseudo heading**\n\nUnder the pseudo heading."},
        {"__component": "shared.rich-text", "body": "Next component text."}
    ]));

    assert_eq!(
        path(piece(&article, "Under the pseudo heading.")),
        ["Real heading", "Pseudo heading"]
    );
    let next = piece(&article, "Next component text.");
    assert_eq!(path(next), ["Real heading"]);
    assert_eq!(next.anchor, "real-heading");
}

#[test]
fn a_real_heading_replaces_a_bold_heading_at_any_level() {
    let article = markdown_article("## Section\n\n**Pseudo**\n\nText.\n\n### Subsection\n\nMore.");
    assert_eq!(path(piece(&article, "Text.")), ["Section", "Pseudo"]);
    assert_eq!(
        path(piece(&article, "Subsection")),
        ["Section", "Subsection"]
    );
    assert_eq!(path(piece(&article, "More.")), ["Section", "Subsection"]);
}

#[test]
fn a_table_row_keys_its_cells_by_the_column_headers_and_the_header_row_is_not_a_piece() {
    let article = markdown_article(
        "## Comparison\n\n| Role | Focus | Works with |\n|---|---|---|\n| **Product Owner** | The *backlog* | Team, `BA` |\n| Scrum Master | Flow | Everyone |\n",
    );

    let rows = of_kind(&article, PieceKind::TableRow);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].text,
        "Role: Product Owner · Focus: The backlog · Works with: Team, BA"
    );
    assert_eq!(
        cells(rows[0]),
        [
            ("Role", "Product Owner"),
            ("Focus", "The backlog"),
            ("Works with", "Team, BA")
        ]
    );
    assert_eq!(
        cells(rows[1]),
        [
            ("Role", "Scrum Master"),
            ("Focus", "Flow"),
            ("Works with", "Everyone")
        ]
    );
    for row in &rows {
        assert_eq!(path(row), ["Comparison"]);
        assert_eq!(row.anchor, "comparison");
    }
    assert_eq!(article.pieces.len(), 4, "title, heading and two rows");
    // Only rows carry cells.
    assert!(article
        .pieces
        .iter()
        .filter(|p| p.kind != PieceKind::TableRow)
        .all(|p| p.cells.is_empty()));
}

#[test]
fn ragged_table_rows_keep_the_cells_they_have() {
    let article = markdown_article(
        "| Stage | Owner | Output |\n|---|---|---|\n| Discovery | Product lead | Insights | an extra cell |\n| Delivery |\n| | Team | Increment |\n",
    );

    let rows: Vec<(&str, Vec<(&str, &str)>)> = of_kind(&article, PieceKind::TableRow)
        .into_iter()
        .map(|r| (r.text.as_str(), cells(r)))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Stage: Discovery · Owner: Product lead · Output: Insights",
                vec![
                    ("Stage", "Discovery"),
                    ("Owner", "Product lead"),
                    ("Output", "Insights")
                ]
            ),
            ("Stage: Delivery", vec![("Stage", "Delivery")]),
            (
                "Owner: Team · Output: Increment",
                vec![("Owner", "Team"), ("Output", "Increment")]
            ),
        ]
    );
}

#[test]
fn a_column_without_a_header_is_named_by_its_number_and_reads_as_a_row_label() {
    let article = markdown_article(
        "| | Product Owner | Scrum Master |\n|---|---|---|\n| Owns | Backlog | Process |\n",
    );
    let row = &of_kind(&article, PieceKind::TableRow)[0];
    assert_eq!(
        cells(row),
        [
            ("Column 1", "Owns"),
            ("Product Owner", "Backlog"),
            ("Scrum Master", "Process")
        ]
    );
    assert_eq!(
        row.text,
        "Owns · Product Owner: Backlog · Scrum Master: Process"
    );
}

#[test]
fn a_middle_column_without_a_header_is_named_by_its_number() {
    let article =
        markdown_article("| Stage | | Output |\n|---|---|---|\n| Build | Team | Increment |\n");
    let row = &of_kind(&article, PieceKind::TableRow)[0];
    assert_eq!(
        row.text,
        "Stage: Build · Column 2: Team · Output: Increment"
    );
}

#[test]
fn a_table_with_only_a_header_row_makes_no_pieces() {
    let article =
        markdown_article("## Empty table\n\n| Role | Focus |\n|---|---|\n\nAfter the table.");
    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Empty table"),
            (PieceKind::Paragraph, "After the table."),
        ]
    );
}

#[test]
fn a_table_row_inherits_the_heading_above_its_table_even_in_its_own_component() {
    let article = article_with_blocks(json!([
        {"__component": "shared.rich-text", "body": "## Pricing tiers\n\nThree tiers exist.\n\n### Tier table\n"},
        {"__component": "shared.rich-text", "body": "| Tier | Price |\n|---|---|\n| Basic | Free |\n| Team | Paid |\n"},
        {"__component": "shared.rich-text", "body": "## Next section\n\nUnrelated."}
    ]));

    for row in of_kind(&article, PieceKind::TableRow) {
        assert_eq!(path(row), ["Pricing tiers", "Tier table"]);
        assert_eq!(row.anchor, "tier-table");
    }
    assert_eq!(path(piece(&article, "Unrelated.")), ["Next section"]);
}

#[test]
fn an_image_after_a_component_that_ended_with_a_heading_belongs_under_that_heading() {
    let article = article_with_blocks(json!([
        {"__component": "shared.rich-text", "body": "## Team shapes\n\nSquads and chapters.\n\n## The triad\n"},
        {"__component": "shared.media", "file": {
            "name": "triad.png", "url": "/uploads/triad_5e6f.png",
            "alternativeText": "Three overlapping circles", "caption": null
        }}
    ]));

    let media = piece(&article, "Three overlapping circles");
    assert_eq!(media.kind, PieceKind::Media);
    assert_eq!(path(media), ["The triad"]);
    assert_eq!(media.anchor, "the-triad");
}

#[test]
fn nested_list_items_are_pieces_and_a_parent_comes_before_its_children() {
    let article = markdown_article(
        "## Sprint\n\n- Plan the sprint\n  - Pick a goal\n    - Write it on the board\n  - Pull in stories\n- Run the sprint\n\n1. First step\n2. Second step\n   - A bullet inside\n3. Third step\n",
    );

    let items: Vec<&str> = body(&article)
        .iter()
        .filter(|p| p.kind == PieceKind::ListItem)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(
        items,
        [
            "Plan the sprint",
            "Pick a goal",
            "Write it on the board",
            "Pull in stories",
            "Run the sprint",
            "First step",
            "Second step",
            "A bullet inside",
            "Third step",
        ]
    );
    assert_eq!(path(piece(&article, "Write it on the board")), ["Sprint"]);
}

#[test]
fn a_list_item_of_several_paragraphs_is_one_piece() {
    let article = markdown_article(
        "- First paragraph of the item.\n\n  Second paragraph of the same item.\n- Next item",
    );
    assert_eq!(
        kinds_and_texts(&article),
        [
            (
                PieceKind::ListItem,
                "First paragraph of the item. Second paragraph of the same item."
            ),
            (PieceKind::ListItem, "Next item"),
        ]
    );
}

#[test]
fn a_list_nested_ten_thousand_levels_deep_does_not_overflow_a_small_stack() {
    let markdown = format!("{}deepest item", "- ".repeat(10_000));
    let article = on_small_stack(move || markdown_article(&markdown));
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::ListItem, "deepest item")]
    );
}

#[test]
fn a_quote_nested_ten_thousand_levels_deep_does_not_overflow_a_small_stack() {
    let markdown = format!("{}deepest quote", "> ".repeat(10_000));
    let article = on_small_stack(move || markdown_article(&markdown));
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::Quote, "deepest quote")]
    );
}

#[test]
fn lists_and_quotes_nested_alternately_ten_thousand_deep_do_not_overflow_a_small_stack() {
    let markdown = format!("{}bottom of the well", "- > ".repeat(5_000));
    let article = on_small_stack(move || markdown_article(&markdown));
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::ListItem, "bottom of the well")]
    );
}

#[test]
fn an_image_is_a_media_piece_with_its_title_as_caption() {
    let article = markdown_article(
        "## Planning\n\n![Team at the board](/uploads/board_3f2a.png \"Planning day\")\n\nSee ![the burn-up chart](https://cdn.example.com/charts/burnup.png) below.",
    );

    assert_eq!(
        kinds_and_texts(&article),
        [
            (PieceKind::Heading, "Planning"),
            (PieceKind::Media, "Team at the board — Planning day"),
            (PieceKind::Paragraph, "See the burn-up chart below."),
            (PieceKind::Media, "the burn-up chart"),
        ]
    );
    assert_eq!(
        piece(&article, "Team at the board — Planning day").media,
        Some(Media {
            name: Some("board_3f2a.png".into()),
            url: Some("/uploads/board_3f2a.png".into()),
            alt: Some("Team at the board".into()),
            caption: Some("Planning day".into()),
        })
    );
    assert_eq!(path(piece(&article, "the burn-up chart")), ["Planning"]);
}

#[test]
fn a_code_block_is_a_paragraph_of_its_code() {
    let article = markdown_article("```text\ngiven a new user\nwhen they sign up\n```");
    assert_eq!(
        kinds_and_texts(&article),
        [(PieceKind::Paragraph, "given a new user when they sign up")]
    );
}

#[test]
fn a_markdown_body_over_one_mebibyte_is_cut_with_a_warning() {
    let mut markdown = String::from("Opening paragraph.\n\n");
    while markdown.len() + 64 < MAX_BODY_BYTES {
        markdown.push_str("A filler sentence to make the body large.\n\n");
    }
    while markdown.len() < MAX_BODY_BYTES - 1 {
        markdown.push('x');
    }
    // A two-byte character across the limit: the cut must not split it.
    markdown.push('é');
    markdown.push_str("\n\nTAIL MARKER past the limit.");
    let total = markdown.len();

    let parsed = parse_value(
        "huge",
        &json!({
            "title": "Huge",
            "blocks": [{"__component": "shared.rich-text", "body": markdown}]
        }),
    );

    assert_eq!(parsed.articles.len(), 1);
    let problem = assert_one_problem(
        &parsed.problems,
        Severity::Warning,
        "$.blocks[0].body",
        &format!("cut to the first {MAX_BODY_BYTES} bytes"),
    );
    assert!(problem.reason.contains(&total.to_string()), "{problem}");
    let article = &parsed.articles[0];
    assert_eq!(article.pieces[1].text, "Opening paragraph.");
    let last = article.pieces.last().expect("pieces");
    assert!(
        last.text.chars().all(|c| c == 'x'),
        "{:?}",
        &last.text[..20]
    );
    assert!(article
        .pieces
        .iter()
        .all(|p| !p.text.contains("TAIL MARKER")));
}

#[test]
fn a_body_of_exactly_one_mebibyte_is_not_cut() {
    let mut markdown = String::from("Start.\n\n");
    while markdown.len() < MAX_BODY_BYTES {
        markdown.push('y');
    }
    let parsed = parse_value(
        "limit",
        &json!({
            "title": "At the limit",
            "blocks": [{"__component": "shared.rich-text", "body": markdown}]
        }),
    );
    assert_eq!(parsed.problems, []);
    assert_eq!(parsed.articles[0].pieces.len(), 3);
}

#[test]
fn a_bold_line_that_leads_an_image_covers_only_that_image() {
    let article = markdown_article(
        "## Real heading\n\n**Diagram**\n![The flow](/uploads/flow.png)\n\nA later paragraph.",
    );

    assert_eq!(
        path(piece(&article, "The flow")),
        ["Real heading", "Diagram"]
    );
    let later = piece(&article, "A later paragraph.");
    assert_eq!(path(later), ["Real heading"]);
    assert_eq!(later.anchor, "real-heading");
}

#[test]
fn a_bold_heading_under_a_level_six_heading_keeps_it_in_the_path() {
    let article = markdown_article("###### Fine print\n\n**Refunds**\n\nRefunds take five days.");

    assert_eq!(
        path(piece(&article, "Refunds take five days.")),
        ["Fine print", "Refunds"]
    );
}

#[test]
fn repeated_anchors_match_github_when_a_heading_looks_numbered() {
    let article = markdown_article("## Overview\n\n## Overview 1\n\n## Overview\n\n## Overview 1");
    let anchors: Vec<&str> = body(&article).iter().map(|p| p.anchor.as_str()).collect();
    // github-slugger (used by GitHub and rehype-slug) numbers each slug by
    // its own count of repeats.
    assert_eq!(
        anchors,
        ["overview", "overview-1", "overview-2", "overview-1-1"]
    );
}
