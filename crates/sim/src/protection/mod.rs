//! Protection against overload, in front of the balancer: rate limiters (one per file
//! behind [`RateLimiter`]), a concurrency limit, and load shedding by queue time.

mod circuit_breaker;
mod fixed_window;
mod leaky_bucket;
mod sliding_window;
mod token_bucket;

pub use circuit_breaker::{BreakerState, CircuitBreaker, CircuitBreakerConfig};
pub use fixed_window::FixedWindow;
pub use leaky_bucket::LeakyBucket;
pub use sliding_window::SlidingWindow;
pub use token_bucket::TokenBucket;

use crate::tagged::need;
use crate::validate::{fraction, in_range, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// What a rate limiter decides for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Let it through now.
    Admit,
    /// Let it through at this later time (a shaper smooths bursts into a steady rate).
    Delay(f64),
    /// Turn it away.
    Reject,
}

/// Decides, request by request, how much traffic gets in.
pub trait RateLimiter {
    /// The decision for a request arriving at `now` (never earlier than the last one).
    fn decide(&mut self, now: f64) -> Decision;
}

/// Overload protection settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Protection {
    /// A rate limiter in front of the balancer; `null`: none.
    pub rate_limit: Option<RateLimit>,
    /// At most this many requests in the system at once; more are turned away. `null`: no limit.
    pub concurrency_limit: Option<u32>,
    /// A request that waited longer than this in a server's queue is dropped instead of
    /// served (its client has likely given up). `null`: never.
    pub shed_after_seconds: Option<f64>,
    /// Clients retry failed or timed-out requests; `null`: they never do.
    #[serde(default)]
    pub retries: Option<Retries>,
    /// A circuit breaker in front of the backend; `null`: none.
    #[serde(default)]
    pub circuit_breaker: Option<CircuitBreakerConfig>,
}

impl Protection {
    /// Checks every value; `path` names this section in errors (`protection`).
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        if let Some(limit) = &self.rate_limit {
            limit.validate(path.field("rate_limit"))?;
        }
        if let Some(limit) = self.concurrency_limit {
            in_range(path.field("concurrency_limit"), limit, 1, 100_000_000)?;
        }
        if let Some(after) = self.shed_after_seconds {
            positive(path.field("shed_after_seconds"), after)?;
        }
        if let Some(breaker) = &self.circuit_breaker {
            breaker.validate(path.field("circuit_breaker"))?;
        }
        if let Some(retries) = &self.retries {
            retries.validate(path.field("retries"))?;
        }
        Ok(())
    }
}

/// How clients retry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retries {
    /// Attempts in all, the first included (2 means one retry).
    pub max_attempts: u32,
    /// Wait before the first retry; each further retry waits twice as long.
    pub backoff_seconds: f64,
    /// Share of each wait that is random (0 to 1), so clients do not retry in lockstep.
    pub jitter: f64,
    /// A retry budget: each first attempt earns this many retry tokens (at most
    /// [`BUDGET_CAP`] are kept) and each retry spends one. `null`: no budget.
    pub budget: Option<f64>,
}

impl Retries {
    /// Checks the attempts, the backoff, the jitter and the budget.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        in_range(path.field("max_attempts"), self.max_attempts, 1, 20)?;
        positive(path.field("backoff_seconds"), self.backoff_seconds)?;
        fraction(path.field("jitter"), self.jitter)?;
        if let Some(budget) = self.budget {
            fraction(path.field("budget"), budget)?;
        }
        Ok(())
    }
}

/// Most retry tokens a budget keeps: a calm hour does not buy a storm later.
pub const BUDGET_CAP: f64 = 100.0;

/// The rate limiters a scenario can name.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "RateLimitFields")]
pub enum RateLimit {
    /// Tokens refill at `rate` per second up to `burst`; each request takes one.
    TokenBucket { rate: f64, burst: f64 },
    /// Requests queue in a bucket of `capacity` and leave at exactly `rate` per second.
    LeakyBucket { rate: f64, capacity: u32 },
    /// At most `limit` requests per window of `window_seconds`, windows back to back.
    FixedWindow { limit: u32, window_seconds: f64 },
    /// At most `limit` requests in any `window_seconds`-long span.
    SlidingWindow { limit: u32, window_seconds: f64 },
}

