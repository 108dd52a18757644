//! Round robin: each server of the pool in turn, whatever its load.
//!
//! The simplest fair spread when servers are equal; it ignores how busy each one is,
//! which is exactly what the least-connections lesson contrasts it with.

use super::{Balancer, Route};
use crate::rng::SimRng;

/// Remembers only whose turn is next.
#[derive(Debug, Default)]
pub struct RoundRobin {
    next: usize,
}

impl Balancer for RoundRobin {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        // Modulo the current pool size, so a pool that shrinks stays valid.
        let at = self.next % route.pool.len();
        self.next = at + 1;
        route.pool[at]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::servers;

    #[test]
    fn cycles_through_every_server_in_order() {
        let got = picks(&mut RoundRobin::default(), &servers(3), &[0; 7]);
        assert_eq!(got, [0, 1, 2, 0, 1, 2, 0]);
    }
}
