//! What a what-if curve sweeps and plots, as the scenario file keeps it, so a curve
//! travels in a shared link and an exported scenario and `loadlab sweep` reads it.
//! Data only: the curves module runs it.

use crate::problem::Problem;
use crate::traffic::Arrivals;
use crate::validate::{in_range, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// A figure a curve can plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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
    /// Share of attempts refused because a server's queue was full.
    QueueFullShare,
    /// Share of attempts refused by the rate limiter or the concurrency limit.
    LimitedShare,
    /// Share of attempts shed after waiting too long.
    ShedShare,
    /// Share of answers that came after the client's timeout (work done for nobody).
    LateShare,
    /// Cache hits over lookups, all caches together (0 without a cache).
    HitRate,
    /// Busy share of the servers' workers.
    Utilisation,
    /// Busy share of the servers' cores.
    CpuUtilisation,
    /// Mean wait for a database connection per query, in seconds (0 without a database).
    PoolWait,
    /// Mean wait for a row lock per write, in seconds (0 without a database).
    LockWait,
}

impl Measure {
    /// Every measure, in the order a point lists them.
    pub const ALL: [Measure; 16] = [
        Measure::MeanLatency,
        Measure::P50,
        Measure::P95,
        Measure::P99,
        Measure::Throughput,
        Measure::Goodput,
        Measure::ErrorShare,
        Measure::QueueFullShare,
        Measure::LimitedShare,
        Measure::ShedShare,
        Measure::LateShare,
        Measure::HitRate,
        Measure::Utilisation,
        Measure::CpuUtilisation,
        Measure::PoolWait,
        Measure::LockWait,
    ];

    /// Its place in [`Measure::ALL`] (and in a point's figures).
    pub fn index(self) -> usize {
        Measure::ALL.iter().position(|m| *m == self).unwrap_or(0)
    }

    /// Its name in the scenario file (and in CSV headers).
    pub fn name(self) -> &'static str {
        match self {
            Measure::MeanLatency => "mean_latency",
            Measure::P50 => "p50",
            Measure::P95 => "p95",
            Measure::P99 => "p99",
            Measure::Throughput => "throughput",
            Measure::Goodput => "goodput",
            Measure::ErrorShare => "error_share",
            Measure::QueueFullShare => "queue_full_share",
            Measure::LimitedShare => "limited_share",
            Measure::ShedShare => "shed_share",
            Measure::LateShare => "late_share",
            Measure::HitRate => "hit_rate",
            Measure::Utilisation => "utilisation",
            Measure::CpuUtilisation => "cpu_utilisation",
            Measure::PoolWait => "pool_wait",
            Measure::LockWait => "lock_wait",
        }
    }

    /// What the figure is counted in, so axes and files say it.
    pub fn unit(self) -> Unit {
        match self {
            Measure::MeanLatency
            | Measure::P50
            | Measure::P95
            | Measure::P99
            | Measure::PoolWait
            | Measure::LockWait => Unit::Seconds,
            Measure::Throughput | Measure::Goodput => Unit::PerSecond,
            _ => Unit::Share,
        }
    }
}

/// What a figure is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Seconds (shown as milliseconds).
    Seconds,
    /// Per second.
    PerSecond,
    /// A share from 0 to 1 (shown as a percentage).
    Share,
}

/// Most points a curve may have: each is several whole runs.
pub const MAX_POINTS: u32 = 40;
/// Most replications per point.
pub const MAX_REPLICATIONS: u32 = 10;
/// Fewest and most measured arrivals per run.
pub const REQUESTS: (u64, u64) = (1_000, 1_000_000);

/// One setting swept over a range, the figure plotted, and how much each point runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurveSpec {
    /// Dotted path of the swept field, as `loadlab sweep --param` names it
    /// (`traffic.arrivals.rate`, `servers.workers`, `cache.capacity`).
    pub setting: String,
    /// First value.
    pub from: f64,
    /// Last value.
    pub to: f64,
    /// Number of values, both ends included (whole-number fields may give fewer).
    pub points: u32,
    /// Runs per point, each with its own seed; at least 2, so each point has a band.
    pub replications: u32,
    /// Measured arrivals per run, after the warm-up: the first try at each point.
    pub requests: u64,
    /// The figure plotted.
    pub measure: Measure,
    /// The widest 95 % band wanted, as a share of the figure's value: a point whose
    /// band is wider runs again with four times the requests, up to [`MAX_GROWTH`]
    /// times `requests` (and [`REQUESTS`]'s most). Absent: each point runs `requests`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<f64>,
}

/// How many times its first request count a point may grow to narrow its band.
pub const MAX_GROWTH: u64 = 16;
/// The band a page's first curve asks for: ±5 % of each value.
pub const DEFAULT_BAND: f64 = 0.05;
/// The narrowest and widest band targets.
pub const BANDS: (f64, f64) = (0.001, 0.5);

impl CurveSpec {
    /// A first curve for a scenario whose load is `arrivals`: latency against the
    /// load, from a quarter of it to one and a half times it, where the knee of most
    /// scenarios lies.
    pub fn default_for(arrivals: &Arrivals) -> Self {
        let (setting, now) = match *arrivals {
            Arrivals::OpenLoop { rate, .. } => ("traffic.arrivals.rate", rate),
            Arrivals::ClosedLoop { users, .. } => ("traffic.arrivals.users", f64::from(users)),
        };
        Self {
            setting: setting.to_string(),
            from: (now / 4.0).round().max(1.0),
            to: (now * 1.5).round().max(2.0),
            points: 12,
            replications: 3,
            requests: 20_000,
            measure: Measure::MeanLatency,
            band: Some(DEFAULT_BAND),
        }
    }

    /// Checks the counts and the ends, and that the setting is one of `sweepable`
    /// (the scenario's numeric settings).
    pub fn validate(&self, path: Path, sweepable: &[String]) -> Result<(), ScenarioError> {
        in_range(path.field("points"), self.points, 2, MAX_POINTS)?;
        in_range(
            path.field("replications"),
            self.replications,
            2,
            MAX_REPLICATIONS,
        )?;
        in_range(
            path.field("requests"),
            self.requests,
            REQUESTS.0,
            REQUESTS.1,
        )?;
        if let Some(band) = self.band {
            in_range(path.field("band"), band, BANDS.0, BANDS.1)?;
        }
        for (name, end) in [("from", self.from), ("to", self.to)] {
            if !end.is_finite() {
                return Err(ScenarioError::new(path.field(name), Problem::NotANumber));
            }
        }
        if !sweepable.contains(&self.setting) {
            return Err(ScenarioError::new(
                path.field("setting"),
                Problem::NoSuchField,
            ));
        }
        Ok(())
    }
}
