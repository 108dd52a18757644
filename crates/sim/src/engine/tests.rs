//! Behaviour of the whole engine on fixed seeds.
// Tests start from the default scenario and change the few fields each is about.
#![allow(clippy::field_reassign_with_default)]

use super::*;
use crate::balancer::{BalancerKind, HashOn};
use crate::cache::Placement;
use crate::db::Database;
use crate::dist::Distribution;
use crate::scenario::HealthCheck;
use crate::server::IoMode;
use crate::traffic::{Arrivals, RateEvent, MAX_SCHEDULE_SECONDS};

pub(super) fn conserved(sim: &Simulation) {
    let m = sim.metrics();
    assert_eq!(
        m.arrivals(),
        m.completions() + m.rejections().total() + sim.in_flight() as u64,
        "arrivals = answered + rejected + in flight"
    );
}

pub(super) fn open(rate: f64) -> Arrivals {
    Arrivals::OpenLoop {
        rate,
        schedule: Vec::new(),
    }
}

/// Compute only: no cache, no database, exponential service, one core per worker.
pub(super) fn plain(rate: f64, servers: u32, workers: u32, mean: f64) -> Scenario {
    let mut s = Scenario::default();
    s.traffic.arrivals = open(rate);
    s.traffic.timeout_seconds = None;
    s.cache = None;
    s.database = None;
    s.servers.count = servers;
    s.servers.workers = workers;
    s.servers.cores = workers;
    s.servers.service_time = Distribution::Exponential { mean_seconds: mean };
    s
}

pub(super) fn mean_throughput(sim: &Simulation, windows: std::ops::Range<usize>) -> f64 {
    let n = windows.len() as f64;
    sim.metrics()
        .windows()
        .range(windows)
        .map(|w| w.throughput)
        .sum::<f64>()
        / n
}

#[test]
fn the_default_scenario_runs_and_conserves_requests() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(30.0);
    conserved(&sim);
    let s = sim.summary();
    assert!(s.arrivals > 15_000);
    let cache = s.cache.unwrap();
    assert!(
        cache.hit_rate > 0.3 && cache.hit_rate < 0.95,
        "{}",
        cache.hit_rate
    );
}

