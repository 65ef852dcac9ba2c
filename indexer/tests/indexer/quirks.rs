//! The quirks of the real CMS export this product was made from (see
//! `seed.rs`), in an article of our own writing
//! (`fixtures/quirks/delivery-team-roles.json`), so they are tested on every
//! clone: a bare component list with no title, bold pseudo-headings, a table
//! in its own component continuing the heading of the component before it,
//! an image in its own component under the heading that ended the previous
//! one, and three comparison tables keyed by their columns.

use indexer::{Article, Piece, PieceKind};

use crate::util::*;

const COMPARISON_HEADERS: [&str; 4] = ["Role", "Focus", "Responsibilities", "Core Outputs"];

fn article() -> Article {
    only_article(read_fixture("quirks/delivery-team-roles.json"))
}

fn headers(row: &Piece) -> Vec<&str> {
    row.cells.iter().map(|(h, _)| h.as_str()).collect()
}

fn subject(row: &Piece) -> &str {
    &row.cells[0].1
}

#[test]
fn a_bare_component_list_without_a_title_is_titled_by_its_first_heading() {
    let article = article();
    assert_eq!(article.slug, "delivery-team-roles");
    assert_eq!(article.key, "delivery-team-roles");
    assert_eq!(article.title, "1. Why Delivery Teams Argue About Titles");
    assert_eq!(article.pieces[0].kind, PieceKind::Title);
    let positions: Vec<u32> = article.pieces.iter().map(|p| p.position).collect();
    assert_eq!(
        positions,
        (0..article.pieces.len() as u32).collect::<Vec<_>>()
    );
    assert_eq!(of_kind(&article, PieceKind::Media).len(), 1);
    assert_eq!(of_kind(&article, PieceKind::TableRow).len(), 12);
}

#[test]
fn bold_questions_are_headings_with_github_anchors_and_cover_their_answers() {
    let article = article();

    let po = piece(&article, "What does a Product Owner do?");
    assert_eq!(po.kind, PieceKind::Heading);
    assert_eq!(po.anchor, "what-does-a-product-owner-do");
    assert_eq!(
        path(po),
        [
            "2. The People on a Delivery Team",
            "What does a Product Owner do?"
        ]
    );
    assert_eq!(main_roles(po), ["product-owner"]);
    let answer = &article.pieces[po.position as usize + 1];
    assert_eq!(answer.kind, PieceKind::Paragraph);
    assert_eq!(answer.anchor, "what-does-a-product-owner-do");
    assert_eq!(answer.heading_path, po.heading_path);
    assert_eq!(main_roles(answer), ["product-owner"]);

    let lead = piece(&article, "What does a Tech Lead do?");
    assert_eq!(lead.kind, PieceKind::Heading);
    assert_eq!(
        path(lead),
        [
            "2. The People on a Delivery Team",
            "Other Roles Around the Team",
            "What does a Tech Lead do?"
        ]
    );
    let lead_answer = &article.pieces[lead.position as usize + 1];
    assert_eq!(main_roles(lead_answer), ["tech-lead"]);

    // A bold line that is a sentence stays a paragraph.
    let motto = piece(&article, "Ship the smallest change that proves the idea.");
    assert_eq!(motto.kind, PieceKind::Paragraph);
    for heading in of_kind(&article, PieceKind::Heading) {
        assert!(!heading.text.ends_with('.'), "{heading:?}");
    }
}

#[test]
fn a_table_in_its_own_component_continues_the_heading_of_the_component_before() {
    let article = article();
    let rows: Vec<&Piece> = of_kind(&article, PieceKind::TableRow)
        .into_iter()
        .filter(|r| headers(r).contains(&"Main Concern"))
        .collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        assert_eq!(
            path(row),
            [
                "2. The People on a Delivery Team",
                "Other Roles Around the Team"
            ],
            "{row:?}"
        );
        assert_eq!(row.anchor, "other-roles-around-the-team");
        assert_eq!(
            headers(row),
            ["Role", "Main Concern", "Typical Week", "Talks Most With"]
        );
    }
    let subjects: Vec<(&str, Vec<&str>)> =
        rows.iter().map(|r| (subject(r), main_roles(r))).collect();
    assert_eq!(
        subjects,
        [
            ("Scrum Master", vec!["scrum-master"]),
            ("Product Owner (PO)", vec!["product-owner"]),
            ("Tech Lead", vec!["tech-lead"]),
            ("Engineering Manager", vec!["engineering-manager"]),
            ("UX Researcher", vec!["ux-researcher"]),
        ]
    );
}

#[test]
fn an_image_in_its_own_component_sits_under_the_heading_that_ended_the_one_before() {
    let article = article();
    let media = of_kind(&article, PieceKind::Media);
    let image = media[0];
    assert_eq!(path(image), ["5. How the Roles Fit Together"]);
    assert_eq!(image.anchor, "5-how-the-roles-fit-together");
    let file = image
        .media
        .as_ref()
        .expect("the media piece keeps its file");
    assert_eq!(file.name.as_deref(), Some("delivery-team-venn.png"));
    assert!(file
        .url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://")));
    assert_eq!(file.caption, None);
    assert_eq!(Some(image.text.as_str()), file.alt.as_deref());
    let heading = &article.pieces[image.position as usize - 1];
    assert_eq!(heading.kind, PieceKind::Heading);
    assert_eq!(heading.text, "5. How the Roles Fit Together");
}

#[test]
fn three_comparison_tables_key_rows_by_their_columns_under_their_own_headings() {
    let article = article();
    let rows: Vec<&Piece> = of_kind(&article, PieceKind::TableRow)
        .into_iter()
        .filter(|r| headers(r) == COMPARISON_HEADERS)
        .collect();
    let found: Vec<(&str, &str, Vec<&str>)> = rows
        .iter()
        .map(|r| (r.anchor.as_str(), subject(r), main_roles(r)))
        .collect();
    let sm_po = "scrum-master-vs-product-owner";
    let tl_em = "tech-lead-vs-engineering-manager";
    let three = "ux-researcher-vs-data-scientist-vs-product-owner";
    assert_eq!(
        found,
        [
            (sm_po, "Scrum Master", vec!["scrum-master"]),
            (sm_po, "Product Owner (PO)", vec!["product-owner"]),
            (tl_em, "Tech Lead", vec!["tech-lead"]),
            (tl_em, "Engineering Manager", vec!["engineering-manager"]),
            (three, "UX Researcher", vec!["ux-researcher"]),
            (three, "Data Scientist", vec!["data-scientist"]),
            (three, "Product Owner (PO)", vec!["product-owner"]),
        ]
    );
    for row in rows {
        assert_eq!(path(row)[0], "3. Where the Lines Blur");
        let expected: Vec<String> = row.cells.iter().map(|(h, c)| format!("{h}: {c}")).collect();
        assert_eq!(row.text, expected.join(" · "));
        assert!(row.cells.iter().all(|(_, c)| !c.is_empty()));
        // The row's other roles are mentions, never main.
        assert_eq!(main_roles(row).len(), 1, "{row:?}");
    }
}
