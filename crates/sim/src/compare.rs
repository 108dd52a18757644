//! A/B comparison: two runs of the same seed, so the same arrivals, differing in what
//! the user changed. This module says what differs between the two scenarios and sets
//! their headline figures side by side; the page only lays them out.

use crate::metrics::WindowStats;
use crate::{Scenario, Simulation};
use serde_json::Value;

/// Batches of windows the run-to-run noise is estimated from (batch means).
const BATCHES: usize = 10;
/// Fewest windows to judge a difference by: before, the verdict waits.
pub const MIN_WINDOWS: usize = 10;
/// A difference is called better or worse beyond this many standard errors: Student's
/// t for 99 % with the batches' 9 degrees of freedom, so across the table's eight
/// judged rows chance alone rarely calls one.
const STANDARD_ERRORS: f64 = 3.25;

/// A headline figure the comparison shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Answers (in time or late) per simulated second.
    Throughput,
    /// Answers in time per simulated second.
    Goodput,
    /// Mean time in system of answered requests, in seconds.
    MeanLatency,
    /// Median latency, in seconds.
    P50,
    /// 99th-percentile latency, in seconds.
    P99,
    /// Share of outcomes clients learned that were failures
    /// ([`WindowStats::error_share`] over the run).
    Errors,
    /// Share of lookups the cache answered (when the run has a cache).
    HitRate,
    /// Mean busy share of the servers' workers.
    Utilisation,
    /// Retries sent, per simulated second.
    Retries,
    /// What the run costs per hour now, at the scenario's prices.
    CostPerHour,
    /// Spent per million requests answered in time.
    CostPerMillionGood,
}

impl Figure {
    /// Every figure, in table order.
    pub const ALL: [Figure; 11] = [
        Figure::Throughput,
        Figure::Goodput,
        Figure::MeanLatency,
        Figure::P50,
        Figure::P99,
        Figure::Errors,
        Figure::HitRate,
        Figure::Utilisation,
        Figure::Retries,
        Figure::CostPerHour,
        Figure::CostPerMillionGood,
    ];

    /// Whether more of it is better, so a difference can be called a gain or a loss.
    /// Utilisation is neither: busy servers are cheap, idle ones are headroom.
    pub fn better(self) -> Option<Better> {
        match self {
            Figure::Throughput | Figure::Goodput | Figure::HitRate => Some(Better::Higher),
            Figure::MeanLatency
            | Figure::P50
            | Figure::P99
            | Figure::Errors
            | Figure::Retries
            | Figure::CostPerHour
            | Figure::CostPerMillionGood => Some(Better::Lower),
            Figure::Utilisation => None,
        }
    }
}

/// Every figure of `sim`'s run so far, in [`Figure::ALL`]'s order; a hit rate only
/// with a cache. The same definitions as the run's summary (`Summary::of`), read
/// straight from the metrics because the page asks four times a second.
fn measure(sim: &Simulation) -> [Option<f64>; 11] {
    let m = sim.metrics();
    let per_second = |n: u64| n as f64 / sim.now().max(f64::MIN_POSITIVE);
    let latency = m.latency();
    let learned = m.failed() + m.completions() - m.timed_out();
    let servers = sim.servers();
    let utilisation = servers.iter().map(|s| s.utilisation()).sum::<f64>();
    let bill = sim.bill();
    [
        Some(per_second(m.completions())),
        Some(per_second(m.completions() - m.timed_out())),
        Some(latency.mean),
        Some(latency.p50),
        Some(latency.p99),
        Some(m.failed() as f64 / learned.max(1) as f64),
        sim.scenario()
            .cache
            .as_ref()
            .map(|_| sim.cache_stats().hit_rate()),
        Some(utilisation / servers.len().max(1) as f64),
        Some(per_second(m.retries())),
        Some(bill.per_hour),
        bill.per_million_good,
    ]
}

/// The figure as one window measured it, for the noise.
fn in_window(figure: Figure, w: &WindowStats) -> Option<f64> {
    let seconds = w.end - w.start;
    let mean = |f: fn(&crate::metrics::ServerWindow) -> f64| {
        w.servers.iter().map(f).sum::<f64>() / w.servers.len().max(1) as f64
    };
    Some(match figure {
        Figure::Throughput => w.throughput,
        Figure::Goodput => w.goodput,
        Figure::MeanLatency => w.latency.mean,
        Figure::P50 => w.latency.p50,
        Figure::P99 => w.latency.p99,
        Figure::Errors => w.error_share(),
        Figure::HitRate if w.cache.hits + w.cache.misses > 0 => w.cache.hit_rate,
        Figure::HitRate => return None,
        Figure::Utilisation => mean(|s| s.utilisation),
        Figure::Retries => w.retries as f64 / seconds,
        // Windows keep no bill: prices are judged on their own (see `Row::verdict`).
        Figure::CostPerHour | Figure::CostPerMillionGood => return None,
    })
}

