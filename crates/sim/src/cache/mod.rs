//! Caches: eviction policies, one per file behind [`Policy`], under a generic
//! [`Cache`] that owns what every policy shares (capacity, TTL, hit/miss counts).
//!
//! Adding a policy is adding a file: implement [`Policy`], add a variant to
//! [`PolicyKind`] and a line to [`PolicyKind::build`].

mod config;
mod fifo;
mod key_index;
mod keyed_list;
mod lfu;
pub mod list;
mod lru;
mod random;
mod s3fifo;
mod sieve;

pub use config::{CacheConfig, Placement, WriteMode};
pub use fifo::Fifo;
pub use lfu::Lfu;
pub use lru::Lru;
pub use random::RandomEviction;
pub use s3fifo::S3Fifo;
pub use sieve::Sieve;

use crate::rng::SimRng;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// A cache key: the simulator's keys are numbers; a replayed trace's keys are interned.
pub type Key = u64;

/// Hash map from keys, with a fast non-cryptographic hash (keys are not adversarial here).
pub type KeyMap<V> = FxHashMap<Key, V>;

/// What an eviction policy decides: what stays, in what order, and who goes.
///
/// The [`Cache`] around it guarantees `admit` is only called for an absent key with
/// room to spare, and calls `evict` first when the cache is full.
pub trait Policy {
    /// Looks `key` up and records the access; `true` on a hit.
    fn lookup(&mut self, key: Key) -> bool;
    /// Adds `key`, which is absent, with room for it.
    fn admit(&mut self, key: Key);
    /// Chooses a victim, removes it and returns it; `None` when empty.
    fn evict(&mut self) -> Option<Key>;
    /// Evicts one victim and admits `key` (absent) in its place, returning the victim:
    /// what a miss in a full cache does. Policies whose victim is always the oldest
    /// entry override it to reuse the victim's slot.
    fn replace(&mut self, key: Key) -> Option<Key> {
        let victim = self.evict();
        self.admit(key);
        victim
    }
    /// Removes `key` if present (an invalidation); `true` if it was there.
    fn remove(&mut self, key: Key) -> bool;
    /// How many keys are cached.
    fn len(&self) -> usize;
    /// Whether nothing is cached.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Told the cache's capacity, for policies that size inner queues from it.
    fn set_capacity(&mut self, _capacity: usize) {}
    /// Every cached key, oldest first by the policy's own order, to migrate on a switch.
    fn keys(&self) -> Vec<Key>;
}

/// The eviction policies a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Least recently used.
    Lru,
    /// Least frequently used, ties broken by least recently used.
    Lfu,
    /// First in, first out: hits change nothing.
    Fifo,
    /// A uniformly random victim.
    Random,
    /// SIEVE (NSDI 2024): FIFO with a visited bit and a moving hand.
    Sieve,
    /// S3-FIFO (SOSP 2023): small, main and ghost FIFO queues.
    S3Fifo,
}

impl PolicyKind {
    /// Every policy, in the order menus list them.
    pub const ALL: [PolicyKind; 6] = [
        PolicyKind::Lru,
        PolicyKind::Lfu,
        PolicyKind::Fifo,
        PolicyKind::Random,
        PolicyKind::Sieve,
        PolicyKind::S3Fifo,
    ];

    /// A fresh, empty policy; `rng` is used only by policies that draw.
    pub fn build(self, rng: SimRng) -> Box<dyn Policy> {
        match self {
            PolicyKind::Lru => Box::new(Lru::default()),
            PolicyKind::Lfu => Box::new(Lfu::default()),
            PolicyKind::Fifo => Box::new(Fifo::default()),
            PolicyKind::Random => Box::new(RandomEviction::new(rng)),
            PolicyKind::Sieve => Box::new(Sieve::default()),
            PolicyKind::S3Fifo => Box::new(S3Fifo::default()),
        }
    }

    /// The name used in scenario files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Lru => "lru",
            PolicyKind::Lfu => "lfu",
            PolicyKind::Fifo => "fifo",
            PolicyKind::Random => "random",
            PolicyKind::Sieve => "sieve",
            PolicyKind::S3Fifo => "s3_fifo",
        }
    }

    /// The policy named `name`, as [`PolicyKind::name`] spells it.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Hit and miss counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// Lookups that found a live entry.
    pub hits: u64,
    /// Lookups that found nothing or an expired entry.
    pub misses: u64,
    /// Entries pushed out to make room.
    pub evictions: u64,
    /// Entries found past their TTL (counted among the misses too).
    pub expirations: u64,
}

