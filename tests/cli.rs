//! The command line: exit statuses, messages, limits and hostile input.

use std::path::Path;

use crate::util::{bundled_index, index_folder, query, rolesearch, search, text, write_article};

#[test]
fn indexing_prints_a_one_line_summary_with_counts_and_skipped_files() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("sub")).unwrap();
    write_article(
        &content.join("sub/good.json"),
        "Good one",
        "good-one",
        "Product Owners own the backlog.",
    );
    std::fs::write(content.join("broken.json"), "{ not json").unwrap();
    let out = index_folder(&content, &dir.path().join("index"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("indexed 1 articles, 2 pieces from 2 files"),
        "{summary}"
    );
    assert!(summary.contains("skipped 1:"), "{summary}");
    assert!(
        summary.contains("broken.json ($: invalid JSON"),
        "{summary}"
    );
}

#[test]
fn strict_indexing_fails_when_anything_is_skipped_but_still_writes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    write_article(
        &content.join("good.json"),
        "Good one",
        "good-one",
        "Product Owners own the backlog.",
    );
    let index = dir.path().join("index");
    let strict = |index: &Path| {
        rolesearch()
            .args(["index", "--strict", "--content"])
            .arg(&content)
            .arg("--index")
            .arg(index)
            .output()
            .unwrap()
    };
    let clean = strict(&index);
    assert!(clean.status.success(), "{}", text(&clean.stderr));

    std::fs::write(content.join("broken.json"), "{ not json").unwrap();
    let out = strict(&index);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("; skipped 1: "), "{stderr}");
    assert!(stderr.contains("broken.json ($: invalid JSON"), "{stderr}");
    assert_eq!(
        stderr.lines().last().unwrap(),
        "rolesearch: --strict: 1 file or article skipped (the reasons are on the line above)"
    );
    // Unchanged and still broken: a second run fails again.
    let again = strict(&index);
    assert_eq!(again.status.code(), Some(2), "{}", text(&again.stderr));
    // The good article was indexed all the same.
    let found = query(&index, &["backlog"]);
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["hits"].as_array().unwrap().len(), 1, "{found}");
}

#[test]
fn query_on_a_missing_index_says_how_to_build_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = query(&dir.path().join("nowhere"), &["product owner"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("build one with `rolesearch index`"),
        "{stderr}"
    );
}

#[test]
fn query_on_an_index_of_another_version_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    std::fs::create_dir_all(index.join("gen-000001")).unwrap();
    std::fs::write(index.join("CURRENT"), "gen-000001").unwrap();
    std::fs::write(
        index.join("gen-000001/rolesearch.json"),
        r#"{"format_version": 999, "roles": [], "created_at": "2030-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let out = query(&index, &["product owner"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("format version 999"), "{stderr}");
    assert!(
        stderr.contains("rebuild it with `rolesearch index`"),
        "{stderr}"
    );
}