/// How B − A for `figure` stands against chance: the mean over the windows both runs
/// closed of the window-by-window difference (paired, as both runs see the same
/// arrivals), and how far that mean may stray by chance ([`STANDARD_ERRORS`] standard
/// errors, from batch means). `None` before [`MIN_WINDOWS`].
fn judged(figure: Figure, a: &Simulation, b: &Simulation) -> Option<Judged> {
    let (wa, wb) = (a.metrics().windows(), b.metrics().windows());
    let pairs = wa.iter().rev().zip(wb.iter().rev());
    let differences: Vec<f64> = pairs
        .filter(|(x, y)| x.end == y.end)
        .filter_map(|(x, y)| Some(in_window(figure, y)? - in_window(figure, x)?))
        .collect();
    if differences.len() < MIN_WINDOWS {
        return None;
    }
    let per_batch = differences.len() / BATCHES;
    let means: Vec<f64> = differences
        .chunks_exact(per_batch)
        .take(BATCHES)
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect();
    let shift = means.iter().sum::<f64>() / BATCHES as f64;
    let variance = means.iter().map(|m| (m - shift).powi(2)).sum::<f64>() / (BATCHES - 1) as f64;
    Some(Judged {
        shift,
        noise: STANDARD_ERRORS * (variance / BATCHES as f64).sqrt(),
    })
}

/// A difference weighed against chance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    /// The mean window-by-window B − A.
    pub shift: f64,
    /// How far `shift` may stray by chance.
    pub noise: f64,
}

/// What a row says of B against A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// B is better, beyond the noise.
    Better,
    /// B is worse, beyond the noise.
    Worse,
    /// The difference is within the run-to-run noise.
    Same,
    /// Too few windows yet to tell noise from a difference.
    TooEarly,
    /// Neither direction is better (utilisation), or a run lacks the figure.
    Neither,
}

/// Which way is better for a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
}

/// One figure of both runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// What is compared.
    pub figure: Figure,
    /// Run A's value.
    pub a: Option<f64>,
    /// Run B's value.
    pub b: Option<f64>,
    /// The difference window by window against its noise; `None` too early to say.
    pub judged: Option<Judged>,
}

impl Row {
    /// B − A, when both runs have the figure.
    pub fn difference(&self) -> Option<f64> {
        Some(self.b? - self.a?)
    }

    /// (B − A) / A, when both have it and A is not zero.
    pub fn relative(&self) -> Option<f64> {
        let a = self.a.filter(|a| *a != 0.0)?;
        Some((self.b? - a) / a)
    }

    /// Better or worse only when the difference is beyond the noise; else the same.
    pub fn verdict(&self) -> Verdict {
        let (Some(_), Some(direction)) = (self.difference(), self.figure.better()) else {
            return Verdict::Neither;
        };
        if matches!(
            self.figure,
            Figure::CostPerHour | Figure::CostPerMillionGood
        ) {
            return self.price_verdict();
        }
        let Some(Judged { shift: d, noise }) = self.judged else {
            return Verdict::TooEarly;
        };
        if d.abs() <= noise {
            Verdict::Same
        } else if (d > 0.0) == (direction == Better::Higher) {
            Verdict::Better
        } else {
            Verdict::Worse
        }
    }
}

impl Row {
    /// A price is no sample of a noisy process: B differs from A when they differ by
    /// more than 1 %.
    fn price_verdict(&self) -> Verdict {
        match self.relative() {
            Some(r) if r < -0.01 => Verdict::Better,
            Some(r) if r > 0.01 => Verdict::Worse,
            Some(_) => Verdict::Same,
            None => Verdict::Neither,
        }
    }
}

