//! Guided lessons: each a preset scenario and the one change to try on it. The words
//! (what to try, what to watch, the question, the explanation) belong to the page and
//! its languages; the model's part lives here, so `tests.rs` can check natively that
//! each lesson's key observation really holds on its preset.

mod presets;

use crate::engine::Change;
use crate::scenario::Scenario;

/// One lesson's model: where it starts and what to change.
pub struct Lesson {
    /// Stable id, used in links and saved progress.
    pub id: &'static str,
    /// Its title in English (the page's other words, and the Chinese, are the page's;
    /// the CLI's `loadlab lessons` lists these).
    pub title: &'static str,
    /// The scenario it starts from.
    pub preset: fn() -> Scenario,
    /// The change the lesson asks the user to make, given the scenario as it stands.
    pub try_it: fn(&Scenario) -> Change,
}

/// Every lesson, in course order.
pub const ALL: [Lesson; 14] = [
    Lesson {
        id: "round-robin-vs-least-connections",
        title: "Round robin vs least connections",
        preset: presets::unequal_servers,
        try_it: presets::to_least_connections,
    },
    Lesson {
        id: "smooth-weighted-shares",
        title: "Smooth weighted round robin: weights 2, 3, 4",
        preset: presets::weighted_2_3_4,
        try_it: presets::equal_weights,
    },
    Lesson {
        id: "power-of-two-choices",
        title: "The power of two choices",
        preset: presets::random_at_high_load,
        try_it: presets::to_power_of_two,
    },
    Lesson {
        id: "thread-pool-sizing",
        title: "Sizing a thread pool",
        preset: presets::few_threads_io_bound,
        try_it: presets::more_threads,
    },
    Lesson {
        id: "sync-vs-async-io",
        title: "Sync vs async I/O with a slow database",
        preset: presets::sync_slow_database,
        try_it: presets::to_async,
    },
    Lesson {
        id: "bounded-queues-and-shedding",
        title: "Bounded queues and the latency cliff",
        preset: presets::overload_unbounded,
        try_it: presets::bound_the_queue,
    },
    Lesson {
        id: "rate-limiting",
        title: "Rate limiting: token bucket vs fixed window",
        preset: presets::fixed_window_burst,
        try_it: presets::to_token_bucket,
    },
    Lesson {
        id: "cache-eviction",
        title: "Cache eviction under skewed popularity",
        preset: presets::fifo_under_zipf,
        try_it: presets::to_lfu,
    },
    Lesson {
        id: "stampede-and-coalescing",
        title: "Cache stampede and request coalescing",
        preset: presets::hot_key_ttl,
        try_it: presets::coalesce,
    },
    Lesson {
        id: "hashing-when-a-server-dies",
        title: "IP hash vs consistent hashing when a server dies",
        preset: presets::ip_hash_local_caches,
        try_it: presets::kill_server_1,
    },
    Lesson {
        id: "replicas-and-stale-reads",
        title: "Read replicas and stale reads",
        preset: presets::lagging_replicas,
        try_it: presets::reads_on_primary,
    },
    Lesson {
        id: "sharding-and-indexes",
        title: "Sharding, the hot shard, and indexes",
        preset: presets::range_sharded_zipf,
        try_it: presets::to_hash_sharding,
    },
    Lesson {
        id: "optimistic-vs-pessimistic",
        title: "Optimistic vs pessimistic locking on a hot row",
        preset: presets::optimistic_hot_row,
        try_it: presets::to_pessimistic,
    },
    Lesson {
        id: "retry-storm",
        title: "Retries and the retry storm",
        preset: presets::retry_storm,
        try_it: presets::retry_budget,
    },
];

/// The lesson with this id.
pub fn by_id(id: &str) -> Option<&'static Lesson> {
    ALL.iter().find(|l| l.id == id)
}

/// Arrivals in each half of [`Lesson::reference_fingerprint`]'s run.
const REFERENCE_ARRIVALS: u64 = 10_000;

impl Lesson {
    /// A fingerprint of a fixed run: the preset for 10,000 arrivals, the lesson's change,
    /// 10,000 more; then FNV-1a (64-bit) of the summary's JSON. The native tests and the
    /// wasm tests compare the same pinned values, so every mechanism the lessons use (and
    /// a live change of each) is checked to run bit for bit alike on both.
    pub fn reference_fingerprint(&self) -> String {
        let mut sim = crate::Simulation::new((self.preset)()).expect("a preset is valid");
        sim.run_arrivals(REFERENCE_ARRIVALS);
        let change = (self.try_it)(sim.scenario());
        sim.apply(change).expect("the lesson's change applies");
        sim.run_arrivals(REFERENCE_ARRIVALS);
        let json = serde_json::to_string(&sim.summary()).expect("a summary serialises");
        let hash = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{} {hash:016x}", self.id)
    }
}

#[cfg(test)]
mod tests;
