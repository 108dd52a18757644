//! What-if curves: one setting swept over values, each point run several times with
//! independent seeds, its warm-up cut, each figure given as a mean with a 95 %
//! confidence interval, and theory's prediction beside it where the point is a model
//! theory solves. Single-threaded and deterministic, so the page (in a worker) and the
//! CLI compute the same numbers.
//!
//! The warm-up rule: every run starts empty, so the first [`WARMUP_SHARE`] of its
//! arrivals are run and not measured; the figures are those of the arrivals after
//! (`Metrics::mark`/`since`).

mod csv;
mod job;
mod knee;
mod measure;
mod spec;

pub use crate::curve::{
    CurveSpec, Measure, Unit, BANDS, DEFAULT_BAND, MAX_GROWTH, MAX_POINTS, MAX_REPLICATIONS,
    REQUESTS,
};
pub use csv::csv;
pub use job::{points_from_json, points_json, ChartWords, Job, Report};
pub use knee::{knee, KNEE_FACTOR};

use crate::scenario::Scenario;
use crate::sweep::with_value;
use crate::theory::{solve_per_server, Unsolved};
use crate::validate::ScenarioError;
use crate::Simulation;
use measure::Run;
use serde::{Deserialize, Serialize};

/// Share of each run's arrivals run before measuring, so the empty start is not counted.
pub const WARMUP_SHARE: f64 = 0.2;

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

/// Queries, seconds waited for a connection, writes, seconds waited for a lock.
fn database_totals(sim: &Simulation) -> [f64; 4] {
    sim.database().map_or([0.0; 4], |db| {
        let s = db.stats();
        [
            (s.reads + s.writes) as f64,
            s.pool_wait_seconds,
            s.writes as f64,
            s.lock_wait_seconds,
        ]
    })
}

/// A mean over replications with the half-width of its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The mean of the replications' values.
    pub mean: f64,
    /// Half the interval's width: the truth lies within `mean ± half_width` with 95 %
    /// confidence (Student's t with one fewer degree of freedom than replications).
    pub half_width: f64,
}

/// One point of a curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// The setting's value.
    pub value: f64,
    /// Each figure of [`Measure::ALL`], in that order.
    pub figures: Vec<Estimate>,
    /// Theory's prediction of each figure of [`Measure::ALL`], where the point's
    /// scenario is a model it solves (M/M/c, M/M/c/K, M/G/1) and the model gives it.
    pub theory: Vec<Option<f64>>,
    /// Why theory has nothing to say here, when it has not.
    pub unsolved: Option<Unsolved>,
    /// Measured arrivals per run that gave these figures.
    pub requests: u64,
}

impl Point {
    /// The estimate of `measure`.
    pub fn figure(&self, measure: Measure) -> Estimate {
        self.figures[measure.index()]
    }

    /// Theory's value of `measure` here, if it has one.
    pub fn theory_of(&self, measure: Measure) -> Option<f64> {
        self.theory.get(measure.index()).copied().flatten()
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
    point_with_progress(base, path, value, replications, requests, &mut || {})
}

/// [`point`], calling `run_done` after each replication (the page's progress bar).
pub fn point_with_progress(
    base: &Scenario,
    path: &str,
    value: f64,
    replications: u32,
    requests: u64,
    run_done: &mut dyn FnMut(),
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
        let (busy_before, db_before) = (busy_integrals(&sim), database_totals(&sim));
        sim.run_arrivals(warmup + requests);
        let now = sim.cache_stats();
        let (hits, misses) = (now.hits - cache.hits, now.misses - cache.misses);
        let (busy, db) = (busy_integrals(&sim), database_totals(&sim));
        runs.push(Run {
            span: sim.metrics().since(&mark, sim.now()),
            hit_rate: hits as f64 / (hits + misses).max(1) as f64,
            busy: (
                ratio(busy, busy_before, 0, 1),
                ratio(busy, busy_before, 2, 3),
            ),
            database_waits: (ratio(db, db_before, 1, 0), ratio(db, db_before, 3, 2)),
        });
        run_done();
    }
    let figures = Measure::ALL
        .iter()
        .map(|m| estimate(&runs.iter().map(|s| m.of(s)).collect::<Vec<_>>()))
        .collect();
    let solved = solve_per_server(&scenario);
    Ok(Point {
        value,
        figures,
        theory: Measure::ALL
            .iter()
            .map(|m| {
                let p = solved.as_ref().ok()?;
                m.theory(p, scenario.servers.count)
            })
            .collect(),
        unsolved: solved.err(),
        requests,
    })
}

/// What a curve's point tells its progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// One more run is done.
    RunDone,
    /// The point's band is too wide: this many more runs are coming (with four times
    /// the requests).
    MoreRuns(u32),
}

/// The point of `curve` at `value`: `curve.replications` runs of `curve.requests`, run
/// again with four times the requests while the plotted figure's band is wider than
/// `curve.band` of its value, as long as the count stays within [`MAX_GROWTH`] times
/// the first (and [`REQUESTS`]). The CLI and the page's worker both run points so.
pub fn curve_point(
    base: &Scenario,
    curve: &CurveSpec,
    value: f64,
    progress: &mut dyn FnMut(Progress),
) -> Result<Point, ScenarioError> {
    let most = curve.requests.saturating_mul(MAX_GROWTH).min(REQUESTS.1);
    let mut requests = curve.requests;
    loop {
        let point = point_with_progress(
            base,
            &curve.setting,
            value,
            curve.replications,
            requests,
            &mut || progress(Progress::RunDone),
        )?;
        let e = point.figure(curve.measure);
        let wide = curve
            .band
            .is_some_and(|band| e.mean.abs() > 0.0 && e.half_width > band * e.mean.abs());
        let next = requests.saturating_mul(4);
        if !wide || next > most {
            return Ok(point);
        }
        progress(Progress::MoreRuns(curve.replications));
        requests = next;
    }
}

