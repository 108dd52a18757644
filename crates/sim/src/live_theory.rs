//! Theory beside the live simulation: what queueing theory predicts for the scenario as
//! it stands, against what was measured since the last change (so a trainer's change is
//! judged on its own windows, not averaged with the past), and only once the system has
//! settled: steady-state formulas say nothing while a backlog fills or drains.

use crate::balancer::BalancerKind;
use crate::metrics::WindowStats;
use crate::theory::{solve_per_server, Prediction, Unsolved};
use crate::Simulation;
use serde::Serialize;

/// Windows used at most: the last minute or so.
const MAX_WINDOWS: usize = 60;
/// The latest windows are settled when, over them together, arrivals and departures
/// (answers and refusals) differ by no more than this share of the arrivals (and
/// [`BALANCE_SLACK`] requests): the number in the system went neither up nor down on
/// the whole, as in a steady state, where a backlog filling or draining moves it.
pub const BALANCE: f64 = 0.05;
/// No single window of a settled span is further out of balance than this: a backlog
/// draining or filling moves a window's departures far from its arrivals (by 100 % when
/// it drains at twice the arrival rate), a steady state by a few percent.
pub const WINDOW_BALANCE: f64 = 0.25;
/// Requests of imbalance forgiven whatever the rate, for the few in flight at the
/// span's edges.
const BALANCE_SLACK: u64 = 3;

/// Predicted against measured, for the page's theory panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveTheory {
    /// Closed windows measured: since the system settled after the last change (after
    /// the last window out of [`BALANCE`]), at most [`MAX_WINDOWS`].
    pub windows: usize,
    /// Windows have closed since the last change, but the system has not settled.
    pub settling: bool,
    /// The queueing model, when the scenario is one theory solves.
    pub model: Option<ModelCheck>,
    /// Why there is no model, when there is none.
    pub unsolved: Option<Unsolved>,
    /// With no model because the load reaches the workers' capacity and nothing bounds
    /// the queue: how fast each server's queue grows, λ − cμ per second.
    pub growth: Option<f64>,
    /// Little's law: L measured, and λW measured, over the same windows.
    pub little: Option<(f64, f64)>,
    /// Weighted balancing: each server's share by its weight, and measured.
    pub weighted_shares: Vec<WeightedShare>,
}

/// A queueing model's prediction per server, beside the measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCheck {
    /// "M/M/c" or "M/M/c/K", with the numbers filled in, like "M/M/4/36".
    pub model: String,
    /// Arrival rate per server (λ), per second.
    pub lambda: f64,
    /// Service rate per worker (μ), per second.
    pub mu: f64,
    /// Workers per server (c).
    pub workers: u32,
    /// What theory predicts.
    pub predicted: Prediction,
    /// Mean time waiting for a worker, measured (mean latency minus mean service).
    pub measured_wait: f64,
    /// Mean time in the system, measured.
    pub measured_time_in_system: f64,
    /// Busy share of the workers, measured.
    pub measured_utilisation: f64,
    /// Share of arrivals turned away by a full queue, measured.
    pub measured_blocking: f64,
}

/// One server's share of the traffic under a weighted balancer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightedShare {
    /// The server's id.
    pub server: u32,
    /// Its weight.
    pub weight: u32,
    /// wᵢ / Σw.
    pub expected: f64,
    /// Requests routed to it over all routed, measured.
    pub measured: f64,
}

