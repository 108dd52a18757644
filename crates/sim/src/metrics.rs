//! Measures: per window of simulated time, and cumulative since the start.
//!
//! Latencies go into HDR histograms (microsecond resolution, 3 significant digits),
//! so percentiles cost constant memory however long a run goes. The window series
//! is a ring of at most [`MAX_WINDOWS`] entries for the same reason.

use hdrhistogram::Histogram;
use serde::Serialize;
use std::collections::VecDeque;

/// Windows kept for the charts; older ones are dropped.
pub const MAX_WINDOWS: usize = 3_600;

/// Largest latency the histograms resolve: one hour, in microseconds.
const MAX_LATENCY_MICROS: u64 = 3_600_000_000;

/// Closed-window figures, what a chart plots at one x.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowStats {
    /// Simulated start time of the window, in seconds.
    pub start: f64,
    /// Simulated end time of the window, in seconds.
    pub end: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests that finished service.
    pub completions: u64,
    /// Requests turned away by a full queue.
    pub rejections: u64,
    /// Completions per second.
    pub throughput: f64,
    /// Latency percentiles of the completions, in seconds (0 when none completed).
    pub latency: Percentiles,
    /// Time-average number of requests in the system.
    pub mean_in_system: f64,
}

/// Latency summary, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// Arithmetic mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest seen.
    pub max: f64,
}

/// Counts and a latency histogram over some span of time.
#[derive(Debug, Clone)]
struct Tally {
    arrivals: u64,
    completions: u64,
    rejections: u64,
    latency: Histogram<u64>,
    /// Integral of the number in system over time.
    in_system_area: f64,
}

impl Tally {
    fn new() -> Self {
        Self {
            arrivals: 0,
            completions: 0,
            rejections: 0,
            latency: Histogram::new_with_bounds(1, MAX_LATENCY_MICROS, 3)
                .expect("static histogram bounds are valid"),
            in_system_area: 0.0,
        }
    }

    fn reset(&mut self) {
        self.arrivals = 0;
        self.completions = 0;
        self.rejections = 0;
        self.latency.reset();
        self.in_system_area = 0.0;
    }

    fn percentiles(&self) -> Percentiles {
        let h = &self.latency;
        if h.is_empty() {
            return Percentiles::default();
        }
        // Division, not multiplication by 1e-6: 54975 µs prints as 0.054975, not 0.054974999….
        let secs = |micros: u64| micros as f64 / 1e6;
        Percentiles {
            mean: h.mean() / 1e6,
            p50: secs(h.value_at_quantile(0.50)),
            p90: secs(h.value_at_quantile(0.90)),
            p95: secs(h.value_at_quantile(0.95)),
            p99: secs(h.value_at_quantile(0.99)),
            max: secs(h.max()),
        }
    }
}

/// All measures of a run.
#[derive(Debug, Clone)]
pub struct Metrics {
    window_seconds: f64,
    window_start: f64,
    window: Tally,
    total: Tally,
    /// Exact sum of latencies, for Little's law (the histogram mean is rounded).
    latency_sum: f64,
    windows: VecDeque<WindowStats>,
}

impl Metrics {
    /// Empty measures with windows of `window_seconds`.
    pub fn new(window_seconds: f64) -> Self {
        Self {
            window_seconds,
            window_start: 0.0,
            window: Tally::new(),
            total: Tally::new(),
            latency_sum: 0.0,
            windows: VecDeque::new(),
        }
    }

    /// Closes every window that ends at or before `now`, given that `in_system`
    /// requests were in the system since `from`. Returns the integral up to `now`.
    pub fn advance(&mut self, from: f64, now: f64, in_system: usize) {
        let n = in_system as f64;
        let mut t = from;
        while now >= self.window_start + self.window_seconds {
            let end = self.window_start + self.window_seconds;
            self.add_area(n * (end - t));
            t = end;
            self.close_window(end);
        }
        self.add_area(n * (now - t));
    }

