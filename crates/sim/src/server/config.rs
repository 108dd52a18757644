//! The server pool's settings, as the scenario names them, validated by path.

use super::autoscale::Autoscale;
use crate::dist::Distribution;
use crate::problem::{PerServer, Problem};
use crate::tagged::need;
use crate::validate::{in_range, non_negative, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// Largest number of servers a scenario may ask for.
pub const MAX_SERVERS: u32 = 256;
/// Largest worker or core count per server.
pub const MAX_WORKERS: u32 = 100_000;

/// The server pool: every server alike but for its weight and speed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Servers {
    /// How many servers sit behind the balancer.
    pub count: u32,
    /// Worker threads per server.
    pub workers: u32,
    /// CPU cores per server: a request's compute phase needs one.
    pub cores: u32,
    /// Requests that may wait for a worker, per server; 0: none wait; `null`: no limit
    /// (allowed, but flagged: under overload its latency grows without bound).
    pub queue_capacity: Option<u32>,
    /// CPU work per request on a server of speed 1.
    pub service_time: Distribution,
    /// Extra compute time per runnable thread beyond the cores, as a fraction (0.02 =
    /// each extra runnable thread makes compute 2 % slower): context switching.
    pub switch_overhead: f64,
    /// Whether a worker waits for I/O or is freed while it happens.
    pub io: IoMode,
    /// Balancer weights by server index; empty: all 1.
    #[serde(default)]
    pub weights: Vec<u32>,
    /// Speed factors by server index (2 = twice as fast); empty: all 1.
    #[serde(default)]
    pub speeds: Vec<f64>,
    /// Autoscaling of the pool, starting from `count`; absent: the count stays as set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscale: Option<Autoscale>,
}

/// Sync or async I/O.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case", try_from = "IoModeFields")]
pub enum IoMode {
    /// A worker is held while its request waits on the cache and the database.
    Sync,
    /// The worker is freed while the request waits; at most `max_in_flight` requests
    /// per server are past the queue at once.
    Async {
        /// Cap on requests being served or awaiting I/O, per server.
        max_in_flight: u32,
    },
}

/// An [`IoMode`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IoModeFields {
    mode: IoModeName,
    max_in_flight: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum IoModeName {
    Sync,
    Async,
}

impl TryFrom<IoModeFields> for IoMode {
    type Error = String;
    fn try_from(f: IoModeFields) -> Result<Self, String> {
        Ok(match f.mode {
            IoModeName::Sync => IoMode::Sync,
            IoModeName::Async => IoMode::Async {
                max_in_flight: need(f.max_in_flight, "max_in_flight")?,
            },
        })
    }
}

impl Servers {
    /// Checks every value; `path` names this section in errors (`servers`).
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("count"), self.count, 1, MAX_SERVERS)?;
        in_range(path.field("workers"), self.workers, 1, MAX_WORKERS)?;
        in_range(path.field("cores"), self.cores, 1, MAX_WORKERS)?;
        if let Some(q) = self.queue_capacity {
            in_range(path.field("queue_capacity"), q, 0, 10_000_000)?;
        }
        self.service_time.validate(path.field("service_time"))?;
        let overhead = path.field("switch_overhead");
        non_negative(overhead, self.switch_overhead)?;
        in_range(overhead, self.switch_overhead, 0.0, 1.0)?;
        match self.io {
            IoMode::Sync => {}
            IoMode::Async { max_in_flight } => {
                in_range(path.field("io.max_in_flight"), max_in_flight, 1, 10_000_000)?
            }
        }
        self.validate_weights(path.field("weights"))?;
        self.validate_speeds(path.field("speeds"))?;
        self.validate_autoscale(path.field("autoscale"))
    }

    /// A policy's bounds hold the starting count, and the servers are alike: weights
    /// and speeds name each server, and a pool that grows and shrinks has no list of
    /// them.
    fn validate_autoscale(&self, path: Path) -> Result<(), ScenarioError> {
        let Some(policy) = &self.autoscale else {
            return Ok(());
        };
        if !self.weights.is_empty() || !self.speeds.is_empty() {
            return Err(ScenarioError::new(path, Problem::ScalingNeedsAlike));
        }
        policy.validate(path, self.count, MAX_SERVERS)
    }

    fn validate_weights(&self, path: Path) -> Result<(), ScenarioError> {
        if self.weights.is_empty() {
            return Ok(());
        }
        self.one_per(path, PerServer::Weight, self.weights.len())?;
        for (i, &w) in self.weights.iter().enumerate() {
            in_range(path.index(i), w, 0, 1000)?;
        }
        if self.weights.iter().all(|&w| w == 0) {
            return Err(ScenarioError::new(path, Problem::AllWeightsZero));
        }
        Ok(())
    }

    fn validate_speeds(&self, path: Path) -> Result<(), ScenarioError> {
        if self.speeds.is_empty() {
            return Ok(());
        }
        self.one_per(path, PerServer::Speed, self.speeds.len())?;
        for (i, &v) in self.speeds.iter().enumerate() {
            positive(path.index(i), v)?;
            // At least 1/1000, as at most 1000: compute time is divided by the speed,
            // and a speed near 0 made it infinite (found by fuzzing).
            in_range(path.index(i), v, 0.001, 1000.0)?;
        }
        Ok(())
    }

    /// Refuses a per-server list at `path` whose length `got` is not the server count.
    fn one_per(&self, path: Path, what: PerServer, got: usize) -> Result<(), ScenarioError> {
        if got == self.count as usize {
            return Ok(());
        }
        Err(ScenarioError::new(
            path,
            Problem::OnePer {
                what,
                servers: self.count,
                got,
            },
        ))
    }
}
