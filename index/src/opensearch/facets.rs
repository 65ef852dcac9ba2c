//! Facet counts on OpenSearch, exact: the number of matching ARTICLES per
//! role, category and locale, as the embedded engine's one-pass collector
//! counts them (`crate::embedded::collect`).
//!
//! OpenSearch's `cardinality` aggregation is HyperLogLog++: below its
//! precision threshold it counts 25-bit encodings of 64-bit hashes, so on
//! ten thousand articles two or three distinct articles already collide
//! and the count is off. So the count is a `scripted_metric` instead (the
//! painless module): each shard maps every matching piece to its article
//! (a 64-bit hash of the key, `aid`), ORs the role bits of the article's
//! matching pieces and keeps its category and locale; the shard then counts
//! articles per role bit, category and locale, and the coordinating node
//! adds the shards up. An article's pieces share a shard (routed by key),
//! so no article is counted on two. Exact, up to a 64-bit hash collision
//! between two keys (about 1 in 10^11 for a million articles).

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::search::engine::Facets;

const INIT: &str = "state.m = new HashMap();";

const MAP: &str = "long a = doc['aid'].value; long m = 0L; \
    if (doc['role_mask'].size() > 0) { m = doc['role_mask'].value; } \
    def e = state.m.get(a); \
    if (e == null) { def c = null; def l = null; \
      if (doc['category'].size() > 0) { c = doc['category'].value; } \
      if (doc['locale'].size() > 0) { l = doc['locale'].value; } \
      state.m.put(a, [m, c, l]); } \
    else { e[0] = e[0] | m; }";

const COMBINE: &str = "long[] r = new long[64]; Map c = new HashMap(); Map l = new HashMap(); \
    for (e in state.m.values()) { long m = e[0]; \
      while (m != 0) { int b = Long.numberOfTrailingZeros(m); r[b]++; m &= m - 1; } \
      if (e[1] != null) { c.merge(e[1], 1L, (x, y) -> x + y); } \
      if (e[2] != null) { l.merge(e[2], 1L, (x, y) -> x + y); } } \
    return ['n': state.m.size(), 'r': r, 'c': c, 'l': l];";

const REDUCE: &str =
    "long n = 0; long[] r = new long[64]; Map c = new HashMap(); Map l = new HashMap(); \
    for (s in states) { if (s == null) { continue; } n += s.n; \
      for (int i = 0; i < 64; i++) { r[i] += s.r[i]; } \
      for (x in s.c.entrySet()) { c.merge(x.getKey(), x.getValue(), (p, q) -> p + q); } \
      for (x in s.l.entrySet()) { l.merge(x.getKey(), x.getValue(), (p, q) -> p + q); } } \
    return ['n': n, 'r': r, 'c': c, 'l': l];";

/// The aggregation that counts the matching articles.
pub(crate) fn counting() -> Value {
    json!({"scripted_metric": {
        "init_script": INIT,
        "map_script": MAP,
        "combine_script": COMBINE,
        "reduce_script": REDUCE,
    }})
}

/// [`counting`] of the pieces that also match every one of `filters`.
pub(crate) fn counting_within(filters: Vec<Value>) -> Value {
    json!({
        "filter": {"bool": {"filter": filters}},
        "aggs": {"f": counting()},
    })
}

/// What one counting aggregation found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Counts {
    pub articles: usize,
    /// Articles per role bit.
    pub roles: Vec<usize>,
    pub categories: Vec<(String, usize)>,
    pub locales: Vec<(String, usize)>,
}

impl Counts {
    /// Reads the value of a [`counting`] aggregation.
    pub fn of(value: &Value) -> Result<Counts> {
        let bad = || Error::OpenSearch(format!("an unreadable facet count: {value}"));
        let articles = value.get("n").and_then(Value::as_u64).ok_or_else(bad)? as usize;
        let roles = value
            .get("r")
            .and_then(Value::as_array)
            .ok_or_else(bad)?
            .iter()
            .map(|n| n.as_u64().unwrap_or(0) as usize)
            .collect();
        let named = |name: &str| -> Vec<(String, usize)> {
            let mut out: Vec<(String, usize)> = value
                .get(name)
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, n)| (k.clone(), n.as_u64().unwrap_or(0) as usize))
                        .filter(|(_, n)| *n > 0)
                        .collect()
                })
                .unwrap_or_default();
            out.sort();
            out
        };
        Ok(Counts {
            articles,
            roles,
            categories: named("c"),
            locales: named("l"),
        })
    }

    /// Role counts by id (`roles` by bit), of the roles that count any article.
    pub fn role_counts(&self, roles: &[String]) -> Vec<(String, usize)> {
        roles
            .iter()
            .enumerate()
            .filter_map(|(bit, id)| {
                let n = self.roles.get(bit).copied().unwrap_or(0);
                (n > 0).then(|| (id.clone(), n))
            })
            .collect()
    }

    pub fn facets(&self, roles: &[String]) -> Facets {
        Facets {
            roles: self.role_counts(roles),
            categories: self.categories.clone(),
            locales: self.locales.clone(),
        }
    }
}

/// The value of the counting aggregation at `path` of an answer.
pub(crate) fn counts_at(answer: &Value, path: &str) -> Result<Counts> {
    let value = answer
        .pointer(path)
        .ok_or_else(|| Error::OpenSearch(format!("no facet count at {path} in the answer")))?;
    Counts::of(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_back() {
        let mut r = vec![0; 64];
        r[1] = 2;
        let v = json!({"n": 3, "r": r, "c": {"Roles": 2, "Pay": 1}, "l": {"en": 3}});
        let c = Counts::of(&v).unwrap();
        assert_eq!(c.articles, 3);
        assert_eq!(
            c.role_counts(&["a".into(), "b".into()]),
            [("b".to_string(), 2)]
        );
        assert_eq!(
            c.categories,
            [("Pay".to_string(), 1), ("Roles".to_string(), 2)]
        );
    }
}
