//! What-if curves: one setting swept over values, each point run several times with
//! independent seeds, its warm-up cut, each figure given as a mean with a 95 %
//! confidence interval, and theory's prediction beside it where the point is a model
//! theory solves. Single-threaded and deterministic, so the page (in a worker) and the
//! CLI compute the same numbers.
//!
//! The warm-up rule: every run starts empty, so the first [`WARMUP_SHARE`] of its
//! arrivals are run and not measured; the figures are those of the arrivals after
//! (`Metrics::mark`/`since`).

use crate::metrics::SpanStats;
use crate::scenario::Scenario;
use crate::sweep::with_value;
use crate::theory::predict_per_server;
use crate::validate::ScenarioError;
use crate::Simulation;

/// Share of each run's arrivals run before measuring, so the empty start is not counted.
pub const WARMUP_SHARE: f64 = 0.2;

/// A figure a curve can plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Mean time in the system of the answered requests, in seconds.
    MeanLatency,
    /// Median latency, in seconds.
    P50,
    /// 95th-percentile latency, in seconds.
    P95,
    /// 99th-percentile latency, in seconds.
    P99,
    /// Answers per second.
    Throughput,
    /// Answers in time per second.
    Goodput,
    /// Share of learned outcomes that failed (`SpanStats::error_share`).
    ErrorShare,
    /// Cache hits over lookups, all caches together (0 without a cache).
    HitRate,
    /// Busy share of the servers' workers.
    Utilisation,
    /// Busy share of the servers' cores.
    CpuUtilisation,
}

impl Measure {
    /// Every measure, in the order a point lists them.
    pub const ALL: [Measure; 10] = [
        Measure::MeanLatency,
        Measure::P50,
        Measure::P95,
        Measure::P99,
        Measure::Throughput,
        Measure::Goodput,
        Measure::ErrorShare,
        Measure::HitRate,
        Measure::Utilisation,
        Measure::CpuUtilisation,
    ];

    fn of(self, run: &Run) -> f64 {
        let s = &run.span;
        match self {
            Measure::MeanLatency => s.latency.mean,
            Measure::P50 => s.latency.p50,
            Measure::P95 => s.latency.p95,
            Measure::P99 => s.latency.p99,
            Measure::Throughput => s.throughput(),
            Measure::Goodput => s.goodput(),
            Measure::ErrorShare => s.error_share(),
            Measure::HitRate => run.hit_rate,
            Measure::Utilisation => run.busy.0,
            Measure::CpuUtilisation => run.busy.1,
        }
    }
}

/// What one replication measured after its warm-up.
struct Run {
    span: SpanStats,
    hit_rate: f64,
    /// Busy shares of the workers and of the cores.
    busy: (f64, f64),
}

/// ∫ busy workers, ∫ workers, ∫ busy cores, ∫ cores dt, all servers together.
fn busy_integrals(sim: &Simulation) -> [f64; 4] {
    sim.servers()
        .iter()
        .map(|s| s.stats())
        .fold([0.0; 4], |t, s| {
            [
                t[0] + s.busy_worker_seconds,
                t[1] + s.worker_seconds,
                t[2] + s.busy_core_seconds,
                t[3] + s.core_seconds,
            ]
        })
}

/// A mean over replications with the half-width of its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The mean of the replications' values.
    pub mean: f64,
    /// Half the interval's width: the truth lies within `mean ± half_width` with 95 %
    /// confidence (Student's t with one fewer degree of freedom than replications).
    pub half_width: f64,
}

/// One point of a curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The setting's value.
    pub value: f64,
    /// Each figure of [`Measure::ALL`], in that order.
    pub figures: Vec<Estimate>,
    /// Theory's mean time in the system, when the point's scenario is a model it
    /// solves (M/M/c, M/M/c/K).
    pub theory_mean_latency: Option<f64>,
}

impl Point {
    /// The estimate of `measure`.
    pub fn figure(&self, measure: Measure) -> Estimate {
        let i = Measure::ALL.iter().position(|m| *m == measure).unwrap_or(0);
        self.figures[i]
    }
}

/// The seed of replication `r` of a point whose scenario has `seed`: a SplitMix64 step,
/// so replications are independent streams and the same on every machine.
pub fn replication_seed(seed: u64, r: u32) -> u64 {
    let mut z = seed.wrapping_add(
        u64::from(r)
            .wrapping_add(1)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15),
    );
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Runs the point where the field at `path` of `base` is `value`: `replications` runs of
/// `requests` measured arrivals each, after their warm-up.
pub fn point(
    base: &Scenario,
    path: &str,
    value: f64,
    replications: u32,
    requests: u64,
) -> Result<Point, ScenarioError> {
    let (scenario, _) = with_value(base, path, value)?;
    let warmup = (requests as f64 * WARMUP_SHARE / (1.0 - WARMUP_SHARE)).round() as u64;
    let mut runs = Vec::with_capacity(replications as usize);
    for r in 0..replications {
        let seeded = Scenario {
            seed: replication_seed(scenario.seed, r),
            ..scenario.clone()
        };
        let mut sim = Simulation::new(seeded)?;
        sim.run_arrivals(warmup);
        let (mark, cache) = (sim.metrics().mark(sim.now()), sim.cache_stats());
        let before = busy_integrals(&sim);
        sim.run_arrivals(warmup + requests);
        let now = sim.cache_stats();
        let (hits, misses) = (now.hits - cache.hits, now.misses - cache.misses);
        let after = busy_integrals(&sim);
        let share = |busy: usize, all: usize| {
            let total = after[all] - before[all];
            if total > 0.0 {
                (after[busy] - before[busy]) / total
            } else {
                0.0
            }
        };
        runs.push(Run {
            span: sim.metrics().since(&mark, sim.now()),
            hit_rate: hits as f64 / (hits + misses).max(1) as f64,
            busy: (share(0, 1), share(2, 3)),
        });
    }
    let figures = Measure::ALL
        .iter()
        .map(|m| estimate(&runs.iter().map(|s| m.of(s)).collect::<Vec<_>>()))
        .collect();
    Ok(Point {
        value,
        figures,
        theory_mean_latency: predict_per_server(&scenario).map(|p| p.mean_time_in_system),
    })
}

