//! Rebuilding never exposes a half-built index, and a failed build leaves
//! the old one in place.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use index::{BuildOptions, OpenOptions, SearchIndex, SearchRequest};

use crate::util::content;

fn count(index: &Path, q: &str) -> usize {
    let idx = SearchIndex::open(index, OpenOptions::default()).expect("the index opens");
    idx.search(&SearchRequest::new(q))
        .expect("search works")
        .estimated_total_hits
}

fn build(index: &Path) -> index::BuildReport {
    index::build(&content(), index, &BuildOptions::default(), &mut |_, _| {})
        .expect("build succeeds")
}

#[test]
fn readers_during_a_rebuild_always_see_a_complete_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let report = build(&path);
    let expected = count(&path, "backlog");
    assert!(expected > 0);
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let path = path.clone();
        let done = done.clone();
        std::thread::spawn(move || {
            let mut opened = 0;
            while !done.load(Ordering::SeqCst) || opened < 20 {
                let idx = SearchIndex::open(&path, OpenOptions::default()).expect("always opens");
                let stats = idx.stats().unwrap();
                assert_eq!(
                    stats.articles, report.articles,
                    "a reader saw a partial index"
                );
                let hits = idx
                    .search(&SearchRequest::new("backlog"))
                    .unwrap()
                    .estimated_total_hits;
                assert_eq!(hits, expected);
                opened += 1;
            }
            opened
        })
    };
    for _ in 0..3 {
        build(&path);
    }
    done.store(true, Ordering::SeqCst);
    let opened = reader.join().expect("the reader never failed");
    assert!(opened >= 20);
}

#[test]
fn a_failed_build_leaves_the_old_index_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    build(&path);
    let before = count(&path, "gantt");
    let err = index::build(
        &dir.path().join("missing"),
        &path,
        &BuildOptions::default(),
        &mut |_, _| {},
    )
    .expect_err("no content folder");
    assert!(err.to_string().contains("missing"), "{err}");
    assert_eq!(count(&path, "gantt"), before);
}

#[test]
fn leftovers_of_a_crashed_build_are_ignored_then_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    build(&path);
    let live = std::fs::read_to_string(path.join("CURRENT")).unwrap();
    // A build killed half-way leaves a generation that CURRENT never named.
    let partial = path.join("gen-000777");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join("meta.json"), "{ truncated").unwrap();
    assert_eq!(std::fs::read_to_string(path.join("CURRENT")).unwrap(), live);
    assert!(count(&path, "gantt") > 0);
    build(&path);
    assert!(
        !partial.exists(),
        "the next build removes stale generations"
    );
    assert!(count(&path, "gantt") > 0);
}

#[test]
fn a_second_writer_fails_with_a_clear_message_instead_of_corrupting() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    build(&path);
    let store = index::Store::new(&path);
    let _held = store.lock(std::time::Duration::ZERO).expect("first lock");
    let options = BuildOptions {
        lock_wait: std::time::Duration::from_millis(100),
        ..BuildOptions::default()
    };
    let err = index::build(&content(), &path, &options, &mut |_, _| {}).expect_err("locked");
    assert!(
        err.to_string()
            .contains("another rolesearch process is writing"),
        "{err}"
    );
    assert!(count(&path, "gantt") > 0);
}

#[test]
fn a_folder_that_is_not_an_index_is_never_written_into_not_even_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("notes");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("todo.txt"), "buy milk").unwrap();
    let listing = || -> Vec<String> {
        std::fs::read_dir(&foreign)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    let full = index::build(
        &content(),
        &foreign,
        &BuildOptions::default(),
        &mut |_, _| {},
    );
    let update = index::update(
        &content(),
        &foreign,
        &BuildOptions::default(),
        &mut |_, _| {},
    );
    for err in [full.err(), update.err()] {
        let err = err.expect("refused");
        assert!(matches!(err, index::Error::Foreign { .. }), "{err}");
        let message = err.to_string();
        assert!(message.contains("empty or new folder"), "{message}");
        assert!(!message.contains("rebuild it"), "{message}");
    }
    assert_eq!(listing(), ["todo.txt"]);
    // An empty folder, or a new one, is fine.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(index::build(&content(), &empty, &BuildOptions::default(), &mut |_, _| {}).is_ok());
}
