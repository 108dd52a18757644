//! Bounded memory: runs 100 million arrivals through a scenario and prints the process's
//! resident memory every 10 million, so growth per request would show as a rising column.
//!
//! `cargo bench -p loadlab-sim --bench soak` soaks both scenarios, each in a child
//! process of its own so that neither's peak (VmHWM) or freed-but-kept heap colours the
//! other's figures; `-- default` or `-- everything` soaks one. `LOADLAB_SOAK_ARRIVALS`
//! overrides the count (for a quick try; the figures in docs/reliability.md use the
//! default).
//!
//! - default: `Scenario::default()`, the walk-through (a shared LRU cache, a database
//!   with two replicas), untouched;
//! - everything: every mechanism switched on at once (see [`everything`]), traced for
//!   the page's dots, with live changes (a spike, a server and the database killed and
//!   revived) every million arrivals, so the crash and recovery paths run thousands of
//!   times too.
//!
//! The first 10 million arrivals are the warm-up: caches fill, the ring of 1,800 chart
//! windows fills (at least 1,800 simulated seconds in both scenarios), nearly every key
//! gets its row version, queues and buffers reach their working size. "Flat" means the
//! resident memory at the end is within [`FLAT_TOLERANCE`] of the memory after the
//! warm-up.

use loadlab_sim::balancer::BalancerKind;
use loadlab_sim::cache::PolicyKind;
use loadlab_sim::cache::{CacheConfig, Placement, WriteMode};
use loadlab_sim::db::{Database, Locking, QueueOrder, Sharding, WriteQueueConfig};
use loadlab_sim::dist::Distribution;
use loadlab_sim::protection::{CircuitBreakerConfig, Protection, RateLimit, Retries};
use loadlab_sim::server::IoMode;
use loadlab_sim::traffic::{Arrivals, Popularity, RateEvent};
use loadlab_sim::{Change, Scenario, Simulation};
use std::process::Command;
use std::time::Instant;

const ARRIVALS: u64 = 100_000_000;
/// Arrivals between two rows of the table; the first row is the end of the warm-up.
const REPORT_EVERY: u64 = 10_000_000;
/// Arrivals between two rounds of live changes (scenario "everything").
const CHANGE_EVERY: u64 = 1_000_000;
/// Arrivals while a killed server and the database are down, before they come back.
const OUTAGE_ARRIVALS: u64 = 10_000;
/// Largest end-to-warm-up ratio of resident memory still called flat.
const FLAT_TOLERANCE: f64 = 0.10;

const SCENARIOS: [&str; 2] = ["default", "everything"];

/// Every mechanism at once, at a load that overflows the servers at the sine's crest,
/// so that queues fill, requests are shed, retried and timed out, and the breaker trips
/// now and then: 8 servers (one slow) behind Peak EWMA at 3,000 req/s ± 30 %, async
/// I/O, local S3-FIFO caches with a TTL, write-through and single flight, session keys,
/// a range-sharded database with replicas, replication lag, row locks, a priority write
/// queue, an error rate and a pool timeout; a sliding-window rate limit, a concurrency
/// limit, shedding, retries with a budget, and a circuit breaker.
fn everything() -> Scenario {
    let mut s = Scenario {
        seed: 2026,
        ..Scenario::default()
    };
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 3_000.0,
        schedule: vec![RateEvent::Sine {
            amplitude: 0.3,
            period: 600.0,
        }],
    };
    s.traffic.clients = 5_000;
    s.traffic.keys.popularity = Popularity::Zipf { exponent: 0.9 };
    s.traffic.keys.session_share = 0.1;
    s.traffic.write_fraction = 0.1;
    s.traffic.timeout_seconds = Some(0.5);
    s.balancer = BalancerKind::PeakEwma { decay_seconds: 1.0 };
    s.servers.count = 8;
    s.servers.workers = 16;
    s.servers.cores = 4;
    s.servers.queue_capacity = Some(64);
    s.servers.service_time = Distribution::LogNormal {
        mean_seconds: 0.008,
        sigma: 1.0,
    };
    s.servers.switch_overhead = 0.01;
    s.servers.io = IoMode::Async { max_in_flight: 32 };
    s.servers.weights = vec![2, 2, 2, 2, 1, 1, 1, 1];
    s.servers.speeds = vec![1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5];
    s.cache = Some(CacheConfig {
        placement: Placement::Local,
        policy: PolicyKind::S3Fifo,
        capacity: 500,
        ttl_seconds: Some(30.0),
        lookup_latency: Distribution::Constant { seconds: 0.0002 },
        write_mode: WriteMode::WriteThrough,
        coalesce: true,
    });
    s.database = Some(Database {
        processing: Distribution::Exponential {
            mean_seconds: 0.002,
        },
        disk: Distribution::Exponential {
            mean_seconds: 0.004,
        },
        replicas: 2,
        replication_lag: Distribution::Exponential { mean_seconds: 0.1 },
        pool_size: 8,
        pool_timeout_seconds: Some(0.2),
        shards: 4,
        sharding: Sharding::Range,
        locking: Locking::Pessimistic,
        write_queue: Some(WriteQueueConfig {
            order: QueueOrder::Priority,
            consumers: 8,
            urgent_share: 0.2,
        }),
        error_rate: 0.01,
        ..Database::default()
    });
    s.protection = Protection {
        rate_limit: Some(RateLimit::SlidingWindow {
            limit: 3_800,
            window_seconds: 1.0,
        }),
        concurrency_limit: Some(600),
        shed_after_seconds: Some(0.3),
        retries: Some(Retries {
            max_attempts: 3,
            backoff_seconds: 0.05,
            jitter: 0.5,
            budget: Some(0.1),
        }),
        circuit_breaker: Some(CircuitBreakerConfig {
            window_calls: 100,
            failure_ratio: 0.5,
            open_seconds: 2.0,
            probe_calls: 5,
        }),
    };
    s
}