#[test]
fn same_seed_same_run_other_seed_other_run() {
    let run = |seed| {
        let mut sim = Simulation::new(Scenario {
            seed,
            ..Scenario::default()
        })
        .unwrap();
        sim.run_arrivals(20_000);
        serde_json::to_string(&sim.summary()).unwrap()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn adding_a_server_does_not_reshuffle_the_arrivals() {
    let arrivals_per_window = |count| {
        let mut s = Scenario::default();
        s.servers.count = count;
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(20.0);
        sim.metrics()
            .windows()
            .iter()
            .map(|w| w.arrivals)
            .collect::<Vec<_>>()
    };
    assert_eq!(arrivals_per_window(4), arrivals_per_window(5));
}

#[test]
fn a_live_rate_change_shows_from_the_change_on() {
    let mut sim = Simulation::new(plain(600.0, 4, 4, 0.02)).unwrap();
    sim.run_until(20.0);
    let mut next = sim.scenario().clone();
    next.traffic.arrivals = open(300.0);
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(40.0);
    assert!((mean_throughput(&sim, 10..20) - 600.0).abs() < 40.0);
    assert!((mean_throughput(&sim, 30..40) - 300.0).abs() < 30.0);
    assert_eq!(sim.marks()[0].time, 20.0);
    assert_eq!(
        sim.marks()[0].label.to_string(),
        "arrival rate 600 → 300 /s"
    );
    conserved(&sim);
}

#[test]
fn an_invalid_change_is_refused_and_changes_nothing() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    let mut next = sim.scenario().clone();
    next.servers.workers = 0;
    let err = sim.apply(Change::Scenario(Box::new(next))).unwrap_err();
    assert_eq!(err.path, "servers.workers");
    assert_eq!(sim.scenario(), &Scenario::default());
    assert!(sim.marks().is_empty());
    assert!(sim.apply(Change::ReviveServer(0)).is_err());
    assert!(sim.apply(Change::KillServer(99)).is_err());
}

#[test]
fn overload_fills_queues_and_rejects() {
    // Capacity 4 servers × 4 workers / 20 ms = 800 /s.
    let mut sim = Simulation::new(plain(2_000.0, 4, 4, 0.02)).unwrap();
    sim.run_until(10.0);
    assert!(sim.metrics().rejections().queue_full > 5_000);
    assert!(sim.servers().iter().all(|s| s.queue_len() > 0));
    conserved(&sim);
}

#[test]
fn a_killed_server_fails_requests_until_the_health_check_notices() {
    let mut s = plain(400.0, 4, 4, 0.01);
    s.health_check = Some(HealthCheck {
        interval_seconds: 1.0,
        failure_threshold: 3,
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(10.0);
    sim.apply(Change::KillServer(2)).unwrap();
    sim.run_until(20.0);
    let w = sim.metrics().windows();
    // Round robin sends a quarter to the dead server until the third failed probe.
    assert!(w[10].rejections.server_down > 60, "{:?}", w[10].rejections);
    assert_eq!(w[15].rejections.server_down, 0);
    assert!(!sim.pool().contains(&2));
    assert!(sim
        .marks()
        .iter()
        .any(|m| m.label.to_string() == "health check: server 2 taken out"));
    sim.apply(Change::ReviveServer(2)).unwrap();
    sim.run_until(22.0);
    assert!(sim.pool().contains(&2));
    conserved(&sim);
}

#[test]
fn without_health_checks_the_balancer_never_notices() {
    let mut s = plain(400.0, 4, 4, 0.01);
    s.health_check = None;
    let mut sim = Simulation::new(s).unwrap();
    sim.apply(Change::KillServer(1)).unwrap();
    sim.run_until(20.0);
    assert!(sim.metrics().windows()[19].rejections.server_down > 60);
}

#[test]
fn removing_a_server_drains_it_and_adding_one_takes_traffic() {
    let mut sim = Simulation::new(plain(400.0, 4, 4, 0.01)).unwrap();
    sim.run_until(5.0);
    let mut next = sim.scenario().clone();
    next.servers.count = 3;
    sim.apply(Change::Scenario(Box::new(next.clone()))).unwrap();
    sim.run_until(10.0);
    assert_eq!(
        sim.servers()[3].lifecycle(),
        crate::server::Lifecycle::Retired
    );
    next.servers.count = 5;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(15.0);
    assert_eq!(sim.pool(), &[0, 1, 2, 4, 5]);
    assert!(sim.servers()[5].stats().routed > 100);
    conserved(&sim);
}

#[test]
fn switching_the_balancer_live_keeps_the_run_going() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(5.0);
    let mut next = sim.scenario().clone();
    next.balancer = BalancerKind::LeastConnections;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(10.0);
    assert_eq!(
        sim.marks()[0].label.to_string(),
        "LB: round robin → least connections"
    );
    assert!(mean_throughput(&sim, 6..10) > 500.0);
    conserved(&sim);
}

#[test]
fn closed_loop_throughput_follows_the_response_time_law() {
    // N users, think Z, response R: X = N / (Z + R). Light load, so R ≈ service.
    let mut s = plain(0.0, 2, 8, 0.01);
    s.traffic.arrivals = Arrivals::ClosedLoop {
        users: 50,
        think_time: Distribution::Exponential { mean_seconds: 0.49 },
    };
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(60.0);
    let x = mean_throughput(&sim, 10..60);
    let r = sim.metrics().mean_latency();
    assert!((x - 50.0 / (0.49 + r)).abs() < 4.0, "X {x}, R {r}");
    conserved(&sim);
}

#[test]
fn timeouts_separate_goodput_from_throughput_under_overload() {
    let mut s = plain(1_000.0, 1, 4, 0.005);
    s.servers.queue_capacity = None;
    s.traffic.timeout_seconds = Some(0.5);
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(20.0);
    let last = sim.metrics().windows().back().unwrap();
    assert!(last.throughput > 700.0, "{}", last.throughput);
    assert!(
        last.goodput < 0.5 * last.throughput,
        "{} vs {}",
        last.goodput,
        last.throughput
    );
}

/// Throughput of one server with `workers` threads on 2 cores, 10 ms compute, `wait`
/// seconds of database I/O, heavy load.
fn pool_throughput(workers: u32, wait: f64, overhead: f64) -> f64 {
    let mut s = plain(2_000.0, 1, workers, 0.01);
    s.servers.cores = 2;
    s.servers.switch_overhead = overhead;
    s.servers.service_time = Distribution::Constant { seconds: 0.01 };
    s.database = (wait > 0.0).then_some(Database::fixed_delay(wait));
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(20.0);
    mean_throughput(&sim, 5..20)
}

#[test]
fn more_threads_than_cores_help_io_bound_work_up_to_the_knee() {
    // Wait/compute = 4: the knee is near 2 × (1 + 4) = 10 threads.
    let (t2, t10, t20) = (
        pool_throughput(2, 0.04, 0.01),
        pool_throughput(10, 0.04, 0.01),
        pool_throughput(20, 0.04, 0.01),
    );
    assert!((t2 - 40.0).abs() < 3.0, "2 threads {t2}");
    assert!(t10 > 170.0, "10 threads {t10}");
    assert!(t20 < t10 * 1.02, "20 threads {t20} vs {t10}");
}

#[test]
fn more_threads_than_cores_hurt_cpu_bound_work() {
    let (t2, t16) = (
        pool_throughput(2, 0.0, 0.02),
        pool_throughput(16, 0.0, 0.02),
    );
    assert!((t2 - 200.0).abs() < 5.0, "{t2}");
    assert!(t16 < t2 * 0.85, "{t16} vs {t2}");
}

#[test]
fn async_io_serves_more_with_few_workers_when_the_database_is_slow() {
    let run = |io| {
        let mut s = plain(300.0, 1, 4, 0.002);
        s.servers.io = io;
        s.database = Some(Database::fixed_delay(0.05));
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(20.0);
        mean_throughput(&sim, 5..20)
    };
    let sync = run(IoMode::Sync);
    let asynchronous = run(IoMode::Async { max_in_flight: 256 });
    // Sync: 4 workers / 52 ms ≈ 77 /s. Async: the workers only compute.
    assert!(sync < 85.0, "{sync}");
    assert!(asynchronous > 280.0, "{asynchronous}");
}

#[test]
fn key_affinity_raises_the_hit_rate_of_local_caches() {
    let hit_rate = |balancer| {
        let mut s = Scenario::default();
        s.balancer = balancer;
        s.servers.count = 8;
        s.traffic.write_fraction = 0.0;
        s.traffic.keys.count = 20_000;
        let cache = s.cache.as_mut().unwrap();
        cache.placement = Placement::Local;
        cache.capacity = 2_000;
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(60.0);
        sim.summary().cache.unwrap().hit_rate
    };
    let spread = hit_rate(BalancerKind::RoundRobin);
    let affine = hit_rate(BalancerKind::ConsistentHash {
        virtual_nodes: 100,
        hash_on: HashOn::Key,
    });
    assert!(
        affine > spread + 0.15,
        "consistent hash {affine} vs round robin {spread}"
    );
}

#[test]
fn zero_users_means_nothing_happens_and_nothing_hangs() {
    let mut s = plain(0.0, 1, 1, 0.01);
    s.traffic.arrivals = Arrivals::ClosedLoop {
        users: 0,
        think_time: Distribution::Constant { seconds: 1.0 },
    };
    let mut sim = Simulation::new(s).unwrap();
    sim.run_arrivals(10);
    sim.run_until(5.0);
    assert_eq!(sim.metrics().arrivals(), 0);
}

#[test]
fn a_spike_multiplies_the_rate_for_its_duration() {
    let mut sim = Simulation::new(plain(200.0, 4, 8, 0.005)).unwrap();
    sim.run_until(10.0);
    sim.apply(Change::Spike {
        multiplier: 3.0,
        seconds: 5.0,
    })
    .unwrap();
    sim.run_until(25.0);
    let arrivals = |i: usize| sim.metrics().windows()[i].arrivals as f64;
    let during = (10..15).map(arrivals).sum::<f64>() / 5.0;
    let after = (16..25).map(arrivals).sum::<f64>() / 9.0;
    assert!((during - 600.0).abs() < 60.0, "{during}");
    assert!((after - 200.0).abs() < 30.0, "{after}");
}

#[test]
fn switching_io_mode_live_keeps_worker_counts_right() {
    let mut s = plain(300.0, 2, 8, 0.002);
    s.database = Some(Database::fixed_delay(0.05));
    let mut sim = Simulation::new(s).unwrap();
    for (t, io) in [
        (5.0, IoMode::Async { max_in_flight: 64 }),
        (10.0, IoMode::Sync),
        (15.0, IoMode::Async { max_in_flight: 64 }),
    ] {
        sim.run_until(t);
        let mut next = sim.scenario().clone();
        next.servers.io = io;
        sim.apply(Change::Scenario(Box::new(next))).unwrap();
    }
    sim.run_until(25.0);
    // Async again: 300 /s of 2 ms compute keeps far fewer than 16 workers busy.
    assert!(
        mean_throughput(&sim, 20..25) > 280.0,
        "{}",
        mean_throughput(&sim, 20..25)
    );
    let mut next = sim.scenario().clone();
    next.traffic.arrivals = open(0.0);
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(30.0);
    // Once everything has drained, no worker may be left counted as busy.
    assert!(sim
        .servers()
        .iter()
        .all(|s| s.busy() == 0 && s.in_flight() == 0));
    conserved(&sim);
}

#[test]
fn a_shorter_window_never_moves_the_clock_back() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(5.7);
    let mut next = sim.scenario().clone();
    next.metrics.window_seconds = 0.5;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(8.0);
    let w = sim.metrics().windows();
    assert!(w
        .iter()
        .zip(w.iter().skip(1))
        .all(|(a, b)| b.start == a.end && b.end > b.start));
    assert_eq!(w.back().unwrap().end, 8.0);
    assert_eq!(w[5].end, 6.0);
    assert_eq!(w[6].end, 6.5);
}

#[test]
fn rebuilding_the_caches_live_keeps_counts_moving_forward() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(1.5);
    let mut next = sim.scenario().clone();
    next.cache.as_mut().unwrap().placement = Placement::Local;
    sim.apply(Change::Scenario(Box::new(next.clone()))).unwrap();
    sim.run_until(3.5);
    next.cache = None;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(5.5);
    let windows = sim.metrics().windows();
    assert!(windows
        .iter()
        .all(|w| w.cache.hit_rate <= 1.0 && w.cache.hits < 10_000));
    assert!(
        windows[2].cache.hits > 0,
        "local caches serve after the switch"
    );
    assert_eq!(
        windows[4].cache.hits + windows[4].cache.misses,
        0,
        "no cache, no lookups"
    );
    conserved(&sim);
}

