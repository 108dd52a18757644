//! The JSON summary that `loadlab run` prints and the determinism tests compare.

use crate::engine::Simulation;
use crate::metrics::Percentiles;
use serde::Serialize;

/// Cumulative results of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The seed the run used.
    pub seed: u64,
    /// Simulated time covered, in seconds.
    pub simulated_seconds: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests that finished.
    pub completions: u64,
    /// Requests turned away by a full queue.
    pub rejected: u64,
    /// Requests still in the system at the end.
    pub in_flight: u64,
    /// Completions per simulated second.
    pub throughput: f64,
    /// Time in system of completed requests, in seconds.
    pub latency: Percentiles,
    /// Both sides of L = λW, measured independently.
    pub littles_law: LittlesLaw,
    /// One entry per server.
    pub servers: Vec<ServerSummary>,
}

/// Little's law: the time-average number in the system (L) against throughput (λ)
/// times the mean time in the system (W). They agree in any stable system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LittlesLaw {
    /// L, measured as the integral of the number in system over time, divided by time.
    pub mean_in_system: f64,
    /// λ × W, from completions and their exact mean latency.
    pub throughput_times_mean_time: f64,
}

/// One server's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerSummary {
    /// Requests sent here by the balancer.
    pub routed: u64,
    /// Requests served to completion.
    pub completed: u64,
    /// Requests rejected by a full queue.
    pub rejected: u64,
    /// Busy fraction of worker time.
    pub utilisation: f64,
}

impl Summary {
    /// Summarises `sim` as it stands.
    pub fn of(sim: &Simulation) -> Self {
        let m = sim.metrics();
        let elapsed = sim.now();
        let per_second = |x: f64| if elapsed > 0.0 { x / elapsed } else { 0.0 };
        let throughput = per_second(m.completions() as f64);
        Self {
            seed: sim.scenario().seed,
            simulated_seconds: elapsed,
            arrivals: m.arrivals(),
            completions: m.completions(),
            rejected: m.rejections(),
            in_flight: sim.in_flight() as u64,
            throughput,
            latency: m.latency(),
            littles_law: LittlesLaw {
                mean_in_system: per_second(m.in_system_area()),
                throughput_times_mean_time: throughput * m.mean_latency(),
            },
            servers: sim
                .servers()
                .iter()
                .map(|s| ServerSummary {
                    routed: s.stats().routed,
                    completed: s.stats().completed,
                    rejected: s.stats().rejected,
                    utilisation: s.utilisation(),
                })
                .collect(),
        }
    }
}
