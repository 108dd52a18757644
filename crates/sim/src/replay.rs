//! Replaying a key trace through a cache policy: what `loadlab replay` does.

use crate::cache::{Fifo, Key, Lfu, Lru, Policy, PolicyKind, RandomEviction, S3Fifo, Sieve};
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

/// Replays `keys` through a fresh cache: each request is a lookup, and a fill on a miss
/// (evicting the policy's victim when full), as [`crate::cache::Cache::request`] does.
pub fn replay(policy: PolicyKind, capacity: usize, keys: &[Key]) -> ReplayResult {
    // Each policy runs through `count`, a generic function, so the compiler inlines the
    // policy's lookup and replacement: a trace replay is nothing but those calls.
    let (hits, misses) = match policy {
        PolicyKind::Lru => count(Lru::default(), capacity, keys),
        PolicyKind::Lfu => count(Lfu::default(), capacity, keys),
        PolicyKind::Fifo => count(Fifo::default(), capacity, keys),
        PolicyKind::Random => count(
            RandomEviction::new(stream(0, Stream::Cache(0))),
            capacity,
            keys,
        ),
        PolicyKind::Sieve => count(Sieve::default(), capacity, keys),
        PolicyKind::S3Fifo => count(S3Fifo::default(), capacity, keys),
    };
    ReplayResult {
        policy,
        capacity,
        requests: keys.len() as u64,
        hits,
        misses,
        hit_rate: if keys.is_empty() {
            0.0
        } else {
            hits as f64 / keys.len() as f64
        },
    }
}

/// Hits and misses of `keys` through `policy` at `capacity`.
fn count<P: Policy>(mut policy: P, capacity: usize, keys: &[Key]) -> (u64, u64) {
    policy.set_capacity(capacity);
    let mut hits = 0;
    for &key in keys {
        if policy.lookup(key) {
            hits += 1;
        } else if capacity > 0 {
            if policy.len() >= capacity {
                policy.replace(key);
            } else {
                policy.admit(key);
            }
        }
    }
    (hits, keys.len() as u64 - hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_maps_equal_lines_to_equal_keys() {
        assert_eq!(intern_lines("a\nb\n a \n\nc\nb\n"), [0, 1, 0, 2, 1]);
    }

    #[test]
    fn replay_agrees_with_the_generic_cache_for_every_policy() {
        use crate::cache::Cache;
        let zipf = crate::zipf::Zipf::new(500, 0.9);
        let mut rng = stream(3, Stream::Requests);
        let keys: Vec<Key> = (0..20_000).map(|_| zipf.sample(&mut rng)).collect();
        for kind in PolicyKind::ALL {
            let mut cache = Cache::new(kind, 50, None, stream(0, Stream::Cache(0)));
            let hits = keys.iter().filter(|&&k| cache.request(k)).count() as u64;
            assert_eq!(replay(kind, 50, &keys).hits, hits, "{kind:?}");
        }
    }

    #[test]
    fn replay_counts_hits_and_misses() {
        let r = replay(PolicyKind::Lru, 2, &intern_lines("x\ny\nx\nz\nx\n"));
        assert_eq!((r.requests, r.hits, r.misses), (5, 2, 3));
        assert!((r.hit_rate - 0.4).abs() < 1e-12);
    }
}
