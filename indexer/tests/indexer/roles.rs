//! Role tags on pieces and articles: names, acronyms, plurals and
//! possessives, heading inheritance, table row subjects, the ambiguous
//! "PM", and main versus mentioned roles.

use indexer::{PieceKind, RoleTag, Salience};
use serde_json::json;

use crate::util::*;

#[test]
fn roles_are_tagged_by_name_acronym_plural_and_possessive() {
    let article = markdown_article(
        "Most POs keep a tidy backlog.\n\nEvery week the PMs' calendars fill up.\n\nGood Product Owners say no often.\n\nAsk for the PO's view and the BA's notes.\n\nShe works as a product marketer now.",
    );

    assert_eq!(
        all_roles(piece(&article, "Most POs keep a tidy backlog.")),
        ["product-owner"]
    );
    assert_eq!(
        all_roles(piece(&article, "Every week the PMs' calendars fill up.")),
        ["product-manager"]
    );
    assert_eq!(
        all_roles(piece(&article, "Good Product Owners say no often.")),
        ["product-owner"]
    );
    assert_eq!(
        all_roles(piece(&article, "Ask for the PO's view and the BA's notes.")),
        ["product-owner", "business-analyst"]
    );
    assert_eq!(
        all_roles(piece(&article, "She works as a product marketer now.")),
        ["product-marketing-manager"]
    );
}

#[test]
fn lower_case_acronyms_in_content_are_ordinary_words() {
    let article = markdown_article(
        "Mail it to the po box.\n\nShe has a ba in history.\n\nThe meeting starts at 3 pm.",
    );
    for p in body(&article) {
        assert_eq!(p.roles, Vec::<RoleTag>::new(), "{p:?}");
    }
}

#[test]
fn the_longest_role_name_wins() {
    let article = markdown_article("Later she became one of the Technical Product Managers.");
    assert_eq!(
        all_roles(piece(
            &article,
            "Later she became one of the Technical Product Managers."
        )),
        ["technical-product-manager"]
    );
}

#[test]
fn pieces_under_a_heading_that_names_a_role_are_mainly_about_it() {
    let article = markdown_article(
        "## What is a Business Analyst (BA)?\n\nThey turn vague requests into precise requirements.\n\n- They map processes\n- They write specs with the Product Owner\n\n## Something else\n\nNot about any role.",
    );

    let heading = piece(&article, "What is a Business Analyst (BA)?");
    assert_eq!(heading.kind, PieceKind::Heading);
    assert_eq!(main_roles(heading), ["business-analyst"]);

    let paragraph = piece(
        &article,
        "They turn vague requests into precise requirements.",
    );
    assert_eq!(main_roles(paragraph), ["business-analyst"]);
    assert_eq!(mentioned_roles(paragraph), Vec::<&str>::new());

    let item = piece(&article, "They write specs with the Product Owner");
    assert_eq!(main_roles(item), ["business-analyst"]);
    assert_eq!(mentioned_roles(item), ["product-owner"]);

    assert_eq!(piece(&article, "Not about any role.").roles, []);
}

#[test]
fn a_bold_pseudo_heading_that_names_a_role_makes_its_paragraph_mainly_about_it() {
    let article = markdown_article(
        "## Roles explained\n\n**What is a Scrum Master?**\nThey coach the team on the process and remove impediments.",
    );
    let paragraph = piece(
        &article,
        "They coach the team on the process and remove impediments.",
    );
    assert_eq!(main_roles(paragraph), ["scrum-master"]);
}

#[test]
fn outer_headings_only_mention_their_roles() {
    let article = markdown_article(
        "## Product Owner basics\n\n### Writing stories\n\nKeep every story small enough for one sprint.",
    );
    let paragraph = piece(&article, "Keep every story small enough for one sprint.");
    assert_eq!(main_roles(paragraph), Vec::<&str>::new());
    assert_eq!(mentioned_roles(paragraph), ["product-owner"]);
}

#[test]
fn a_table_row_whose_first_cell_names_a_role_is_mainly_about_that_role() {
    let article = markdown_article(
        "## Product Owner vs Business Analyst\n\n| Role | Works closely with |\n|---|---|\n| Product Owner (PO) | BA, developers |\n| Business Analyst (BA) | PO, testers |\n| Shared | Stakeholders |\n",
    );

    let rows = of_kind(&article, PieceKind::TableRow);
    assert_eq!(main_roles(rows[0]), ["product-owner"]);
    assert_eq!(mentioned_roles(rows[0]), ["business-analyst"]);
    assert_eq!(main_roles(rows[1]), ["business-analyst"]);
    assert_eq!(mentioned_roles(rows[1]), ["product-owner"]);
    // Without a subject, the row is about its heading's roles.
    assert_eq!(main_roles(rows[2]), ["product-owner", "business-analyst"]);
}

#[test]
fn a_row_of_a_table_with_roles_as_column_headers_is_mainly_about_those_roles() {
    let article = markdown_article(
        "## Side by side\n\n| | Scrum Master | Product Owner |\n|---|---|---|\n| Accountable for | The process | The backlog |\n",
    );
    let row = &of_kind(&article, PieceKind::TableRow)[0];
    assert_eq!(main_roles(row), ["scrum-master", "product-owner"]);
    assert_eq!(mentioned_roles(row), Vec::<&str>::new());
}

#[test]
fn pm_means_product_manager_by_default() {
    let article = markdown_article("The PM talks to customers every week.");
    assert_eq!(
        all_roles(piece(&article, "The PM talks to customers every week.")),
        ["product-manager"]
    );
}

