//! The scenario: a versioned JSON document that fully determines a run (with its seed).
//!
//! Decoding rejects unknown fields and wrong types with the field's path; validation
//! then rejects values the model cannot take, also by path. Both errors are a
//! [`ScenarioError`], so the CLI prints one line and the page shows it beside the input.

use crate::balancer::BalancerKind;
use crate::dist::ServiceTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The format version this build reads and writes.
pub const SCENARIO_VERSION: u32 = 1;

/// Everything a run needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must equal [`SCENARIO_VERSION`].
    pub version: u32,
    /// Seeds every random stream; the same seed gives the same run.
    pub seed: u64,
    /// Where requests come from.
    pub traffic: Traffic,
    /// How requests are spread over servers.
    pub balancer: BalancerKind,
    /// The server pool.
    pub servers: Servers,
    /// How results are aggregated over time.
    pub metrics: MetricsConfig,
}

/// Open-loop Poisson arrivals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Traffic {
    /// Mean arrivals per simulated second.
    pub arrival_rate: f64,
}

/// Identical servers, each a pool of workers in front of a bounded FIFO queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Servers {
    /// How many servers sit behind the balancer.
    pub count: u32,
    /// Worker threads per server: requests served at once.
    pub workers: u32,
    /// Requests that may wait per server; 0 means none wait (reject when all workers are busy).
    pub queue_capacity: u32,
    /// How long one request's work takes.
    pub service_time: ServiceTime,
}

/// Aggregation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// Length of one chart window, in simulated seconds.
    pub window_seconds: f64,
}

/// A scenario the model cannot take: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// The field's path, like `servers.workers`; empty for the document as a whole.
    pub path: String,
    /// What is wrong, in words a user can act on.
    pub reason: String,
}

impl ScenarioError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{}: {}", self.path, self.reason)
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Default for Scenario {
    /// The walk-through default: 4 servers of 4 workers at about 75 % utilisation.
    fn default() -> Self {
        Self {
            version: SCENARIO_VERSION,
            seed: 1,
            traffic: Traffic {
                arrival_rate: 600.0,
            },
            balancer: BalancerKind::RoundRobin,
            servers: Servers {
                count: 4,
                workers: 4,
                queue_capacity: 32,
                service_time: ServiceTime::Exponential { mean_seconds: 0.02 },
            },
            metrics: MetricsConfig {
                window_seconds: 1.0,
            },
        }
    }
}

impl Scenario {
    /// Decodes and validates a JSON document.
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let scenario: Scenario = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            ScenarioError::new(path, e.into_inner().to_string())
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Pretty JSON, the format `loadlab example` prints.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scenario always serialises")
    }

    /// Checks every value against what the model can take.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version != SCENARIO_VERSION {
            return Err(ScenarioError::new(
                "version",
                format!(
                    "this build reads version {SCENARIO_VERSION}, the file says {}",
                    self.version
                ),
            ));
        }
        positive("traffic.arrival_rate", self.traffic.arrival_rate)?;
        at_least_one("servers.count", self.servers.count)?;
        at_least_one("servers.workers", self.servers.workers)?;
        validate_service_time("servers.service_time", &self.servers.service_time)?;
        positive("metrics.window_seconds", self.metrics.window_seconds)?;
        Ok(())
    }
}

/// Rejects NaN, infinities, zero and negatives.
pub fn positive(path: &str, value: f64) -> Result<(), ScenarioError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ScenarioError::new(
            path,
            format!("must be a positive finite number, got {value}"),
        ))
    }
}

fn at_least_one(path: &str, value: u32) -> Result<(), ScenarioError> {
    if value >= 1 {
        Ok(())
    } else {
        Err(ScenarioError::new(path, "must be at least 1, got 0"))
    }
}

fn validate_service_time(path: &str, service: &ServiceTime) -> Result<(), ScenarioError> {
    match *service {
        ServiceTime::Constant { seconds } => positive(&format!("{path}.seconds"), seconds),
        ServiceTime::Exponential { mean_seconds } => {
            positive(&format!("{path}.mean_seconds"), mean_seconds)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_round_trips_through_json() {
        let s = Scenario::default();
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn unknown_field_is_rejected_with_its_path() {
        let text = Scenario::default()
            .to_json()
            .replace("\"workers\"", "\"wrkers\"");
        let err = Scenario::from_json(&text).unwrap_err();
        assert_eq!(err.path, "servers.wrkers");
        assert!(err.reason.contains("wrkers"), "{err}");
    }

    #[test]
    fn wrong_type_is_rejected_with_its_path() {
        let text = Scenario::default()
            .to_json()
            .replace("\"arrival_rate\": 600.0", "\"arrival_rate\": \"fast\"");
        let err = Scenario::from_json(&text).unwrap_err();
        assert_eq!(err.path, "traffic.arrival_rate");
    }

    #[test]
    fn invalid_values_are_rejected_with_their_paths() {
        let mut s = Scenario::default();
        s.traffic.arrival_rate = -5.0;
        assert_eq!(s.validate().unwrap_err().path, "traffic.arrival_rate");
        let mut s = Scenario::default();
        s.servers.workers = 0;
        assert_eq!(s.validate().unwrap_err().path, "servers.workers");
        let mut s = Scenario::default();
        s.servers.service_time = ServiceTime::Exponential {
            mean_seconds: f64::NAN,
        };
        assert_eq!(
            s.validate().unwrap_err().path,
            "servers.service_time.mean_seconds"
        );
        let s = Scenario {
            version: 99,
            ..Scenario::default()
        };
        assert_eq!(s.validate().unwrap_err().path, "version");
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        let err = Scenario::from_json("{\"version\": 1,").unwrap_err();
        assert!(!err.reason.is_empty());
    }
}
