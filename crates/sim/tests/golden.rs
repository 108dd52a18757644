//! The summary of a fixed scenario and seed, pinned in a file; and fingerprints of every
//! lesson's run (which together use every mechanism of the model).
//!
//! The page's wasm tests compare their own run against the same file, so together they
//! prove the native and wasm builds produce a byte-identical summary. A deliberate
//! change to the model re-blesses it: `LOADLAB_BLESS=1 cargo test -p loadlab-sim --test golden`.

use loadlab_sim::balancer::BalancerKind;
use loadlab_sim::cache::Placement;
use loadlab_sim::cache::PolicyKind;
use loadlab_sim::db::{Locking, QueueOrder, Sharding, WriteQueueConfig};
use loadlab_sim::dist::Distribution;
use loadlab_sim::protection::{CircuitBreakerConfig, RateLimit, Retries};
use loadlab_sim::scenario::HealthCheck;
use loadlab_sim::server::{Autoscale, ScaleMetric};
use loadlab_sim::traffic::{Arrivals, RateEvent};
use loadlab_sim::{Change, Scenario, Simulation};
use std::path::Path;

const GOLDEN: &str = "tests/golden/default-seed42-20k.json";

#[test]
fn default_scenario_seed_42_matches_the_pinned_summary() {
    let scenario = Scenario {
        seed: 42,
        ..Scenario::default()
    };
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_arrivals(20_000);
    let summary = serde_json::to_string_pretty(&sim.summary()).unwrap() + "\n";
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::write(GOLDEN, &summary).unwrap();
    }
    let pinned = std::fs::read_to_string(GOLDEN).expect("golden file present");
    assert_eq!(summary, pinned, "summary differs from {GOLDEN}");
}

/// Where the determinism set lives: for each scenario `NAME.json`, the summary the CLI
/// prints for it (`loadlab run NAME.json --requests 10000`) in `NAME.summary.json`.
/// `tests/cli.rs` runs the CLI on each, `tests/wasm.rs` the page's build in Chromium,
/// and both must print these bytes.
const SET: &str = "tests/golden/determinism";

/// Requests each scenario of the set runs.
const SET_REQUESTS: u64 = 10_000;

/// Scenarios that between them use every mechanism: each lesson's scenario
/// after its change (before it, when the change is an action), one with everything the
/// lessons leave out, and one whose rate follows a schedule of every kind of entry.
fn determinism_set() -> Vec<(String, Scenario)> {
    let lessons = loadlab_sim::lessons::ALL.iter().enumerate().map(|(i, l)| {
        let preset = l.data().preset().unwrap();
        let scenario = match l.data().try_it(&preset).unwrap() {
            Change::Scenario(next) => *next,
            _ => preset,
        };
        (format!("{:02}-{}", i + 1, l.id), scenario)
    });
    lessons
        .chain([
            ("everything-else".to_string(), everything_else()),
            ("rate-schedule".to_string(), rate_schedule()),
            ("autoscaling".to_string(), autoscaling()),
        ])
        .collect()
}

/// Closed loop, peak EWMA, local S3-FIFO caches, a sliding-window limiter, a concurrency
/// limit, shedding, retries with a budget, a circuit breaker, health checks, and a
/// sharded, replicated database with optimistic locking and a priority write queue.
fn everything_else() -> Scenario {
    let mut s = Scenario {
        seed: 7,
        ..Scenario::default()
    };
    s.traffic.arrivals = Arrivals::ClosedLoop {
        users: 300,
        think_time: Distribution::Exponential { mean_seconds: 0.2 },
    };
    s.traffic.write_fraction = 0.2;
    s.balancer = BalancerKind::PeakEwma { decay_seconds: 1.0 };
    s.health_check = Some(HealthCheck {
        interval_seconds: 1.0,
        failure_threshold: 2,
    });
    s.servers.queue_capacity = Some(50);
    if let Some(c) = &mut s.cache {
        c.policy = PolicyKind::S3Fifo;
        c.placement = Placement::Local;
        c.ttl_seconds = Some(3.0);
    }
    if let Some(d) = &mut s.database {
        d.replicas = 2;
        d.read_write_split = true;
        d.shards = 2;
        d.sharding = Sharding::Range;
        d.locking = Locking::Optimistic { max_retries: 2 };
        d.write_queue = Some(WriteQueueConfig {
            order: QueueOrder::Priority,
            consumers: 2,
            urgent_share: 0.2,
        });
        d.error_rate = 0.02;
    }
    s.protection.rate_limit = Some(RateLimit::SlidingWindow {
        limit: 1200,
        window_seconds: 1.0,
    });
    s.protection.concurrency_limit = Some(400);
    s.protection.shed_after_seconds = Some(0.5);
    s.protection.retries = Some(Retries {
        max_attempts: 3,
        backoff_seconds: 0.05,
        jitter: 0.5,
        budget: Some(0.1),
    });
    s.protection.circuit_breaker = Some(CircuitBreakerConfig {
        window_calls: 20,
        failure_ratio: 0.5,
        open_seconds: 2.0,
        probe_calls: 3,
    });
    s
}

