//! A small cache of recent answers, for a server: readers typing into a
//! search box send the same popular prefixes and queries again and again,
//! and an answer only changes when the index does.
//!
//! Every entry remembers the searcher generation it was computed on; a
//! lookup on any other generation misses, so a reload (a publish, another
//! process's rebuild) never serves an answer from before it, and an answer
//! a search running across the reload puts in afterwards is not kept. When
//! full, the least recently used entry goes (the `lru` crate).

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use lru::LruCache;

use crate::search::request::SearchRequest;
use crate::search::response::SearchResponse;

pub(crate) struct ResponseCache {
    capacity: usize,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

/// How the cache of an opened index is doing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheStats {
    pub entries: usize,
    pub capacity: usize,
    pub hits: u64,
    pub misses: u64,
}

struct Inner {
    /// Answers of the newest generation, least recently used last.
    entries: Option<LruCache<Key, Arc<SearchResponse>>>,
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
    pub fn new(capacity: usize) -> ResponseCache {
        ResponseCache {
            capacity,
            inner: Mutex::new(Inner {
                entries: NonZeroUsize::new(capacity).map(LruCache::new),
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
            Some(entries) if current => entries.get(key).cloned(),
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
        let Some(entries) = inner.entries.as_mut() else {
            return;
        };
        if newer {
            entries.clear();
        }
        entries.put(key, response);
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.lock().entries.as_ref().map_or(0, LruCache::len),
            capacity: self.capacity,
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
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
        let cache = ResponseCache::new(2);
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
        let cache = ResponseCache::new(4);
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
        let cache = ResponseCache::new(0);
        cache.put(key("a"), 1, response("a"));
        assert!(cache.get(&key("a"), 1).is_none());
        assert_eq!(cache.stats().entries, 0);
    }
}
