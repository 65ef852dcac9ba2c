//! Applying webhook (or sync) changes to the live index: upserts and
//! deletes of single articles, each carrying a version (an RFC 3339
//! timestamp: the Strapi event's `createdAt` or the entry's `updatedAt`).
//!
//! The latest version seen per article key is kept in the commit payload,
//! deletes included (tombstones), and a change whose version is not newer
//! is ignored: the same event twice, or events out of order, converge on
//! the state of the latest. An article that came this way belongs to no
//! content file, so a folder [`crate::write::update`] never removes it, and a full
//! [`crate::build`] carries it over.

use std::cmp::Ordering;
use std::path::Path;
use std::time::{Duration, Instant};

use indexer::{Article, Problem, Severity};

use crate::error::Result;
use crate::store::state::{Claims, FileArticle, Owner, State, WebhookState};
use crate::write::build::{build_articles_into, BuildOptions};
use crate::write::embedded::FolderTarget;
use crate::write::folder::{slug_claim, slug_name, unanalyzed_locale};
use crate::write::target::Target;
use crate::{Error, Parameter};

/// One change to apply.
// Changes are few and short-lived; an unboxed article keeps them simple to
// build and match.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Change {
    /// Adds or replaces the article of `article.key`.
    Upsert { article: Article, version: String },
    /// Removes the article of `key`, and remembers that it is gone.
    Delete { key: String, version: String },
}

impl Change {
    pub fn key(&self) -> &str {
        match self {
            Change::Upsert { article, .. } => &article.key,
            Change::Delete { key, .. } => key,
        }
    }

    pub fn version(&self) -> &str {
        match self {
            Change::Upsert { version, .. } | Change::Delete { version, .. } => version,
        }
    }
}

/// What became of one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Upserted,
    /// `existed`: the index had the article.
    Deleted {
        existed: bool,
    },
    /// The index already reflects this version of the key or a newer one
    /// (`stored`): nothing was done.
    Stale {
        stored: String,
    },
    /// Not applied: the article's slug is another article's.
    Refused {
        reason: String,
    },
}

/// What an apply did.
#[derive(Debug, Default)]
pub struct ApplyReport {
    /// One per change, in order.
    pub outcomes: Vec<Outcome>,
    pub upserted: usize,
    pub deleted: usize,
    pub stale: usize,
    pub refused: usize,
    /// The refused changes, as problems (source "webhook").
    pub problems: Vec<Problem>,
    /// Articles and pieces in the index after the changes.
    pub articles: u64,
    pub pieces: u64,
    /// Whether a commit was made (every change stale or refused: none).
    pub committed: bool,
    /// How long the write lock took to get (a full build holds it).
    pub lock_wait: Duration,
    pub elapsed: Duration,
}

/// Applies `changes`, in order, to the index in `index_dir` in one commit,
/// and returns once it is durable and visible to a reader that reloads.
/// Waits up to `options.lock_wait` for another writer (a full build holds
/// the lock throughout, so a change is applied to the generation it
/// publishes). An index folder with no index gets an empty one first. A
/// version that is not an RFC 3339 timestamp fails the whole call before
/// anything is written.
pub fn apply(index_dir: &Path, changes: &[Change], options: &BuildOptions) -> Result<ApplyReport> {
    let started = Instant::now();
    check_changes(changes)?;
    if changes.is_empty() {
        return Ok(ApplyReport {
            elapsed: started.elapsed(),
            ..ApplyReport::default()
        });
    }
    let target = FolderTarget::lock(index_dir, options.lock_wait)?;
    apply_to(&target, changes, options, started)
}

/// Checks `changes` before anything is written.
pub(crate) fn check_changes(changes: &[Change]) -> Result<()> {
    for change in changes {
        crate::write::version::check(change.version())?;
        if change.key().is_empty() {
            return Err(Error::InvalidParameter {
                parameter: Parameter::Key,
                message: "an article key must not be empty".into(),
            });
        }
    }
    Ok(())
}

