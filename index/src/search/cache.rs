//! A small cache of recent answers, for a server: readers typing into a
//! search box send the same popular prefixes and queries again and again,
//! and an answer only changes when the index does.
//!
//! Every entry remembers the searcher generation it was computed on; a
//! lookup on any other generation misses, so a reload (a publish, another
//! process's rebuild) never serves an answer from before it, and an answer
//! a search running across the reload puts in afterwards is not kept.
//!
//! The cache is bounded twice: in entries, and in bytes (each answer
//! counted as the length of its JSON, plus its key), so a few huge answers
//! cannot hold more memory than the budget. When either bound is reached,
//! the least recently used entries go (the `lru` crate); an answer over a
//! quarter of the budget is never kept, so one cannot empty the cache.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lru::LruCache;

use crate::search::request::SearchRequest;
use crate::search::response::SearchResponse;

pub(crate) struct ResponseCache {
    capacity: usize,
    /// The most bytes the entries may take.
    budget: usize,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How the cache of an opened index is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub entries: usize,
    pub capacity: usize,
    /// What the entries take, as counted against `budget`.
    pub bytes: usize,
    pub budget: usize,
    pub hits: u64,
    pub misses: u64,
}

struct Inner {
    /// Answers of the newest generation with their sizes, least recently
    /// used last.
    entries: Option<LruCache<Key, (Arc<SearchResponse>, usize)>>,
    /// The sum of the entries' sizes.
    bytes: usize,
    /// The newest searcher generation seen: older answers are not kept.
    newest: u64,
}

/// Everything an answer depends on besides the index, field by field (a
/// query can contain any character, so no separator would be safe).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    q: String,
    roles: Vec<String>,
    categories: Vec<String>,
    locales: Vec<String>,
    limit: usize,
    offset: usize,
    sections: usize,
}