/// The theory panel's figures for `sim` now.
pub fn live(sim: &Simulation) -> LiveTheory {
    let since = sim.marks().back().map_or(f64::NEG_INFINITY, |m| m.time);
    let all = sim.metrics().windows();
    let after_change: Vec<&WindowStats> = (all.iter().rev())
        .take_while(|w| w.start >= since)
        .take(MAX_WINDOWS)
        .collect();
    // Steady-state figures only over the longest span of latest windows that is in
    // balance; a balancer's shares hold from the first request.
    let settled_for = settled_span(&after_change);
    let windows = &after_change[..settled_for];
    let solved = solve_live(sim);
    let unsolved = solved.as_ref().err().copied();
    LiveTheory {
        windows: windows.len(),
        settling: windows.is_empty() && !after_change.is_empty(),
        model: solved.ok().and_then(|p| model_check(sim, p, windows)),
        growth: (unsolved == Some(Unsolved::Saturated))
            .then(|| per_server_rates(sim))
            .flatten()
            .map(|(lambda, mu)| lambda - f64::from(sim.scenario().servers.workers) * mu),
        unsolved,
        little: little(windows),
        weighted_shares: weighted_shares(sim, &after_change),
    }
}

/// How many of `latest` (newest first) make the longest span in balance: no window in it
/// beyond [`WINDOW_BALANCE`], and all of them together within [`BALANCE`]; 0 when none
/// is. Over a longer span a steady state's ups and downs cancel, while a backlog's
/// one-way movement does not.
fn settled_span(latest: &[&WindowStats]) -> usize {
    let balanced = |arrived: u64, departed: u64, share: f64| {
        let gap = arrived.abs_diff(departed);
        gap <= BALANCE_SLACK || (gap as f64) <= share * arrived as f64
    };
    let (mut arrived, mut departed, mut longest) = (0u64, 0u64, 0);
    for (i, w) in latest.iter().enumerate() {
        let out = w.completions + w.rejections.total();
        if !balanced(w.arrivals, out, WINDOW_BALANCE) {
            break;
        }
        arrived += w.arrivals;
        departed += out;
        if balanced(arrived, departed, BALANCE) {
            longest = i + 1;
        }
    }
    longest
}

/// Mean latency over the windows, weighted by their answers.
fn mean_latency(windows: &[&WindowStats]) -> Option<f64> {
    let answered: u64 = windows.iter().map(|w| w.completions).sum();
    (answered > 0).then(|| {
        windows
            .iter()
            .map(|w| w.latency.mean * w.completions as f64)
            .sum::<f64>()
            / answered as f64
    })
}

fn span(windows: &[&WindowStats]) -> f64 {
    windows.iter().map(|w| w.end - w.start).sum()
}

fn little(windows: &[&WindowStats]) -> Option<(f64, f64)> {
    let seconds = span(windows);
    let w = mean_latency(windows)?;
    if seconds <= 0.0 {
        return None;
    }
    let l = windows
        .iter()
        .map(|x| x.mean_in_system * (x.end - x.start))
        .sum::<f64>()
        / seconds;
    let lambda = windows.iter().map(|x| x.completions).sum::<u64>() as f64 / seconds;
    Some((l, lambda * w))
}

/// Theory's prediction for `sim` now, or why there is none: the scenario's reason, or
/// a dead server.
fn solve_live(sim: &Simulation) -> Result<Prediction, Unsolved> {
    let predicted = solve_per_server(sim.scenario())?;
    if sim.servers().iter().any(|s| !s.is_alive()) {
        return Err(Unsolved::DeadServer);
    }
    Ok(predicted)
}

/// Each server's arrival rate λ and one worker's service rate μ, under open-loop traffic:
/// the model's figures, and a saturated queue's growth (λ − cμ per second).
fn per_server_rates(sim: &Simulation) -> Option<(f64, f64)> {
    let scenario = sim.scenario();
    let s = &scenario.servers;
    let crate::traffic::Arrivals::OpenLoop { rate, .. } = scenario.traffic.arrivals else {
        return None;
    };
    Some((
        rate / f64::from(s.count.max(1)),
        1.0 / s.service_time.mean(),
    ))
}

