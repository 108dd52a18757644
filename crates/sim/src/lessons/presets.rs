//! The lessons' starting scenarios and the change each asks for. Each preset changes the
//! walk-through default only where the lesson needs it, so what differs is what matters.

use crate::balancer::BalancerKind;
use crate::cache::Placement;
use crate::cache::PolicyKind;
use crate::db::{Database, Locking, Sharding};
use crate::dist::Distribution;
use crate::engine::Change;
use crate::protection::{RateLimit, Retries};
use crate::scenario::Scenario;
use crate::server::IoMode;
use crate::traffic::{Arrivals, Popularity, RateEvent};

const fn constant(seconds: f64) -> Distribution {
    Distribution::Constant { seconds }
}

/// Compute only (see [`Scenario::compute_only`]) with the lessons' fixed seed.
fn compute_only(rate: f64, servers: u32, workers: u32, mean_service: f64) -> Scenario {
    Scenario {
        seed: 2026,
        ..Scenario::compute_only(rate, servers, workers, mean_service)
    }
}

fn edited(s: &Scenario, edit: impl FnOnce(&mut Scenario)) -> Change {
    let mut next = s.clone();
    edit(&mut next);
    Change::Scenario(Box::new(next))
}

// 1. Round robin vs least connections with unequal servers.

/// Four servers, two of them slow (half and quarter speed), under round robin at 700/s:
/// an equal share is too much for the slowest.
pub fn unequal_servers() -> Scenario {
    let mut s = compute_only(700.0, 4, 4, 0.01);
    s.balancer = BalancerKind::RoundRobin;
    s.servers.speeds = vec![1.0, 1.0, 0.5, 0.25];
    s
}

pub fn to_least_connections(s: &Scenario) -> Change {
    edited(s, |n| n.balancer = BalancerKind::LeastConnections)
}

// 2. Smooth weighted round robin.

/// Three servers weighted 2, 3 and 4 under smooth weighted round robin.
pub fn weighted_2_3_4() -> Scenario {
    let mut s = compute_only(450.0, 3, 8, 0.01);
    s.balancer = BalancerKind::SmoothWeighted;
    s.servers.weights = vec![2, 3, 4];
    s
}

pub fn equal_weights(s: &Scenario) -> Change {
    edited(s, |n| n.servers.weights = vec![1, 1, 1])
}

// 3. Power of two choices.

/// Eight single-worker servers at 90 % load, picked at random: eight M/M/1 queues.
pub fn random_at_high_load() -> Scenario {
    let mut s = compute_only(720.0, 8, 1, 0.01);
    s.balancer = BalancerKind::Random;
    s.servers.queue_capacity = None;
    s
}

pub fn to_power_of_two(s: &Scenario) -> Change {
    edited(s, |n| n.balancer = BalancerKind::PowerOfTwoChoices)
}

// 4. Thread-pool sizing.

/// One server with 2 cores and 2 threads; each request computes 10 ms and waits 40 ms
/// on the database (sync I/O): the threads wait, the cores idle. Each runnable thread
/// beyond the cores slows compute by 2 %, so a pool far past the knee costs throughput.
pub fn few_threads_io_bound() -> Scenario {
    let mut s = compute_only(300.0, 1, 2, 0.01);
    s.servers.cores = 2;
    s.servers.switch_overhead = 0.02;
    s.servers.service_time = constant(0.01);
    s.database = Some(Database::fixed_delay(0.04));
    s.traffic.write_fraction = 0.0;
    s
}

pub fn more_threads(s: &Scenario) -> Change {
    edited(s, |n| n.servers.workers = 10)
}

// 5. Sync vs async I/O.

/// One server of 4 workers, 2 ms of compute and a 50 ms database call, sync I/O.
pub fn sync_slow_database() -> Scenario {
    let mut s = compute_only(300.0, 1, 4, 0.002);
    s.servers.io = IoMode::Sync;
    s.database = Some(Database::fixed_delay(0.05));
    s.traffic.write_fraction = 0.0;
    s
}

pub fn to_async(s: &Scenario) -> Change {
    edited(s, |n| n.servers.io = IoMode::Async { max_in_flight: 256 })
}

// 6. Bounded queues and shedding.

/// 20 % more traffic than one server can take, with an unbounded queue.
pub fn overload_unbounded() -> Scenario {
    let mut s = compute_only(480.0, 1, 4, 0.01);
    s.servers.queue_capacity = None;
    s
}

pub fn bound_the_queue(s: &Scenario) -> Change {
    edited(s, |n| n.servers.queue_capacity = Some(20))
}

// 7. Rate limiting.

/// A trickle of 40 requests a second and, every 5 s, half a second of 800 a second that
/// starts a quarter second before a whole second, against a fixed window of 100 per
/// second: the burst takes the end of one window and the start of the next. Windows of
/// a quarter second show it.
pub fn fixed_window_burst() -> Scenario {
    let mut s = compute_only(40.0, 4, 8, 0.005);
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 40.0,
        schedule: bursts_across_boundaries(),
    };
    s.protection.rate_limit = Some(RateLimit::FixedWindow {
        limit: 100,
        window_seconds: 1.0,
    });
    s.metrics.window_seconds = 0.25;
    s
}

/// Bursts of ×20 for 0.5 s at 4.75 s, 9.75 s, ... for ten minutes.
fn bursts_across_boundaries() -> Vec<RateEvent> {
    (1..=120)
        .map(|k| RateEvent::Spike {
            at: 5.0 * f64::from(k) - 0.25,
            duration: 0.5,
            multiplier: 20.0,
        })
        .collect()
}

