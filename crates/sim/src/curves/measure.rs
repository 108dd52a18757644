//! Each figure of a curve read from one replication's measured stretch, and what
//! theory predicts for the few it solves.

use crate::curve::Measure;
use crate::metrics::SpanStats;
use crate::theory::Prediction;

impl Measure {
    pub(super) fn of(self, run: &Run) -> f64 {
        let s = &run.span;
        let of_arrivals = |n: u64| n as f64 / s.arrivals.max(1) as f64;
        let r = &s.rejections;
        match self {
            Measure::MeanLatency => s.latency.mean,
            Measure::P50 => s.latency.p50,
            Measure::P95 => s.latency.p95,
            Measure::P99 => s.latency.p99,
            Measure::Throughput => s.throughput(),
            Measure::Goodput => s.goodput(),
            Measure::ErrorShare => s.error_share(),
            Measure::QueueFullShare => of_arrivals(r.queue_full),
            Measure::LimitedShare => of_arrivals(r.rate_limited + r.concurrency_limited),
            Measure::ShedShare => of_arrivals(r.shed),
            Measure::LateShare => s.timed_out as f64 / s.completions.max(1) as f64,
            Measure::HitRate => run.hit_rate,
            Measure::Utilisation => run.busy.0,
            Measure::CpuUtilisation => run.busy.1,
            Measure::PoolWait => run.database_waits.0,
            Measure::LockWait => run.database_waits.1,
        }
    }

    /// What theory predicts for this figure, for a scenario of `servers` servers each
    /// as `p` predicts; `None` for figures the models do not give.
    pub(super) fn theory(self, p: &Prediction, servers: u32) -> Option<f64> {
        match self {
            Measure::MeanLatency => Some(p.mean_time_in_system),
            Measure::Throughput => Some(p.throughput * f64::from(servers)),
            // No retries and no other refusals in a solved model: every refusal is a
            // full queue, and every refused request is a failed one.
            Measure::ErrorShare | Measure::QueueFullShare => Some(p.blocking_probability),
            // A core per worker in a solved model: the cores are as busy as the workers.
            Measure::Utilisation | Measure::CpuUtilisation => Some(p.utilisation),
            _ => None,
        }
    }
}

/// What one replication measured after its warm-up.
pub(super) struct Run {
    pub span: SpanStats,
    pub hit_rate: f64,
    /// Busy shares of the workers and of the cores.
    pub busy: (f64, f64),
    /// Mean connection wait per query and lock wait per write.
    pub database_waits: (f64, f64),
}