fn model_check(
    sim: &Simulation,
    predicted: Prediction,
    windows: &[&WindowStats],
) -> Option<ModelCheck> {
    let s = &sim.scenario().servers;
    let (lambda, mu) = per_server_rates(sim)?;
    let mean_service = s.service_time.mean();
    let time_in_system = mean_latency(windows)?;
    let arrivals: u64 = windows.iter().map(|w| w.arrivals).sum();
    let blocked: u64 = windows.iter().map(|w| w.rejections.queue_full).sum();
    let utilisation: Vec<f64> = windows
        .iter()
        .flat_map(|w| w.servers.iter().map(|s| s.utilisation))
        .collect();
    Some(ModelCheck {
        model: match (s.service_time, s.queue_capacity) {
            (crate::dist::Distribution::Exponential { .. }, None) => format!("M/M/{}", s.workers),
            (crate::dist::Distribution::Exponential { .. }, Some(q)) => {
                format!("M/M/{}/{}", s.workers, s.workers.saturating_add(q))
            }
            _ => "M/G/1".to_string(),
        },
        lambda,
        mu,
        workers: s.workers,
        predicted,
        measured_wait: (time_in_system - mean_service).max(0.0),
        measured_time_in_system: time_in_system,
        measured_utilisation: utilisation.iter().sum::<f64>() / utilisation.len().max(1) as f64,
        measured_blocking: if arrivals == 0 {
            0.0
        } else {
            blocked as f64 / arrivals as f64
        },
    })
}

