//! Smooth weighted round robin, as nginx does it.
//!
//! Each pick, every server's running score grows by its weight; the highest score wins
//! and pays back the total weight. Over any window of (sum of weights) picks each
//! server gets exactly its weight's share, and the picks are interleaved rather than
//! bunched: weights 5, 1, 1 give a a b a c a a, not a a a a a b c.

use super::{Balancer, Route};
use crate::rng::SimRng;

/// Running scores, by server index.
#[derive(Debug, Default)]
pub struct SmoothWeighted {
    current: Vec<i64>,
}

impl Balancer for SmoothWeighted {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        if self.current.len() < route.servers.len() {
            self.current.resize(route.servers.len(), 0);
        }
        let mut total = 0;
        let mut best = route.pool[0];
        let mut best_score = i64::MIN;
        for &s in route.pool {
            let weight = i64::from(route.servers[s as usize].weight());
            total += weight;
            let score = &mut self.current[s as usize];
            *score += weight;
            if weight > 0 && *score > best_score {
                best = s;
                best_score = *score;
            }
        }
        self.current[best as usize] -= total;
        best
    }

    fn pool_changed(&mut self, _pool: &[u32], _servers: &[crate::server::Server]) {
        // nginx resets the scores when the set of peers changes.
        self.current.iter_mut().for_each(|s| *s = 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::weighted_servers;

    #[test]
    fn weights_5_1_1_pick_a_a_b_a_c_a_a() {
        let got = picks(
            &mut SmoothWeighted::default(),
            &weighted_servers(&[5, 1, 1]),
            &[0; 14],
        );
        assert_eq!(got, [0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0]);
    }

    #[test]
    fn weights_2_3_4_give_shares_2_3_4_ninths_in_every_cycle() {
        let got = picks(
            &mut SmoothWeighted::default(),
            &weighted_servers(&[2, 3, 4]),
            &[0; 90],
        );
        for cycle in got.chunks(9) {
            let count = |s| cycle.iter().filter(|&&p| p == s).count();
            assert_eq!((count(0), count(1), count(2)), (2, 3, 4));
        }
        // Interleaved, as lesson 2 says: servers 2, 1, 0, 2, 1, 2, 0, 1, 2.
        assert_eq!(got[..9], [2, 1, 0, 2, 1, 2, 0, 1, 2]);
    }

    #[test]
    fn a_zero_weight_server_is_never_picked() {
        let got = picks(
            &mut SmoothWeighted::default(),
            &weighted_servers(&[1, 0, 1]),
            &[0; 10],
        );
        assert!(!got.contains(&1));
    }
}
