//! Lesson 22 (autoscaling lag): every figure its text names, on its preset and change.

use super::course;
use crate::engine::Change;
use crate::scenario::Scenario;
use crate::Simulation;

fn preset_and_change() -> (Scenario, Scenario) {
    let lesson = course().lesson("autoscaling-lag").expect("the lesson");
    let preset = lesson.preset().unwrap();
    let Change::Scenario(after) = lesson.try_it(&preset).unwrap() else {
        panic!("the lesson changes a setting");
    };
    (preset, *after)
}

/// (time, "from → to") of each autoscaling step so far.
fn steps(sim: &Simulation) -> Vec<(f64, String)> {
    sim.marks()
        .iter()
        .map(|m| (m.time, m.label.to_string()))
        .collect()
}

/// Server-seconds billed for servers that have never served a request.
fn billed_for_nothing(sim: &Simulation) -> f64 {
    sim.servers()
        .iter()
        .filter(|s| s.stats().routed == 0)
        .map(|s| s.stats().billed_seconds)
        .sum()
}

fn refused(sim: &Simulation, seconds: std::ops::Range<usize>) -> Vec<u64> {
    let w = sim.metrics().windows();
    seconds.map(|t| w[t].rejections.total()).collect()
}

#[test]
fn two_servers_serve_800_and_a_spike_brings_1200() {
    let (preset, _) = preset_and_change();
    let s = &preset.servers;
    let capacity = f64::from(s.count * s.workers) / s.service_time.mean();
    assert!((capacity - 800.0).abs() < 1e-9);
    let mut sim = Simulation::new(preset).unwrap();
    sim.run_until(40.0);
    assert_eq!(sim.offered_rate(), Some(1_200.0));
}

#[test]
fn with_a_30_s_boot_the_whole_spike_is_refused_and_capacity_comes_after_it() {
    let (preset, _) = preset_and_change();
    let mut sim = Simulation::new(preset).unwrap();
    sim.run_until(64.0);
    // About 400 a second refused, a third of the spike, through all of it.
    let during = refused(&sim, 31..50);
    let mean = during.iter().sum::<u64>() as f64 / during.len() as f64;
    assert!(during.iter().all(|&n| n > 250), "{during:?}");
    assert!((mean - 400.0).abs() < 60.0, "{mean}");
    assert_eq!(refused(&sim, 52..64), vec![0; 12]);
    // Asked for at 35 s and at 45 s (the old servers still flat out): 6 servers.
    let asked = steps(&sim);
    assert_eq!(asked[0], (35.0, "autoscaling: 2 → 4 servers".to_string()));
    assert_eq!(asked[1], (45.0, "autoscaling: 4 → 6 servers".to_string()));
    // Nothing new serves before 65 s, 15 s after the spike.
    assert!(sim.servers()[2..].iter().all(|s| s.stats().routed == 0));
    sim.run_until(66.0);
    assert!(sim.servers()[2..4].iter().all(|s| s.stats().routed > 0));
}

#[test]
fn over_two_spikes_servers_that_never_served_were_billed_about_90_s() {
    let (preset, _) = preset_and_change();
    let mut sim = Simulation::new(preset).unwrap();
    sim.run_until(200.0);
    let wasted = billed_for_nothing(&sim);
    assert!((wasted - 90.0).abs() <= 10.0, "{wasted}");
    // Given back one every 10 s, down to the 2 it started with.
    let first_way_down: Vec<(f64, String)> = steps(&sim)[2..6].to_vec();
    let expected: Vec<(f64, String)> = [(60.0, 6), (70.0, 5), (80.0, 4), (90.0, 3)]
        .iter()
        .map(|&(t, n)| (t, format!("autoscaling: {n} → {} servers", n - 1)))
        .collect();
    assert_eq!(first_way_down, expected);
    assert_eq!(sim.scenario().servers.count, 2);
}

#[test]
fn with_a_3_s_boot_refusals_stop_8_s_into_the_spike_and_nothing_is_billed_for_nothing() {
    let (preset, after) = preset_and_change();
    let mut sim = Simulation::new(preset).unwrap();
    sim.run_until(90.0);
    let wasted_before = billed_for_nothing(&sim);
    sim.apply(Change::Scenario(Box::new(after))).unwrap();
    sim.run_until(200.0);
    // The second spike (120 to 140 s): read at 125 s, serving at 128 s.
    assert!(refused(&sim, 121..127).iter().all(|&n| n > 250));
    assert_eq!(refused(&sim, 128..140), vec![0; 12]);
    assert_eq!(billed_for_nothing(&sim), wasted_before);
}

#[test]
fn at_35_s_it_reads_the_two_servers_flat_out() {
    let (preset, _) = preset_and_change();
    let mut sim = Simulation::new(preset).unwrap();
    sim.run_until(35.0);
    // The reading covers 30–35 s: the CPU of the two serving servers, against 60 %.
    let w = sim.metrics().windows();
    let cpu: f64 = w
        .range(30..35)
        .flat_map(|w| w.servers.iter())
        .map(|s| s.cpu_utilisation)
        .sum::<f64>()
        / 10.0;
    assert!(cpu > 0.97, "{cpu}");
}

#[test]
fn booting_in_3_s_from_the_start_the_capacity_serves_at_38_s() {
    let (_, after) = preset_and_change();
    let mut sim = Simulation::new(after).unwrap();
    sim.run_until(50.0);
    assert_eq!(
        steps(&sim)[0],
        (35.0, "autoscaling: 2 → 4 servers".to_string())
    );
    assert!(refused(&sim, 31..38).iter().all(|&n| n > 250));
    // The servers serve from 38.0 s: the last few queued at that instant still overflow.
    assert!(refused(&sim, 38..39)[0] < 10);
    assert_eq!(refused(&sim, 39..50), vec![0; 11]);
}
