//! The strip of headline numbers, taken from the core's latest closed window.

use loadlab_sim::Simulation;

/// The numbers the strip shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    /// Simulated seconds since the start.
    pub sim_time: f64,
    /// Completions per second in the last window.
    pub throughput: f64,
    /// 99th-percentile latency in the last window, in milliseconds.
    pub p99_ms: f64,
    /// Rejections in the last window.
    pub rejected: u64,
    /// Requests in the system now.
    pub in_flight: usize,
    /// Mean busy fraction of all workers since the start.
    pub utilisation: f64,
}

impl Headline {
    /// Reads the strip's numbers from `sim`.
    pub fn of(sim: &Simulation) -> Self {
        let last = sim.metrics().windows().back();
        let servers = sim.servers();
        let utilisation =
            servers.iter().map(|s| s.utilisation()).sum::<f64>() / servers.len().max(1) as f64;
        Self {
            sim_time: sim.now(),
            throughput: last.map_or(0.0, |w| w.throughput),
            p99_ms: last.map_or(0.0, |w| w.latency.p99 * 1e3),
            rejected: last.map_or(0, |w| w.rejections.total()),
            in_flight: sim.in_flight(),
            utilisation,
        }
    }
}
