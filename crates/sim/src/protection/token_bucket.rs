//! Token bucket: tokens drip in at `rate` per second and pile up to `burst`; a request
//! takes a token or is turned away. It lets a burst through at once, then the rate.

use super::{Decision, RateLimiter};

/// The bucket's tokens, brought up to date at each request.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: f64,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate,
            burst,
            tokens: burst,
            last: 0.0,
        }
    }
}

impl RateLimiter for TokenBucket {
    fn decide(&mut self, now: f64) -> Decision {
        self.tokens = (self.tokens + self.rate * (now - self.last)).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Decision::Admit
        } else {
            Decision::Reject
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protection::tests::{admitted, steady};

    #[test]
    fn admits_its_burst_then_its_rate() {
        let mut bucket = TokenBucket::new(50.0, 10.0);
        // 100 requests at once: the burst of 10 gets through.
        assert_eq!(admitted(&mut bucket, vec![0.0; 100]).len(), 10);
        // Then 1,000 requests per second for 10 s: 50 per second get through.
        let through = admitted(&mut bucket, steady(10_000, 0.001, 10.001)).len();
        assert!((499..=501).contains(&through), "{through}");
    }
}