impl CacheStats {
    /// Hits over lookups; 0 before any lookup.
    pub fn hit_rate(&self) -> f64 {
        let lookups = self.hits + self.misses;
        if lookups == 0 {
            0.0
        } else {
            self.hits as f64 / lookups as f64
        }
    }
}

/// A cache of bounded capacity with a policy and an optional time to live.
///
/// Expiry is lazy, as in memcached: an expired entry keeps its place until a lookup
/// finds it stale (a miss) or the policy evicts it.
pub struct Cache {
    kind: PolicyKind,
    policy: Box<dyn Policy>,
    capacity: usize,
    ttl: Option<f64>,
    /// When each entry was written; kept only while a TTL is set.
    written_at: KeyMap<f64>,
    /// The database version of each entry's value; only entries with a version above 0
    /// (rows written since the start) are kept, so a cache without writes pays nothing.
    versions: KeyMap<u64>,
    stats: CacheStats,
}

impl Cache {
    /// An empty cache.
    pub fn new(kind: PolicyKind, capacity: usize, ttl: Option<f64>, rng: SimRng) -> Self {
        let mut policy = kind.build(rng);
        policy.set_capacity(capacity);
        Self {
            kind,
            policy,
            capacity,
            ttl,
            written_at: KeyMap::default(),
            versions: KeyMap::default(),
            stats: CacheStats::default(),
        }
    }

    /// A lookup at time `now`: `true` on a hit. Counts toward the hit rate.
    pub fn get(&mut self, key: Key, now: f64) -> bool {
        let hit = self.policy.lookup(key) && !self.expire_if_stale(key, now);
        if hit {
            self.stats.hits += 1;
        } else {
            self.stats.misses += 1;
        }
        hit
    }

    /// Stores `key` at time `now` (a fill after a miss, or a write-through).
    pub fn put(&mut self, key: Key, now: f64) {
        if self.policy.lookup(key) {
            self.stamp(key, now);
        } else {
            self.fill(key, now);
        }
    }

    /// Stores `key` holding the value of database version `version` (see
    /// [`Cache::version`]).
    pub fn put_version(&mut self, key: Key, now: f64, version: u64) {
        self.put(key, now);
        if version > 0 {
            self.versions.insert(key, version);
        } else if !self.versions.is_empty() {
            self.versions.remove(&key);
        }
    }

    /// The database version of the value cached under `key` (0: never written).
    pub fn version(&self, key: Key) -> u64 {
        if self.versions.is_empty() {
            0
        } else {
            self.versions.get(&key).copied().unwrap_or(0)
        }
    }

    /// Stores `key`, known to be absent, evicting to make room.
    fn fill(&mut self, key: Key, now: f64) {
        if self.capacity == 0 {
            return;
        }
        // `set_capacity` evicts down to the capacity, so the cache is never over it:
        // full means exactly full, and one look at the length decides.
        if self.policy.len() >= self.capacity {
            let victim = self.policy.replace(key);
            self.forget(victim);
        } else {
            self.policy.admit(key);
        }
        self.stamp(key, now);
    }

    fn stamp(&mut self, key: Key, now: f64) {
        if self.ttl.is_some() {
            self.written_at.insert(key, now);
        }
    }

    /// Drops `key` if cached (a write invalidating it).
    pub fn invalidate(&mut self, key: Key) {
        self.policy.remove(key);
        self.written_at.remove(&key);
        self.versions.remove(&key);
    }

    /// Replays one request of a trace: a lookup, and a fill on a miss.
    pub fn request(&mut self, key: Key) -> bool {
        let hit = self.get(key, 0.0);
        if !hit {
            self.fill(key, 0.0);
        }
        hit
    }

    /// Resizes, evicting by the policy's order when shrinking.
    pub fn set_capacity(&mut self, capacity: usize) {
        self.capacity = capacity;
        self.policy.set_capacity(capacity);
        while self.policy.len() > capacity {
            self.evict_one();
        }
    }

    /// Sets or clears the time to live; entries already written keep their write times.
    pub fn set_ttl(&mut self, ttl: Option<f64>, now: f64) {
        if ttl.is_some() && self.ttl.is_none() {
            for key in self.policy.keys() {
                self.written_at.insert(key, now);
            }
        } else if ttl.is_none() {
            self.written_at.clear();
        }
        self.ttl = ttl;
    }

