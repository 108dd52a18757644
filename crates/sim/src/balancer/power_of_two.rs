//! Power of two choices: sample two distinct servers, send to the less loaded.
//!
//! Two random samples are almost as good as scanning every server (the maximum load
//! drops from log n / log log n to log log n), at a constant cost and without the herd
//! behaviour of everyone picking the same "least loaded" server.

use super::{Balancer, Route};
use crate::rng::{below, SimRng};

/// Two random choices, the less loaded wins (the first drawn on a tie).
#[derive(Debug, Default)]
pub struct PowerOfTwo;

impl Balancer for PowerOfTwo {
    fn pick(&mut self, route: &Route, rng: &mut SimRng) -> u32 {
        let n = route.pool.len() as u32;
        if n == 1 {
            return route.pool[0];
        }
        let a = below(rng, n);
        let mut b = below(rng, n - 1);
        if b >= a {
            b += 1;
        }
        let (a, b) = (route.pool[a as usize], route.pool[b as usize]);
        let load = |s: u32| route.servers[s as usize].in_flight();
        if load(b) < load(a) {
            b
        } else {
            a
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::{load, servers};

    #[test]
    fn never_picks_the_most_loaded_of_two() {
        let mut pool = servers(2);
        load(&mut pool[1], 3);
        assert_eq!(picks(&mut PowerOfTwo, &pool, &[0; 20]), [0; 20]);
    }

    #[test]
    fn the_sequence_on_fixed_loads_is_pinned() {
        let mut pool = servers(4);
        load(&mut pool[0], 3);
        load(&mut pool[1], 1);
        load(&mut pool[2], 2);
        assert_eq!(picks(&mut PowerOfTwo, &pool, &[0; 12]), PINNED);
    }

    /// Seed 1's stream, loads 3, 1, 2, 0: server 3 wins whenever drawn, 0 never.
    const PINNED: [u32; 12] = [1, 2, 1, 1, 1, 2, 3, 1, 1, 1, 1, 3];

    #[test]
    fn with_three_servers_the_busiest_is_never_chosen() {
        let mut pool = servers(3);
        load(&mut pool[0], 1);
        load(&mut pool[2], 5);
        let got = picks(&mut PowerOfTwo, &pool, &[0; 300]);
        assert!(!got.contains(&2));
        assert!(got.contains(&0) && got.contains(&1));
    }
}