/// The mean of `values` and its 95 % confidence half-width.
fn estimate(values: &[f64]) -> Estimate {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n.max(1) as f64;
    if n < 2 {
        return Estimate {
            mean,
            half_width: f64::INFINITY,
        };
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    Estimate {
        mean,
        half_width: t_975(n - 1) * (variance / n as f64).sqrt(),
    }
}

/// Student's t quantile at 97.5 % for `df` degrees of freedom (two-sided 95 %).
fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 10] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    ];
    match df {
        0 => f64::INFINITY,
        1..=10 => TABLE[df - 1],
        11..=20 => 2.086 + (2.228 - 2.086) * (20 - df) as f64 / 10.0,
        21..=30 => 2.042 + (2.086 - 2.042) * (30 - df) as f64 / 10.0,
        _ => 1.96,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::model_scenario;

    /// On an M/M/4 swept through ρ = 0.5…0.95, theory's mean time in the system lies
    /// inside the simulated 95 % band at every point.
    #[test]
    fn theory_lies_inside_the_band_of_an_mmc_sweep() {
        let base = model_scenario(200.0, 1, 4, None, 0.01);
        for rho in [0.5, 0.6, 0.7, 0.8, 0.9, 0.95] {
            let p = point(&base, "traffic.arrivals.rate", rho * 400.0, 5, 60_000).unwrap();
            let w = p.figure(Measure::MeanLatency);
            let theory = p.theory_mean_latency.expect("M/M/4 is solved");
            assert!(
                (w.mean - theory).abs() <= w.half_width,
                "ρ = {rho}: simulated {} ± {}, theory {theory}",
                w.mean,
                w.half_width
            );
            // Narrow enough to teach from: within 20 % even at ρ = 0.95, where the
            // queue's long memory makes every run noisy.
            assert!(
                w.half_width < 0.2 * theory,
                "ρ = {rho}: band too wide {w:?}"
            );
            // The workers are busy ρ of the time (a core each: the cores too).
            let busy = p.figure(Measure::Utilisation);
            let slack = busy.half_width.max(0.01);
            assert!((busy.mean - rho).abs() <= slack, "ρ = {rho}: {busy:?}");
            assert_eq!(busy, p.figure(Measure::CpuUtilisation));
        }
    }

    /// One worker with constant (M/D/1) or heavy-tailed log-normal service: the
    /// Pollaczek–Khinchine prediction lies inside the band, and the log-normal's waits
    /// are longer than the constant's at the same load (its E[S²] is larger).
    #[test]
    fn pollaczek_khinchine_lies_inside_the_band_for_one_worker() {
        use crate::dist::Distribution;
        let mut waits = Vec::new();
        for service in [
            Distribution::Constant { seconds: 0.01 },
            Distribution::LogNormal {
                mean_seconds: 0.01,
                sigma: 1.0,
            },
        ] {
            let mut base = model_scenario(70.0, 1, 1, None, 0.01);
            base.servers.service_time = service;
            let p = point(&base, "traffic.arrivals.rate", 70.0, 5, 40_000).unwrap();
            let w = p.figure(Measure::MeanLatency);
            let theory = p.theory_mean_latency.expect("M/G/1 is solved");
            assert!(
                (w.mean - theory).abs() <= w.half_width,
                "{service:?}: simulated {} ± {}, theory {theory}",
                w.mean,
                w.half_width
            );
            waits.push(theory);
        }
        assert!(waits[1] > waits[0], "{waits:?}");
    }

    /// On the default scenario, hit rate against cache capacity rises, and each step up
    /// is beyond the bands: the curve is monotone within them.
    #[test]
    fn hit_rate_rises_with_cache_capacity() {
        let base = Scenario::default();
        let points: Vec<Estimate> = [100.0, 400.0, 1600.0, 6400.0]
            .iter()
            .map(|&c| point(&base, "cache.capacity", c, 3, 20_000).unwrap())
            .map(|p| p.figure(Measure::HitRate))
            .collect();
        for pair in points.windows(2) {
            let (lo, hi) = (pair[0], pair[1]);
            assert!(
                hi.mean - hi.half_width > lo.mean + lo.half_width,
                "{lo:?} then {hi:?}"
            );
        }
    }

    /// The same point twice is the same numbers; replications differ from each other.
    #[test]
    fn points_are_deterministic_and_replications_independent() {
        let base = model_scenario(300.0, 1, 4, None, 0.01);
        let a = point(&base, "traffic.arrivals.rate", 300.0, 3, 5_000).unwrap();
        let b = point(&base, "traffic.arrivals.rate", 300.0, 3, 5_000).unwrap();
        assert_eq!(a, b);
        assert!(a.figure(Measure::MeanLatency).half_width > 0.0);
        assert_ne!(replication_seed(1, 0), replication_seed(1, 1));
        assert!((t_975(4) - 2.776).abs() < 1e-9 && t_975(1000) == 1.96);
    }
}
