//! Counting: requests in, answers out (with a latency histogram), refusals by reason,
//! over some span of time. A window and the whole run each keep one.

use super::Rejections;
use hdrhistogram::Histogram;
use serde::Serialize;

/// Largest latency the histograms resolve: one hour, in microseconds.
const MAX_LATENCY_MICROS: u64 = 3_600_000_000;

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
pub(super) struct Tally {
    pub(super) arrivals: u64,
    pub(super) retries: u64,
    pub(super) circuit_open_seconds: f64,
    pub(super) completions: u64,
    pub(super) timed_out: u64,
    /// Requests whose client learned that they failed (see `WindowStats::failed`).
    pub(super) failed: u64,
    /// Of those, the ones given up on (the rest were refused).
    pub(super) gave_up: u64,
    pub(super) rejections: Rejections,
    pub(super) latency: Histogram<u64>,
    pub(super) latency_sum: f64,
    pub(super) in_system_area: f64,
}

impl Tally {
    pub(super) fn new() -> Self {
        Self {
            arrivals: 0,
            retries: 0,
            circuit_open_seconds: 0.0,
            completions: 0,
            timed_out: 0,
            failed: 0,
            gave_up: 0,
            rejections: Rejections::default(),
            latency: Histogram::new_with_bounds(1, MAX_LATENCY_MICROS, 3)
                .expect("static histogram bounds are valid"),
            latency_sum: 0.0,
            in_system_area: 0.0,
        }
    }

    pub(super) fn reset(&mut self) {
        self.arrivals = 0;
        self.retries = 0;
        self.circuit_open_seconds = 0.0;
        self.completions = 0;
        self.timed_out = 0;
        self.failed = 0;
        self.gave_up = 0;
        self.rejections = Rejections::default();
        // Clearing zeroes every bucket (hundreds of kilobytes): not for a window that
        // recorded nothing, as idle windows between rare events do.
        if !self.latency.is_empty() {
            self.latency.reset();
        }
        self.latency_sum = 0.0;
        self.in_system_area = 0.0;
    }

    /// An answer after `latency` seconds (`micros`, rounded), `late` if past the timeout.
    pub(super) fn answered(&mut self, latency: f64, micros: u64, late: bool) {
        self.completions += 1;
        self.timed_out += u64::from(late);
        self.latency.saturating_record(micros);
        self.latency_sum += latency;
    }

    /// The latency histogram in bars doubling from 100 µs.
    pub(super) fn buckets(&self) -> Vec<Bucket> {
        self.latency
            .iter_log(100, 2.0)
            .map(|v| Bucket {
                // The iterator reports the highest value equivalent to the bound (99 µs
                // for 100 µs); the bound itself reads better.
                le_seconds: (v.value_iterated_to() + 1) as f64 / 1e6,
                count: v.count_since_last_iteration(),
            })
            .collect()
    }

    pub(super) fn mean_latency(&self) -> f64 {
        if self.completions == 0 {
            0.0
        } else {
            self.latency_sum / self.completions as f64
        }
    }

    pub(super) fn percentiles(&self) -> Percentiles {
        let h = &self.latency;
        if h.is_empty() {
            return Percentiles::default();
        }
        // Division, not multiplication by 1e-6: 54975 µs prints as 0.054975.
        let secs = |micros: u64| micros as f64 / 1e6;
        Percentiles {
            mean: self.mean_latency(),
            p50: secs(h.value_at_quantile(0.50)),
            p90: secs(h.value_at_quantile(0.90)),
            p95: secs(h.value_at_quantile(0.95)),
            p99: secs(h.value_at_quantile(0.99)),
            max: secs(h.max()),
        }
    }
}

/// One bar of the latency histogram: answers with latency up to `le_seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bucket {
    /// Upper bound, in seconds.
    pub le_seconds: f64,
    /// Answers in this bar (above the previous bound).
    pub count: u64,
}
