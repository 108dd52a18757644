//! The database under the whole engine, on fixed seeds: shards, stampedes and single
//! flight, stale values in the cache, the write queue, connection pools.
// Tests start from a plain scenario and change the few fields each is about.
#![allow(clippy::field_reassign_with_default)]

use super::*;
use crate::cache::{CacheConfig, WriteMode};
use crate::db::{Database, DbWindow, QueueOrder, Sharding, WriteQueueConfig};
use crate::dist::Distribution;
use crate::server::IoMode;
use crate::traffic::Arrivals;
use crate::traffic::Popularity;

const fn constant(seconds: f64) -> Distribution {
    Distribution::Constant { seconds }
}

/// A database of fixed times: `seconds` per query, nothing queueing, no lag.
fn fixed_database(seconds: f64) -> Database {
    Database {
        replication_lag: constant(0.0),
        ..Database::fixed_delay(seconds)
    }
}

/// 4 servers of 100 workers, 1 ms compute, keys from `popularity` over `keys` keys.
fn with_database(rate: f64, database: Database, keys: u64, popularity: Popularity) -> Scenario {
    let mut s = Scenario::compute_only(rate, 4, 100, 0.001);
    s.database = Some(database);
    s.traffic.write_fraction = 0.0;
    s.traffic.keys.count = keys;
    s.traffic.keys.popularity = popularity;
    s
}

fn shared_cache(ttl_seconds: Option<f64>, coalesce: bool) -> CacheConfig {
    CacheConfig {
        ttl_seconds,
        coalesce,
        lookup_latency: constant(0.0),
        ..Scenario::default().cache.expect("the default has a cache")
    }
}

fn run(s: Scenario, seconds: f64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(seconds);
    sim.check_conservation().unwrap();
    sim
}

fn db_run(sim: &Simulation) -> DbWindow {
    sim.summary().database.expect("a database").run
}

/// The busiest shard's share of all queries.
fn busiest_shard_share(sim: &Simulation) -> f64 {
    let shards = db_run(sim).shards;
    let total: u64 = shards.iter().sum();
    *shards.iter().max().unwrap() as f64 / total as f64
}

#[test]
fn a_hot_key_makes_a_hot_shard() {
    let sharded = Database {
        shards: 4,
        sharding: Sharding::Hash,
        ..fixed_database(0.001)
    };
    let hot = Popularity::HotSet {
        hot_fraction: 0.0001,
        hot_share: 0.7,
    };
    let hot_share = busiest_shard_share(&run(
        with_database(1000.0, sharded.clone(), 10_000, hot),
        5.0,
    ));
    let even = busiest_shard_share(&run(
        with_database(1000.0, sharded, 10_000, Popularity::Uniform),
        5.0,
    ));
    // The one hot key carries 70 % and its shard a quarter of the rest on top.
    assert!((hot_share - 0.775).abs() < 0.03, "{hot_share}");
    assert!(even < 0.28, "{even}");
}

#[test]
fn range_sharding_crowds_popular_low_keys_onto_one_shard() {
    let share = |sharding| {
        let db = Database {
            shards: 4,
            sharding,
            ..fixed_database(0.001)
        };
        let zipf = Popularity::Zipf { exponent: 1.0 };
        busiest_shard_share(&run(with_database(1000.0, db, 10_000, zipf), 5.0))
    };
    let (range, hash) = (share(Sharding::Range), share(Sharding::Hash));
    assert!(range > 0.7, "{range}");
    assert!(hash < 0.4, "{hash}");
}

/// One key, cached for 1 s, 100 ms to load, 500 requests a second: each expiry
/// finds about 50 requests missing at once.
fn stampede(coalesce: bool) -> (u64, u64) {
    let mut s = with_database(500.0, fixed_database(0.1), 1, Popularity::Uniform);
    s.cache = Some(shared_cache(Some(1.0), coalesce));
    let sim = run(s, 20.0);
    let reads = sim.database().unwrap().stats().reads;
    (reads, sim.cache_stats().expirations)
}