#[test]
fn tracing_samples_outcomes_without_changing_the_run() {
    let run = |every| {
        let mut sim = Simulation::new(Scenario::default()).unwrap();
        sim.trace_every(every);
        sim.run_until(10.0);
        let outcomes: Vec<_> = sim.traces_since(0).map(|t| t.outcome).collect();
        (serde_json::to_string(&sim.summary()).unwrap(), outcomes)
    };
    let (plain, none) = run(0);
    let (traced, outcomes) = run(10);
    assert_eq!(plain, traced);
    assert!(none.is_empty());
    assert!((550..650).contains(&outcomes.len()), "{}", outcomes.len());
    use crate::trace::Outcome;
    assert!(outcomes.contains(&Outcome::CacheHit) && outcomes.contains(&Outcome::CacheMiss));
    assert!(outcomes.contains(&Outcome::Write));
}

fn protected(rate: f64, protection: crate::protection::Protection) -> Simulation {
    let mut s = plain(rate, 4, 4, 0.02);
    s.protection = protection;
    Simulation::new(s).unwrap()
}

#[test]
fn a_token_bucket_holds_the_offered_load_to_its_rate() {
    use crate::protection::{Protection, RateLimit};
    let mut sim = protected(
        2_000.0,
        Protection {
            rate_limit: Some(RateLimit::TokenBucket {
                rate: 500.0,
                burst: 50.0,
            }),
            ..Protection::default()
        },
    );
    sim.run_until(20.0);
    let served = mean_throughput(&sim, 5..20);
    assert!((served - 500.0).abs() < 15.0, "{served}");
    assert!(sim.metrics().rejections().rate_limited > 25_000);
    assert_eq!(
        sim.metrics().rejections().queue_full,
        0,
        "the servers are shielded"
    );
    conserved(&sim);
}

