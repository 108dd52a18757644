//! Peak EWMA (as in Finagle and Linkerd): route to the lowest
//! (moving average of latency) × (requests in flight + 1).
//!
//! The average jumps up at once on a slow response ("peak") and decays back with time
//! constant τ, so a server that turns slow is avoided immediately and forgiven slowly.
//! A server not yet measured scores zero and is tried first.

use super::{Balancer, Route};
use crate::rng::SimRng;

/// Latency estimates by server index.
#[derive(Debug)]
pub struct PeakEwma {
    decay_seconds: f64,
    cost: Vec<f64>,
    last_seen: Vec<f64>,
    start: usize,
}

impl PeakEwma {
    /// Estimates that decay with time constant `decay_seconds`.
    pub fn new(decay_seconds: f64) -> Self {
        Self {
            decay_seconds,
            cost: Vec::new(),
            last_seen: Vec::new(),
            start: 0,
        }
    }

    fn score(&self, route: &Route, s: u32) -> f64 {
        let cost = self.cost.get(s as usize).copied().unwrap_or(0.0);
        cost * (route.servers[s as usize].in_flight() as f64 + 1.0)
    }
}

impl Balancer for PeakEwma {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        let n = route.pool.len();
        let first = self.start % n;
        self.start = first + 1;
        let mut best = route.pool[first];
        let mut best_score = self.score(route, best);
        for i in 1..n {
            let s = route.pool[(first + i) % n];
            let score = self.score(route, s);
            if score < best_score {
                best = s;
                best_score = score;
            }
        }
        best
    }

    fn observe(&mut self, server: u32, latency: f64, now: f64) {
        let s = server as usize;
        if self.cost.len() <= s {
            self.cost.resize(s + 1, 0.0);
            self.last_seen.resize(s + 1, f64::NEG_INFINITY);
        }
        let elapsed = now - self.last_seen[s];
        let cost = &mut self.cost[s];
        if latency > *cost || elapsed.is_infinite() {
            *cost = latency;
        } else {
            let keep = libm::exp(-elapsed / self.decay_seconds);
            *cost = *cost * keep + latency * (1.0 - keep);
        }
        self.last_seen[s] = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::servers;

    #[test]
    fn avoids_a_server_that_just_answered_slowly() {
        let mut b = PeakEwma::new(1.0);
        b.observe(0, 0.010, 0.0);
        b.observe(1, 0.500, 0.0);
        b.observe(2, 0.012, 0.0);
        assert_eq!(picks(&mut b, &servers(3), &[0; 4]), [0, 0, 0, 0]);
    }

    #[test]
    fn a_peak_is_taken_at_once_and_forgotten_slowly() {
        let mut b = PeakEwma::new(1.0);
        b.observe(0, 0.010, 0.0);
        b.observe(0, 1.000, 1.0);
        assert_eq!(b.cost[0], 1.0);
        b.observe(0, 0.010, 2.0);
        // One time constant later, the average keeps e^-1 of the peak.
        let expected = 1.0 * (-1.0f64).exp() + 0.010 * (1.0 - (-1.0f64).exp());
        assert!((b.cost[0] - expected).abs() < 1e-12);
    }
}
