//! Behaviour of the whole engine on fixed seeds, by topic. Tests start from the default
//! scenario (or [`Scenario::compute_only`]) and change the few fields each is about.
#![allow(clippy::field_reassign_with_default)]

mod billing;
mod caches;
mod database;
mod errors;
mod live;
mod protection;
mod run;
mod scaling;
mod servers;
mod traffic;

use super::*;

pub(super) fn mean_throughput(sim: &Simulation, windows: std::ops::Range<usize>) -> f64 {
    let n = windows.len() as f64;
    sim.metrics()
        .windows()
        .range(windows)
        .map(|w| w.throughput)
        .sum::<f64>()
        / n
}