impl ResponseCache {
    pub fn new(capacity: usize, budget: usize) -> ResponseCache {
        let capacity = if budget == 0 { 0 } else { capacity };
        ResponseCache {
            capacity,
            budget,
            inner: Mutex::new(Inner {
                entries: NonZeroUsize::new(capacity).map(LruCache::new),
                bytes: 0,
                newest: 0,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// The key of `request`, with its roles resolved to ids.
    pub fn key(request: &SearchRequest, roles: &[String]) -> Key {
        Key {
            q: request.q.clone(),
            roles: roles.to_vec(),
            categories: request.categories.clone(),
            locales: request.locales.clone(),
            limit: request.limit,
            offset: request.offset,
            sections: request.sections,
        }
    }

    /// The answer kept for `key`, if it was computed on `generation`.
    pub fn get(&self, key: &Key, generation: u64) -> Option<Arc<SearchResponse>> {
        let mut inner = self.lock();
        let current = inner.newest == generation;
        let found = match inner.entries.as_mut() {
            Some(entries) if current => entries.get(key).map(|(r, _)| r.clone()),
            _ => None,
        };
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Keeps the answer for `key` computed on `generation`: a newer
    /// generation drops every older answer, an older one is not kept.
    pub fn put(&self, key: Key, generation: u64, response: Arc<SearchResponse>) {
        let mut inner = self.lock();
        if generation < inner.newest {
            return;
        }
        let newer = generation > inner.newest;
        inner.newest = generation;
        let Inner { entries, bytes, .. } = &mut *inner;
        let Some(entries) = entries.as_mut() else {
            return;
        };
        if newer {
            entries.clear();
            *bytes = 0;
        }
        let size = key.size() + json_size(&response);
        if size > self.budget / 4 {
            return;
        }
        // The entry it replaces, or the least recently used one when the
        // cache is full of entries, goes first.
        if let Some((_, (_, old))) = entries.push(key, (response, size)) {
            *bytes -= old;
        }
        *bytes += size;
        while *bytes > self.budget {
            match entries.pop_lru() {
                Some((_, (_, old))) => *bytes -= old,
                None => break,
            }
        }
    }

    pub fn stats(&self) -> CacheStats {
        let inner = self.lock();
        CacheStats {
            entries: inner.entries.as_ref().map_or(0, LruCache::len),
            capacity: self.capacity,
            bytes: inner.bytes,
            budget: self.budget,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Key {
    /// The bytes the key holds.
    fn size(&self) -> usize {
        let texts = |v: &[String]| v.iter().map(|s| s.len() + 24).sum::<usize>();
        std::mem::size_of::<Key>()
            + self.q.len()
            + texts(&self.roles)
            + texts(&self.categories)
            + texts(&self.locales)
    }
}

/// The length of `response` as JSON, counted without keeping the text: in
/// memory an answer takes about as much as its JSON does.
fn json_size(response: &SearchResponse) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, response);
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(q: &str) -> Key {
        ResponseCache::key(&SearchRequest::new(q), &[])
    }

    fn response(q: &str) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            query: q.to_string(),
            ..SearchResponse::default()
        })
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_when_full() {
        let cache = ResponseCache::new(2, 1 << 20);
        cache.put(key("a"), 1, response("a"));
        cache.put(key("b"), 1, response("b"));
        assert!(cache.get(&key("a"), 1).is_some());
        cache.put(key("c"), 1, response("c"));
        assert!(
            cache.get(&key("b"), 1).is_none(),
            "b was used least recently"
        );
        assert_eq!(cache.get(&key("a"), 1).unwrap().query, "a");
        assert_eq!(cache.get(&key("c"), 1).unwrap().query, "c");
        let stats = cache.stats();
        assert_eq!((stats.entries, stats.hits, stats.misses), (2, 3, 1));
    }

    #[test]
    fn an_answer_from_another_generation_is_a_miss_and_an_older_one_is_not_kept() {
        let cache = ResponseCache::new(4, 1 << 20);
        cache.put(key("a"), 1, response("a"));
        assert!(cache.get(&key("a"), 2).is_none());
        cache.put(key("b"), 2, response("b"));
        assert!(
            cache.get(&key("a"), 1).is_none(),
            "a newer generation clears older answers"
        );
        cache.put(key("late"), 1, response("late"));
        assert!(
            cache.get(&key("late"), 1).is_none(),
            "a late answer of an old generation"
        );
        assert!(cache.get(&key("b"), 2).is_some(), "and it evicted nothing");
    }

    #[test]
    fn a_key_tells_requests_apart() {
        let plain = SearchRequest::new("po");
        let paged = SearchRequest {
            offset: 10,
            ..SearchRequest::new("po")
        };
        let keys = [
            ResponseCache::key(&SearchRequest::new("po\0rproduct-owner"), &[]),
            ResponseCache::key(
                &SearchRequest {
                    categories: vec!["a\0cb".into()],
                    ..SearchRequest::new("po")
                },
                &[],
            ),
            ResponseCache::key(
                &SearchRequest {
                    categories: vec!["a".into(), "b".into()],
                    ..SearchRequest::new("po")
                },
                &[],
            ),
            ResponseCache::key(&plain, &[]),
            ResponseCache::key(&paged, &[]),
            ResponseCache::key(&plain, &["product-owner".to_string()]),
            ResponseCache::key(
                &SearchRequest {
                    locales: vec!["fr".into()],
                    ..SearchRequest::new("po")
                },
                &[],
            ),
            ResponseCache::key(
                &SearchRequest {
                    categories: vec!["product-owner".into()],
                    ..SearchRequest::new("po")
                },
                &[],
            ),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn a_cache_of_no_entries_keeps_nothing() {
        let cache = ResponseCache::new(0, 1 << 20);
        cache.put(key("a"), 1, response("a"));
        assert!(cache.get(&key("a"), 1).is_none());
        assert_eq!(cache.stats().entries, 0);
    }

    fn long(q: &str, bytes: usize) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            query: format!("{q}{}", "x".repeat(bytes)),
            ..SearchResponse::default()
        })
    }

    #[test]
    fn the_cache_holds_at_most_its_budget_in_bytes_dropping_the_least_recently_used() {
        let cache = ResponseCache::new(512, 100_000);
        for i in 0..40 {
            cache.put(key(&i.to_string()), 1, long(&i.to_string(), 10_000));
            assert!(cache.stats().bytes <= 100_000, "{:?}", cache.stats());
        }
        let stats = cache.stats();
        assert!(stats.entries < 10 && stats.entries > 5, "{stats:?}");
        assert!(cache.get(&key("39"), 1).is_some(), "the newest is kept");
        assert!(cache.get(&key("0"), 1).is_none(), "the oldest went");
    }

    #[test]
    fn an_answer_over_a_quarter_of_the_budget_is_not_kept_and_evicts_nothing() {
        let cache = ResponseCache::new(512, 100_000);
        cache.put(key("small"), 1, response("small"));
        cache.put(key("huge"), 1, long("huge", 30_000));
        assert!(cache.get(&key("huge"), 1).is_none());
        assert!(cache.get(&key("small"), 1).is_some());
        let bytes = cache.stats().bytes;
        assert!(bytes > 0 && bytes < 1_000, "{bytes}");
    }

    #[test]
    fn a_replaced_entry_and_a_new_generation_give_their_bytes_back() {
        let cache = ResponseCache::new(512, 100_000);
        cache.put(key("a"), 1, long("a", 5_000));
        cache.put(key("a"), 1, long("a", 5_000));
        let one = cache.stats().bytes;
        assert!((5_000..6_000).contains(&one), "{one}");
        cache.put(key("b"), 2, response("b"));
        assert!(cache.stats().bytes < 1_000);
    }

    #[test]
    fn a_budget_of_no_bytes_is_no_cache() {
        let cache = ResponseCache::new(512, 0);
        assert!(!cache.enabled());
        cache.put(key("a"), 1, response("a"));
        assert!(cache.get(&key("a"), 1).is_none());
    }
}
