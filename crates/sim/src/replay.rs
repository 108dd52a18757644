//! Replaying a key trace through a cache policy: what `loadlab replay` does.

use crate::cache::{Cache, Key, PolicyKind};
use crate::rng::{stream, Stream};
use serde::Serialize;
use std::collections::HashMap;

/// What a replay found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplayResult {
    /// The policy replayed.
    pub policy: PolicyKind,
    /// Its capacity, in entries.
    pub capacity: usize,
    /// Requests in the trace.
    pub requests: u64,
    /// Requests that hit.
    pub hits: u64,
    /// Requests that missed (and filled the cache).
    pub misses: u64,
    /// Hits over requests.
    pub hit_rate: f64,
}

/// Turns a trace (one key per line; blank lines skipped) into dense numeric keys.
/// Equal lines get equal keys; surrounding white space is ignored.
pub fn intern_lines(text: &str) -> Vec<Key> {
    let mut ids: HashMap<&str, Key> = HashMap::new();
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let next = ids.len() as Key;
            *ids.entry(line).or_insert(next)
        })
        .collect()
}

/// Replays `keys` through a fresh cache: each request is a lookup, and a fill on a miss.
pub fn replay(policy: PolicyKind, capacity: usize, keys: &[Key]) -> ReplayResult {
    let mut cache = Cache::new(policy, capacity, None, stream(0, Stream::Cache(0)));
    for &key in keys {
        cache.request(key);
    }
    let stats = cache.stats();
    ReplayResult {
        policy,
        capacity,
        requests: keys.len() as u64,
        hits: stats.hits,
        misses: stats.misses,
        hit_rate: stats.hit_rate(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_maps_equal_lines_to_equal_keys() {
        assert_eq!(intern_lines("a\nb\n a \n\nc\nb\n"), [0, 1, 0, 2, 1]);
    }

    #[test]
    fn replay_counts_hits_and_misses() {
        let r = replay(PolicyKind::Lru, 2, &intern_lines("x\ny\nx\nz\nx\n"));
        assert_eq!((r.requests, r.hits, r.misses), (5, 2, 3));
        assert!((r.hit_rate - 0.4).abs() < 1e-12);
    }
}
