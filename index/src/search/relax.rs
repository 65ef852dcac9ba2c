//! No dead ends: when nothing matches the whole query, words are dropped
//! until something does, the least informative first: words the index does
//! not know (with no correction either), then the most common.

use super::engine::Reader;
use super::plan::{Filters, Plan};
use super::understand::ParsedQuery;
use crate::error::Result;

/// The query with words dropped until it matches, and the words dropped;
/// `None` when no such query leaves more than nothing.
pub(crate) fn relax(
    reader: &dyn Reader,
    parsed: &ParsedQuery,
    filters: &Filters,
) -> Result<Option<(ParsedQuery, Vec<String>)>> {
    let vocab = reader.vocabulary();
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
    let mut current = parsed.clone();
    let mut dropped = Vec::new();
    let mut removed: Vec<usize> = Vec::new();
    for (index, _) in candidates.iter().take(candidates.len() - 1) {
        removed.push(*index);
        dropped.push(parsed.groups[*index].raw.clone());
        current.groups = parsed
            .groups
            .iter()
            .enumerate()
            .filter(|(i, _)| !removed.contains(i))
            .map(|(_, g)| g.clone())
            .collect();
        if reader.matches_any(&Plan::of(&current, filters.clone()))? {
            return Ok(Some((current, dropped)));
        }
    }
    Ok(None)
}