#[test]
fn a_leaky_bucket_delays_requests_and_conserves_them() {
    use crate::protection::{Protection, RateLimit};
    let mut sim = protected(
        700.0,
        Protection {
            rate_limit: Some(RateLimit::LeakyBucket {
                rate: 500.0,
                capacity: 100,
            }),
            ..Protection::default()
        },
    );
    sim.run_until(20.0);
    assert!((mean_throughput(&sim, 5..20) - 500.0).abs() < 15.0);
    // Requests waiting in the bucket are in the system: waiting counts in latency.
    assert!(
        sim.metrics().latency().p50 > 0.1,
        "{:?}",
        sim.metrics().latency()
    );
    conserved(&sim);
}

#[test]
fn a_concurrency_limit_caps_requests_in_the_system() {
    use crate::protection::Protection;
    let mut s = plain(2_000.0, 4, 4, 0.02);
    s.servers.queue_capacity = None;
    s.protection = Protection {
        concurrency_limit: Some(40),
        ..Protection::default()
    };
    let mut sim = Simulation::new(s).unwrap();
    for t in 1..=20 {
        sim.run_until(f64::from(t));
        assert!(sim.in_flight() <= 40, "{}", sim.in_flight());
    }
    assert!(sim.metrics().rejections().concurrency_limited > 10_000);
    conserved(&sim);
}