#[test]
fn query_on_a_folder_that_is_not_an_index_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("meta.json"), "{}").unwrap();
    let out = query(dir.path(), &["product owner"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not a rolesearch index"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn limits_outside_their_range_are_usage_errors_with_one_line() {
    let index = bundled_index();
    for (args, expect) in [
        (
            vec!["--limit", "0", "po"],
            "limit must be between 1 and 100",
        ),
        (
            vec!["--limit", "101", "po"],
            "limit must be between 1 and 100",
        ),
        (
            vec!["--offset", "995", "--limit", "10", "po"],
            "offset + limit must be at most 1000",
        ),
        (
            vec!["--offset", "18446744073709551615", "po"],
            "offset + limit must be at most 1000",
        ),
        (
            vec!["--role", "astronaut", "po"],
            "unknown role \"astronaut\"",
        ),
    ] {
        let out = query(index, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
}

#[test]
fn a_bad_flag_value_is_a_usage_error() {
    let out = query(bundled_index(), &["--limit", "ten", "po"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn anything_a_user_types_is_a_valid_query() {
    let long = "product owner backlog ".repeat(170);
    let hostile = [
        "- *",
        "(((",
        "title:",
        "\"",
        "AND",
        "OR NOT",
        "🚀🔥",
        "مدير المنتج",
        "*:*",
        "\\",
        "field:[a TO z]",
        "~2 ^3",
        long.as_str(),
    ];
    for q in hostile {
        let response = search(&[q]);
        assert!(response["hits"].is_array(), "{q:?}");
        assert_eq!(response["query"].as_str(), Some(q), "{q:?}");
    }
}

#[test]
fn only_the_first_32_words_of_a_query_count() {
    let mut words: Vec<&str> = vec!["qzxv"; 32];
    words.push("gantt");
    let long = words.join(" ");
    // 32 words that match nothing: the 33rd ("gantt") is ignored, so nothing.
    let response = search(&[&long]);
    assert_eq!(response["estimatedTotalHits"], 0);
    assert_ne!(search(&["gantt"])["estimatedTotalHits"], 0);
}

#[test]
fn no_results_is_a_success_with_an_empty_list() {
    let response = search(&["xylophonequartz"]);
    assert_eq!(response["hits"].as_array().unwrap().len(), 0);
    assert_eq!(response["estimatedTotalHits"], 0);
}

#[test]
fn human_output_shows_title_section_path_snippet_and_deep_link() {
    let out = rolesearch()
        .args(["query", "--index"])
        .arg(bundled_index())
        .args(["who", "writes", "acceptance", "criteria"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
    assert!(stdout.contains("What Does a Product Owner Do?"), "{stdout}");
    assert!(
        stdout.contains("/articles/what-does-a-product-owner-do#who-writes-acceptance-criteria"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Who writes acceptance criteria? · heading"),
        "{stdout}"
    );
}

#[test]
fn the_json_output_follows_the_contract() {
    let r = search(&["who writes acceptance criteria"]);
    for key in [
        "query",
        "processingTimeMs",
        "estimatedTotalHits",
        "offset",
        "limit",
        "hits",
        "facetDistribution",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    let hit = &r["hits"][0];
    for key in [
        "slug",
        "title",
        "url",
        "category",
        "publishedAt",
        "score",
        "roles",
        "sections",
    ] {
        assert!(hit.get(key).is_some(), "missing hits[0].{key}");
    }
    let section = &hit["sections"][0];
    for key in [
        "kind",
        "heading",
        "headingPath",
        "anchor",
        "url",
        "text",
        "snippet",
        "roles",
        "score",
    ] {
        assert!(section.get(key).is_some(), "missing sections[0].{key}");
    }
    assert_eq!(
        hit["url"],
        format!("/articles/{}", hit["slug"].as_str().unwrap())
    );
    assert!(section["url"]
        .as_str()
        .unwrap()
        .starts_with(hit["url"].as_str().unwrap()));
    assert!(r["facetDistribution"]["role"].is_object());
    assert!(r["facetDistribution"]["category"].is_object());
}

#[test]
fn the_url_pattern_is_configurable() {
    let r = search(&[
        "--url-pattern",
        "https://careers.example/guides/{slug}/",
        "gantt",
    ]);
    let url = r["hits"][0]["url"].as_str().unwrap();
    assert!(url.starts_with("https://careers.example/guides/"), "{url}");
    assert!(url.ends_with('/'), "{url}");
}

#[test]
fn table_rows_carry_their_cells_keyed_by_column() {
    let r = search(&["--limit", "20", "--sections", "10", "sprint-ready tickets"]);
    let row = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["sections"].as_array().unwrap())
        .find(|s| s["kind"] == "table_row")
        .expect("a table row answers");
    let cells = row["cells"].as_object().expect("cells");
    assert!(!cells.is_empty());
    let text = row["text"].as_str().unwrap();
    // "Header: value · …", or the value alone for an unlabelled first column.
    for (header, value) in cells {
        let value = value.as_str().unwrap();
        assert!(
            text.contains(&format!("{header}: {value}"))
                || (header == "Column 1" && text.starts_with(value)),
            "{header}: {value} missing from {text}"
        );
    }
}
#[test]
fn snippets_mark_matches_and_escape_all_other_text() {
    let r = search(&["--limit", "50", "acceptance criteria"]);
    let mut marked = 0;
    for hit in r["hits"].as_array().unwrap() {
        for s in hit["sections"].as_array().unwrap() {
            let snippet = s["snippet"].as_str().unwrap();
            let without = snippet.replace("<mark>", "").replace("</mark>", "");
            assert!(
                !without.contains('<') && !without.contains('>'),
                "{snippet}"
            );
            marked += snippet.matches("<mark>").count();
        }
    }
    assert!(marked > 5);
}

#[test]
fn a_missing_content_folder_is_one_line_naming_it_and_the_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = index_folder(Path::new("/nonexistent"), &dir.path().join("index"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "rolesearch: cannot read content folder /nonexistent: No such file or directory\n"
    );
    assert!(!dir.path().join("index").exists(), "nothing written");
}

#[test]
fn a_file_given_as_the_content_folder_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.json");
    std::fs::write(&file, "{}").unwrap();
    let out = index_folder(&file, &dir.path().join("index"));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "rolesearch: cannot read content folder {}: it is a file, not a folder\n",
            file.display()
        )
    );
}

#[test]
fn a_query_with_no_words_is_one_line_and_a_role_alone_browses() {
    let out = query(bundled_index(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "rolesearch: a query needs at least one word (or --role/--category to browse)\n"
    );
    let browse = search(&["--role", "PO", "--limit", "100"]);
    assert!(browse["hits"].as_array().unwrap().len() >= 3);
}

#[test]
fn categories_are_matched_in_any_case_and_an_unknown_one_lists_the_known_ones() {
    let lower = search(&["--category", "pay", "--limit", "100", "product"]);
    let exact = search(&["--category", "Pay", "--limit", "100", "product"]);
    assert!(exact["estimatedTotalHits"].as_u64().unwrap() > 0);
    assert_eq!(lower["hits"], exact["hits"]);
    let out = query(bundled_index(), &["--category", "astronomy", "product"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("unknown category \"astronomy\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("Pay") && stderr.contains("Comparisons"),
        "{stderr}"
    );
}

#[test]
fn the_cli_says_showing_results_for_when_the_results_are_for_other_words() {
    let run = |words: &[&str]| {
        let out = rolesearch()
            .args(["query", "--limit", "1", "--index"])
            .arg(bundled_index())
            .args(words)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let relaxed = run(&["qzxv", "gantt"]);
    assert!(
        relaxed.contains("Showing results for \"gantt\"."),
        "{relaxed}"
    );
    let exact = run(&["gantt"]);
    assert!(!exact.contains("Showing results for"), "{exact}");
}
