//! The simulation against queueing theory, over long seeded runs.
//!
//! Each case is a model theory solves exactly (Poisson arrivals, exponential service,
//! c workers, an unbounded or bounded queue); the measured figures must land within a
//! few percent of the formulas. A wrong queue discipline, a lost request or a biased
//! sampler moves them well outside.

use loadlab_sim::balancer::BalancerKind;
use loadlab_sim::dist::Distribution;
use loadlab_sim::theory::{mmc, mmck, model_scenario, predict_per_server};
use loadlab_sim::{Scenario, Simulation};

const MEAN_SERVICE: f64 = 0.001;

/// `servers` × M/M/`workers` with `queue` places each, at total rate `lambda`.
fn model(lambda: f64, servers: u32, workers: u32, queue: Option<u32>) -> Scenario {
    Scenario {
        seed: 2026,
        ..model_scenario(lambda, servers, workers, queue, MEAN_SERVICE)
    }
}

fn run(scenario: Scenario, customers: u64) -> Simulation {
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_arrivals(customers);
    sim
}

fn within(measured: f64, predicted: f64, tolerance: f64) -> bool {
    ((measured - predicted) / predicted).abs() <= tolerance
}

#[test]
fn mm1_mean_wait_matches_theory() {
    let (lambda, mu) = (800.0, 1000.0);
    let sim = run(model(lambda, 1, 1, None), 2_000_000);
    let wait = sim.metrics().mean_latency() - MEAN_SERVICE;
    let predicted = mmc(lambda, mu, 1).unwrap().mean_wait;
    assert!(within(wait, predicted, 0.03), "W_q {wait} vs {predicted}");
}

#[test]
fn mmc_mean_wait_matches_erlang_c() {
    // c = 4 at ρ = 0.85.
    let (lambda, mu) = (3_400.0, 1000.0);
    let sim = run(model(lambda, 1, 4, None), 2_000_000);
    let wait = sim.metrics().mean_latency() - MEAN_SERVICE;
    let predicted = mmc(lambda, mu, 4).unwrap();
    assert!(
        within(wait, predicted.mean_wait, 0.03),
        "W_q {wait} vs {}",
        predicted.mean_wait
    );
    let summary = sim.summary();
    let utilisation = summary.servers[0].utilisation;
    assert!(
        within(utilisation, predicted.utilisation, 0.01),
        "ρ {utilisation}"
    );
    // The summary carries the same prediction beside the measurement.
    let check = summary.theory.unwrap();
    assert_eq!(check.model, "M/M/c");
    assert_eq!(check.predicted, predicted);
}

#[test]
fn mmck_blocking_matches_theory() {
    // c = 2, K = 5 (3 waiting places), offered load 2.4 (ρ = 1.2): heavy blocking.
    let (lambda, mu) = (2_400.0, 1000.0);
    let sim = run(model(lambda, 1, 2, Some(3)), 1_000_000);
    let m = sim.metrics();
    let blocking = m.rejections().queue_full as f64 / m.arrivals() as f64;
    let predicted = mmck(lambda, mu, 2, 5).unwrap();
    assert!(
        within(blocking, predicted.blocking_probability, 0.03),
        "blocking {blocking} vs {}",
        predicted.blocking_probability
    );
    let time = m.mean_latency();
    assert!(
        within(time, predicted.mean_time_in_system, 0.03),
        "W {time} vs {}",
        predicted.mean_time_in_system
    );
    assert_eq!(predict_per_server(sim.scenario()).unwrap(), predicted);
}

#[test]
fn littles_law_holds_in_the_measurements() {
    let sim = run(model(3_000.0, 2, 2, Some(10)), 1_000_000);
    let law = sim.summary().littles_law;
    assert!(
        within(law.mean_in_system, law.throughput_times_mean_time, 0.01),
        "L {} vs λW {}",
        law.mean_in_system,
        law.throughput_times_mean_time
    );
    // Window by window too, where windows are long enough to average.
    let windows = sim.metrics().windows();
    let (l, lw): (f64, f64) = windows
        .iter()
        .map(|w| (w.mean_in_system, w.throughput_times_latency))
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    assert!(within(l, lw, 0.01), "Σ L {l} vs Σ λW {lw}");
}

#[test]
fn random_balancing_splits_poisson_into_independent_mmc_queues() {
    // 4 servers × M/M/2, total rate 6,000 (ρ = 0.75 each).
    let sim = run(model(6_000.0, 4, 2, None), 2_000_000);
    let wait = sim.metrics().mean_latency() - MEAN_SERVICE;
    let predicted = mmc(1_500.0, 1000.0, 2).unwrap().mean_wait;
    assert!(within(wait, predicted, 0.03), "W_q {wait} vs {predicted}");
}

#[test]
fn theory_is_only_claimed_where_it_applies() {
    let mut s = model(800.0, 2, 2, None);
    assert!(predict_per_server(&s).is_some());
    s.balancer = BalancerKind::RoundRobin;
    assert!(
        predict_per_server(&s).is_none(),
        "round robin does not split Poisson into Poisson"
    );
    let mut s = model(800.0, 1, 2, None);
    s.servers.service_time = Distribution::Constant { seconds: 0.001 };
    assert!(predict_per_server(&s).is_none(), "M/D/c is not M/M/c");
    assert!(predict_per_server(&Scenario::default()).is_none());
}