#[test]
fn shedding_bounds_the_wait_of_an_unbounded_queue() {
    use crate::protection::Protection;
    let run = |shed| {
        let mut s = plain(1_000.0, 1, 4, 0.005);
        s.servers.queue_capacity = None;
        s.protection = Protection {
            shed_after_seconds: shed,
            ..Protection::default()
        };
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(30.0);
        sim
    };
    let unprotected = run(None);
    let shedding = run(Some(0.2));
    // Without shedding the queue grows without limit; with it, no answer waited > 0.2 s
    // in the queue (plus at most one service time, 5 ms on average).
    assert!(unprotected.metrics().windows()[29].latency.p99 > 5.0);
    assert!(
        shedding.metrics().latency().max < 0.3,
        "{:?}",
        shedding.metrics().latency()
    );
    assert!(shedding.metrics().rejections().shed > 5_000);
    conserved(&shedding);
}

/// One server at 150 % load with 0.3 s timeouts: the classic setting of a retry storm.
fn storm(retries: Option<crate::protection::Retries>) -> Simulation {
    let mut s = plain(1_200.0, 1, 8, 0.01);
    s.servers.queue_capacity = None;
    s.traffic.timeout_seconds = Some(0.3);
    s.protection.retries = retries;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(30.0);
    sim
}

