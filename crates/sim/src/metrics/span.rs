//! What a stretch of a run measured, from a mark to now: a fast-forward's result,
//! whatever the window ring has dropped meanwhile.

use super::tally::Tally;
use super::{Metrics, Percentiles, Rejections};

/// The run's totals at one moment, kept to measure what came after
/// ([`Metrics::since`]). Holds a copy of the latency histogram, so take one per
/// stretch, not per frame.
#[derive(Debug, Clone)]
pub struct TotalsMark {
    at: f64,
    totals: Tally,
}

/// What happened between a [`TotalsMark`] and now.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanStats {
    /// Simulated time of the mark, in seconds.
    pub start: f64,
    /// Simulated time now, in seconds.
    pub end: f64,
    /// Requests that arrived, retries included.
    pub arrivals: u64,
    /// Of the arrivals, retries.
    pub retries: u64,
    /// Answers (in time or late).
    pub completions: u64,
    /// Answers after the client's timeout: work done for nobody.
    pub timed_out: u64,
    /// Requests whose client learned they failed (refused with no retry left, or given
    /// up on).
    pub failed: u64,
    /// Of those, the ones given up on.
    pub gave_up: u64,
    /// Refused attempts, by reason.
    pub rejections: Rejections,
    /// Latency of the answers, in seconds, over the whole stretch.
    pub latency: Percentiles,
}

impl SpanStats {
    /// Seconds of simulated time the stretch covers.
    pub fn seconds(&self) -> f64 {
        self.end - self.start
    }

    /// Answers per second over the stretch.
    pub fn throughput(&self) -> f64 {
        per_second(self.completions, self.seconds())
    }

    /// Answers in time per second over the stretch.
    pub fn goodput(&self) -> f64 {
        per_second(self.completions - self.timed_out, self.seconds())
    }

    /// The share of outcomes clients learned that were failures, as the headline's
    /// window figure ([`super::WindowStats::error_share`]) but over the stretch.
    pub fn error_share(&self) -> f64 {
        let learned = self.failed + self.completions - self.timed_out;
        if learned == 0 {
            0.0
        } else {
            self.failed as f64 / learned as f64
        }
    }
}

fn per_second(count: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        count as f64 / seconds
    } else {
        0.0
    }
}

impl Metrics {
    /// Marks the totals at simulated time `now`, to measure a stretch from.
    pub fn mark(&self, now: f64) -> TotalsMark {
        TotalsMark {
            at: now,
            totals: self.total.clone(),
        }
    }

    /// What was measured from `mark` to simulated time `now`.
    pub fn since(&self, mark: &TotalsMark, now: f64) -> SpanStats {
        let (now_t, then) = (&self.total, &mark.totals);
        let mut latency = now_t.clone();
        latency.completions -= then.completions;
        latency.latency_sum -= then.latency_sum;
        latency
            .latency
            .subtract(&then.latency)
            .expect("a later total holds every answer of an earlier one");
        SpanStats {
            start: mark.at,
            end: now,
            arrivals: now_t.arrivals - then.arrivals,
            retries: now_t.retries - then.retries,
            completions: now_t.completions - then.completions,
            timed_out: now_t.timed_out - then.timed_out,
            failed: now_t.failed - then.failed,
            gave_up: now_t.gave_up - then.gave_up,
            rejections: now_t.rejections.since(&then.rejections),
            latency: latency.percentiles(),
        }
    }
}
