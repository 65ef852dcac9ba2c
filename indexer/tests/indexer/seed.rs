//! The real CMS export in `shared/seeds/`, read at run time (its text is not
//! copied into this repository): bold pseudo-headings, a table in its own
//! component, an image between components, and three comparison tables.
//!
//! These run only where `../shared/seeds/` is beside the repository; on a
//! clone without it each test says it was skipped (on stderr, which the test
//! harness does not capture) and passes. `quirks.rs` tests the same quirks
//! on an article of our own writing everywhere.

use std::io::Write;
use std::path::Path;

use indexer::{read_file, Article, Piece, PieceKind};

use crate::util::*;

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/seeds/product-roles-article.json"
);

const COMPARISON_HEADERS: [&str; 4] = ["Role", "Focus", "Responsibilities", "Core Outputs"];

/// The seed article, or `None` (saying so) where it is not beside the clone.
fn seed(test: &str) -> Option<Article> {
    let path = Path::new(SEED);
    if !path.is_file() {
        // Straight to the stream: the harness captures `eprintln!` of
        // passing tests, and a skip must show.
        let _ = writeln!(
            std::io::stderr(),
            "seed::{test} SKIPPED: no seed article at {SEED} (../shared/seeds/ is not beside this clone)"
        );
        return None;
    }
    Some(only_article(read_file(path, taxonomy())))
}

fn headers(row: &Piece) -> Vec<&str> {
    row.cells.iter().map(|(h, _)| h.as_str()).collect()
}

fn subject(row: &Piece) -> &str {
    &row.cells[0].1
}

#[test]
fn the_seed_is_a_bare_component_list_read_without_problems() {
    let Some(article) = seed("the_seed_is_a_bare_component_list_read_without_problems") else {
        return;
    };
    assert_eq!(article.slug, "product-roles-article");
    assert_eq!(article.key, "product-roles-article");
    // No title field: the first heading is the title.
    let first_heading = of_kind(&article, PieceKind::Heading)[0];
    assert_eq!(article.title, first_heading.text);
    assert_eq!(article.pieces[0].kind, PieceKind::Title);
    let positions: Vec<u32> = article.pieces.iter().map(|p| p.position).collect();
    assert_eq!(
        positions,
        (0..article.pieces.len() as u32).collect::<Vec<_>>()
    );
    assert_eq!(of_kind(&article, PieceKind::Media).len(), 1);
    assert_eq!(of_kind(&article, PieceKind::TableRow).len(), 17);
}

#[test]
fn the_seed_bold_questions_are_headings_with_github_anchors() {
    let Some(article) = seed("the_seed_bold_questions_are_headings_with_github_anchors") else {
        return;
    };

    let po = piece(&article, "What is a Product Owner (PO)?");
    assert_eq!(po.kind, PieceKind::Heading);
    assert_eq!(po.anchor, "what-is-a-product-owner-po");
    assert_eq!(
        path(po),
        [
            "2. Defining Product and Product-Adjacent Roles",
            "What is a Product Owner (PO)?"
        ]
    );
    assert_eq!(main_roles(po), ["product-owner"]);

    // The paragraph the bold line leads sits under it and is about the PO.
    let answer = &article.pieces[po.position as usize + 1];
    assert_eq!(answer.kind, PieceKind::Paragraph);
    assert_eq!(answer.anchor, "what-is-a-product-owner-po");
    assert_eq!(answer.heading_path, po.heading_path);
    assert_eq!(main_roles(answer), ["product-owner"]);

    let pm = piece(&article, "What is a Product Manager (PM)?");
    assert_eq!(pm.kind, PieceKind::Heading);
    assert_eq!(pm.anchor, "what-is-a-product-manager-pm");

    let ba = piece(&article, "What is a Business Analyst (BA)?");
    assert_eq!(ba.kind, PieceKind::Heading);
    assert_eq!(ba.anchor, "what-is-a-business-analyst-ba");
    assert_eq!(
        path(ba),
        [
            "2. Defining Product and Product-Adjacent Roles",
            "Other Product-Adjacent Roles Explained",
            "What is a Business Analyst (BA)?"
        ]
    );
    let ba_answer = &article.pieces[ba.position as usize + 1];
    assert_eq!(main_roles(ba_answer), ["business-analyst"]);

    // A bold line that is a sentence stays a paragraph.
    for heading in of_kind(&article, PieceKind::Heading) {
        assert!(!heading.text.ends_with('.'), "{heading:?}");
    }
}

