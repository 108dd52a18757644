//! Autoscaling: the lag from a spike to the capacity it asks for, bounds, booting
//! servers that cost but do not serve, and draining on the way down.

use super::*;
use crate::server::{Autoscale, Lifecycle, ScaleMetric};
use crate::traffic::{Arrivals, RateEvent};

/// One server of 4 workers at 10 ms (400 /s), 200 /s, a step to 1,000 /s at 30 s and
/// back to 200 /s at 150 s; CPU held at 60 %, 1–6 servers, read every 5 s, 10 s
/// between steps, 2 up and 1 down, 20 s to boot.
fn stepped() -> Scenario {
    let mut s = Scenario::compute_only(200.0, 1, 4, 0.01);
    s.traffic.arrivals = Arrivals::OpenLoop {
        rate: 200.0,
        schedule: vec![
            RateEvent::Step {
                at: 30.0,
                rate: 1000.0,
            },
            RateEvent::Step {
                at: 150.0,
                rate: 200.0,
            },
        ],
    };
    s.servers.autoscale = Some(Autoscale {
        metric: ScaleMetric::Cpu,
        target: 0.6,
        min: 1,
        max: 6,
        interval_seconds: 5.0,
        cooldown_seconds: 10.0,
        step_up: 2,
        step_down: 1,
        boot_seconds: 20.0,
    });
    s
}

/// Servers asked for and serving at each whole second up to `end`.
fn timeline(sim: &mut Simulation, end: u32) -> Vec<(u32, u32)> {
    (1..=end)
        .map(|t| {
            sim.run_until(f64::from(t));
            let count = |state| {
                sim.servers()
                    .iter()
                    .filter(|s| s.lifecycle() == state)
                    .count() as u32
            };
            let serving = count(Lifecycle::Active);
            (serving + count(Lifecycle::Booting), serving)
        })
        .collect()
}

fn step_times(sim: &Simulation) -> Vec<(f64, String)> {
    sim.marks()
        .iter()
        .map(|m| (m.time, m.label.to_string()))
        .collect()
}

#[test]
fn capacity_arrives_a_reading_and_a_boot_after_the_step() {
    let mut sim = Simulation::new(stepped()).unwrap();
    sim.run_until(150.0);
    let w = sim.metrics().windows();
    // The step at 30 s is read at 35 s; the servers asked for then serve from 55 s:
    // 25 s of one server against 1,000 /s, refusing about 600 a second.
    assert!(
        (31..55).all(|t| w[t].rejections.total() > 300),
        "{:?}",
        w[40].rejections
    );
    assert!((56..150).all(|t| w[t].rejections.total() == 0));
    let steps = step_times(&sim);
    assert_eq!(steps[0], (35.0, "autoscaling: 1 → 3 servers".to_string()));
    assert_eq!(steps[1], (45.0, "autoscaling: 3 → 5 servers".to_string()));
    // Readings during the boot still see one server flat out, so it asks for more than
    // it needs (6), and gives one back once the rest serve.
    assert_eq!(steps[2], (55.0, "autoscaling: 5 → 6 servers".to_string()));
    assert_eq!(steps[3], (70.0, "autoscaling: 6 → 5 servers".to_string()));
    // Five servers at 1,000 /s: CPU 50 %, under the 60 % target.
    let cpu = w
        .range(100..150)
        .map(|w| w.servers.iter().map(|s| s.cpu_utilisation).sum::<f64>() / 5.0)
        .sum::<f64>()
        / 50.0;
    assert!((cpu - 0.5).abs() < 0.03, "{cpu}");
}

#[test]
fn it_never_leaves_its_bounds() {
    let mut sim = Simulation::new(stepped()).unwrap();
    let line = timeline(&mut sim, 240);
    assert!(line.iter().all(|&(asked, _)| (1..=6).contains(&asked)));
    assert_eq!(line.iter().map(|&(asked, _)| asked).max(), Some(6));
    assert_eq!(line.last(), Some(&(1, 1)));
}

#[test]
fn a_booting_server_costs_but_serves_nothing() {
    let mut sim = Simulation::new(stepped()).unwrap();
    sim.run_until(54.0);
    let added = &sim.servers()[1];
    assert_eq!(added.lifecycle(), Lifecycle::Booting);
    assert_eq!(added.stats().routed, 0);
    assert!((added.stats().billed_seconds - 19.0).abs() < 1e-9);
    assert_eq!(added.stats().serving_seconds, 0.0);
    sim.run_until(60.0);
    let added = &sim.servers()[1];
    assert_eq!(added.lifecycle(), Lifecycle::Active);
    assert!(added.stats().routed > 1_000);
}

#[test]
fn on_the_way_down_it_drains_one_server_per_cooldown() {
    let mut sim = Simulation::new(stepped()).unwrap();
    sim.run_until(240.0);
    let down: Vec<f64> = step_times(&sim).iter().skip(4).map(|(t, _)| *t).collect();
    assert_eq!(down, [155.0, 165.0, 175.0, 185.0]);
    let retired = sim
        .servers()
        .iter()
        .filter(|s| s.lifecycle() == Lifecycle::Retired);
    assert_eq!(retired.clone().count(), 5);
    assert!(retired.clone().all(|s| s.in_flight() == 0));
    sim.check_conservation().unwrap();
}

#[test]
fn p99_and_queue_targets_scale_up_on_the_step_too() {
    for (metric, target) in [
        (ScaleMetric::P99, 0.08),
        (ScaleMetric::Queue, 2.0),
        (ScaleMetric::Workers, 0.6),
    ] {
        let mut s = stepped();
        if let Some(p) = &mut s.servers.autoscale {
            p.metric = metric;
            p.target = target;
        }
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(30.0);
        assert!(sim.marks().is_empty(), "{metric:?} held at 200 /s");
        sim.run_until(36.0);
        assert_eq!(
            step_times(&sim),
            [(35.0, "autoscaling: 1 → 3 servers".to_string())],
            "{metric:?}"
        );
    }
}
