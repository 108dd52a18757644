//! Arrivals: live rate changes, spikes and their bounds, closed-loop users, timeouts.

use super::*;
use crate::dist::Distribution;
use crate::traffic::{Arrivals, RateEvent, MAX_SCHEDULE_SECONDS};

#[test]
fn a_live_rate_change_shows_from_the_change_on() {
    let mut sim = Simulation::new(Scenario::compute_only(600.0, 4, 4, 0.02)).unwrap();
    sim.run_until(20.0);
    let mut next = sim.scenario().clone();
    next.traffic.arrivals = Arrivals::open_loop(300.0);
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(40.0);
    assert!((mean_throughput(&sim, 10..20) - 600.0).abs() < 40.0);
    assert!((mean_throughput(&sim, 30..40) - 300.0).abs() < 30.0);
    assert_eq!(sim.marks()[0].time, 20.0);
    assert_eq!(
        sim.marks()[0].label.to_string(),
        "arrival rate 600 → 300 /s"
    );
    sim.check_conservation().unwrap();
}

#[test]
fn closed_loop_throughput_follows_the_response_time_law() {
    // N users, think Z, response R: X = N / (Z + R). Light load, so R ≈ service.
    let mut s = Scenario::compute_only(0.0, 2, 8, 0.01);
    s.traffic.arrivals = Arrivals::ClosedLoop {
        users: 50,
        think_time: Distribution::Exponential { mean_seconds: 0.49 },
    };
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(60.0);
    let x = mean_throughput(&sim, 10..60);
    let r = sim.metrics().mean_latency();
    assert!((x - 50.0 / (0.49 + r)).abs() < 4.0, "X {x}, R {r}");
    sim.check_conservation().unwrap();
}

#[test]
fn timeouts_separate_goodput_from_throughput_under_overload() {
    let mut s = Scenario::compute_only(1_000.0, 1, 4, 0.005);
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

#[test]
fn zero_users_means_nothing_happens_and_nothing_hangs() {
    let mut s = Scenario::compute_only(0.0, 1, 1, 0.01);
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
    let mut sim = Simulation::new(Scenario::compute_only(200.0, 4, 8, 0.005)).unwrap();
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

/// While a spike runs, the run says so: the rate offered now and the time left, for the
/// page to show beside the button and on the clients.
#[test]
fn a_running_spike_reports_its_rate_and_time_left() {
    let mut sim = Simulation::new(Scenario::compute_only(200.0, 4, 8, 0.005)).unwrap();
    sim.run_until(10.0);
    assert_eq!((sim.offered_rate(), sim.spike_now()), (Some(200.0), None));
    sim.apply(Change::Spike {
        multiplier: 3.0,
        seconds: 5.0,
    })
    .unwrap();
    sim.run_until(12.0);
    assert_eq!(sim.offered_rate(), Some(600.0));
    let (multiplier, left) = sim.spike_now().unwrap();
    assert_eq!(multiplier, 3.0);
    assert!((left - 3.0).abs() < 1e-9, "{left}");
    sim.apply(Change::Spike {
        multiplier: 2.0,
        seconds: 10.0,
    })
    .unwrap();
    assert_eq!(sim.offered_rate(), Some(1_200.0));
    assert_eq!(sim.spike_now().map(|(m, _)| m), Some(6.0));
    sim.run_until(30.0);
    assert_eq!((sim.offered_rate(), sim.spike_now()), (Some(200.0), None));
}

#[test]
fn repeated_spikes_do_not_slow_the_source_down() {
    let mut sim = Simulation::new(Scenario::compute_only(600.0, 4, 8, 0.005)).unwrap();
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
    let mut sim = Simulation::new(Scenario::compute_only(600.0, 4, 8, 0.005)).unwrap();
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
fn a_new_rate_is_checked_with_the_schedule_that_will_run() {
    // A step to 1 /s at 0 keeps a ×1000 spike at 1,000 /s. A new base rate of a million
    // drops that step (it has taken effect), which would leave the spike at 1e9 /s.
    let mut s = Scenario::compute_only(1000.0, 2, 4, 0.005);
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
    let mut s = Scenario::compute_only(0.0, 1, 1, 0.01);
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