/// Resident memory now and at its peak, in KiB, from /proc/self/status (Linux).
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from /proc/self/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// A round of live changes, as a user of the page might make them: a spike, then a
/// server and the database down for a moment, then back.
fn change_round(sim: &mut Simulation, round: u64) {
    let server = (round % 8) as u32;
    let apply = |sim: &mut Simulation, change| sim.apply(change).expect("a valid change");
    apply(
        sim,
        Change::Spike {
            multiplier: 2.0,
            seconds: 1.0,
        },
    );
    apply(sim, Change::KillServer(server));
    apply(sim, Change::KillDatabase);
    sim.run_arrivals(OUTAGE_ARRIVALS);
    apply(sim, Change::ReviveServer(server));
    apply(sim, Change::ReviveDatabase);
}

fn soak(name: &str, arrivals: u64) {
    let (scenario, live_changes) = match name {
        "default" => (Scenario::default(), false),
        "everything" => (everything(), true),
        _ => panic!("unknown scenario {name:?}; one of {SCENARIOS:?}"),
    };
    let (rss, _) = memory_kib();
    println!(
        "{name}: {arrivals} arrivals, RSS {:.1} MiB before the simulation",
        mib(rss)
    );
    let mut sim = Simulation::new(scenario).expect("a valid scenario");
    if live_changes {
        // What the page does while it animates: one request in 100 becomes a dot.
        sim.trace_every(100);
    }
    println!(
        "  {:>11} {:>14} {:>8} {:>10} {:>10} {:>10}",
        "arrivals", "simulated s", "wall s", "in flight", "RSS MiB", "peak MiB"
    );
    let start = Instant::now();
    // Resident memory at the first row (the end of the warm-up) and at the last.
    let mut warm = None;
    let mut last = (0, 0);
    let mut round = 0;
    while sim.metrics().arrivals() < arrivals {
        let report_at = (sim.metrics().arrivals() / REPORT_EVERY + 1) * REPORT_EVERY;
        let report_at = report_at.min(arrivals);
        while sim.metrics().arrivals() < report_at {
            if live_changes {
                let step = CHANGE_EVERY - OUTAGE_ARRIVALS;
                let left = report_at - sim.metrics().arrivals();
                sim.run_arrivals(step.min(left));
                if left > step {
                    change_round(&mut sim, round);
                    round += 1;
                }
            } else {
                sim.run_arrivals(report_at - sim.metrics().arrivals());
            }
        }
        let (rss, hwm) = memory_kib();
        warm.get_or_insert(rss);
        last = (rss, hwm);
        println!(
            "  {:>11} {:>14.0} {:>8.1} {:>10} {:>10.2} {:>10.2}",
            sim.metrics().arrivals(),
            sim.now(),
            start.elapsed().as_secs_f64(),
            sim.in_flight(),
            mib(rss),
            mib(hwm)
        );
    }
    let summary = sim.summary();
    // What ran, so a flat line cannot come from a scenario that did nothing.
    println!(
        "  answered {} in time, {} late, {} retries, breaker open {:.0} s, {} live change rounds; rejected {}",
        summary.completed,
        summary.timed_out,
        summary.retries,
        summary.circuit_open_seconds,
        round,
        serde_json::to_string(&summary.rejected).expect("plain counts"),
    );
    let (end, peak) = last;
    let warm = warm.expect("at least one row");
    let ratio = end as f64 / warm as f64;
    let verdict = if ratio <= 1.0 + FLAT_TOLERANCE {
        "flat"
    } else {
        "GROWING"
    };
    println!(
        "  RSS after warm-up {:.2} MiB, at the end {:.2} MiB (x{ratio:.3}), peak {:.2} MiB: {verdict} (tolerance {:.0} %)",
        mib(warm),
        mib(end),
        mib(peak),
        FLAT_TOLERANCE * 100.0
    );
}

fn main() {
    let arrivals = std::env::var("LOADLAB_SOAK_ARRIVALS")
        .ok()
        .map_or(ARRIVALS, |v| {
            v.parse().expect("LOADLAB_SOAK_ARRIVALS: a count")
        });
    // Cargo passes `--bench`; a scenario name is the only other argument.
    let named: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let [name] = named.as_slice() {
        soak(name, arrivals);
        return;
    }
    let me = std::env::current_exe().expect("own path");
    for name in SCENARIOS {
        let status = Command::new(&me).arg(name).status().expect("re-run itself");
        assert!(status.success(), "soak {name} failed");
    }
}