#[test]
fn retries_without_a_budget_multiply_the_load_and_a_budget_caps_them() {
    use crate::protection::Retries;
    let retries = |budget| Retries {
        max_attempts: 4,
        backoff_seconds: 0.05,
        jitter: 0.5,
        budget,
    };
    let none = storm(None);
    let unbudgeted = storm(Some(retries(None)));
    let budgeted = storm(Some(retries(Some(0.1))));
    let first_attempts = |sim: &Simulation| sim.metrics().arrivals() - sim.metrics().retries();
    // Without a budget most first attempts time out and are sent again, up to 3 times.
    let amplification = unbudgeted.metrics().arrivals() as f64 / first_attempts(&unbudgeted) as f64;
    assert!(amplification > 2.5, "{amplification}");
    // A 10 % budget: retries stay near a tenth of first attempts.
    let share = budgeted.metrics().retries() as f64 / first_attempts(&budgeted) as f64;
    assert!(share <= 0.11, "{share}");
    assert_eq!(none.metrics().retries(), 0);
    for sim in [&none, &unbudgeted, &budgeted] {
        conserved(sim);
    }
}

#[test]
fn a_rejected_request_is_retried_after_its_backoff() {
    use crate::protection::Retries;
    let mut s = plain(100.0, 1, 1, 0.005);
    s.servers.queue_capacity = Some(0);
    s.protection.retries = Some(Retries {
        max_attempts: 3,
        backoff_seconds: 0.01,
        jitter: 0.0,
        budget: None,
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(60.0);
    let rejected = sim.metrics().rejections().queue_full;
    let retries = sim.metrics().retries();
    // Every rejection of a first or second attempt is retried; third attempts are not.
    assert!(rejected > 100, "{rejected}");
    assert!(
        retries > rejected / 2 && retries <= rejected,
        "{retries} retries for {rejected} rejections"
    );
    conserved(&sim);
}

#[test]
fn one_change_that_turns_local_caches_off_and_adds_a_server_is_applied() {
    let mut s = Scenario::default();
    s.cache.as_mut().unwrap().placement = Placement::Local;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(1.0);
    let mut next = sim.scenario().clone();
    next.cache = None;
    next.servers.count += 1;
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(3.0);
    assert_eq!(sim.pool().len(), 5);
    conserved(&sim);
}

#[test]
fn repeated_spikes_do_not_slow_the_source_down() {
    let mut sim = Simulation::new(plain(600.0, 4, 8, 0.005)).unwrap();
    for i in 0..15 {
        sim.apply(Change::Spike {
            multiplier: 3.0,
            seconds: 1.0,
        })
        .unwrap();
        sim.run_until(f64::from(i + 1) * 2.0);
    }
    // Each spike triples the rate for a second, then the rate is back to 600 /s: with
    // the old envelope (3^15 × the rate) this would have drawn billions of candidates.
    let Arrivals::OpenLoop { schedule, .. } = &sim.scenario().traffic.arrivals else {
        unreachable!()
    };
    assert!(
        schedule.len() <= 2,
        "ended spikes are pruned: {}",
        schedule.len()
    );
    let last = &sim.metrics().windows()[29];
    assert!(
        (last.arrivals as f64 - 600.0).abs() < 100.0,
        "{}",
        last.arrivals
    );
}

#[test]
fn a_spike_on_top_of_spikes_beyond_the_peak_is_refused_and_changes_nothing() {
    let mut sim = Simulation::new(plain(600.0, 4, 8, 0.005)).unwrap();
    let big = Change::Spike {
        multiplier: 1000.0,
        seconds: 60.0,
    };
    sim.apply(big.clone()).unwrap();
    let before = sim.scenario().clone();
    let refused = sim.apply(big).unwrap_err();
    assert_eq!(refused.path, "traffic.arrivals.schedule");
    assert_eq!(sim.scenario(), &before);
}

#[test]
fn database_errors_fail_requests_at_their_rate() {
    let mut s = plain(400.0, 4, 8, 0.005);
    s.database = Some(Database {
        error_rate: 0.2,
        ..Database::fixed_delay(0.01)
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(20.0);
    let m = sim.metrics();
    let share = m.rejections().database_error as f64 / m.arrivals() as f64;
    assert!((share - 0.2).abs() < 0.02, "{share}");
    conserved(&sim);
}

#[test]
fn a_breaker_opens_when_the_database_goes_down_and_closes_when_it_is_back() {
    use crate::protection::{BreakerState, CircuitBreakerConfig};
    let mut s = plain(400.0, 4, 8, 0.005);
    s.database = Some(Database::fixed_delay(0.05));
    s.protection.circuit_breaker = Some(CircuitBreakerConfig {
        window_calls: 20,
        failure_ratio: 0.5,
        open_seconds: 2.0,
        probe_calls: 3,
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(5.0);
    assert_eq!(sim.breaker_state(), Some(BreakerState::Closed));
    sim.apply(Change::KillDatabase).unwrap();
    sim.run_until(10.0);
    // Open: requests fail at once instead of holding a worker for 50 ms each.
    assert!(matches!(
        sim.breaker_state(),
        Some(BreakerState::Open { .. } | BreakerState::HalfOpen { .. })
    ));
    let down = &sim.metrics().windows()[8];
    assert!(down.rejections.circuit_open > 200, "{:?}", down.rejections);
    assert!(
        down.circuit_open_seconds > 0.5,
        "{}",
        down.circuit_open_seconds
    );
    sim.apply(Change::ReviveDatabase).unwrap();
    sim.run_until(15.0);
    assert_eq!(sim.breaker_state(), Some(BreakerState::Closed));
    assert_eq!(sim.metrics().windows()[14].rejections.total(), 0);
    assert!(sim
        .marks()
        .iter()
        .any(|m| m.label.to_string() == "database down"));
    conserved(&sim);
}

/// Whether two JSON values agree, numbers to 1e-9 relative (integrals added up window by
/// window or over a whole gap at once differ in the last bits).
fn nearly_equal(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| nearly_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| nearly_equal(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn idle_windows_passed_over_read_as_if_each_had_been_closed_with_or_without_a_sink() {
    // About five requests in the first second, served one at a time for 100 s each, and
    // nothing else until 200 s: gaps of 10,000 windows of 10 ms with requests in
    // service and in the queue.
    let mut s = plain(1.0, 1, 1, 1.0);
    s.servers.service_time = Distribution::Constant { seconds: 100.0 };
    s.metrics.window_seconds = 0.01;
    s.health_check = None;
    s.seed = 3;
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 5.0,
        schedule: vec![
            RateEvent::Step { at: 1.0, rate: 0.0 },
            RateEvent::Step {
                at: 200.0,
                rate: 2.0,
            },
        ],
    };
    // One run writes a time series: its sink hears every window, the passed-over ones
    // included, in order, and its figures are those of the run without a sink.
    let mut with_sink = Simulation::new(s.clone()).unwrap();
    let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = heard.clone();
    with_sink.on_window(Box::new(move |w| sink.borrow_mut().push((w.start, w.end))));
    let mut without = Simulation::new(s.clone()).unwrap();
    // A third moves the clock ten seconds at a time, a thousand windows, too few to pass
    // over: every window is closed, and it must read as the others do.
    let mut stepped = Simulation::new(s).unwrap();
    let json = |sim: &Simulation| {
        let windows: Vec<_> = sim.metrics().windows().iter().collect();
        (
            serde_json::to_value(sim.summary()).unwrap(),
            serde_json::to_value(windows).unwrap(),
        )
    };
    // At 99 s the ring's oldest window is the first after the skip, with the requests
    // still in service; at 250 s the run has been through a silent gap as well.
    for until in [99.0, 250.0] {
        with_sink.run_until(until);
        without.run_until(until);
        assert_eq!(json(&with_sink), json(&without), "at {until} s");
        while stepped.now() < until {
            stepped.run_until((stepped.now() + 10.0).min(until));
        }
        let (closed, passed) = (json(&stepped), json(&without));
        assert!(
            nearly_equal(&closed.0, &passed.0),
            "{:#}\n{:#}",
            closed.0,
            passed.0
        );
        assert!(nearly_equal(&closed.1, &passed.1), "at {until} s");
    }
    let heard = heard.borrow();
    assert_eq!(heard.len(), 25_000);
    for (i, pair) in heard.windows(2).enumerate() {
        let ((_, end), (start, _)) = (pair[0], pair[1]);
        assert!((start - end).abs() < 1e-9, "window {i}: {end} then {start}");
    }
    assert!((heard[24_999].1 - 250.0).abs() < 1e-6);
    let first = &without.metrics().windows()[0];
    assert!(first.mean_in_system > 1.5, "{first:?}");
    assert!(first.servers[0].mean_queue > 0.5, "{first:?}");
}

#[test]
fn a_budget_counts_the_windows_closed_as_work() {
    // No arrivals, a health check every second and windows of 1 ms: each event closes
    // a thousand windows, so 5,000 units of work reach about five seconds.
    let mut s = plain(0.0, 2, 4, 0.01);
    s.health_check = Some(HealthCheck {
        interval_seconds: 1.0,
        failure_threshold: 2,
    });
    s.metrics.window_seconds = 0.001;
    let mut sim = Simulation::new(s).unwrap();
    assert!(!sim.run_until_budget(1000.0, 5_000));
    assert!((4.0..7.0).contains(&sim.now()), "{}", sim.now());
    assert!(sim.run_until_budget(10.0, 100_000));
    assert_eq!(sim.now(), 10.0);
}

#[test]
fn the_clock_stops_at_its_end_however_far_a_run_is_asked_to_go() {
    // At 2e13 s a 1 ms window is below the clock's resolution: without the end, moving
    // the clock there would never finish closing windows.
    let mut s = plain(0.0, 1, 1, 0.01);
    s.health_check = None;
    s.metrics.window_seconds = 0.001;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(2e13);
    assert_eq!(sim.now(), MAX_CLOCK_SECONDS);
    assert!(!sim.arrivals_possible());
}

#[test]
fn a_new_rate_is_checked_with_the_schedule_that_will_run() {
    // A step to 1 /s at 0 keeps a ×1000 spike at 1,000 /s. A new base rate of a million
    // drops that step (it has taken effect), which would leave the spike at 1e9 /s.
    let mut s = plain(1000.0, 2, 4, 0.005);
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 1000.0,
        schedule: vec![
            RateEvent::Step { at: 0.0, rate: 1.0 },
            RateEvent::Spike {
                at: 100.0,
                duration: 10.0,
                multiplier: 1000.0,
            },
        ],
    };
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(50.0);
    let before = sim.scenario().clone();
    let mut next = before.clone();
    let Arrivals::OpenLoop { rate, .. } = &mut next.traffic.arrivals else {
        unreachable!()
    };
    *rate = 1e6;
    let refused = sim.apply(Change::Scenario(Box::new(next))).unwrap_err();
    assert_eq!(refused.path, "traffic.arrivals.schedule");
    assert_eq!(sim.scenario(), &before);
    assert!(sim.scenario().validate().is_ok());
}

#[test]
fn a_spike_that_would_end_beyond_the_schedules_reach_is_refused() {
    let mut s = plain(0.0, 1, 1, 0.01);
    s.health_check = None;
    let mut sim = Simulation::new(s).unwrap();
    let ten_seconds = Change::Spike {
        multiplier: 2.0,
        seconds: 10.0,
    };
    // Five seconds before the last time a schedule may name: it would end after it.
    sim.run_until(MAX_SCHEDULE_SECONDS - 5.0);
    let refused = sim.apply(ten_seconds.clone()).unwrap_err();
    assert_eq!(refused.path, "traffic.arrivals.schedule[0] (its end)");
    // Past that time, it would start after it too.
    sim.run_until(1.5e7);
    let refused = sim.apply(ten_seconds).unwrap_err();
    assert_eq!(refused.path, "traffic.arrivals.schedule[0].at");
    assert!(sim.scenario().validate().is_ok());
}