#[test]
fn the_seed_quick_reference_table_sits_under_other_product_adjacent_roles_explained() {
    let Some(article) =
        seed("the_seed_quick_reference_table_sits_under_other_product_adjacent_roles_explained")
    else {
        return;
    };

    let rows: Vec<&Piece> = of_kind(&article, PieceKind::TableRow)
        .into_iter()
        .filter(|r| headers(r).contains(&"Primary Focus"))
        .collect();
    assert_eq!(rows.len(), 10);
    for row in &rows {
        assert_eq!(
            path(row),
            [
                "2. Defining Product and Product-Adjacent Roles",
                "Other Product-Adjacent Roles Explained"
            ],
            "{row:?}"
        );
        assert_eq!(row.anchor, "other-product-adjacent-roles-explained");
        assert_eq!(
            headers(row),
            [
                "Role",
                "Primary Focus",
                "Common Activities",
                "Works Closely With"
            ]
        );
    }
    let subjects: Vec<(&str, Vec<&str>)> =
        rows.iter().map(|r| (subject(r), main_roles(r))).collect();
    assert_eq!(
        subjects,
        [
            ("Product Manager (PM)", vec!["product-manager"]),
            ("Product Owner (PO)", vec!["product-owner"]),
            ("Product Analyst", vec!["product-analyst"]),
            ("Business Analyst (BA)", vec!["business-analyst"]),
            ("Project Manager", vec!["project-manager"]),
            ("Program Manager", vec!["program-manager"]),
            (
                "Product Marketing Manager (PMM)",
                vec!["product-marketing-manager"]
            ),
            ("Product Designer", vec!["product-designer"]),
            (
                "Associate Product Manager (APM)",
                vec!["associate-product-manager"]
            ),
            (
                "Sales Engineer / Product Specialist",
                vec!["sales-engineer"]
            ),
        ]
    );
}

#[test]
fn the_seed_venn_image_is_a_media_piece_under_how_these_roles_work_together() {
    let Some(article) =
        seed("the_seed_venn_image_is_a_media_piece_under_how_these_roles_work_together")
    else {
        return;
    };

    let media = of_kind(&article, PieceKind::Media);
    assert_eq!(media.len(), 1);
    let venn = media[0];
    assert_eq!(path(venn), ["5. How These Roles Work Together"]);
    assert_eq!(venn.anchor, "5-how-these-roles-work-together");
    let file = venn.media.as_ref().expect("the media piece keeps its file");
    let name = file.name.as_deref().expect("a file name");
    assert!(name.contains("venn"), "{name}");
    assert!(
        file.url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://")),
        "{file:?}"
    );
    assert_eq!(file.caption, None);
    assert_eq!(Some(venn.text.as_str()), file.alt.as_deref());
    // The heading it sits under comes right before it.
    let heading = &article.pieces[venn.position as usize - 1];
    assert_eq!(heading.kind, PieceKind::Heading);
    assert_eq!(heading.text, "5. How These Roles Work Together");
}

#[test]
fn the_seed_comparison_tables_key_rows_by_their_columns_under_the_right_headings() {
    let Some(article) =
        seed("the_seed_comparison_tables_key_rows_by_their_columns_under_the_right_headings")
    else {
        return;
    };

    let rows: Vec<&Piece> = of_kind(&article, PieceKind::TableRow)
        .into_iter()
        .filter(|r| headers(r) == COMPARISON_HEADERS)
        .collect();
    let found: Vec<(Vec<&str>, &str, &str, Vec<&str>)> = rows
        .iter()
        .map(|r| (path(r), r.anchor.as_str(), subject(r), main_roles(r)))
        .collect();

    let pm_po = vec![
        "3. The Core Distinctions",
        "Product Manager vs Product Owner",
    ];
    let po_ba = vec![
        "3. The Core Distinctions",
        "Product Owner vs Business Analyst",
    ];
    let three = vec![
        "3. The Core Distinctions",
        "Product Manager vs Project Manager vs Program Manager",
    ];
    assert_eq!(
        found,
        [
            (
                pm_po.clone(),
                "product-manager-vs-product-owner",
                "Product Manager (PM)",
                vec!["product-manager"]
            ),
            (
                pm_po,
                "product-manager-vs-product-owner",
                "Product Owner (PO)",
                vec!["product-owner"]
            ),
            (
                po_ba.clone(),
                "product-owner-vs-business-analyst",
                "Product Owner (PO)",
                vec!["product-owner"]
            ),
            (
                po_ba,
                "product-owner-vs-business-analyst",
                "Business Analyst (BA)",
                vec!["business-analyst"]
            ),
            (
                three.clone(),
                "product-manager-vs-project-manager-vs-program-manager",
                "Product Manager (PM)",
                vec!["product-manager"]
            ),
            (
                three.clone(),
                "product-manager-vs-project-manager-vs-program-manager",
                "Project Manager",
                vec!["project-manager"]
            ),
            (
                three,
                "product-manager-vs-project-manager-vs-program-manager",
                "Program Manager",
                vec!["program-manager"]
            ),
        ]
    );
    for row in rows {
        // Every column has a value, and the text lists them in order.
        let expected: Vec<String> = row.cells.iter().map(|(h, c)| format!("{h}: {c}")).collect();
        assert_eq!(row.text, expected.join(" · "));
        assert!(row.cells.iter().all(|(_, c)| !c.is_empty()));
        // The row's other roles are mentions, never main.
        assert_eq!(main_roles(row).len(), 1, "{row:?}");
    }
}
