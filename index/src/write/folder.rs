//! Admitting the articles of one content file into an index state: the
//! rules `build` and `update` share, so that a full build and any sequence
//! of updates agree on which copy of an article is indexed.
//!
//! - A key, or a slug in the same locale, already held by another file (or
//!   earlier in the same file) is refused, naming both files; the file
//!   is marked and read again by every update until the other lets go.
//! - A key held by a webhook change (live or deleted) stays with it unless
//!   the file's copy is newer (`updatedAt` later than the change's version);
//!   a newer file copy takes the key back.

use std::cmp::Ordering;
use std::path::Path;

use indexer::{Article, Problem, Severity};

use crate::analysis::Language;
use crate::store::state::{Claims, FileArticle, Owner, RecordedProblem, State};
use crate::write::scan::Read;

/// Records `read` as the state of file `rel` and returns the articles to
/// index, with the file's problems.
pub(crate) fn admit(
    content: &Path,
    rel: &str,
    read: Read,
    claims: &mut Claims,
    state: &mut State,
) -> (Vec<Article>, Vec<Problem>) {
    let mut file = read.state;
    let mut problems = read.parsed.problems;
    file.problems = problems.iter().map(RecordedProblem::of).collect();
    let mut accepted = Vec::new();
    for article in read.parsed.articles {
        let key = article.key.as_str();
        if let Some(held) = state.webhook.get(key) {
            let newer = crate::write::version::compare(
                article.updated_at.as_deref(),
                Some(held.version.as_str()),
            ) == Ordering::Greater;
            if !newer {
                let what = if held.is_live() { "changed" } else { "deleted" };
                problems.push(Problem {
                    source: article.source.clone(),
                    path: "$".to_string(),
                    reason: format!(
                        "not indexed from this file: article key {key:?} was {what} by a webhook at {}, and this copy (updatedAt {}) is not newer",
                        held.version,
                        article.updated_at.as_deref().unwrap_or("unknown"),
                    ),
                    severity: Severity::Warning,
                });
                continue;
            }
        } else if let Some(owner) = claims.owner(key) {
            problems.push(clash(&article, "key", key, &describe(content, owner, key)));
            file.clashed = true;
            continue;
        }
        let slug = slug_claim(&article);
        if let Some((holder, owner)) = claims.slug_holder(&slug) {
            if holder != key {
                let first = describe(content, owner, holder);
                problems.push(clash(&article, "slug", &slug_name(&article), &first));
                file.clashed = true;
                continue;
            }
        }
        problems.extend(unanalyzed_locale(&article));
        // A newer file copy takes the key back from a webhook change.
        state.webhook.remove(key);
        claims.claim(key, &slug, Owner::File(rel.to_string()));
        file.articles.push(FileArticle(
            article.key.clone(),
            slug,
            article.updated_at.clone(),
        ));
        accepted.push(article);
    }
    state.files_mut().insert(rel.to_string(), file);
    (accepted, problems)
}

/// What an article claims of the slug space: slugs are unique per locale
/// (as Strapi keeps them), so the claim is `locale/slug` (a slug never has
/// a `/`), the locale in lower case.
pub(crate) fn slug_claim(article: &Article) -> String {
    let locale = article.locale.as_deref().unwrap_or_default();
    format!("{}/{}", locale.to_lowercase(), article.slug)
}

/// A warning for an article whose locale is in no language rolesearch
/// analyzes: it is indexed, its words unstemmed.
pub(crate) fn unanalyzed_locale(article: &Article) -> Option<Problem> {
    let locale = article.locale.as_deref()?;
    if Language::of_locale(locale) != Language::Other {
        return None;
    }
    let supported: Vec<&str> = Language::ALL
        .iter()
        .filter(|l| **l != Language::Other)
        .map(|l| l.code())
        .collect();
    Some(Problem {
        source: article.source.clone(),
        path: "$.locale".to_string(),
        reason: format!(
            "locale {locale:?} is in no language rolesearch analyzes ({}): its words are matched as written, without stemming",
            supported.join(", ")
        ),
        severity: Severity::Warning,
    })
}

/// The slug and locale of an article, for messages.
pub(crate) fn slug_name(article: &Article) -> String {
    match article.locale.as_deref() {
        Some(locale) => format!("{} (locale {locale})", article.slug),
        None => article.slug.clone(),
    }
}

fn clash(article: &Article, what: &str, value: &str, first: &str) -> Problem {
    Problem {
        source: article.source.clone(),
        path: "$".to_string(),
        reason: format!("article {what} {value:?} is already used by {first}"),
        severity: Severity::Skipped,
    }
}

/// Names the holder of a key in a message.
pub(crate) fn describe(content: &Path, owner: &Owner, key: &str) -> String {
    match owner {
        Owner::File(rel) => content.join(rel).display().to_string(),
        Owner::Webhook => format!("webhook article {key:?}"),
    }
}