#[test]
fn a_stampede_sends_every_waiting_miss_to_the_database_and_single_flight_sends_one() {
    let (reads, expirations) = stampede(false);
    assert!(expirations >= 15, "{expirations}");
    let per_expiry = reads as f64 / expirations as f64;
    assert!(
        (40.0..60.0).contains(&per_expiry),
        "{reads} reads, {expirations} expiries"
    );
    let (reads, expirations) = stampede(true);
    // One load per expiry, and the first cold miss.
    assert_eq!(reads, expirations + 1);
}

#[test]
fn single_flight_answers_every_waiting_request() {
    let mut s = with_database(500.0, fixed_database(0.1), 1, Popularity::Uniform);
    s.cache = Some(shared_cache(Some(1.0), true));
    let mut sim = run(s, 10.0);
    let misses = sim.cache_stats().misses;
    assert!(misses > 500, "{misses}");
    sim.apply(Change::Scenario(Box::new(Scenario {
        traffic: crate::traffic::Traffic {
            arrivals: Arrivals::open_loop(0.0),
            ..sim.scenario().traffic.clone()
        },
        ..sim.scenario().clone()
    })))
    .unwrap();
    sim.run_until(12.0);
    assert_eq!(sim.in_flight(), 0);
    assert_eq!(sim.metrics().rejections().total(), 0);
}

/// Writes invalidate, reads miss and reload from a replica `lag` seconds behind.
fn stale_cache(lag: f64, read_write_split: bool) -> (u64, u64, u64) {
    let db = Database {
        replicas: 2,
        read_write_split,
        replication_lag: constant(lag),
        ..fixed_database(0.002)
    };
    let mut s = with_database(500.0, db, 20, Popularity::Uniform);
    s.traffic.write_fraction = 0.1;
    s.cache = Some(CacheConfig {
        write_mode: WriteMode::Invalidate,
        ..shared_cache(None, false)
    });
    let sim = run(s, 10.0);
    let t = &sim.database().unwrap().stats().clone();
    (t.stale_reads, t.stale_cache_fills, t.stale_cache_hits)
}

#[test]
fn invalidation_racing_replica_lag_leaves_stale_values_in_the_cache() {
    let (reads, fills, hits) = stale_cache(0.2, true);
    assert!(reads > 0 && fills > 0, "{reads} {fills}");
    assert!(
        hits > 5 * fills,
        "a stale entry serves many hits: {hits} {fills}"
    );
    assert_eq!(stale_cache(0.0, true), (0, 0, 0), "no lag");
    assert_eq!(stale_cache(0.2, false), (0, 0, 0), "reads on the primary");
}

#[test]
fn local_caches_serve_stale_values_after_another_server_takes_a_write() {
    let mut s = with_database(500.0, fixed_database(0.002), 20, Popularity::Uniform);
    s.traffic.write_fraction = 0.1;
    s.cache = Some(CacheConfig {
        placement: crate::cache::Placement::Local,
        ..shared_cache(None, false)
    });
    let sim = run(s, 5.0);
    let stats = sim.database().unwrap().stats();
    assert!(stats.stale_cache_hits > 100, "{stats:?}");
    assert_eq!(stats.stale_reads, 0);
}

/// All writes, 10 ms each on one executor, through a queue with `consumers` consumers.
fn queued_writes(rate: f64, consumers: u32) -> Simulation {
    let db = Database {
        node_concurrency: 1,
        write_queue: Some(WriteQueueConfig {
            order: QueueOrder::Fifo,
            consumers,
            urgent_share: 0.0,
        }),
        ..fixed_database(0.01)
    };
    let mut s = with_database(rate, db, 1000, Popularity::Uniform);
    s.traffic.write_fraction = 1.0;
    run(s, 10.0)
}

#[test]
fn the_write_queue_answers_writes_at_once_and_commits_them_later() {
    let light = queued_writes(50.0, 1);
    let stats = light.database().unwrap().stats();
    let p99 = light.summary().latency.p99;
    assert!(p99 < 0.006, "answered before the write: p99 {p99}");
    assert!(stats.queue_written + 5 >= stats.queue_enqueued, "{stats:?}");
    let lag = stats.queue_lag_seconds / stats.queue_written as f64;
    assert!((0.01..0.03).contains(&lag), "{lag}");
    // 150 writes a second into 100 a second of capacity: the queue grows by 50 a second.
    let heavy = queued_writes(150.0, 1);
    let depth = heavy.database().unwrap().queue_depth();
    assert!((400..600).contains(&depth), "{depth}");
}

