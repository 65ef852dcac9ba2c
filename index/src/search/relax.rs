//! No dead ends: when nothing matches the whole query, words are dropped
//! until something does, the least informative first: words the index does
//! not know (with no correction either), then the most common.

use super::engine::Reader;
use super::plan::{Filters, Plan};
use super::understand::Understanding;
use crate::error::Result;

/// The query with words dropped until it matches, and the words dropped;
/// `None` when no such query leaves more than nothing. The primary reading
/// chooses the words (by its language's vocabulary); every reading drops
/// the same words as typed.
pub(crate) fn relax(
    reader: &dyn Reader,
    understanding: &Understanding,
    filters: &Filters,
) -> Result<Option<(Understanding, Vec<String>)>> {
    let parsed = understanding.primary();
    let vocab = reader.vocabulary(parsed.language);
    let mut candidates: Vec<(usize, u64)> = parsed
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.stop)
        .map(|(i, g)| {
            let known = g
                .terms
                .iter()
                .map(|t| vocab.articles(t))
                .max()
                .unwrap_or(0)
                .max(vocab.articles(&g.raw.to_lowercase()));
            // Unknown words go first (u64::MAX), then the most common.
            (
                i,
                if known == 0 && g.alternatives.is_empty() {
                    u64::MAX
                } else {
                    known
                },
            )
        })
        .collect();
    if candidates.len() < 2 {
        return Ok(None);
    }
    candidates.sort_by_key(|c| std::cmp::Reverse(c.1));
    let mut dropped = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    for (index, _) in candidates.iter().take(candidates.len() - 1) {
        removed.push(*index);
        dropped.push(parsed.groups[*index].raw.clone());
        let mut primary = parsed.clone();
        primary.groups = parsed
            .groups
            .iter()
            .enumerate()
            .filter(|(i, _)| !removed.contains(i))
            .map(|(_, g)| g.clone())
            .collect();
        let others = understanding.readings[1..].iter().map(|reading| {
            let mut kept = reading.clone();
            kept.groups.retain(|g| !dropped.contains(&g.raw));
            kept
        });
        let current = Understanding {
            readings: std::iter::once(primary).chain(others).collect(),
        };
        if reader.matches_any(&Plan::of(&current, filters.clone()))? {
            return Ok(Some((current, dropped)));
        }
    }
    Ok(None)
}