    fn add_area(&mut self, area: f64) {
        self.window.in_system_area += area;
        self.total.in_system_area += area;
    }

    fn close_window(&mut self, end: f64) {
        let span = end - self.window_start;
        let stats = WindowStats {
            start: self.window_start,
            end,
            arrivals: self.window.arrivals,
            completions: self.window.completions,
            rejections: self.window.rejections,
            throughput: self.window.completions as f64 / span,
            latency: self.window.percentiles(),
            mean_in_system: self.window.in_system_area / span,
        };
        if self.windows.len() == MAX_WINDOWS {
            self.windows.pop_front();
        }
        self.windows.push_back(stats);
        self.window.reset();
        self.window_start = end;
    }

    /// A request arrived.
    pub fn arrival(&mut self) {
        self.window.arrivals += 1;
        self.total.arrivals += 1;
    }

    /// A request was rejected.
    pub fn rejection(&mut self) {
        self.window.rejections += 1;
        self.total.rejections += 1;
    }

    /// A request completed after `latency` seconds in the system.
    pub fn completion(&mut self, latency: f64) {
        let micros = (latency * 1e6).round().max(1.0) as u64;
        self.window.completions += 1;
        self.total.completions += 1;
        self.window.latency.saturating_record(micros);
        self.total.latency.saturating_record(micros);
        self.latency_sum += latency;
    }

    /// Closed windows, oldest first (at most [`MAX_WINDOWS`]).
    pub fn windows(&self) -> &VecDeque<WindowStats> {
        &self.windows
    }

    /// Arrivals since the start.
    pub fn arrivals(&self) -> u64 {
        self.total.arrivals
    }
    /// Completions since the start.
    pub fn completions(&self) -> u64 {
        self.total.completions
    }
    /// Rejections since the start.
    pub fn rejections(&self) -> u64 {
        self.total.rejections
    }
    /// Latency percentiles since the start.
    pub fn latency(&self) -> Percentiles {
        self.total.percentiles()
    }
    /// Exact mean latency since the start, in seconds.
    pub fn mean_latency(&self) -> f64 {
        if self.total.completions == 0 {
            0.0
        } else {
            self.latency_sum / self.total.completions as f64
        }
    }
    /// Integral of the number in system since the start.
    pub fn in_system_area(&self) -> f64 {
        self.total.in_system_area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_close_on_their_boundaries_with_their_own_counts() {
        let mut m = Metrics::new(1.0);
        m.arrival();
        m.completion(0.010);
        m.advance(0.0, 2.5, 1);
        assert_eq!(m.windows().len(), 2);
        let first = &m.windows()[0];
        assert_eq!((first.arrivals, first.completions), (1, 1));
        assert!((first.latency.p50 - 0.010).abs() < 1e-5);
        assert_eq!(m.windows()[1].completions, 0);
        // One request in the system for the whole of each window.
        assert!((first.mean_in_system - 1.0).abs() < 1e-12);
        assert!((m.in_system_area() - 2.5).abs() < 1e-12);
    }

    #[test]
    fn the_window_ring_is_bounded() {
        let mut m = Metrics::new(1.0);
        m.advance(0.0, (MAX_WINDOWS + 10) as f64, 0);
        assert_eq!(m.windows().len(), MAX_WINDOWS);
        assert_eq!(m.windows()[0].start, 10.0);
    }

    #[test]
    fn percentiles_come_from_the_recorded_latencies() {
        let mut m = Metrics::new(1.0);
        for ms in 1..=100 {
            m.completion(f64::from(ms) * 1e-3);
        }
        let p = m.latency();
        assert!((p.p50 - 0.050).abs() < 1e-4, "{p:?}");
        assert!((p.p99 - 0.099).abs() < 1e-4, "{p:?}");
        assert!((p.max - 0.100).abs() < 1e-4, "{p:?}");
        assert!((m.mean_latency() - 0.0505).abs() < 1e-12);
    }
}
