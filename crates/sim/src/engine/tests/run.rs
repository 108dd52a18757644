//! Determinism, the clock, windows and budgets: what every run must keep.

use super::*;
use crate::dist::Distribution;
use crate::scenario::HealthCheck;
use crate::traffic::{Arrivals, RateEvent};

#[test]
fn the_default_scenario_runs_and_conserves_requests() {
    let mut sim = Simulation::new(Scenario::default()).unwrap();
    sim.run_until(30.0);
    sim.check_conservation().unwrap();
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
    let mut s = Scenario::compute_only(1.0, 1, 1, 1.0);
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
    let mut s = Scenario::compute_only(0.0, 2, 4, 0.01);
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
    let mut s = Scenario::compute_only(0.0, 1, 1, 0.01);
    s.health_check = None;
    s.metrics.window_seconds = 0.001;
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(2e13);
    assert_eq!(sim.now(), MAX_CLOCK_SECONDS);
    assert!(!sim.arrivals_possible());
}
