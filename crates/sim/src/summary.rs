//! The JSON summary that `loadlab run` prints and the determinism tests compare.

use crate::cost::Bill;
use crate::db::{DbSnapshot, DbStats, DbWindow};
use crate::engine::Simulation;
use crate::metrics::{Bucket, Percentiles, Rejections};
use crate::server::{Lifecycle, Server};
use crate::theory::Prediction;
use serde::Serialize;

/// Cumulative results of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The seed the run used.
    pub seed: u64,
    /// Simulated time covered, in seconds.
    pub simulated_seconds: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests answered in time.
    pub completed: u64,
    /// Requests answered after the client's timeout.
    pub timed_out: u64,
    /// Requests that got no answer, by reason.
    pub rejected: Rejections,
    /// Requests whose client learned they failed: the last attempt refused, or given
    /// up on at the timeout (a retried refusal is not a failure).
    pub failed: u64,
    /// What clients saw go wrong: failed over failed and answered in time (the
    /// headline's errors, over the whole run).
    pub error_share: f64,
    /// Requests still in the system at the end.
    pub in_flight: u64,
    /// Retries sent (they count among the arrivals).
    pub retries: u64,
    /// Seconds the circuit breaker spent open.
    pub circuit_open_seconds: f64,
    /// Answers (in time or late) per simulated second.
    pub throughput: f64,
    /// Answers in time per simulated second.
    pub goodput: f64,
    /// Time in system of answered requests, in seconds.
    pub latency: Percentiles,
    /// The latency histogram: bars doubling from 100 µs.
    pub latency_histogram: Vec<Bucket>,
    /// Both sides of L = λW, measured independently.
    pub littles_law: LittlesLaw,
    /// Cache figures, if there is a cache.
    pub cache: Option<CacheSummary>,
    /// Every server ever in the pool.
    pub servers: Vec<ServerSummary>,
    /// Database totals, if there is a database.
    pub database: Option<DatabaseSummary>,
    /// What the run cost at the scenario's prices (`cost`).
    pub cost: Bill,
    /// What queueing theory predicts per server, beside what was measured, when the
    /// scenario is a model it solves (see `theory::predict_per_server`).
    pub theory: Option<TheoryCheck>,
    /// Valid but risky settings.
    pub warnings: Vec<String>,
}

/// Theory beside simulation, per server.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TheoryCheck {
    /// "M/M/c" or "M/M/c/K".
    pub model: &'static str,
    /// The prediction.
    pub predicted: Prediction,
    /// Mean time in system, measured.
    pub measured_mean_time_in_system: f64,
    /// Mean time waiting for a worker, measured (time in system minus mean service).
    pub measured_mean_wait: f64,
    /// Worker utilisation, measured (mean over servers).
    pub measured_utilisation: f64,
    /// Fraction of arrivals turned away by a full queue, measured.
    pub measured_blocking: f64,
}

/// Little's law: the time-average number in the system (L) against throughput (λ)
/// times the mean time in the system (W). They agree in any stable system.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LittlesLaw {
    /// L: ∫ (number in system) dt / elapsed time.
    pub mean_in_system: f64,
    /// λW: throughput × exact mean latency.
    pub throughput_times_mean_time: f64,
}

/// Cache totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CacheSummary {
    /// Lookups that hit.
    pub hits: u64,
    /// Lookups that missed.
    pub misses: u64,
    /// Hits over lookups.
    pub hit_rate: f64,
    /// Entries pushed out for room.
    pub evictions: u64,
    /// Entries found expired.
    pub expirations: u64,
    /// Hit rate of each server's own cache, when caches are local.
    pub per_server_hit_rate: Vec<f64>,
}

/// Database totals: the counters, and the same figures the windows report, over the
/// whole run (per node and shard, mean waits, time-average queue depth).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatabaseSummary {
    /// Counters since the start.
    pub totals: DbStats,
    /// Figures over the whole run.
    pub run: DbWindow,
}

/// One server's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerSummary {
    /// Stable id.
    pub id: u32,
    /// "active", "draining", "retired" or "dead".
    pub state: &'static str,
    /// Requests sent here by the balancer.
    pub routed: u64,
    /// Requests answered from here.
    pub completed: u64,
    /// Requests turned away by a full queue.
    pub rejected: u64,
    /// Requests refused or lost while it was dead.
    pub failed: u64,
    /// Busy fraction of worker time.
    pub utilisation: f64,
    /// Busy fraction of core time.
    pub cpu_utilisation: f64,
    /// Time-average queue length.
    pub mean_queue_length: f64,
}