/// One server of 16 sync workers; queries of 50 ms; `pool` connections.
fn pooled(pool_size: u32) -> Simulation {
    let mut s = Scenario::compute_only(100.0, 1, 16, 0.001);
    s.servers.io = IoMode::Sync;
    s.database = Some(Database {
        pool_size,
        ..fixed_database(0.05)
    });
    run(s, 20.0)
}

#[test]
fn a_small_pool_makes_requests_wait_for_connections() {
    let (small, large) = (pooled(6), pooled(16));
    let waits = |sim: &Simulation| sim.database().unwrap().stats().pool_waits;
    // 100 a second × 50 ms = 5 connections busy on average: 6 are often all taken.
    assert!(waits(&small) > 200, "{}", waits(&small));
    assert_eq!(waits(&large), 0);
    assert!(small.metrics().mean_latency() > large.metrics().mean_latency());
}

#[test]
fn pool_timeouts_fail_requests_and_open_the_breaker() {
    use crate::protection::CircuitBreakerConfig;
    let mut s = Scenario::compute_only(200.0, 1, 32, 0.001);
    s.database = Some(Database {
        pool_size: 2,
        pool_timeout_seconds: Some(0.05),
        ..fixed_database(0.05)
    });
    s.protection.circuit_breaker = Some(CircuitBreakerConfig {
        window_calls: 20,
        failure_ratio: 0.5,
        open_seconds: 1.0,
        probe_calls: 3,
    });
    let sim = run(s, 10.0);
    let r = sim.metrics().rejections();
    assert!(r.pool_timeout > 100, "{r:?}");
    assert!(r.circuit_open > 100, "{r:?}");
}

#[test]
fn waiting_requests_get_their_load_even_if_the_cache_goes_away() {
    let mut s = with_database(500.0, fixed_database(0.1), 1, Popularity::Uniform);
    s.cache = Some(shared_cache(None, true));
    let mut sim = Simulation::new(s).unwrap();
    // The first miss leads a 100 ms load; the next 50 or so wait for it.
    sim.run_until(0.05);
    let mut next = sim.scenario().clone();
    next.cache = None;
    next.traffic.arrivals = Arrivals::open_loop(0.0);
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(1.0);
    assert_eq!(sim.in_flight(), 0);
    assert!(sim.metrics().completions() > 10);
    sim.check_conservation().unwrap();
}

#[test]
fn a_coalesced_stale_load_fills_the_cache_once() {
    // Each stale replica read fills the cache at most once, however many requests were
    // waiting for it.
    let db = Database {
        replicas: 2,
        replication_lag: constant(0.5),
        ..fixed_database(0.05)
    };
    let mut s = with_database(500.0, db, 1, Popularity::Uniform);
    s.traffic.write_fraction = 0.2;
    s.cache = Some(shared_cache(None, true));
    let sim = run(s, 20.0);
    let t = sim.database().unwrap().stats();
    assert!(t.stale_cache_fills > 0, "{t:?}");
    assert!(t.stale_cache_fills <= t.stale_reads, "{t:?}");
}

#[test]
fn with_the_database_switched_off_no_hit_is_called_stale() {
    let mut s = with_database(500.0, fixed_database(0.002), 20, Popularity::Uniform);
    s.traffic.write_fraction = 0.1;
    s.cache = Some(CacheConfig {
        placement: crate::cache::Placement::Local,
        ..shared_cache(None, false)
    });
    let mut sim = run(s, 5.0);
    let before = sim.database().unwrap().stats().stale_cache_hits;
    assert!(before > 100, "{before}");
    let mut next = sim.scenario().clone();
    next.database = None;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(10.0);
    assert_eq!(sim.database().unwrap().stats().stale_cache_hits, before);
}