pub fn to_token_bucket(s: &Scenario) -> Change {
    edited(s, |n| {
        n.protection.rate_limit = Some(RateLimit::TokenBucket {
            rate: 100.0,
            burst: 10.0,
        })
    })
}

// 8. Cache eviction under Zipf popularity.

/// The walk-through's shared cache, but FIFO.
pub fn fifo_under_zipf() -> Scenario {
    let mut s = Scenario {
        seed: 2026,
        ..Scenario::default()
    };
    if let Some(c) = &mut s.cache {
        c.policy = PolicyKind::Fifo;
    }
    s
}

pub fn to_lfu(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(c) = &mut n.cache {
            c.policy = PolicyKind::Lfu;
        }
    })
}

// 9. TTL, stampede, coalescing.

/// One hot key (think of the home page) read 500 times a second, cached for 1 s, taking
/// 100 ms to load: every expiry sends the waiting crowd to the database.
pub fn hot_key_ttl() -> Scenario {
    let mut s = compute_only(500.0, 4, 100, 0.001);
    s.traffic.write_fraction = 0.0;
    s.traffic.keys.count = 1;
    s.traffic.keys.popularity = Popularity::Uniform;
    let mut cache = Scenario::default().cache.expect("the default has a cache");
    cache.ttl_seconds = Some(1.0);
    cache.lookup_latency = constant(0.0);
    s.cache = Some(cache);
    s.database = Some(Database::fixed_delay(0.1));
    s
}

pub fn coalesce(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(c) = &mut n.cache {
            c.coalesce = true;
        }
    })
}

// 10. IP hash vs consistent hashing when a server dies.

/// Local caches and IP hash: each client's session data is cached on "its" server.
pub fn ip_hash_local_caches() -> Scenario {
    let mut s = compute_only(400.0, 4, 8, 0.005);
    s.balancer = BalancerKind::IpHash;
    s.traffic.clients = 400;
    s.traffic.write_fraction = 0.0;
    s.traffic.keys.session_share = 0.9;
    let mut cache = Scenario::default().cache.expect("the default has a cache");
    cache.placement = Placement::Local;
    cache.capacity = 2000;
    s.cache = Some(cache);
    s.database = Some(Database::fixed_delay(0.01));
    s
}

pub fn kill_server_1(_: &Scenario) -> Change {
    Change::KillServer(1)
}

// 11. Read replicas and stale reads.

/// Reads split to two replicas half a second behind; 10 % writes on 20 busy rows.
pub fn lagging_replicas() -> Scenario {
    let mut s = Scenario {
        seed: 2026,
        ..Scenario::default()
    };
    s.traffic.write_fraction = 0.1;
    s.traffic.keys.count = 20;
    s.traffic.keys.popularity = Popularity::Uniform;
    if let Some(d) = &mut s.database {
        d.replication_lag = constant(0.5);
        d.read_write_split = true;
    }
    s
}

pub fn reads_on_primary(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(d) = &mut n.database {
            d.read_write_split = false;
        }
    })
}

// 12. Sharding and indexes.

/// Four shards by key range under Zipf keys: the popular low keys share shard 0.
pub fn range_sharded_zipf() -> Scenario {
    let mut s = compute_only(600.0, 4, 16, 0.002);
    s.traffic.keys.popularity = Popularity::Zipf { exponent: 1.0 };
    s.database = Some(Database {
        shards: 4,
        sharding: Sharding::Range,
        ..Database::default()
    });
    s
}

pub fn to_hash_sharding(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(d) = &mut n.database {
            d.sharding = Sharding::Hash;
        }
    })
}

// 13. Optimistic vs pessimistic locking.

/// Half the requests write, and most writes hit one row, under optimistic locking.
pub fn optimistic_hot_row() -> Scenario {
    let mut s = compute_only(300.0, 4, 16, 0.002);
    s.traffic.write_fraction = 0.5;
    s.traffic.keys.count = 1000;
    s.traffic.keys.popularity = Popularity::HotSet {
        hot_fraction: 0.001,
        hot_share: 0.8,
    };
    s.database = Some(Database {
        locking: Locking::Optimistic { max_retries: 2 },
        replicas: 0,
        ..Database::default()
    });
    s
}

pub fn to_pessimistic(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(d) = &mut n.database {
            d.locking = Locking::Pessimistic;
        }
    })
}

// 14. Failures and the retry storm.

/// 300 requests a second against a server that does 400, with a queue of 400 (a second's
/// wait); clients time out at 0.5 s and retry up to three times without a budget. A
/// 3-second doubling at 5 s fills the queue past the timeout, and the retries keep it full.
pub fn retry_storm() -> Scenario {
    let mut s = compute_only(300.0, 1, 4, 0.01);
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 300.0,
        schedule: vec![RateEvent::Spike {
            at: 5.0,
            duration: 3.0,
            multiplier: 2.0,
        }],
    };
    s.servers.queue_capacity = Some(400);
    s.traffic.timeout_seconds = Some(0.5);
    s.protection.retries = Some(Retries {
        max_attempts: 4,
        backoff_seconds: 0.05,
        jitter: 0.5,
        budget: None,
    });
    s
}

pub fn retry_budget(s: &Scenario) -> Change {
    edited(s, |n| {
        if let Some(r) = &mut n.protection.retries {
            r.budget = Some(0.1);
        }
    })
}
