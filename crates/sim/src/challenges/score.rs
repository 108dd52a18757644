//! A challenge's score and debrief: pass or fail on each part of the goal over the whole
//! script, stars for cost, and what held and what broke, where and when.

use super::Goal;
use crate::metrics::{Reason, Rejections, WindowStats};
use crate::Simulation;
use serde::Serialize;

/// How a run did against its goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Every part of the goal held.
    pub passed: bool,
    /// 0 for a fail; a pass earns 1, 2 or 3 by its cost per hour.
    pub stars: u8,
    /// Each part of the goal against what the run measured.
    pub verdicts: Verdicts,
    /// What broke, where and when.
    pub debrief: Debrief,
}

/// Each part of the goal: what was measured, and whether it held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdicts {
    /// 99th percentile of latency over the script, in ms.
    pub p99_ms: f64,
    pub p99_held: bool,
    /// Share of arrivals answered in time.
    pub good_share: f64,
    pub good_share_held: bool,
    /// The bill over the script's length, per hour.
    pub cost_per_hour: f64,
    pub cost_held: bool,
}

/// What broke: requests lost by the part that lost them and why, the stretches of the
/// script where the goal was missed, what the run cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    /// Requests that arrived.
    pub arrivals: u64,
    /// Answered after the client's timeout: failures, and work done for nobody.
    pub late: u64,
    /// Clients that gave up waiting.
    pub gave_up: u64,
    /// Refused, as (part, reason, count), largest first: `server 2`, `queue_full`.
    pub refused: Vec<(String, String, u64)>,
    /// Stretches of the script where a one-second window missed the goal.
    pub missed: Vec<Missed>,
    /// Spent over the script.
    pub cost: f64,
}

/// A stretch of consecutive windows that missed the goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missed {
    /// Its start and end, in simulated seconds.
    pub from: f64,
    pub to: f64,
    /// Its worst window's p99 in ms and its share answered in time.
    pub worst_p99_ms: f64,
    pub worst_good_share: f64,
}

/// The score of `sim`, run to the end of its script, against `goal`.
pub(super) fn score(sim: &Simulation, goal: &Goal) -> Score {
    let m = sim.metrics();
    let arrivals = m.arrivals();
    let good = m.completions() - m.timed_out();
    let p99_ms = m.latency().p99 * 1e3;
    let good_share = if arrivals == 0 {
        1.0
    } else {
        good as f64 / arrivals as f64
    };
    let bill = sim.bill();
    let cost_per_hour = bill.total / sim.now().max(f64::MIN_POSITIVE) * 3600.0;
    let verdicts = Verdicts {
        p99_ms,
        p99_held: p99_ms <= goal.p99_ms,
        good_share,
        good_share_held: good_share >= goal.good_share,
        cost_per_hour,
        cost_held: cost_per_hour <= goal.cost_per_hour,
    };
    let passed = verdicts.p99_held && verdicts.good_share_held && verdicts.cost_held;
    let stars = match () {
        _ if !passed => 0,
        _ if cost_per_hour <= goal.stars[0] => 3,
        _ if cost_per_hour <= goal.stars[1] => 2,
        _ => 1,
    };
    Score {
        passed,
        stars,
        verdicts,
        debrief: Debrief {
            arrivals,
            late: m.timed_out(),
            gave_up: sim.refusals().gave_up,
            refused: refused(sim),
            missed: missed(m.windows().iter(), goal),
            cost: bill.total,
        },
    }
}

/// Every part's refusals by reason, largest first.
fn refused(sim: &Simulation) -> Vec<(String, String, u64)> {
    let r = sim.refusals();
    let mut parts: Vec<(String, &Rejections)> = vec![
        ("rate limiter".into(), &r.limiter),
        ("balancer".into(), &r.balancer),
        ("database".into(), &r.database),
    ];
    for (i, server) in r.servers.iter().enumerate() {
        parts.push((format!("server {i}"), server));
    }
    let mut out: Vec<(String, String, u64)> = parts
        .iter()
        .flat_map(|(part, counts)| {
            Reason::ALL
                .iter()
                .map(move |&reason| (part.clone(), reason_name(reason), counts.of(reason)))
        })
        .filter(|(_, _, n)| *n > 0)
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    out
}

/// A reason as the summary's `rejected` names it.
pub fn reason_name(reason: Reason) -> String {
    match reason {
        Reason::QueueFull => "queue_full",
        Reason::ServerDown => "server_down",
        Reason::NoServer => "no_server",
        Reason::RateLimited => "rate_limited",
        Reason::ConcurrencyLimited => "concurrency_limited",
        Reason::Shed => "shed",
        Reason::DatabaseError => "database_error",
        Reason::PoolTimeout => "pool_timeout",
        Reason::WriteConflict => "write_conflict",
        Reason::CircuitOpen => "circuit_open",
    }
    .to_string()
}

/// Runs of windows whose p99 or share answered in time missed the goal.
fn missed<'a>(windows: impl Iterator<Item = &'a WindowStats>, goal: &Goal) -> Vec<Missed> {
    let mut out: Vec<Missed> = Vec::new();
    for w in windows {
        // Of the outcomes learned in the window, the share answered in time.
        let learned = w.completions + w.failed;
        let share = if learned == 0 {
            1.0
        } else {
            (w.completions - w.timed_out) as f64 / learned as f64
        };
        let p99 = w.latency.p99 * 1e3;
        if p99 <= goal.p99_ms && share >= goal.good_share {
            continue;
        }
        match out.last_mut() {
            Some(last) if last.to == w.start => {
                last.to = w.end;
                last.worst_p99_ms = last.worst_p99_ms.max(p99);
                last.worst_good_share = last.worst_good_share.min(share);
            }
            _ => out.push(Missed {
                from: w.start,
                to: w.end,
                worst_p99_ms: p99,
                worst_good_share: share,
            }),
        }
    }
    out
}
