//! Random: a uniformly random server of the pool.
//!
//! Memoryless, so it splits a Poisson stream into independent Poisson streams: the
//! case where each server is exactly an M/M/c queue and theory applies per server.

use super::{Balancer, Route};
use crate::rng::{below, SimRng};

/// Stateless uniform choice.
#[derive(Debug, Default)]
pub struct RandomChoice;

impl Balancer for RandomChoice {
    fn pick(&mut self, route: &Route, rng: &mut SimRng) -> u32 {
        route.pool[below(rng, route.pool.len() as u32) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::servers;

    #[test]
    fn spreads_evenly() {
        let got = picks(&mut RandomChoice, &servers(4), &[0; 40_000]);
        for s in 0..4 {
            let share = got.iter().filter(|&&p| p == s).count();
            assert!((9_500..10_500).contains(&share), "server {s}: {share}");
        }
    }

    #[test]
    fn the_sequence_is_pinned_by_the_seed() {
        let got = picks(&mut RandomChoice, &servers(4), &[0; 12]);
        assert_eq!(got, PINNED);
    }

    /// Seed 1's balancer stream over 4 servers: a change of sampling is a decision.
    const PINNED: [u32; 12] = [1, 2, 2, 1, 0, 0, 2, 1, 1, 0, 0, 2];
}
