//! The lessons' words: what to try, what to watch, the question, and the explanation
//! revealed on demand. The model of each lesson (its preset and its change) lives in the
//! core (`loadlab_sim::lessons`), where tests check that what these words promise holds.

/// One lesson's words.
pub struct LessonText {
    pub title: &'static str,
    pub try_it: &'static str,
    /// The label of the button that makes the lesson's change.
    pub button: &'static str,
    pub watch: &'static str,
    pub question: &'static str,
    pub explanation: &'static str,
    /// The control groups (element ids) this lesson works with: presenter mode shows
    /// only these, beside the lesson and time.
    pub groups: &'static [&'static str],
}

/// The words of lesson `id` (every id of `loadlab_sim::lessons::ALL` has them; a test
/// checks).
pub fn text(id: &str) -> Option<&'static LessonText> {
    TEXTS.iter().find(|(i, _)| *i == id).map(|(_, t)| t)
}

const TEXTS: [(&str, LessonText); 14] = [
    ("round-robin-vs-least-connections", LessonText {
        title: "Round robin vs least connections",
        try_it: "Switch the balancer from round robin to least connections.",
        button: "Switch to least connections",
        watch: "Errors and p99 latency, and the queue of server 3, which runs at a quarter speed.",
        question: "Round robin gives every server the same share. Why does that hurt when the servers differ?",
        explanation: "Round robin sends server 3 a quarter of 700 req/s, 175 a second, but at a quarter speed it serves at most 100: its queue fills, its requests wait, then they are turned away. Least connections sends each request to the server with the fewest in flight. A slow server holds its requests longer, so it gets fewer new ones: the load follows capacity without anyone measuring it.",
        groups: &["balancer", "servers"],
    }),
    ("smooth-weighted-shares", LessonText {
        title: "Smooth weighted round robin: weights 2, 3, 4",
        try_it: "Look at the requests per server, then set the weights equal.",
        button: "Make the weights equal",
        watch: "The requests-per-server chart.",
        question: "With weights 2, 3 and 4, what share of requests does each server get, and in what order do they come?",
        explanation: "At each pick every server adds its weight to a running score; the highest score wins and gives back the total, 9. Over any 9 requests each server wins exactly its weight: 2/9, 3/9 and 4/9 of the traffic. And the wins are interleaved (c, b, a, c, b, c, a, b, c), not in bursts as with plain weighted round robin.",
        groups: &["balancer", "servers", "theory"],
    }),
    ("power-of-two-choices", LessonText {
        title: "The power of two choices",
        try_it: "Switch the balancer from random to power of two choices.",
        button: "Switch to two choices",
        watch: "Mean and p99 latency, and the queue lengths per server.",
        question: "Random choice spreads the load evenly on average. Why are the queues still long at 90 % load?",
        explanation: "Random choice makes each server an independent M/M/1 queue: at 90 % load a request spends 10 ms / (1 − 0.9) = 100 ms in the system on average, and no imbalance is ever corrected. Asking two random servers and taking the less loaded one almost never joins a long queue: the longest queue shrinks from about log n to log log n. Least connections does a little better but needs to know every server's load; two choices needs only two probes.",
        groups: &["balancer", "theory"],
    }),
    ("thread-pool-sizing", LessonText {
        title: "Sizing a thread pool",
        try_it: "Raise the threads per server from 2 to 10.",
        button: "Use 10 threads",
        watch: "Throughput and utilisation.",
        question: "The server has 2 cores. How can 10 threads serve more than 2?",
        explanation: "Each request computes for 10 ms, then waits 40 ms on the database, holding its thread (sync I/O). Two threads serve one request per 50 ms each, 40 a second, and the cores idle four fifths of the time. Little's law sizes the pool: threads = throughput × time a request holds one = 200/s × 50 ms = 10. Past that knee the cores are the limit, and more threads only add context switches.",
        groups: &["servers", "theory"],
    }),
    ("sync-vs-async-io", LessonText {
        title: "Sync vs async I/O with a slow database",
        try_it: "Switch the servers' I/O from sync to async.",
        button: "Switch to async I/O",
        watch: "Throughput and latency.",
        question: "The database takes 50 ms. Why does a server of 4 workers top out near 77 requests a second?",
        explanation: "With sync I/O a worker is held for 2 ms of compute plus 50 ms of waiting: 4 workers / 52 ms ≈ 77 a second. With async I/O the worker hands the wait to an event loop and takes the next request, so the 4 workers only compute, and all 300 a second are served. The wait has not gone away: it moved from threads to requests in flight.",
        groups: &["servers", "database"],
    }),
    ("bounded-queues-and-shedding", LessonText {
        title: "Bounded queues and the latency cliff",
        try_it: "Bound the queue at 20 requests.",
        button: "Bound the queue",
        watch: "p99 latency over time, and rejections.",
        question: "At 120 % load, what does an unbounded queue buy you?",
        explanation: "The server can do 400 a second; 480 arrive. Whatever the queue, 80 a second cannot be served. An unbounded queue takes them anyway, grows by 80 every second, and everyone's latency climbs without limit: it only postpones the failure. A bounded queue turns the excess away at once (about 1 in 6) and keeps latency low for the rest. Shedding requests that waited too long does the same by time instead of length.",
        groups: &["servers", "protection"],
    }),
    ("rate-limiting", LessonText {
        title: "Rate limiting: token bucket vs fixed window",
        try_it: "Switch the limiter to a token bucket of 100 a second, burst 10.",
        button: "Use a token bucket",
        watch: "The throughput chart, in quarter-second windows.",
        question: "Both limiters let about 100 requests a second through. What is different?",
        explanation: "A fixed window counts requests per calendar second: the first 100 of each second pass at once and the rest are refused, so the servers get bursts of 400 a second for a quarter second, and across a window boundary up to twice the limit can pass within one second. A token bucket refills steadily, so requests are admitted evenly at the rate, with bursts no larger than the bucket.",
        groups: &["protection", "traffic"],
    }),
    ("cache-eviction", LessonText {
        title: "Cache eviction under skewed popularity",
        try_it: "Switch the eviction policy from FIFO to LFU; then try LRU, SIEVE and S3-FIFO, and other sizes.",
        button: "Switch to LFU",
        watch: "The cache hit rate.",
        question: "FIFO ignores hits entirely. Why does that cost so much when a few keys are very popular?",
        explanation: "Under Zipf popularity a few keys take most requests. FIFO evicts the oldest entry even when it is the most popular, so hot keys keep falling out and missing. LFU keeps keys by how often they are used, so the hot set stays. LRU sits in between; SIEVE and S3-FIFO come close to LFU at FIFO's cost. The hit rate grows with the size, but less and less: the long tail is expensive.",
        groups: &["cache"],
    }),
    ("stampede-and-coalescing", LessonText {
        title: "Cache stampede and request coalescing",
        try_it: "Turn on single flight in the cache group.",
        button: "Turn on single flight",
        watch: "Queries per database node.",
        question: "The hot key is cached for a second and takes 100 ms to load. How many database reads does each expiry cost?",
        explanation: "When the entry expires, every request in the next 100 ms misses too, about 50 at 500 a second, and each sends its own query: a stampede, which can topple a database when the key is hot enough. With single flight the first miss loads the key and the others wait for its result: one query per expiry. Refreshing before expiry and jittering TTLs are other cures.",
        groups: &["cache", "database"],
    }),
    ("hashing-when-a-server-dies", LessonText {
        title: "IP hash vs consistent hashing when a server dies",
        try_it: "Kill server 1 and watch the hit rate once the health check notices. Then reset the lesson, switch the balancer to consistent hashing on the client address, and kill server 1 again.",
        button: "Kill server 1",
        watch: "The cache hit rate, and each server's own hit rate (point at it).",
        question: "Each server caches its clients' sessions. What happens to the other servers' caches when one dies?",
        explanation: "IP hash takes the client's hash modulo the number of healthy servers. When 4 becomes 3, about three clients in four move to another server and find its cache cold. A consistent-hash ring moves only the dead server's clients; everyone else keeps a warm cache.",
        groups: &["balancer", "servers", "cache"],
    }),
    ("replicas-and-stale-reads", LessonText {
        title: "Read replicas and stale reads",
        try_it: "Send reads to the primary: turn off \"Reads go to replicas\".",
        button: "Read from the primary",
        watch: "Stale reads (the database waits chart) and the primary's load (queries per node).",
        question: "A user writes, then reads the value back at once. How can they see the old value?",
        explanation: "Replicas apply the primary's writes after a replication lag, here half a second. A read that lands on a replica inside that window gets the previous version. Worse, a cache entry invalidated by the write can be refilled with that stale value and serve it until the next write. Reading from the primary fixes it but loads the primary; routing a user's reads to the primary just after their own writes is the usual middle way.",
        groups: &["database", "cache"],
    }),
    ("sharding-and-indexes", LessonText {
        title: "Sharding, the hot shard, and indexes",
        try_it: "Switch the sharding from range to hash. Then turn the index off and grow the table.",
        button: "Shard by hash",
        watch: "Queries per database node, and latency.",
        question: "Four shards should take a quarter of the load each. Why does one take most of it?",
        explanation: "Range sharding keeps neighbouring keys together, and with Zipf popularity the lowest keys are the hottest, so shard 0 gets most queries. Hashing spreads keys evenly, but one very hot key still lives on one shard. Without an index a query scans its shard's rows, so its time grows with the table: more shards also means smaller scans.",
        groups: &["database"],
    }),
    ("optimistic-vs-pessimistic", LessonText {
        title: "Optimistic vs pessimistic locking on a hot row",
        try_it: "Switch the row locking to pessimistic.",
        button: "Use pessimistic locks",
        watch: "Conflicts and lock waits (the database waits chart), and errors.",
        question: "Half the requests write, most of them to one row. What does each kind of locking cost here?",
        explanation: "Optimistic locking reads the row's version, does the work, and checks the version at commit. When many writes overlap on one row most find it changed, redo their work, and some give up: errors. Pessimistic locking makes them queue for the row's lock instead: no wasted work, only waiting. Optimistic locking wins when conflicts are rare; under contention, queueing is cheaper than redoing.",
        groups: &["database"],
    }),
    ("retry-storm", LessonText {
        title: "Retries and the retry storm",
        try_it: "Give the clients' retries a budget of 10 %.",
        button: "Add a retry budget",
        watch: "Arrivals against completions in the throughput chart, and errors.",
        question: "Clients retry a failed request up to three times. Why does that make an overload worse?",
        explanation: "Under overload requests time out, and each client retries: the retries are new load on the same saturated servers, so more requests time out and retry. The servers even keep working on requests whose clients have given up. A retry budget (retries at most a share of first attempts), backoff with jitter, and a circuit breaker keep retries from multiplying the load.",
        groups: &["protection", "traffic"],
    }),
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_lesson_has_its_words() {
        for lesson in &loadlab_sim::lessons::ALL {
            assert!(
                super::text(lesson.id).is_some(),
                "{} has no text",
                lesson.id
            );
        }
        assert_eq!(super::TEXTS.len(), loadlab_sim::lessons::ALL.len());
    }
}
