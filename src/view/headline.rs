//! The strip of headline numbers, from the core's latest closed window.

use loadlab_sim::Simulation;

/// The numbers the strip shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headline {
    /// Simulated seconds since the start.
    pub sim_time: f64,
    /// Answers per second in the last window.
    pub throughput: f64,
    /// Answers in time per second in the last window.
    pub goodput: f64,
    /// 99th-percentile latency in the last window, in milliseconds.
    pub p99_ms: f64,
    /// Cache hit rate in the last window, if there is a cache.
    pub hit_rate: Option<f64>,
    /// Rejected or late, as a share of the last window's arrivals.
    pub errors: f64,
    /// Requests in the system now.
    pub in_flight: usize,
    /// Mean busy fraction of the workers in the last window.
    pub utilisation: f64,
}

impl Headline {
    /// Reads the strip's numbers from `sim`.
    pub fn of(sim: &Simulation) -> Self {
        let last = sim.metrics().windows().back();
        let utilisation = last.map_or(0.0, |w| {
            w.servers.iter().map(|s| s.utilisation).sum::<f64>() / w.servers.len().max(1) as f64
        });
        Self {
            sim_time: sim.now(),
            throughput: last.map_or(0.0, |w| w.throughput),
            goodput: last.map_or(0.0, |w| w.goodput),
            p99_ms: last.map_or(0.0, |w| w.latency.p99 * 1e3),
            hit_rate: sim
                .scenario()
                .cache
                .as_ref()
                .map(|_| last.map_or(0.0, |w| w.cache.hit_rate)),
            errors: last.map_or(0.0, |w| {
                let failed = w.rejections.total() + w.timed_out;
                failed as f64 / w.arrivals.max(1) as f64
            }),
            in_flight: sim.in_flight(),
            utilisation,
        }
    }

    /// (readout key, label, value) for each figure.
    pub fn figures(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![
            (
                "sim-time",
                "simulated time (s)",
                format!("{:.1}", self.sim_time),
            ),
            (
                "throughput",
                "throughput (req/s)",
                format!("{:.0}", self.throughput),
            ),
            ("goodput", "goodput (req/s)", format!("{:.0}", self.goodput)),
            ("p99", "p99 latency (ms)", format!("{:.1}", self.p99_ms)),
            (
                "hit-rate",
                "cache hit rate",
                self.hit_rate
                    .map_or("–".into(), |h| format!("{:.0} %", h * 100.0)),
            ),
            ("errors", "errors", format!("{:.1} %", self.errors * 100.0)),
            (
                "utilisation",
                "utilisation",
                format!("{:.0} %", self.utilisation * 100.0),
            ),
            ("in-flight", "in flight", self.in_flight.to_string()),
        ]
    }
}
