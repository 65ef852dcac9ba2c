//! `rolesearch sync`: reconciles the index with what a Strapi server
//! publishes. Strapi sends each webhook once and never retries, so a missed
//! one is only repaired by pulling: every published article of every locale
//! is upserted (unchanged ones are no-ops: their version is not newer), and
//! articles that came from Strapi but are no longer published are removed.
//!
//! A sync can never empty a site: it removes nothing from a locale it did
//! not read, and when it would remove more than a share of the index
//! (`sync_max_removal`, 20% by default) it removes nothing at all, applies
//! the additions and updates, and says what it would have removed, unless
//! removals are allowed. A sync that skipped articles, or held back
//! removals, is incomplete: the command exits non-zero and names each.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;

use indexer::{Problem, Severity, Taxonomy};

use super::pull::{pull, Source};
use crate::error::{Code, Error};

/// How removals are guarded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guard {
    /// The largest share of the index's articles a sync may remove (0–1).
    pub max_removal: f64,
    /// Remove whatever Strapi no longer publishes, however much.
    pub allow_removals: bool,
}

impl Default for Guard {
    fn default() -> Self {
        Guard {
            max_removal: 0.2,
            allow_removals: false,
        }
    }
}

/// What a sync did.
#[derive(Debug, Default, Clone)]
pub struct Synced {
    pub pages: usize,
    pub published: usize,
    /// The locales Strapi's answers held, lower case.
    pub locales: Vec<String>,
    pub upserted: usize,
    pub deleted: usize,
    pub unchanged: usize,
    /// Keys Strapi no longer publishes that were kept: removing them all
    /// would have removed more than the guard allows.
    pub held_back: Vec<String>,
    /// Articles in the index before the sync.
    pub indexed: usize,
    pub problems: Vec<Problem>,
    pub elapsed: Duration,
}

impl Synced {
    /// The articles skipped: Strapi entries that could not be read, or
    /// changes the index refused.
    pub fn skipped(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
    }

    /// Whether everything Strapi publishes is in the index as it is there.
    pub fn complete(&self) -> bool {
        self.held_back.is_empty() && self.skipped().next().is_none()
    }

    /// `complete`, or the error that says why not.
    pub fn check(&self) -> Result<(), Error> {
        if self.complete() {
            return Ok(());
        }
        let mut why = Vec::new();
        let skipped = self.skipped().count();
        if skipped > 0 {
            why.push(format!("{skipped} skipped (see above)"));
        }
        if !self.held_back.is_empty() {
            why.push(format!(
                "{} removals held back: Strapi no longer publishes {} of the index's {} articles, more than the limit; run again with --allow-removals to remove them",
                self.held_back.len(),
                self.held_back.len(),
                self.indexed
            ));
        }
        Err(Error::new(
            Code::SyncIncomplete,
            format!("the sync is incomplete: {}", why.join("; ")),
        ))
    }
}

impl std::fmt::Display for Synced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "synced {} published articles from {} pages ({}): {} added or updated, {} removed, {} unchanged, {} skipped, {} removals held back, in {:.2}s",
            self.published,
            self.pages,
            if self.locales.is_empty() {
                "no locale".to_string()
            } else {
                format!("locales {}", self.locales.join(", "))
            },
            self.upserted,
            self.deleted,
            self.unchanged,
            self.skipped().count(),
            self.held_back.len(),
            self.elapsed.as_secs_f64()
        )
    }
}

pub fn sync(
    source: &Source,
    index_dir: &Path,
    taxonomy: &Arc<Taxonomy>,
    guard: Guard,
) -> Result<Synced> {
    let mut plan = plan(source, index_dir, taxonomy, guard)?;
    let changes = std::mem::take(&mut plan.changes);
    let report = index::apply(index_dir, &changes, &Plan::build_options(taxonomy))?;
    Ok(plan.finish(report))
}

/// What a sync will change, pulled from Strapi and compared with the index,
/// before any of it is applied (a server applies it through its writer).
pub struct Plan {
    pub changes: Vec<index::Change>,
    pages: usize,
    published: usize,
    locales: Vec<String>,
    held_back: Vec<String>,
    indexed: usize,
    problems: Vec<Problem>,
    started: Instant,
}

/// Pulls every published article and works out the changes: upserts of
/// them all, and the removals the guard lets through.
pub fn plan(
    source: &Source,
    index_dir: &Path,
    taxonomy: &Arc<Taxonomy>,
    guard: Guard,
) -> Result<Plan> {
    let started = Instant::now();
    let pulled = pull(source, taxonomy)?;
    let published: HashSet<String> = pulled.articles.iter().map(|(a, _)| a.key.clone()).collect();
    let locales: Vec<String> = pulled
        .articles
        .iter()
        .filter_map(|(a, _)| a.locale.as_deref().map(str::to_lowercase))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    // Every locale asked for (None): removals in any locale are Strapi's.
    let read_locales: Option<HashSet<String>> = pulled
        .locales
        .as_ref()
        .map(|asked| asked.iter().map(|l| l.to_lowercase()).collect());
    let indexed = index::article_count(index_dir)?;
    let mut changes: Vec<index::Change> = pulled
        .articles
        .into_iter()
        .map(|(article, version)| index::Change::Upsert { article, version })
        .collect();
    let removals = index::unpublished_since(index_dir, &published, read_locales.as_ref())?;
    let too_many = removals.len() as f64 > guard.max_removal * indexed as f64;
    let held_back: Vec<String> = if too_many && !guard.allow_removals {
        removals.iter().map(|c| c.key().to_string()).collect()
    } else {
        changes.extend(removals);
        Vec::new()
    };
    Ok(Plan {
        changes,
        pages: pulled.pages,
        published: published.len(),
        locales,
        held_back,
        indexed,
        problems: pulled.problems,
        started,
    })
}

impl Plan {
    /// How a sync writes: waiting up to five minutes for another writer.
    pub fn build_options(taxonomy: &Arc<Taxonomy>) -> index::BuildOptions {
        index::BuildOptions {
            lock_wait: Duration::from_secs(300),
            taxonomy: taxonomy.clone(),
            ..index::BuildOptions::default()
        }
    }

    /// What the sync did, once its changes are applied.
    pub fn finish(self, report: index::ApplyReport) -> Synced {
        let mut problems = self.problems;
        problems.extend(report.problems);
        Synced {
            pages: self.pages,
            published: self.published,
            locales: self.locales,
            upserted: report.upserted,
            deleted: report
                .outcomes
                .iter()
                .filter(|o| matches!(o, index::Outcome::Deleted { existed: true }))
                .count(),
            unchanged: report.stale,
            held_back: self.held_back,
            indexed: self.indexed,
            problems,
            elapsed: self.started.elapsed(),
        }
    }
}