/// [`apply`] to a target held for writing (since `started`), the changes
/// checked.
pub(crate) fn apply_to(
    target: &dyn Target,
    changes: &[Change],
    options: &BuildOptions,
    started: Instant,
) -> Result<ApplyReport> {
    let mut report = ApplyReport {
        lock_wait: started.elapsed(),
        ..ApplyReport::default()
    };
    // The live index is opened only now, under the lock: a build that held
    // it meanwhile has made its index live, and that one is written to.
    let mut live = match target.live(options) {
        Err(Error::NotFound(_)) => {
            build_articles_into(target, &[], options)?;
            target.live(options)?
        }
        other => other?,
    };
    let mut claims = Claims::of(live.state());
    let latest = crate::timestamp::latest_acceptable();
    for change in changes {
        let key = change.key();
        let version = change.version();
        // A version from the future would freeze the article: every real
        // change after it would look older.
        if crate::write::version::parse(version).is_some_and(|v| v > latest) {
            let reason = format!(
                "its version {version:?} (the event's createdAt, or the entry's updatedAt) is more than {} minutes ahead of this machine's clock",
                crate::timestamp::CLOCK_TOLERANCE.as_secs() / 60
            );
            report.problems.push(Problem {
                source: "webhook".into(),
                path: "$.createdAt".into(),
                reason: format!("article {key:?} not applied: {reason}"),
                severity: Severity::Skipped,
            });
            report.outcomes.push(Outcome::Refused { reason });
            continue;
        }
        if let Some(stored) = stored_version(live.state(), &claims, key) {
            if crate::write::version::compare(Some(version), Some(&stored)) != Ordering::Greater {
                report.stale += 1;
                report.outcomes.push(Outcome::Stale { stored });
                continue;
            }
        }
        match change {
            Change::Upsert { article, .. } => {
                let slug = slug_claim(article);
                if let Some((holder, owner)) = claims.slug_holder(&slug) {
                    if holder != key {
                        let by = match owner {
                            Owner::File(rel) => format!("content file {rel}"),
                            Owner::Webhook => format!("webhook article {holder:?}"),
                        };
                        let reason = format!(
                            "article slug {:?} is already used by {by}",
                            slug_name(article)
                        );
                        report.problems.push(Problem {
                            source: "webhook".into(),
                            path: "$".into(),
                            reason: format!("article {key:?} not applied: {reason}"),
                            severity: Severity::Skipped,
                        });
                        report.refused += 1;
                        report.outcomes.push(Outcome::Refused { reason });
                        continue;
                    }
                }
                let webhook_article;
                let article = if article.source == "webhook" {
                    article
                } else {
                    webhook_article = Article {
                        source: "webhook".into(),
                        ..article.clone()
                    };
                    &webhook_article
                };
                report.problems.extend(unanalyzed_locale(article));
                let blob = live.keep(article)?;
                live.upsert(article)?;
                claims.claim(key, &slug, Owner::Webhook);
                live.state_mut().webhook.insert(
                    key.to_string(),
                    WebhookState {
                        version: version.to_string(),
                        slug: Some(slug),
                        blob: Some(blob),
                    },
                );
                report.upserted += 1;
                report.outcomes.push(Outcome::Upserted);
            }
            Change::Delete { .. } => {
                let existed = claims.release(key).is_some();
                live.delete(key)?;
                live.state_mut().webhook.insert(
                    key.to_string(),
                    WebhookState {
                        version: version.to_string(),
                        slug: None,
                        blob: None,
                    },
                );
                report.deleted += 1;
                report.outcomes.push(Outcome::Deleted { existed });
            }
        }
    }
    let committed = live.commit()?;
    (report.articles, report.pieces) = (committed.articles, committed.pieces);
    report.committed = committed.committed;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The newest version the index reflects for `key`: its webhook change,
/// or the `updatedAt` of the file copy it holds.
fn stored_version(state: &State, claims: &Claims, key: &str) -> Option<String> {
    if let Some(w) = state.webhook.get(key) {
        return Some(w.version.clone());
    }
    let Some(Owner::File(rel)) = claims.owner(key) else {
        return None;
    };
    state.files.get(rel)?.articles.iter().find_map(
        |FileArticle(k, _, version)| {
            if k == key {
                version.clone()
            } else {
                None
            }
        },
    )
}
