//! Autoscaling (horizontal scaling, 水平扩展): a policy that adds servers when a measure
//! of the pool is above its target and removes them when it would stay below it.
//!
//! Every `interval_seconds` the policy reads its measure over the interval just ended
//! (CPU or worker utilisation of the serving servers, mean queue length per serving
//! server, or p99 latency of the answers) and decides:
//!
//! - above the target: ask for `step_up` more servers;
//! - below it, and still below it with `step_down` fewer servers sharing the same work
//!   (the measure scaled by n / (n − step_down)): remove `step_down`;
//! - otherwise, or within `cooldown_seconds` of its last step: nothing.
//!
//! Never beyond `min`..`max` servers. A server asked for costs from that moment but
//! serves only after `boot_seconds` (its cold start), with an empty local cache; one
//! removed is drained first. The lesson is the lag: a spike can be over before the
//! capacity it asked for arrives.

use crate::problem::Problem;
use crate::validate::{in_range, non_negative, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// The autoscaling policy of the server pool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Autoscale {
    /// What the policy holds at its target.
    pub metric: ScaleMetric,
    /// The target: a fraction for utilisations (0.6), requests for the queue, seconds
    /// for p99.
    pub target: f64,
    /// Fewest servers.
    pub min: u32,
    /// Most servers.
    pub max: u32,
    /// How often the policy reads its measure and decides, in seconds; the measure
    /// covers the interval just ended.
    pub interval_seconds: f64,
    /// After a step, how long the policy waits before another, in seconds.
    pub cooldown_seconds: f64,
    /// Servers added per step up.
    pub step_up: u32,
    /// Servers removed per step down.
    pub step_down: u32,
    /// Cold start: seconds from a server being asked for to its first request.
    pub boot_seconds: f64,
}

/// What an autoscaling policy measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScaleMetric {
    /// Busy share of the serving servers' cores.
    Cpu,
    /// Busy share of the serving servers' workers.
    Workers,
    /// Mean requests waiting for a worker, per serving server.
    Queue,
    /// 99th percentile of the latency of the interval's answers, in seconds.
    P99,
}

/// What the policy decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Keep the servers there are.
    Hold,
    /// Ask for this many servers in all.
    ScaleTo(u32),
}

impl Autoscale {
    /// The decision for a `reading` of the measure (`None`: nothing to measure, as
    /// with no answers for p99) with `servers` asked for (serving or booting), at
    /// `now` with the last step at `last_step`.
    pub fn decide(&self, reading: Option<f64>, servers: u32, now: f64, last_step: f64) -> Decision {
        let Some(reading) = reading else {
            return Decision::Hold;
        };
        if now - last_step < self.cooldown_seconds {
            return Decision::Hold;
        }
        let wanted = if reading > self.target {
            servers.saturating_add(self.step_up)
        } else if servers > self.step_down
            && reading * f64::from(servers) / f64::from(servers - self.step_down) < self.target
        {
            servers - self.step_down
        } else {
            servers
        };
        let wanted = wanted.max(self.min).min(self.max);
        if wanted == servers {
            Decision::Hold
        } else {
            Decision::ScaleTo(wanted)
        }
    }

    /// Checks every value; `path` names this policy in errors (`servers.autoscale`);
    /// `count` is the pool's starting size, which must lie within the bounds, and
    /// `most` the most servers a scenario may have.
    pub fn validate(&self, path: Path, count: u32, most: u32) -> Result<(), ScenarioError> {
        positive(path.field("target"), self.target)?;
        if matches!(self.metric, ScaleMetric::Cpu | ScaleMetric::Workers) {
            in_range(path.field("target"), self.target, 0.01, 1.0)?;
        }
        in_range(path.field("min"), self.min, 1, most)?;
        in_range(path.field("max"), self.max, self.min, most)?;
        in_range(
            path.field("interval_seconds"),
            self.interval_seconds,
            0.1,
            3600.0,
        )?;
        non_negative(path.field("cooldown_seconds"), self.cooldown_seconds)?;
        in_range(
            path.field("cooldown_seconds"),
            self.cooldown_seconds,
            0.0,
            3600.0,
        )?;
        in_range(path.field("step_up"), self.step_up, 1, most)?;
        in_range(path.field("step_down"), self.step_down, 1, most)?;
        non_negative(path.field("boot_seconds"), self.boot_seconds)?;
        in_range(path.field("boot_seconds"), self.boot_seconds, 0.0, 3600.0)?;
        if count < self.min || count > self.max {
            return Err(ScenarioError::new(
                path.field("min"),
                Problem::Range {
                    min: self.min.to_string(),
                    max: self.max.to_string(),
                    got: format!("{count} servers"),
                },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Autoscale, Decision, ScaleMetric};

    fn policy() -> Autoscale {
        Autoscale {
            metric: ScaleMetric::Cpu,
            target: 0.6,
            min: 2,
            max: 6,
            interval_seconds: 5.0,
            cooldown_seconds: 30.0,
            step_up: 2,
            step_down: 1,
            boot_seconds: 20.0,
        }
    }

    #[test]
    fn above_the_target_it_steps_up_within_its_bound() {
        let p = policy();
        assert_eq!(p.decide(Some(0.9), 2, 100.0, 0.0), Decision::ScaleTo(4));
        assert_eq!(p.decide(Some(0.9), 5, 100.0, 0.0), Decision::ScaleTo(6));
        assert_eq!(p.decide(Some(0.9), 6, 100.0, 0.0), Decision::Hold);
    }

    #[test]
    fn it_steps_down_only_if_fewer_servers_would_stay_below_the_target() {
        let p = policy();
        // 4 servers at 0.40: 3 would be at 0.53, below 0.6.
        assert_eq!(p.decide(Some(0.40), 4, 100.0, 0.0), Decision::ScaleTo(3));
        // 4 servers at 0.50: 3 would be at 0.67, above it.
        assert_eq!(p.decide(Some(0.50), 4, 100.0, 0.0), Decision::Hold);
        assert_eq!(p.decide(Some(0.0), 2, 100.0, 0.0), Decision::Hold);
    }

    #[test]
    fn within_the_cooldown_or_with_nothing_measured_it_holds() {
        let p = policy();
        assert_eq!(p.decide(Some(0.9), 2, 29.0, 0.0), Decision::Hold);
        assert_eq!(p.decide(Some(0.9), 2, 30.0, 0.0), Decision::ScaleTo(4));
        assert_eq!(p.decide(None, 2, 100.0, 0.0), Decision::Hold);
    }

    #[test]
    fn bounds_and_the_starting_count_are_checked() {
        let path = crate::validate::Path::root("servers.autoscale");
        assert!(policy().validate(path, 2, 256).is_ok());
        assert!(policy().validate(path, 7, 256).is_err());
        let inverted = Autoscale { max: 1, ..policy() };
        assert!(inverted.validate(path, 2, 256).is_err());
    }
}
