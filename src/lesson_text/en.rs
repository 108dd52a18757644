//! The lessons' titles in English; the rest of their words are in
//! `static/i18n/lessons-en.txt`, fetched when a lesson is first shown (`english.rs`).

pub const TITLES: [(&str, &str); 14] = [
    (
        "round-robin-vs-least-connections",
        "Round robin vs least connections",
    ),
    (
        "smooth-weighted-shares",
        "Smooth weighted round robin: weights 2, 3, 4",
    ),
    ("power-of-two-choices", "The power of two choices"),
    ("thread-pool-sizing", "Sizing a thread pool"),
    ("sync-vs-async-io", "Sync vs async I/O with a slow database"),
    (
        "bounded-queues-and-shedding",
        "Bounded queues and the latency cliff",
    ),
    (
        "rate-limiting",
        "Rate limiting: token bucket vs fixed window",
    ),
    ("cache-eviction", "Cache eviction under skewed popularity"),
    (
        "stampede-and-coalescing",
        "Cache stampede and request coalescing",
    ),
    (
        "hashing-when-a-server-dies",
        "IP hash vs consistent hashing when a server dies",
    ),
    ("replicas-and-stale-reads", "Read replicas and stale reads"),
    (
        "sharding-and-indexes",
        "Sharding, the hot shard, and indexes",
    ),
    (
        "optimistic-vs-pessimistic",
        "Optimistic vs pessimistic locking on a hot row",
    ),
    ("retry-storm", "Retries and the retry storm"),
];