/// How much total `top` grew over the stretch per unit that total `bottom` grew (from
/// `before` to `after`), 0 when `bottom` did not grow.
fn ratio(after: [f64; 4], before: [f64; 4], top: usize, bottom: usize) -> f64 {
    let total = after[bottom] - before[bottom];
    if total > 0.0 {
        (after[top] - before[top]) / total
    } else {
        0.0
    }
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
            let theory = p.theory_of(Measure::MeanLatency).expect("M/M/4 is solved");
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
            let theory = p.theory_of(Measure::MeanLatency).expect("M/G/1 is solved");
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

    /// A curve travels in the scenario file; a setting that is not one of the
    /// scenario's numbers, or counts out of range, are refused with the field's path;
    /// both ends must give a valid scenario.
    #[test]
    fn a_curve_is_kept_in_the_scenario_and_checked() {
        let mut s = Scenario::default();
        let curve = CurveSpec::default_for(&s.traffic.arrivals);
        assert_eq!((curve.from, curve.to), (150.0, 900.0));
        s.curve = Some(curve.clone());
        let back = Scenario::from_json(&s.to_json()).unwrap();
        assert_eq!(back.curve, Some(curve.clone()));
        assert!(s.sweepable().contains(&"cache.capacity".to_string()));
        assert!(!s
            .sweepable()
            .iter()
            .any(|p| p == "seed" || p.starts_with("metrics")));
        let refused = |c: CurveSpec| {
            let t = Scenario {
                curve: Some(c),
                ..Scenario::default()
            };
            t.validate().unwrap_err().path
        };
        let bad = |f: &dyn Fn(&mut CurveSpec)| {
            let mut c = curve.clone();
            f(&mut c);
            refused(c)
        };
        assert_eq!(bad(&|c| c.setting = "servers.io".into()), "curve.setting");
        assert_eq!(bad(&|c| c.points = 1), "curve.points");
        assert_eq!(bad(&|c| c.replications = 11), "curve.replications");
        assert_eq!(bad(&|c| c.requests = 10), "curve.requests");
        let zero_workers = CurveSpec {
            setting: "servers.workers".into(),
            from: 0.0,
            ..curve
        };
        assert_eq!(
            zero_workers.check_ends(&s).unwrap_err().path,
            "servers.workers"
        );
        assert_eq!(zero_workers.current(&s), Some(4.0));
    }

    /// Where theory has no line the point says why: the default has a cache and a
    /// database; a limiter takes an M/M/c out of the models; saturation has no steady
    /// state.
    #[test]
    fn points_say_why_theory_is_silent() {
        let p = point(
            &Scenario::default(),
            "traffic.arrivals.rate",
            300.0,
            2,
            2_000,
        )
        .unwrap();
        assert_eq!(p.unsolved, Some(Unsolved::Backend));
        assert_eq!(p.theory_of(Measure::MeanLatency), None);
        let mut mmc = model_scenario(300.0, 1, 4, None, 0.01);
        let saturated = point(&mmc, "traffic.arrivals.rate", 500.0, 2, 2_000).unwrap();
        assert_eq!(saturated.unsolved, Some(Unsolved::Saturated));
        mmc.protection.concurrency_limit = Some(100);
        let limited = point(&mmc, "traffic.arrivals.rate", 300.0, 2, 2_000).unwrap();
        assert_eq!(limited.unsolved, Some(Unsolved::Protection));
    }

    /// The database's waits are measured: a pool of one connection makes queries wait,
    /// a pool of 64 almost never.
    #[test]
    fn database_waits_grow_as_the_pool_shrinks() {
        let base = Scenario::default();
        let wait = |size: f64| {
            point(&base, "database.pool_size", size, 2, 5_000)
                .unwrap()
                .figure(Measure::PoolWait)
                .mean
        };
        let (small, large) = (wait(1.0), wait(64.0));
        assert!(small > 10.0 * large.max(1e-6), "{small} vs {large}");
    }

    /// With a band target, a point runs again with four times the requests until its
    /// band is narrow enough or it reaches its most: at ρ = 0.5 the first 20,000
    /// requests do; at ρ = 0.95 the point grows, and ends narrow or at 16 × 20,000. Progress
    /// counts every run and announces the extra ones.
    #[test]
    fn a_band_target_runs_wide_points_longer() {
        let base = model_scenario(300.0, 1, 4, None, 0.01);
        let curve = CurveSpec {
            setting: "traffic.arrivals.rate".into(),
            from: 200.0,
            to: 380.0,
            points: 2,
            replications: 3,
            requests: 20_000,
            measure: Measure::MeanLatency,
            band: Some(0.05),
        };
        let run = |rate: f64| {
            let (mut runs, mut announced) = (0, 3);
            let p = curve_point(&base, &curve, rate, &mut |e| match e {
                Progress::RunDone => runs += 1,
                Progress::MoreRuns(n) => announced += n,
            })
            .unwrap();
            assert_eq!(runs, announced, "every announced run ran");
            (p, runs)
        };
        let (light, runs) = run(200.0);
        assert_eq!((light.requests, runs), (20_000, 3));
        let (heavy, runs) = run(380.0);
        assert!(
            heavy.requests > 5_000 && runs > 3,
            "{} {runs}",
            heavy.requests
        );
        let e = heavy.figure(Measure::MeanLatency);
        assert!(
            e.half_width <= 0.05 * e.mean || heavy.requests == 320_000,
            "{e:?} at {}",
            heavy.requests
        );
        assert_eq!(
            heavy,
            point(&base, &curve.setting, 380.0, 3, heavy.requests).unwrap()
        );
    }
}