/// The default scenario under a schedule with a step, two overlapping ramps (one down
/// to silence), overlapping spikes and two sines: the exact draw on straight pieces and
/// the thinning by the sines (`traffic/rate.rs`) on both platforms.
fn rate_schedule() -> Scenario {
    let mut s = Scenario {
        seed: 11,
        ..Scenario::default()
    };
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 300.0,
        schedule: vec![
            RateEvent::Step {
                at: 2.0,
                rate: 900.0,
            },
            RateEvent::Ramp {
                start: 4.0,
                end: 9.0,
                rate: 0.0,
            },
            RateEvent::Ramp {
                start: 6.0,
                end: 12.0,
                rate: 1500.0,
            },
            RateEvent::Spike {
                at: 5.0,
                duration: 2.0,
                multiplier: 3.0,
            },
            RateEvent::Spike {
                at: 6.0,
                duration: 0.5,
                multiplier: 0.5,
            },
            RateEvent::Sine {
                amplitude: 0.8,
                period: 3.0,
            },
            RateEvent::Sine {
                amplitude: 0.3,
                period: 0.7,
            },
        ],
    };
    s
}

/// The default scenario (two servers, local caches) under a spike, scaled on its workers quickly
/// enough to step up, boot servers with cold caches and step down within the set's
/// 10,000 requests.
fn autoscaling() -> Scenario {
    let mut s = Scenario {
        seed: 13,
        ..Scenario::default()
    };
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 300.0,
        schedule: vec![RateEvent::Spike {
            at: 2.0,
            duration: 4.0,
            multiplier: 5.0,
        }],
    };
    s.servers.count = 2;
    if let Some(c) = &mut s.cache {
        c.placement = Placement::Local;
    }
    s.servers.autoscale = Some(Autoscale {
        metric: ScaleMetric::Workers,
        target: 0.6,
        min: 2,
        max: 10,
        interval_seconds: 0.5,
        cooldown_seconds: 1.0,
        step_up: 2,
        step_down: 1,
        boot_seconds: 1.5,
    });
    s
}

/// The set's files are what the generator makes: a change to a lesson or to the model
/// shows here first (re-bless, then look at the diff).
#[test]
fn the_determinism_set_is_pinned() {
    let set = determinism_set();
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::create_dir_all(SET).unwrap();
        for (name, scenario) in &set {
            let dir = Path::new(SET);
            std::fs::write(dir.join(format!("{name}.json")), scenario.to_json() + "\n").unwrap();
            let mut sim = Simulation::new(scenario.clone()).unwrap();
            sim.run_arrivals(SET_REQUESTS);
            let summary = serde_json::to_string_pretty(&sim.summary()).unwrap() + "\n";
            std::fs::write(dir.join(format!("{name}.summary.json")), summary).unwrap();
        }
    }
    for (name, scenario) in &set {
        let file = Path::new(SET).join(format!("{name}.json"));
        let pinned = std::fs::read_to_string(&file).expect("determinism set present");
        assert_eq!(
            scenario.to_json() + "\n",
            pinned,
            "{} differs",
            file.display()
        );
    }
    let files = std::fs::read_dir(SET).unwrap().count();
    assert_eq!(files, 2 * set.len(), "{SET} holds files of no scenario");
}

const LESSONS: &str = "tests/golden/lessons.txt";

/// Every lesson's preset and change, as a fingerprint of its summary (see
/// `LessonData::reference_fingerprint`); `tests/wasm.rs` compares the same file.
#[test]
fn every_lessons_run_matches_its_pinned_fingerprint() {
    let lines: String = loadlab_sim::lessons::course()
        .lessons()
        .iter()
        .map(|l| l.reference_fingerprint() + "\n")
        .collect();
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::write(LESSONS, &lines).unwrap();
    }
    let pinned = std::fs::read_to_string(LESSONS).expect("golden file present");
    assert_eq!(lines, pinned, "fingerprints differ from {LESSONS}");
}

const CHALLENGES: &str = "tests/golden/challenges.txt";

/// Every challenge's scored runs (its start and its answer); `tests/wasm.rs` compares
/// the same file, so a score is the same in the CLI and in Chromium.
#[test]
fn every_challenges_score_matches_its_pinned_one() {
    let lines = loadlab_sim::challenges::reference_scores();
    if std::env::var_os("LOADLAB_BLESS").is_some() {
        std::fs::write(CHALLENGES, &lines).unwrap();
    }
    let pinned = std::fs::read_to_string(CHALLENGES).expect("golden file present");
    assert_eq!(lines, pinned, "scores differ from {CHALLENGES}");
}