/// A [`RateLimit`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateLimitFields {
    kind: RateLimitKind,
    rate: Option<f64>,
    burst: Option<f64>,
    capacity: Option<u32>,
    limit: Option<u32>,
    window_seconds: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RateLimitKind {
    TokenBucket,
    LeakyBucket,
    FixedWindow,
    SlidingWindow,
}

impl TryFrom<RateLimitFields> for RateLimit {
    type Error = String;
    fn try_from(f: RateLimitFields) -> Result<Self, String> {
        let window = |f: &RateLimitFields| -> Result<(u32, f64), String> {
            Ok((
                need(f.limit, "limit")?,
                need(f.window_seconds, "window_seconds")?,
            ))
        };
        Ok(match f.kind {
            RateLimitKind::TokenBucket => RateLimit::TokenBucket {
                rate: need(f.rate, "rate")?,
                burst: need(f.burst, "burst")?,
            },
            RateLimitKind::LeakyBucket => RateLimit::LeakyBucket {
                rate: need(f.rate, "rate")?,
                capacity: need(f.capacity, "capacity")?,
            },
            RateLimitKind::FixedWindow => {
                let (limit, window_seconds) = window(&f)?;
                RateLimit::FixedWindow {
                    limit,
                    window_seconds,
                }
            }
            RateLimitKind::SlidingWindow => {
                let (limit, window_seconds) = window(&f)?;
                RateLimit::SlidingWindow {
                    limit,
                    window_seconds,
                }
            }
        })
    }
}

impl RateLimit {
    /// Checks the limiter's parameters, whichever it is.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        match *self {
            RateLimit::TokenBucket { rate, burst } => {
                positive(path.field("rate"), rate)?;
                in_range(path.field("burst"), burst, 1.0, 1e9)
            }
            RateLimit::LeakyBucket { rate, capacity } => {
                positive(path.field("rate"), rate)?;
                in_range(path.field("capacity"), capacity, 1, 10_000_000)
            }
            RateLimit::FixedWindow {
                limit,
                window_seconds,
            }
            | RateLimit::SlidingWindow {
                limit,
                window_seconds,
            } => {
                in_range(path.field("limit"), limit, 1, 1_000_000)?;
                positive(path.field("window_seconds"), window_seconds)
            }
        }
    }

    /// A fresh limiter.
    pub fn build(&self) -> Box<dyn RateLimiter> {
        match *self {
            RateLimit::TokenBucket { rate, burst } => Box::new(TokenBucket::new(rate, burst)),
            RateLimit::LeakyBucket { rate, capacity } => Box::new(LeakyBucket::new(rate, capacity)),
            RateLimit::FixedWindow {
                limit,
                window_seconds,
            } => Box::new(FixedWindow::new(limit, window_seconds)),
            RateLimit::SlidingWindow {
                limit,
                window_seconds,
            } => Box::new(SlidingWindow::new(limit, window_seconds)),
        }
    }

    /// A short human name, for chart labels.
    pub fn label(&self) -> &'static str {
        match self {
            RateLimit::TokenBucket { .. } => "token bucket",
            RateLimit::LeakyBucket { .. } => "leaky bucket",
            RateLimit::FixedWindow { .. } => "fixed window",
            RateLimit::SlidingWindow { .. } => "sliding window",
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Offers requests at the given times; returns the admitted (or released) times.
    pub fn admitted(
        limiter: &mut dyn RateLimiter,
        times: impl IntoIterator<Item = f64>,
    ) -> Vec<f64> {
        times
            .into_iter()
            .filter_map(|t| match limiter.decide(t) {
                Decision::Admit => Some(t),
                Decision::Delay(at) => Some(at),
                Decision::Reject => None,
            })
            .collect()
    }

    /// `n` requests evenly spread over [from, to).
    pub fn steady(n: usize, from: f64, to: f64) -> Vec<f64> {
        (0..n)
            .map(|i| from + (to - from) * i as f64 / n as f64)
            .collect()
    }
}
