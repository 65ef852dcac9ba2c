//! `rolesearch sync`: reconciles the index with what a Strapi server
//! publishes. Strapi sends each webhook once and never retries, so a missed
//! one is only repaired by pulling: every published article is upserted
//! (unchanged ones are no-ops: their version is not newer), and articles
//! that came from Strapi but are no longer published are removed.

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;

use indexer::{Problem, Taxonomy};

use super::pull::{pull, Source};

/// What a sync did.
#[derive(Debug, Default)]
pub struct Synced {
    pub pages: usize,
    pub published: usize,
    pub upserted: usize,
    pub deleted: usize,
    pub unchanged: usize,
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

impl std::fmt::Display for Synced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "synced {} published articles from {} pages: {} added or updated, {} removed, {} unchanged, {} skipped, in {:.2}s",
            self.published,
            self.pages,
            self.upserted,
            self.deleted,
            self.unchanged,
            self.problems.len(),
            self.elapsed.as_secs_f64()
        )
    }
}

pub fn sync(source: &Source, index_dir: &Path, taxonomy: &Taxonomy) -> Result<Synced> {
    let started = Instant::now();
    let pulled = pull(source, taxonomy)?;
    let published: HashSet<String> = pulled.articles.iter().map(|(a, _)| a.key.clone()).collect();
    let mut changes: Vec<index::Change> = pulled
        .articles
        .into_iter()
        .map(|(article, version)| index::Change::Upsert { article, version })
        .collect();
    changes.extend(index::unpublished_since(index_dir, &published)?);
    let options = index::BuildOptions {
        lock_wait: Duration::from_secs(300),
        ..index::BuildOptions::default()
    };
    let report = index::apply(index_dir, &changes, &options)?;
    let mut problems = pulled.problems;
    problems.extend(report.problems);
    Ok(Synced {
        pages: pulled.pages,
        published: published.len(),
        upserted: report.upserted,
        deleted: report
            .outcomes
            .iter()
            .filter(|o| matches!(o, index::Outcome::Deleted { existed: true }))
            .count(),
        unchanged: report.stale,
        problems,
        elapsed: started.elapsed(),
    })
}
