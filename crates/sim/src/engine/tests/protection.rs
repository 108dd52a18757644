//! Protection: rate limiters, the concurrency limit, shedding, retries, the breaker.

use super::*;
use crate::db::Database;

fn protected(rate: f64, protection: crate::protection::Protection) -> Simulation {
    let mut s = Scenario::compute_only(rate, 4, 4, 0.02);
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
    sim.check_conservation().unwrap();
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
    sim.check_conservation().unwrap();
}

#[test]
fn a_concurrency_limit_caps_requests_in_the_system() {
    use crate::protection::Protection;
    let mut s = Scenario::compute_only(2_000.0, 4, 4, 0.02);
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
    sim.check_conservation().unwrap();
}

#[test]
fn shedding_bounds_the_wait_of_an_unbounded_queue() {
    use crate::protection::Protection;
    let run = |shed| {
        let mut s = Scenario::compute_only(1_000.0, 1, 4, 0.005);
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
    shedding.check_conservation().unwrap();
}

/// One server at 150 % load with 0.3 s timeouts: the classic setting of a retry storm.
fn storm(retries: Option<crate::protection::Retries>) -> Simulation {
    let mut s = Scenario::compute_only(1_200.0, 1, 8, 0.01);
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
        sim.check_conservation().unwrap();
    }
}

#[test]
fn a_rejected_request_is_retried_after_its_backoff() {
    use crate::protection::Retries;
    let mut s = Scenario::compute_only(100.0, 1, 1, 0.005);
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
    sim.check_conservation().unwrap();
}

#[test]
fn database_errors_fail_requests_at_their_rate() {
    let mut s = Scenario::compute_only(400.0, 4, 8, 0.005);
    s.database = Some(Database {
        error_rate: 0.2,
        ..Database::fixed_delay(0.01)
    });
    let mut sim = Simulation::new(s).unwrap();
    sim.run_until(20.0);
    let m = sim.metrics();
    let share = m.rejections().database_error as f64 / m.arrivals() as f64;
    assert!((share - 0.2).abs() < 0.02, "{share}");
    sim.check_conservation().unwrap();
}

#[test]
fn a_breaker_opens_when_the_database_goes_down_and_closes_when_it_is_back() {
    use crate::protection::{BreakerState, CircuitBreakerConfig};
    let mut s = Scenario::compute_only(400.0, 4, 8, 0.005);
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
    sim.check_conservation().unwrap();
}
