//! The error share a client sees (`WindowStats::error_share`): failures counted when the
//! client learns them, never more than every outcome learned.

use super::*;
use crate::dist::Distribution;
use crate::metrics::WindowStats;
use crate::protection::Retries;
use crate::traffic::{Arrivals, RateEvent};

/// One server of 4 workers, 10 ms each (400/s), a queue of 20.
fn small_server(rate: f64, schedule: Vec<RateEvent>) -> Scenario {
    let mut s = Scenario::compute_only(rate, 1, 4, 0.01);
    s.servers.service_time = Distribution::Constant { seconds: 0.01 };
    s.servers.queue_capacity = Some(20);
    s.traffic.arrivals = Arrivals::OpenLoop { rate, schedule };
    s
}

/// Without timeouts or retries, a request fails exactly when it is refused: the share is
/// refusals over refusals and answers, window by window.
#[test]
fn without_timeouts_the_share_is_refusals_over_outcomes() {
    let mut sim = Simulation::new(small_server(1_000.0, Vec::new())).unwrap();
    sim.run_until(20.0);
    for w in sim.metrics().windows() {
        let refused = w.rejections.total();
        assert_eq!(w.failed, refused, "window at {}", w.start);
        let expected = refused as f64 / (refused + w.completions) as f64;
        assert_eq!(w.error_share(), expected);
    }
    // 1,000/s offered to 400/s of capacity: about 60 % refused.
    let last = sim.metrics().windows().back().unwrap();
    assert!(
        (last.error_share() - 0.6).abs() < 0.05,
        "{}",
        last.error_share()
    );
}

/// Under overload that then stops, late answers keep coming while few requests arrive:
/// the old figure (refused + late over arrivals) passed 100 %; the client's share cannot.
#[test]
fn after_an_overload_the_share_stays_at_most_one_and_late_answers_are_wasted_work() {
    let mut s = small_server(
        2_000.0,
        vec![RateEvent::Step {
            at: 10.0,
            rate: 10.0,
        }],
    );
    s.servers.queue_capacity = Some(400);
    s.traffic.timeout_seconds = Some(0.5);
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(14.0);
    let windows = sim.metrics().windows();
    let old = |w: &crate::metrics::WindowStats| {
        (w.rejections.total() + w.timed_out) as f64 / w.arrivals.max(1) as f64
    };
    assert!(
        windows.iter().any(|w| old(w) > 1.0),
        "the scenario no longer shows the defect"
    );
    for w in windows {
        assert!(
            (0.0..=1.0).contains(&w.error_share()),
            "{} at {}",
            w.error_share(),
            w.start
        );
    }
    // While overloaded, the clients give up (each counted once, when its timeout fires)
    // and the servers answer them late: wasted work, not a second failure.
    // Here a request is refused on arrival or given up on, never both: each window's
    // failures are its refusals and its give-ups.
    for w in windows {
        assert_eq!(
            w.failed,
            w.rejections.total() + w.gave_up,
            "window at {}",
            w.start
        );
    }
    let overloaded = &windows[5];
    assert!(overloaded.timed_out > 0 && overloaded.gave_up > 0);
    assert!(
        overloaded.error_share() > 0.7,
        "{}",
        overloaded.error_share()
    );
    // Every client that gave up is one failure, and so is every refusal of a client
    // still waiting: never more than both together.
    let m = sim.metrics();
    assert!(m.failed() >= sim.refusals().gave_up);
    assert!(m.failed() <= sim.refusals().gave_up + m.rejections().total());
}

/// A refused attempt that is retried is no failure yet: only the request's last attempt
/// decides, so with retries the share falls below the share of attempts refused.
#[test]
fn a_retried_refusal_is_not_a_failure_until_the_last_attempt() {
    let mut s = small_server(600.0, Vec::new());
    s.protection.retries = Some(Retries {
        max_attempts: 3,
        backoff_seconds: 0.05,
        jitter: 0.0,
        budget: None,
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(20.0);
    let w = sim.metrics().windows().back().unwrap();
    let refused = w.rejections.total();
    assert!(
        refused > 0 && w.failed < refused,
        "failed {}, refused {refused}",
        w.failed
    );
}

/// A stretch measured from a mark (a fast-forward's result) holds exactly what the
/// windows in it counted, and its percentiles are those of its answers only: a quiet
/// start, then overload, measured from the overload's start, has the overload's p50.
#[test]
fn a_stretch_from_a_mark_counts_what_its_windows_counted() {
    let schedule = vec![RateEvent::Step {
        at: 10.0,
        rate: 1_000.0,
    }];
    let mut sim = Simulation::new(small_server(100.0, schedule)).unwrap();
    let start = sim.metrics().mark(0.0);
    sim.run_until(10.0);
    let quiet = sim.metrics().since(&start, sim.now());
    let mark = sim.metrics().mark(sim.now());
    sim.run_until(30.0);
    let span = sim.metrics().since(&mark, sim.now());
    let windows: Vec<_> = sim
        .metrics()
        .windows()
        .iter()
        .filter(|w| w.start >= 10.0)
        .collect();
    let sum = |f: fn(&WindowStats) -> u64| windows.iter().map(|w| f(w)).sum::<u64>();
    assert_eq!(span.arrivals, sum(|w| w.arrivals));
    assert_eq!(span.completions, sum(|w| w.completions));
    assert_eq!(span.failed, sum(|w| w.failed));
    assert_eq!(span.rejections.queue_full, sum(|w| w.rejections.queue_full));
    assert_eq!(span.seconds(), 20.0);
    assert!(
        (span.throughput() - 400.0).abs() < 10.0,
        "{}",
        span.throughput()
    );
    assert!(
        (span.error_share() - 0.6).abs() < 0.05,
        "{}",
        span.error_share()
    );
    // Overloaded with a queue of 20 at 400/s, most requests wait ~50 ms; quiet, they
    // take their 10 ms of service and little more.
    assert!(span.latency.p50 > 0.04, "{:?}", span.latency);
    assert!(quiet.latency.p50 < 0.015, "{:?}", quiet.latency);
    assert_eq!(
        quiet.completions + span.completions,
        sim.metrics().completions()
    );
}