/// The headline figures of runs `a` and `b` so far, side by side.
pub fn rows(a: &Simulation, b: &Simulation) -> Vec<Row> {
    let (ma, mb) = (measure(a), measure(b));
    Figure::ALL
        .iter()
        .zip(ma.into_iter().zip(mb))
        .filter(|(_, (x, y))| x.is_some() || y.is_some())
        .map(|(&figure, (x, y))| Row {
            figure,
            a: x,
            b: y,
            judged: judged(figure, a, b),
        })
        .collect()
}

/// A setting that differs between the two scenarios.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The setting's path in the scenario file, like `balancer.kind`.
    pub path: String,
    /// A's value as it is written in the file (`–` where A lacks the setting).
    pub a: String,
    /// B's value likewise.
    pub b: String,
}

/// The settings that differ between `a` and `b`, in key order: what the user changed,
/// named as the scenario file names it.
// `inline`, like `Scenario::from_json`: the page then shares one instance of the
// scenario's `to_value` serialiser between the two (page size, docs/performance.md).
#[inline]
pub fn differences(a: &Scenario, b: &Scenario) -> Vec<Difference> {
    let (a, b) = (to_value(a), to_value(b));
    let mut out = Vec::new();
    walk(&a, &b, String::new(), &mut out);
    out
}

#[inline]
fn to_value(s: &Scenario) -> Value {
    serde_json::to_value(s).expect("a scenario always serialises")
}

/// Records where `a` and `b` differ under `path`. Objects of the same kind are
/// compared key by key; anything else that differs is one difference, whole.
fn walk(a: &Value, b: &Value, path: String, out: &mut Vec<Difference>) {
    if a == b {
        return;
    }
    let same_kind = a.get("kind") == b.get("kind");
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if same_kind => {
            let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
            for key in keys {
                let null = Value::Null;
                let next = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk(
                    x.get(key).unwrap_or(&null),
                    y.get(key).unwrap_or(&null),
                    next,
                    out,
                );
            }
        }
        _ => out.push(Difference {
            path,
            a: show(a),
            b: show(b),
        }),
    }
}

/// A value as the file writes it, compactly; `–` for none.
fn show(v: &Value) -> String {
    match v {
        Value::Null => "–".to_string(),
        other => tidy(other).to_string(),
    }
}