    /// Switches policy, keeping the cached keys (re-admitted oldest first).
    pub fn set_policy(&mut self, kind: PolicyKind, rng: SimRng) {
        let keys = self.policy.keys();
        self.kind = kind;
        self.policy = kind.build(rng);
        self.policy.set_capacity(self.capacity);
        for key in keys {
            self.policy.admit(key);
        }
    }

    /// The policy in use.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }
    /// Maximum entries.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
    /// Entries now.
    pub fn len(&self) -> usize {
        self.policy.len()
    }
    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.policy.is_empty()
    }
    /// The time to live, if any.
    pub fn ttl(&self) -> Option<f64> {
        self.ttl
    }
    /// Counts since the start.
    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    fn evict_one(&mut self) {
        let victim = self.policy.evict();
        self.forget(victim);
    }

    fn forget(&mut self, victim: Option<Key>) {
        if let Some(victim) = victim {
            if self.ttl.is_some() {
                self.written_at.remove(&victim);
            }
            if !self.versions.is_empty() {
                self.versions.remove(&victim);
            }
            self.stats.evictions += 1;
        }
    }

    /// Removes `key` if its TTL has run out; `true` if it did.
    fn expire_if_stale(&mut self, key: Key, now: f64) -> bool {
        let Some(ttl) = self.ttl else { return false };
        let stale = self.written_at.get(&key).is_some_and(|&t| now - t >= ttl);
        if stale {
            self.invalidate(key);
            self.stats.expirations += 1;
        }
        stale
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    /// Replays `trace` through `kind` at `capacity`; returns the hit/miss string (H/M).
    pub fn replay(kind: PolicyKind, capacity: usize, trace: &[Key]) -> String {
        let mut cache = Cache::new(kind, capacity, None, stream(1, Stream::Cache(0)));
        trace
            .iter()
            .map(|&k| if cache.request(k) { 'H' } else { 'M' })
            .collect()
    }

    #[test]
    fn ttl_expires_entries_lazily() {
        let mut c = Cache::new(PolicyKind::Lru, 10, Some(5.0), stream(1, Stream::Cache(0)));
        c.put(1, 0.0);
        assert!(c.get(1, 4.9));
        assert!(!c.get(1, 5.0));
        assert_eq!(c.stats().expirations, 1);
        assert_eq!(c.len(), 0);
    }

    #[test]
    fn shrinking_evicts_in_policy_order() {
        let mut c = Cache::new(PolicyKind::Lru, 4, None, stream(1, Stream::Cache(0)));
        for k in 1..=4 {
            c.put(k, 0.0);
        }
        c.get(1, 0.0);
        c.set_capacity(2);
        assert!(c.get(1, 0.0));
        assert!(c.get(4, 0.0));
        assert!(!c.get(2, 0.0));
        assert_eq!(c.stats().evictions, 2);
    }

    #[test]
    fn switching_policy_keeps_the_cached_keys() {
        let mut c = Cache::new(PolicyKind::Lru, 4, None, stream(1, Stream::Cache(0)));
        for k in 1..=3 {
            c.put(k, 0.0);
        }
        for kind in PolicyKind::ALL {
            c.set_policy(kind, stream(1, Stream::Cache(0)));
            assert_eq!(c.len(), 3, "{kind:?}");
            assert!((1..=3).all(|k| c.get(k, 0.0)), "{kind:?}");
        }
    }

    #[test]
    fn zero_capacity_caches_nothing() {
        for kind in PolicyKind::ALL {
            assert_eq!(replay(kind, 0, &[1, 1, 1]), "MMM");
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in PolicyKind::ALL {
            assert_eq!(PolicyKind::from_name(kind.name()), Some(kind));
        }
    }

    #[test]
    fn every_policy_respects_capacity_and_invalidation() {
        for kind in PolicyKind::ALL {
            let mut c = Cache::new(kind, 3, None, stream(2, Stream::Cache(0)));
            for k in 0..50 {
                c.request(k % 7);
                assert!(c.len() <= 3, "{kind:?}");
            }
            c.put(99, 0.0);
            c.invalidate(99);
            assert!(!c.get(99, 0.0), "{kind:?}");
        }
    }
}