fn weighted_shares(sim: &Simulation, windows: &[&WindowStats]) -> Vec<WeightedShare> {
    let scenario = sim.scenario();
    let weighted = matches!(
        scenario.balancer,
        BalancerKind::SmoothWeighted | BalancerKind::WeightedLeastConnections
    );
    if !weighted || windows.is_empty() {
        return Vec::new();
    }
    let active: Vec<(u32, u32)> = sim
        .pool()
        .iter()
        .map(|&i| {
            let server = &sim.servers()[i as usize];
            (server.id(), server.weight())
        })
        .collect();
    let total_weight: u32 = active.iter().map(|&(_, w)| w).sum();
    let routed = |id: u32| -> u64 {
        windows
            .iter()
            .flat_map(|w| w.servers.iter().filter(move |s| s.id == id))
            .map(|s| s.routed)
            .sum()
    };
    let all: u64 = active.iter().map(|&(id, _)| routed(id)).sum();
    active
        .iter()
        .map(|&(server, weight)| WeightedShare {
            server,
            weight,
            expected: f64::from(weight) / f64::from(total_weight.max(1)),
            measured: if all == 0 {
                0.0
            } else {
                routed(server) as f64 / all as f64
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theory::model_scenario;
    use crate::{Change, Scenario};

    #[test]
    fn an_mmc_run_agrees_with_erlang_c_and_littles_law() {
        let mut sim = Simulation::new(model_scenario(700.0, 1, 8, None, 0.01)).unwrap();
        sim.run_until(60.0);
        let t = live(&sim);
        let m = t.model.expect("M/M/8");
        assert_eq!(m.model, "M/M/8");
        assert!((m.measured_utilisation - m.predicted.utilisation).abs() < 0.02);
        assert!(
            (m.measured_wait / m.predicted.mean_wait - 1.0).abs() < 0.2,
            "{m:?}"
        );
        let (l, lambda_w) = t.little.expect("windows");
        assert!((l / lambda_w - 1.0).abs() < 0.05, "{l} vs {lambda_w}");
    }

    /// Lesson 6's preset, M/M/4 at ρ = 1.2 with no bound: no model, because there is no
    /// steady state, and the queue grows by λ − cμ = 480 − 400 = 80 a second, as its
    /// lesson says and as the run shows (the queue after 10 s holds about 800); bounded
    /// (the lesson's change), it is M/M/4/24 again. A dead server takes a model away.
    #[test]
    fn an_overloaded_unbounded_queue_has_no_model_and_grows_by_lambda_minus_c_mu() {
        let lesson = crate::lessons::course()
            .lesson("bounded-queues-and-shedding")
            .unwrap();
        let mut sim = Simulation::new(lesson.preset().unwrap()).unwrap();
        sim.run_until(10.0);
        let t = live(&sim);
        assert_eq!(
            (t.model.is_none(), t.unsolved),
            (true, Some(Unsolved::Saturated))
        );
        let growth = t.growth.expect("saturated");
        assert!((growth - 80.0).abs() < 1e-9, "{growth}");
        let waiting = sim.servers()[0].queue_len() as f64;
        assert!(
            (waiting / (growth * 10.0) - 1.0).abs() < 0.15,
            "{waiting} waiting after 10 s"
        );
        sim.apply(lesson.try_it(sim.scenario()).unwrap()).unwrap();
        sim.run_until(30.0);
        let t = live(&sim);
        assert_eq!((t.unsolved, t.growth), (None, None));
        assert_eq!(t.model.expect("bounded").model, "M/M/4/24");
        sim.apply(Change::KillServer(0)).unwrap();
        assert_eq!(live(&sim).unsolved, Some(Unsolved::DeadServer));
    }

    #[test]
    fn measures_start_again_after_a_change() {
        let mut sim = Simulation::new(model_scenario(700.0, 1, 8, None, 0.01)).unwrap();
        sim.run_until(30.0);
        let mut next = sim.scenario().clone();
        next.traffic.arrivals = crate::traffic::Arrivals::open_loop(400.0);
        sim.apply(Change::Scenario(Box::new(next))).unwrap();
        sim.run_until(40.5);
        let t = live(&sim);
        assert_eq!(t.windows, 10);
        let m = t.model.expect("M/M/8");
        assert!((m.lambda - 400.0).abs() < 1e-9);
        assert!((m.measured_utilisation - 0.5).abs() < 0.05, "{m:?}");
    }

    /// A change that leaves a backlog: while it drains the panel says "settling" and
    /// shows no figures; once drained, Little's law holds on the windows it measures.
    #[test]
    fn a_backlog_left_by_a_change_is_waited_out() {
        let mut sim = Simulation::new(model_scenario(900.0, 1, 8, None, 0.01)).unwrap();
        sim.run_until(20.0);
        let mut next = sim.scenario().clone();
        next.traffic.arrivals = crate::traffic::Arrivals::open_loop(400.0);
        sim.apply(Change::Scenario(Box::new(next))).unwrap();
        sim.run_until(22.0);
        let draining = live(&sim);
        assert!(draining.settling, "{draining:?}");
        assert_eq!((draining.windows, draining.little), (0, None));
        sim.run_until(80.0);
        let settled = live(&sim);
        assert!(!settled.settling && settled.windows > 20, "{settled:?}");
        let (l, lambda_w) = settled.little.unwrap();
        assert!((l / lambda_w - 1.0).abs() < 0.05, "{l} vs {lambda_w}");
        // The rule is not so tight that a busy, noisy run never settles: the default
        // (cache, database, 600 req/s) does once its cache has warmed.
        let mut busy = Simulation::new(Scenario::default()).unwrap();
        busy.run_until(60.0);
        let t = live(&busy);
        assert!(t.windows >= 10, "{t:?}");
    }

    #[test]
    fn smooth_weighted_shares_match_the_weights() {
        let mut s = Scenario {
            balancer: BalancerKind::SmoothWeighted,
            ..Scenario::default()
        };
        s.servers.count = 3;
        s.servers.weights = vec![2, 3, 4];
        let mut sim = Simulation::new(s).unwrap();
        sim.run_until(10.0);
        let shares = live(&sim).weighted_shares;
        assert_eq!(shares.len(), 3);
        for share in shares {
            assert!((share.measured - share.expected).abs() < 0.01, "{share:?}");
        }
        assert!(live(&Simulation::new(Scenario::default()).unwrap())
            .model
            .is_none());
    }
}