/// `v` with its numbers rounded to a millionth: a spike pressed at 14.7161 s reads so,
/// not as 14.716099999999999.
fn tidy(v: &Value) -> Value {
    match v {
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap_or_default();
            serde_json::Number::from_f64((x * 1e6).round() / 1e6).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.iter().map(tidy).collect()),
        Value::Object(fields) => {
            Value::Object(fields.iter().map(|(k, x)| (k.clone(), tidy(x))).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::BalancerKind;
    use crate::Summary;

    fn run(s: Scenario, seconds: f64) -> Simulation {
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(seconds);
        sim
    }

    /// The figures mean what the run's summary means by them.
    #[test]
    fn figures_agree_with_the_summary() {
        let sim = run(Scenario::default(), 10.0);
        let s = Summary::of(&sim);
        let [throughput, goodput, mean, p50, p99, _, hit_rate, _, retries, per_hour, per_million] =
            measure(&sim);
        assert_eq!(throughput, Some(s.throughput));
        assert_eq!(goodput, Some(s.goodput));
        assert_eq!(
            (mean, p50, p99),
            (
                Some(s.latency.mean),
                Some(s.latency.p50),
                Some(s.latency.p99)
            )
        );
        assert_eq!(hit_rate, s.cache.map(|c| c.hit_rate));
        assert_eq!(retries, Some(s.retries as f64 / s.simulated_seconds));
        assert_eq!(
            (per_hour, per_million),
            (Some(s.cost.per_hour), s.cost.per_million_good)
        );
    }

    /// Prices are not noise: B is cheaper or dearer by more than 1 %, or the same.
    #[test]
    fn a_price_is_judged_by_its_difference_alone() {
        let row = |a, b| Row {
            figure: Figure::CostPerHour,
            a: Some(a),
            b: Some(b),
            judged: None,
        };
        assert_eq!(row(1.0, 0.5).verdict(), Verdict::Better);
        assert_eq!(row(1.0, 1.005).verdict(), Verdict::Same);
        assert_eq!(row(1.0, 2.0).verdict(), Verdict::Worse);
    }

    #[test]
    fn differences_name_each_changed_setting_and_nothing_else() {
        let a = Scenario::default();
        let mut b = a.clone();
        b.servers.workers += 4;
        b.balancer = BalancerKind::LeastConnections;
        b.cache = None;
        let found = differences(&a, &b);
        let paths: Vec<&str> = found.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["balancer", "cache", "servers.workers"]);
        assert_eq!(found[0].b, r#"{"kind":"least_connections"}"#);
        assert_eq!(found[1].b, "–");
        assert!(differences(&a, &a).is_empty());
    }

    #[test]
    fn a_changed_rate_is_one_difference_inside_the_arrivals() {
        let a = Scenario::default();
        let mut b = a.clone();
        if let crate::traffic::Arrivals::OpenLoop { rate, .. } = &mut b.traffic.arrivals {
            *rate += 100.0;
        }
        let found = differences(&a, &b);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].path, "traffic.arrivals.rate");
        // Float noise is rounded away in what is shown.
        let mut c = a.clone();
        if let crate::traffic::Arrivals::OpenLoop { schedule, .. } = &mut c.traffic.arrivals {
            schedule.push(crate::traffic::RateEvent::Spike {
                at: 14.716099999999999,
                duration: 10.0,
                multiplier: 3.0,
            });
        }
        let shown = &differences(&a, &c)[0].b;
        assert!(shown.contains("\"at\":14.7161"), "{shown}");
    }

    /// The same scenario twice gives the same figures (same seed, same arrivals); more
    /// workers on an overloaded pool make B's latency better and its rows say so.
    #[test]
    fn rows_set_the_runs_side_by_side_and_judge_the_difference() {
        let mut a = Scenario::default();
        a.servers.workers = 2;
        let same = rows(&run(a.clone(), 20.0), &run(a.clone(), 20.0));
        assert!(same.iter().all(|r| r.difference() == Some(0.0)));
        let judged = same.iter().filter(|r| r.figure.better().is_some());
        assert!(
            judged.clone().all(|r| r.verdict() == Verdict::Same),
            "{same:?}"
        );

        let mut b = a.clone();
        b.servers.workers = 16;
        let compared = rows(&run(a, 20.0), &run(b, 20.0));
        let p99 = compared.iter().find(|r| r.figure == Figure::P99).unwrap();
        assert!(p99.difference().unwrap() < 0.0, "{p99:?}");
        assert_eq!(p99.verdict(), Verdict::Better);
        let utilisation = compared
            .iter()
            .find(|r| r.figure == Figure::Utilisation)
            .unwrap();
        assert_eq!(utilisation.verdict(), Verdict::Neither);
    }

    /// Two seeds of one scenario differ only by chance: no row may call that better or
    /// worse. The same change between two seeds' runs, within its noise, is "same";
    /// before ten windows nothing is judged.
    #[test]
    fn noise_is_not_called_a_difference() {
        let a = Scenario::default();
        let b = Scenario {
            seed: 2,
            ..a.clone()
        };
        let compared = rows(&run(a.clone(), 60.0), &run(b, 60.0));
        for row in compared.iter().filter(|r| r.figure.better().is_some()) {
            assert_eq!(row.verdict(), Verdict::Same, "{row:?}");
        }
        // The hit rate moves by chance, by less than its noise.
        let hit = compared
            .iter()
            .find(|r| r.figure == Figure::HitRate)
            .unwrap();
        assert!(hit.difference().unwrap() != 0.0, "{hit:?}");
        assert!(hit.judged.unwrap().noise > 0.0, "{hit:?}");
        let early = rows(&run(a.clone(), 5.0), &run(a, 5.0));
        assert!(early.iter().all(|r| r.judged.is_none()));
        let p99 = early.iter().find(|r| r.figure == Figure::P99).unwrap();
        assert_eq!(p99.verdict(), Verdict::TooEarly);
    }

    #[test]
    fn relative_difference_needs_a_nonzero_a() {
        let row = |a, b| Row {
            figure: Figure::Throughput,
            a,
            b,
            judged: None,
        };
        assert_eq!(row(Some(200.0), Some(300.0)).relative(), Some(0.5));
        assert_eq!(row(Some(0.0), Some(3.0)).relative(), None);
        assert_eq!(row(None, Some(3.0)).difference(), None);
    }

    #[test]
    fn a_run_without_cache_has_no_hit_rate_row_when_neither_has_one() {
        let a = Scenario {
            cache: None,
            ..Scenario::default()
        };
        let compared = rows(&run(a.clone(), 5.0), &run(a, 5.0));
        assert!(compared.iter().all(|r| r.figure != Figure::HitRate));
    }
}
