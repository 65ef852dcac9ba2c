//! Browsing without words: a role (or category, or locale) chosen in a
//! search box with nothing typed lists those articles, newest first.

use index::{BuildOptions, OpenOptions, SearchIndex, SearchRequest};

use crate::util::content;

#[test]
fn an_empty_query_with_a_role_lists_that_roles_articles_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    index::build(&content(), &path, &BuildOptions::default(), &mut |_, _| {}).unwrap();
    let index = SearchIndex::open(&path, OpenOptions::default()).unwrap();
    let r = index
        .search(&SearchRequest {
            roles: vec!["PO".into()],
            limit: 50,
            ..SearchRequest::new("")
        })
        .unwrap();
    assert!(r.hits.len() >= 5, "{}", r.hits.len());
    assert_eq!(r.estimated_total_hits, r.hits.len());
    let dates: Vec<&str> = r
        .hits
        .iter()
        .filter_map(|h| h.published_at.as_deref())
        .collect();
    assert!(dates.len() >= 2);
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // Undated articles come after the dated ones.
    let first_undated = r.hits.iter().position(|h| h.published_at.is_none());
    if let Some(at) = first_undated {
        assert!(r.hits[at..].iter().all(|h| h.published_at.is_none()));
    }
    // Each is the role's: the facet counts every one of them.
    let po = r
        .facet_distribution
        .role
        .iter()
        .find(|(id, _)| id == "product-owner")
        .unwrap()
        .1;
    assert_eq!(po, r.estimated_total_hits);
    // Paging walks the same order.
    let second = index
        .search(&SearchRequest {
            roles: vec!["product-owner".into()],
            offset: 2,
            limit: 2,
            ..SearchRequest::new("")
        })
        .unwrap();
    assert_eq!(second.hits[0].slug, r.hits[2].slug);
    assert_eq!(second.hits[1].slug, r.hits[3].slug);
}

#[test]
fn categories_are_matched_like_roles_and_an_unknown_one_is_an_error_listing_the_known() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    index::build(&content(), &path, &BuildOptions::default(), &mut |_, _| {}).unwrap();
    let index = SearchIndex::open(&path, OpenOptions::default()).unwrap();
    let by = |category: &str| {
        index.search(&SearchRequest {
            categories: vec![category.into()],
            ..SearchRequest::new("backlog")
        })
    };
    let exact = by("Roles").unwrap();
    let lower = by("roles").unwrap();
    assert!(exact.estimated_total_hits > 0);
    assert_eq!(lower.estimated_total_hits, exact.estimated_total_hits);
    assert!(lower
        .hits
        .iter()
        .all(|h| h.category.as_deref() == Some("Roles")));
    let err = by("astronauts").unwrap_err();
    match &err {
        index::Error::UnknownCategory { name, known } => {
            assert_eq!(name, "astronauts");
            assert!(known.contains(&"Roles".to_string()), "{known:?}");
            assert!(known.contains(&"Comparisons".to_string()), "{known:?}");
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("Roles"), "{err}");
}

#[test]
fn a_zero_width_space_inside_a_query_word_does_not_split_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    index::build(&content(), &path, &BuildOptions::default(), &mut |_, _| {}).unwrap();
    let index = SearchIndex::open(&path, OpenOptions::default()).unwrap();
    let plain = index.search(&SearchRequest::new("roadmap")).unwrap();
    let hidden = index
        .search(&SearchRequest::new("road\u{200B}map"))
        .unwrap();
    assert!(plain.estimated_total_hits > 0);
    assert_eq!(hidden.estimated_total_hits, plain.estimated_total_hits);
    assert_eq!(
        hidden.hits.iter().map(|h| &h.slug).collect::<Vec<_>>(),
        plain.hits.iter().map(|h| &h.slug).collect::<Vec<_>>()
    );
}
