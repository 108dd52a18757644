//! Servers: queues, kills and health checks, draining, threads against cores, I/O modes.

use super::*;
use crate::balancer::BalancerKind;
use crate::db::Database;
use crate::dist::Distribution;
use crate::scenario::HealthCheck;
use crate::server::IoMode;
use crate::traffic::Arrivals;

#[test]
fn overload_fills_queues_and_rejects() {
    // Capacity 4 servers × 4 workers / 20 ms = 800 /s.
    let mut sim = Simulation::new(Scenario::compute_only(2_000.0, 4, 4, 0.02)).unwrap();
    sim.run_until(10.0);
    assert!(sim.metrics().rejections().queue_full > 5_000);
    assert!(sim.servers().iter().all(|s| s.queue_len() > 0));
    sim.check_conservation().unwrap();
}

#[test]
fn a_killed_server_fails_requests_until_the_health_check_notices() {
    let mut s = Scenario::compute_only(400.0, 4, 4, 0.01);
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
    sim.check_conservation().unwrap();
}

#[test]
fn without_health_checks_the_balancer_never_notices() {
    let mut s = Scenario::compute_only(400.0, 4, 4, 0.01);
    s.health_check = None;
    let mut sim = Simulation::new(s).unwrap();
    sim.apply(Change::KillServer(1)).unwrap();
    sim.run_until(20.0);
    assert!(sim.metrics().windows()[19].rejections.server_down > 60);
}

#[test]
fn removing_a_server_drains_it_and_adding_one_takes_traffic() {
    let mut sim = Simulation::new(Scenario::compute_only(400.0, 4, 4, 0.01)).unwrap();
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
    sim.check_conservation().unwrap();
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
    sim.check_conservation().unwrap();
}

/// Throughput of one server with `workers` threads on 2 cores, 10 ms compute, `wait`
/// seconds of database I/O, heavy load.
fn pool_throughput(workers: u32, wait: f64, overhead: f64) -> f64 {
    let mut s = Scenario::compute_only(2_000.0, 1, workers, 0.01);
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
        let mut s = Scenario::compute_only(300.0, 1, 4, 0.002);
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
fn switching_io_mode_live_keeps_worker_counts_right() {
    let mut s = Scenario::compute_only(300.0, 2, 8, 0.002);
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
    next.traffic.arrivals = Arrivals::open_loop(0.0);
    sim.apply(Change::Scenario(Box::new(next))).unwrap();
    sim.run_until(30.0);
    // Once everything has drained, no worker may be left counted as busy.
    assert!(sim
        .servers()
        .iter()
        .all(|s| s.busy() == 0 && s.in_flight() == 0));
    sim.check_conservation().unwrap();
}
