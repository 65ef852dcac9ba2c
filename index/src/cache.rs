//! A small cache of recent answers, for a server: readers typing into a
//! search box send the same popular prefixes and queries again and again,
//! and an answer only changes when the index does.
//!
//! Every entry remembers the searcher generation it was computed on; a
//! lookup on any other generation misses, so a reload (a publish, another
//! process's rebuild) never serves an answer from before it, even one that
//! a search running across the reload put in afterwards. When full, the
//! least recently used entry goes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::response::SearchResponse;
use crate::search::SearchRequest;

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

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    /// Ticks of use: the smallest is the least recently used.
    clock: u64,
}

struct Entry {
    generation: u64,
    used: u64,
    response: Arc<SearchResponse>,
}

impl ResponseCache {
    pub fn new(capacity: usize) -> ResponseCache {
        ResponseCache {
            capacity,
            inner: Mutex::new(Inner::default()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    /// Everything the answer depends on besides the index, unambiguously
    /// (the parts cannot contain the separator: `\0` is not in a URL value
    /// a server passes on, and a query with one is only ever a miss).
    pub fn key(request: &SearchRequest, roles: &[String]) -> String {
        let mut key = format!(
            "{}\0{}\0{}\0{}",
            request.limit, request.offset, request.sections, request.q
        );
        for role in roles {
            key.push_str("\0r");
            key.push_str(role);
        }
        for category in &request.categories {
            key.push_str("\0c");
            key.push_str(category);
        }
        key
    }

    pub fn get(&self, key: &str, generation: u64) -> Option<Arc<SearchResponse>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let found = match inner.entries.get_mut(key) {
            Some(entry) if entry.generation == generation => {
                entry.used = now;
                Some(entry.response.clone())
            }
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

    pub fn put(&self, key: String, generation: u64, response: Arc<SearchResponse>) {
        if !self.enabled() {
            return;
        }
        let mut inner = self.lock();
        inner.clock += 1;
        let used = inner.clock;
        if inner.entries.len() >= self.capacity && !inner.entries.contains_key(&key) {
            // Stale generations first, then the least recently used.
            inner.entries.retain(|_, e| e.generation == generation);
            if inner.entries.len() >= self.capacity {
                let oldest = inner
                    .entries
                    .iter()
                    .min_by_key(|(_, e)| e.used)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    inner.entries.remove(&oldest);
                }
            }
        }
        inner.entries.insert(
            key,
            Entry {
                generation,
                used,
                response,
            },
        );
    }

    pub fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.lock().entries.len(),
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

    fn response(q: &str) -> Arc<SearchResponse> {
        Arc::new(SearchResponse {
            query: q.to_string(),
            ..SearchResponse::default()
        })
    }

    #[test]
    fn the_least_recently_used_answer_goes_first_when_full() {
        let cache = ResponseCache::new(2);
        cache.put("a".into(), 1, response("a"));
        cache.put("b".into(), 1, response("b"));
        assert!(cache.get("a", 1).is_some());
        cache.put("c".into(), 1, response("c"));
        assert!(cache.get("b", 1).is_none(), "b was used least recently");
        assert_eq!(cache.get("a", 1).unwrap().query, "a");
        assert_eq!(cache.get("c", 1).unwrap().query, "c");
        let stats = cache.stats();
        assert_eq!((stats.entries, stats.hits, stats.misses), (2, 3, 1));
    }

    #[test]
    fn an_answer_from_another_generation_is_a_miss_and_goes_first() {
        let cache = ResponseCache::new(2);
        cache.put("a".into(), 1, response("a"));
        assert!(cache.get("a", 2).is_none());
        cache.put("b".into(), 2, response("b"));
        cache.put("c".into(), 2, response("c"));
        assert!(cache.get("b", 2).is_some(), "the stale entry made room");
        assert!(cache.get("c", 2).is_some());
    }

    #[test]
    fn a_key_tells_requests_apart() {
        let plain = SearchRequest::new("po");
        let paged = SearchRequest {
            offset: 10,
            ..SearchRequest::new("po")
        };
        let keys = [
            ResponseCache::key(&plain, &[]),
            ResponseCache::key(&paged, &[]),
            ResponseCache::key(&plain, &["product-owner".to_string()]),
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
        cache.put("a".into(), 1, response("a"));
        assert!(cache.get("a", 1).is_none());
        assert_eq!(cache.stats().entries, 0);
    }
}
