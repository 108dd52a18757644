//! Least connections: the server with the fewest requests in flight (served or queued),
//! optionally per unit of weight.
//!
//! Ties are broken round robin (the scan starts one server later each time), as nginx
//! does; always taking the first would pile idle-time traffic onto server 0.

use super::{Balancer, Route};
use crate::rng::SimRng;

/// Least (weighted) connections.
#[derive(Debug)]
pub struct LeastConnections {
    weighted: bool,
    start: usize,
}

impl LeastConnections {
    /// Compares raw counts.
    pub fn unweighted() -> Self {
        Self {
            weighted: false,
            start: 0,
        }
    }

    /// Compares counts divided by weight (zero weight: never chosen if another is).
    pub fn weighted() -> Self {
        Self {
            weighted: true,
            start: 0,
        }
    }

    /// Whether server `a` is strictly less loaded than server `b`.
    fn less_loaded(&self, route: &Route, a: u32, b: u32) -> bool {
        let (sa, sb) = (&route.servers[a as usize], &route.servers[b as usize]);
        let (la, lb) = (sa.in_flight() as u64, sb.in_flight() as u64);
        if !self.weighted {
            return la < lb;
        }
        let (wa, wb) = (u64::from(sa.weight()), u64::from(sb.weight()));
        match (wa, wb) {
            (0, _) => false,
            (_, 0) => true,
            // la / wa < lb / wb without division.
            _ => la * wb < lb * wa,
        }
    }
}

impl Balancer for LeastConnections {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        let n = route.pool.len();
        let first = self.start % n;
        self.start = first + 1;
        let mut best = route.pool[first];
        for i in 1..n {
            let candidate = route.pool[(first + i) % n];
            if self.less_loaded(route, candidate, best) {
                best = candidate;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::{load, servers, weighted_servers};

    #[test]
    fn picks_the_least_loaded_and_rotates_ties() {
        let mut pool = servers(3);
        assert_eq!(
            picks(&mut LeastConnections::unweighted(), &pool, &[0; 4]),
            [0, 1, 2, 0]
        );
        load(&mut pool[0], 2);
        load(&mut pool[2], 1);
        assert_eq!(
            picks(&mut LeastConnections::unweighted(), &pool, &[0; 3]),
            [1, 1, 1]
        );
    }

    #[test]
    fn weighted_compares_load_per_unit_of_weight() {
        let mut pool = weighted_servers(&[3, 1]);
        load(&mut pool[0], 2); // 2/3 per weight
        load(&mut pool[1], 1); // 1/1 per weight
        assert_eq!(
            picks(&mut LeastConnections::weighted(), &pool, &[0; 2]),
            [0, 0]
        );
        assert_eq!(
            picks(&mut LeastConnections::unweighted(), &pool, &[0; 2]),
            [1, 1]
        );
    }
}
