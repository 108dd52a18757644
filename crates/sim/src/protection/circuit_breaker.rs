//! A circuit breaker in front of the backend: closed, open, half-open.
//!
//! Closed, it lets calls through and remembers how the last `window_calls` ended. When
//! at least `failure_ratio` of them failed, it opens: calls fail at once, without
//! waiting on a backend that is down, and the backend gets time to recover. After
//! `open_seconds` it half-opens: `probe_calls` calls go through; if they all succeed it
//! closes, and one failure opens it again.

use crate::validate::{fraction, in_range, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Breaker settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CircuitBreakerConfig {
    /// How many recent calls the failure ratio is taken over.
    pub window_calls: u32,
    /// Share of failed calls (0 to 1) that opens the breaker.
    pub failure_ratio: f64,
    /// How long it stays open before trying again.
    pub open_seconds: f64,
    /// Trial calls in the half-open state.
    pub probe_calls: u32,
}

impl CircuitBreakerConfig {
    /// Checks the window, the ratio, the open time and the probes.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("window_calls"), self.window_calls, 1, 100_000)?;
        fraction(path.field("failure_ratio"), self.failure_ratio)?;
        positive(path.field("open_seconds"), self.open_seconds)?;
        in_range(path.field("probe_calls"), self.probe_calls, 1, 10_000)
    }
}

/// The breaker's state.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BreakerState {
    /// Calls go through.
    Closed,
    /// Calls fail at once, until the given time.
    Open { until: f64 },
    /// Trial calls: how many were let through, and how many have succeeded.
    HalfOpen { sent: u32, succeeded: u32 },
}

/// A circuit breaker.
#[derive(Debug, Clone)]
pub struct CircuitBreaker {
    config: CircuitBreakerConfig,
    state: BreakerState,
    recent: VecDeque<bool>,
    failures: u32,
}

impl CircuitBreaker {
    /// A closed breaker.
    pub fn new(config: CircuitBreakerConfig) -> Self {
        Self {
            config,
            state: BreakerState::Closed,
            recent: VecDeque::new(),
            failures: 0,
        }
    }

    /// The state at `now` (an open breaker half-opens when its time is up).
    pub fn state(&mut self, now: f64) -> BreakerState {
        if let BreakerState::Open { until } = self.state {
            if now >= until {
                self.state = BreakerState::HalfOpen {
                    sent: 0,
                    succeeded: 0,
                };
            }
        }
        self.state
    }

    /// Whether a call may go to the backend at `now`.
    pub fn allows(&mut self, now: f64) -> bool {
        match self.state(now) {
            BreakerState::Closed => true,
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen { sent, succeeded } => {
                let more = sent < self.config.probe_calls;
                if more {
                    self.state = BreakerState::HalfOpen {
                        sent: sent + 1,
                        succeeded,
                    };
                }
                more
            }
        }
    }

    /// A call let through ended at `now`, well or not.
    pub fn record(&mut self, now: f64, success: bool) {
        match self.state(now) {
            BreakerState::Closed => {
                self.recent.push_back(success);
                self.failures += u32::from(!success);
                if self.recent.len() > self.config.window_calls as usize {
                    let old = self.recent.pop_front().expect("non-empty");
                    self.failures -= u32::from(!old);
                }
                let full = self.recent.len() == self.config.window_calls as usize;
                if full
                    && f64::from(self.failures)
                        >= self.config.failure_ratio * f64::from(self.config.window_calls)
                {
                    self.open(now);
                }
            }
            BreakerState::HalfOpen { sent, succeeded } => {
                if !success {
                    self.open(now);
                } else if succeeded + 1 >= self.config.probe_calls {
                    self.state = BreakerState::Closed;
                } else {
                    self.state = BreakerState::HalfOpen {
                        sent,
                        succeeded: succeeded + 1,
                    };
                }
            }
            // A call let through before the breaker opened: its outcome is old news.
            BreakerState::Open { .. } => {}
        }
    }

    fn open(&mut self, now: f64) {
        self.state = BreakerState::Open {
            until: now + self.config.open_seconds,
        };
        self.recent.clear();
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> CircuitBreaker {
        CircuitBreaker::new(CircuitBreakerConfig {
            window_calls: 10,
            failure_ratio: 0.5,
            open_seconds: 5.0,
            probe_calls: 2,
        })
    }

    #[test]
    fn opens_after_its_threshold_and_half_opens_after_its_timeout() {
        let mut b = breaker();
        for i in 0..9 {
            assert!(b.allows(0.0));
            b.record(0.0, i % 2 == 0); // 4 failures in 9: below half of 10
        }
        assert_eq!(b.state(0.0), BreakerState::Closed);
        assert!(b.allows(1.0));
        b.record(1.0, false); // 5 failures in the last 10
        assert_eq!(b.state(1.0), BreakerState::Open { until: 6.0 });
        assert!(!b.allows(5.9), "open: fail fast");
        assert!(b.allows(6.0), "half-open: a trial call");
        assert!(b.allows(6.0), "a second trial call");
        assert!(!b.allows(6.0), "no more than the probe calls");
        b.record(6.1, true);
        b.record(6.2, true);
        assert_eq!(b.state(6.2), BreakerState::Closed);
    }

    #[test]
    fn a_failed_probe_opens_it_again() {
        let mut b = breaker();
        for _ in 0..10 {
            b.allows(0.0);
            b.record(0.0, false);
        }
        assert!(b.allows(5.0));
        b.record(5.1, false);
        assert_eq!(b.state(5.1), BreakerState::Open { until: 10.1 });
    }
}
