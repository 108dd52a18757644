//! The run's caches: none, one shared, or one per server; their counters since the start
//! (those of caches a live change replaced included); and the cache loads in flight
//! that single flight lets later misses join.

use crate::cache::{Cache, CacheConfig, CacheStats, Key, KeyMap, Placement};
use crate::rng::{stream, Stream};
use crate::RequestId;

/// Which caches there are.
enum Set {
    None,
    Shared(Cache),
    /// By server index.
    Local(Vec<Cache>),
}

/// A cache load in flight: the server whose request queries the database, and the
/// requests (with their attempts) waiting for its result.
struct Flight {
    leader_server: u32,
    followers: Vec<(RequestId, u64)>,
}

/// The caches, their lasting counters and the loads in flight.
pub(super) struct Caches {
    set: Set,
    /// Counters of caches replaced by a live change (all, and by server index), so that
    /// counts since the start never go backwards.
    retired: CacheStats,
    retired_local: Vec<CacheStats>,
    /// Cache loads in flight (single flight), by [`flight_key`].
    flights: KeyMap<Flight>,
}

/// The flights' key: the cache (0 when shared, else the server's index) and the key.
pub(super) fn flight_key(cache: u32, key: Key) -> Key {
    // Keys stay below 2^40 (`MAX_KEYS`), so the cache index fits above them.
    (u64::from(cache) << 40) | key
}

impl Caches {
    /// No cache yet.
    pub(super) fn new() -> Self {
        Self {
            set: Set::None,
            retired: CacheStats::default(),
            retired_local: Vec::new(),
            flights: KeyMap::default(),
        }
    }

    /// Counters since the start, all caches together (replaced ones included).
    pub(super) fn stats(&self) -> CacheStats {
        let current = match &self.set {
            Set::None => CacheStats::default(),
            Set::Shared(cache) => cache.stats(),
            Set::Local(caches) => caches
                .iter()
                .map(Cache::stats)
                .fold(CacheStats::default(), add_stats),
        };
        add_stats(self.retired, current)
    }

    /// Counters since the start of each server's own cache, by server index (empty if
    /// caches were never local). They never go backwards, even across a rebuild.
    pub(super) fn local_stats(&self) -> Vec<CacheStats> {
        let mut stats = self.retired_local.clone();
        if let Set::Local(caches) = &self.set {
            stats.resize(caches.len().max(stats.len()), CacheStats::default());
            for (total, cache) in stats.iter_mut().zip(caches) {
                *total = add_stats(*total, cache.stats());
            }
        }
        stats
    }

    /// Entries and capacity of each cache (one for a shared cache).
    pub(super) fn fill(&self) -> Vec<(usize, usize)> {
        self.all().map(|c| (c.len(), c.capacity())).collect()
    }

    fn all(&self) -> impl Iterator<Item = &Cache> {
        let caches: &[Cache] = match &self.set {
            Set::None => &[],
            Set::Shared(cache) => std::slice::from_ref(cache),
            Set::Local(caches) => caches,
        };
        caches.iter()
    }

    /// Every cache, to change a setting in each.
    pub(super) fn all_mut(&mut self) -> impl Iterator<Item = &mut Cache> {
        let caches: &mut [Cache] = match &mut self.set {
            Set::None => &mut [],
            Set::Shared(cache) => std::slice::from_mut(cache),
            Set::Local(caches) => caches,
        };
        caches.iter_mut()
    }

    /// The cache that serves `server`, if any.
    pub(super) fn for_server(&mut self, server: u32) -> Option<&mut Cache> {
        match &mut self.set {
            Set::None => None,
            Set::Shared(cache) => Some(cache),
            Set::Local(caches) => caches.get_mut(server as usize),
        }
    }

    /// Which cache serves `server`: 0 for the shared one, the server's index for its
    /// own; `None` without a cache.
    pub(super) fn index_of(&self, server: u32) -> Option<u32> {
        match self.set {
            Set::None => None,
            Set::Shared(_) => Some(0),
            Set::Local(_) => Some(server),
        }
    }

    /// Empty caches for `config` (one per server of `servers` when local), keeping the
    /// counters of the ones they replace.
    pub(super) fn rebuild(&mut self, config: Option<&CacheConfig>, servers: u32, seed: u64) {
        self.retired = self.stats();
        self.retired_local = self.local_stats();
        self.set = match config {
            None => Set::None,
            Some(c) if c.placement == Placement::Shared => Set::Shared(new_cache(c, seed, 0)),
            Some(c) => Set::Local((0..servers).map(|i| new_cache(c, seed, i + 1)).collect()),
        };
    }

    /// A new server `id` joined: with local caches, it gets its own.
    pub(super) fn server_added(&mut self, config: Option<&CacheConfig>, seed: u64, id: u32) {
        if let (Set::Local(caches), Some(config)) = (&mut self.set, config) {
            caches.push(new_cache(config, seed, id + 1));
        }
    }

    /// Whether a load of `flight` is under way; if so, `follower` waits for its result.
    pub(super) fn join_flight(&mut self, flight: Key, follower: (RequestId, u64)) -> bool {
        match self.flights.get_mut(&flight) {
            Some(f) => {
                f.followers.push(follower);
                true
            }
            None => false,
        }
    }

    /// A request on `server` starts the load of `flight`: later misses wait for it.
    pub(super) fn lead_flight(&mut self, flight: Key, server: u32) {
        self.flights.insert(
            flight,
            Flight {
                leader_server: server,
                followers: Vec::new(),
            },
        );
    }

    /// The load of `flight` is over (or lost its leader): the requests that waited for
    /// it, and the load leaves the table.
    pub(super) fn land_flight(&mut self, flight: Key) -> Vec<(RequestId, u64)> {
        self.flights
            .remove(&flight)
            .map_or_else(Vec::new, |f| f.followers)
    }

    /// The loads led by a request on `server`, in key order.
    pub(super) fn flights_led_on(&self, server: u32) -> Vec<Key> {
        let mut led: Vec<Key> = self
            .flights
            .iter()
            .filter(|(_, f)| f.leader_server == server)
            .map(|(&k, _)| k)
            .collect();
        led.sort_unstable();
        led
    }

    /// Puts a load back under a new leader on `server`, with the requests still waiting.
    pub(super) fn hand_over_flight(
        &mut self,
        flight: Key,
        server: u32,
        followers: Vec<(RequestId, u64)>,
    ) {
        self.flights.insert(
            flight,
            Flight {
                leader_server: server,
                followers,
            },
        );
    }
}

fn new_cache(config: &CacheConfig, seed: u64, id: u32) -> Cache {
    Cache::new(
        config.policy,
        config.capacity as usize,
        config.ttl_seconds,
        stream(seed, Stream::Cache(id)),
    )
}

fn add_stats(a: CacheStats, b: CacheStats) -> CacheStats {
    CacheStats {
        hits: a.hits + b.hits,
        misses: a.misses + b.misses,
        evictions: a.evictions + b.evictions,
        expirations: a.expirations + b.expirations,
    }
}