#[test]
fn pm_means_project_manager_when_the_text_talks_of_gantt_charts_or_budgets() {
    let article = markdown_article(
        "The PM updates the Gantt chart daily.\n\nOur PM guards the budget closely.",
    );
    assert_eq!(
        all_roles(piece(&article, "The PM updates the Gantt chart daily.")),
        ["project-manager"]
    );
    assert_eq!(
        all_roles(piece(&article, "Our PM guards the budget closely.")),
        ["project-manager"]
    );
}

#[test]
fn pm_means_project_manager_under_a_project_manager_heading() {
    let article =
        markdown_article("## Working with a project manager\n\nAsk the PM for the delivery dates.");
    let paragraph = piece(&article, "Ask the PM for the delivery dates.");
    assert_eq!(all_roles(paragraph), ["project-manager"]);
    assert!(!all_roles(paragraph).contains(&"product-manager"));
}

#[test]
fn pm_means_project_manager_in_an_article_titled_for_project_managers() {
    let article = only_article(parse_value(
        "pm-title",
        &json!({
            "title": "A Day in the Life of a Project Manager",
            "blocks": [{"__component": "shared.rich-text", "body": "The PM starts with the risk log."}]
        }),
    ));
    assert_eq!(
        all_roles(piece(&article, "The PM starts with the risk log.")),
        ["project-manager"]
    );
}

#[test]
fn a_piece_that_opens_with_a_role_is_mainly_about_it_and_later_names_are_mentions() {
    let article = markdown_article(
        "POs manage the backlog.\n\nOn most teams the work is shared with a Scrum Master.",
    );
    let opening = piece(&article, "POs manage the backlog.");
    assert_eq!(
        opening.roles,
        [RoleTag {
            role: "product-owner".into(),
            salience: Salience::Main
        }]
    );
    let later = piece(
        &article,
        "On most teams the work is shared with a Scrum Master.",
    );
    assert_eq!(
        later.roles,
        [RoleTag {
            role: "scrum-master".into(),
            salience: Salience::Mention
        }]
    );
    assert!(opening.roles[0].is_main());
    assert!(!later.roles[0].is_main());
}

#[test]
fn the_roles_a_title_names_are_main_for_the_article_and_its_title_piece() {
    let article = only_article(parse_value(
        "title-roles",
        &json!({
            "title": "What Does a Product Owner Do?",
            "blocks": [{"__component": "shared.rich-text", "body": "A paragraph that mentions a Designer once."}]
        }),
    ));

    let title = &article.pieces[0];
    assert_eq!(title.kind, PieceKind::Title);
    assert_eq!(main_roles(title), ["product-owner"]);
    assert_eq!(
        article.roles,
        [
            RoleTag {
                role: "product-owner".into(),
                salience: Salience::Main
            },
            RoleTag {
                role: "product-designer".into(),
                salience: Salience::Mention
            },
        ]
    );
}

#[test]
fn a_role_that_many_pieces_are_mainly_about_is_main_for_the_article() {
    let article = only_article(parse_value(
        "many",
        &json!({
            "title": "Working Agreements",
            "blocks": [{"__component": "shared.rich-text", "body":
                "## The Scrum Master\n\nFacilitates the events.\n\nRemoves impediments.\n\nCoaches the organisation.\n\n## Elsewhere\n\nA Designer joins sometimes."}]
        }),
    ));
    let main: Vec<&str> = article
        .roles
        .iter()
        .filter(|t| t.is_main())
        .map(|t| t.role.as_str())
        .collect();
    let mentioned: Vec<&str> = article
        .roles
        .iter()
        .filter(|t| !t.is_main())
        .map(|t| t.role.as_str())
        .collect();
    assert_eq!(main, ["scrum-master"]);
    assert_eq!(mentioned, ["product-designer"]);
}

/// An article of `locale` whose one rich-text block is `markdown`.
fn localized_article(locale: &str, markdown: &str) -> indexer::Article {
    only_article(parse_value(
        "localized",
        &json!({
            "documentId": "loc0000000000000000000001",
            "locale": locale,
            "title": "Localized",
            "blocks": [{"__component": "shared.rich-text", "body": markdown}]
        }),
    ))
}

#[test]
fn local_role_titles_tag_pieces_of_their_language_with_the_shared_role_ids() {
    let fr = localized_article(
        "fr",
        "Les chefs de produit arbitrent la feuille de route.\n\nUn analyste métier rédige les spécifications.",
    );
    assert_eq!(
        all_roles(piece(
            &fr,
            "Les chefs de produit arbitrent la feuille de route."
        )),
        ["product-manager"]
    );
    assert_eq!(
        all_roles(piece(&fr, "Un analyste métier rédige les spécifications.")),
        ["business-analyst"]
    );
    let de = localized_article("de-DE", "Die Produktmanagerin spricht mit Kunden.");
    assert_eq!(
        all_roles(piece(&de, "Die Produktmanagerin spricht mit Kunden.")),
        ["product-manager"]
    );
}

#[test]
fn local_titles_match_without_their_accents_and_english_titles_count_in_every_language() {
    let fr = localized_article(
        "fr",
        "Un analyste metier et un Product Owner travaillent ensemble.",
    );
    assert_eq!(
        all_roles(piece(
            &fr,
            "Un analyste metier et un Product Owner travaillent ensemble."
        )),
        ["business-analyst", "product-owner"]
    );
}

#[test]
fn a_local_title_is_no_role_in_text_of_another_language() {
    let en = localized_article(
        "en",
        "The chef de produit title means brand manager in FMCG.",
    );
    assert!(all_roles(piece(
        &en,
        "The chef de produit title means brand manager in FMCG."
    ))
    .is_empty());
}