impl Simulation {
    /// A summary of everything measured so far (here, not in the engine: a summary is a
    /// report on a run, and the engine knows nothing of its reports).
    pub fn summary(&self) -> Summary {
        Summary::of(self)
    }
}

impl Summary {
    /// Summarises `sim` as it stands.
    pub fn of(sim: &Simulation) -> Self {
        let m = sim.metrics();
        let elapsed = sim.now();
        let per_second = |x: f64| if elapsed > 0.0 { x / elapsed } else { 0.0 };
        let throughput = per_second(m.completions() as f64);
        Self {
            seed: sim.scenario().seed,
            simulated_seconds: elapsed,
            arrivals: m.arrivals(),
            completed: m.completions() - m.timed_out(),
            timed_out: m.timed_out(),
            rejected: m.rejections(),
            failed: m.failed(),
            error_share: {
                let learned = m.failed() + m.completions() - m.timed_out();
                m.failed() as f64 / learned.max(1) as f64
            },
            in_flight: sim.in_flight() as u64,
            retries: m.retries(),
            circuit_open_seconds: m.circuit_open_seconds(),
            throughput,
            goodput: per_second((m.completions() - m.timed_out()) as f64),
            latency: m.latency(),
            latency_histogram: m.histogram(),
            littles_law: LittlesLaw {
                mean_in_system: per_second(m.in_system_area()),
                throughput_times_mean_time: throughput * m.mean_latency(),
            },
            cache: cache_summary(sim),
            servers: sim
                .servers()
                .iter()
                .map(|s| server_summary(s, elapsed))
                .collect(),
            database: sim.database().map(|db| DatabaseSummary {
                totals: db.stats().clone(),
                run: DbWindow::between(&DbSnapshot::default(), &db.snapshot(), elapsed),
            }),
            cost: sim.bill(),
            theory: theory_check(sim),
            warnings: sim.scenario().warnings(),
        }
    }
}

fn theory_check(sim: &Simulation) -> Option<TheoryCheck> {
    let predicted = crate::theory::predict_per_server(sim.scenario())?;
    let m = sim.metrics();
    let servers = sim.servers();
    let mean_service = sim.scenario().servers.service_time.mean();
    let time_in_system = m.mean_latency();
    Some(TheoryCheck {
        model: if sim.scenario().servers.queue_capacity.is_some() {
            "M/M/c/K"
        } else {
            "M/M/c"
        },
        predicted,
        measured_mean_time_in_system: time_in_system,
        measured_mean_wait: (time_in_system - mean_service).max(0.0),
        measured_utilisation: servers.iter().map(Server::utilisation).sum::<f64>()
            / servers.len() as f64,
        measured_blocking: if m.arrivals() == 0 {
            0.0
        } else {
            m.rejections().queue_full as f64 / m.arrivals() as f64
        },
    })
}

fn cache_summary(sim: &Simulation) -> Option<CacheSummary> {
    sim.scenario().cache.as_ref()?;
    let stats = sim.cache_stats();
    Some(CacheSummary {
        hits: stats.hits,
        misses: stats.misses,
        hit_rate: stats.hit_rate(),
        evictions: stats.evictions,
        expirations: stats.expirations,
        per_server_hit_rate: sim
            .local_cache_stats()
            .iter()
            .map(|s| s.hit_rate())
            .collect(),
    })
}

fn server_summary(s: &Server, elapsed: f64) -> ServerSummary {
    let stats = s.stats();
    ServerSummary {
        id: s.id(),
        state: match (s.lifecycle(), s.is_alive()) {
            (Lifecycle::Retired, _) => "retired",
            (_, false) => "dead",
            (Lifecycle::Draining, true) => "draining",
            (Lifecycle::Active, true) => "active",
            (Lifecycle::Booting, true) => "booting",
        },
        routed: stats.routed,
        completed: stats.completed,
        rejected: stats.rejected,
        failed: stats.failed,
        utilisation: s.utilisation(),
        cpu_utilisation: s.cpu_utilisation(),
        mean_queue_length: if elapsed > 0.0 {
            stats.queue_seconds / elapsed
        } else {
            0.0
        },
    }
}
