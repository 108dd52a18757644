//! Round robin: server 0, 1, …, N-1, then 0 again, whatever their load.
//!
//! The simplest fair spread when servers are equal; it ignores how busy each one is,
//! which is exactly what the least-connections lesson contrasts it with.

use super::Balancer;
use crate::server::Server;

/// Remembers only whose turn is next.
#[derive(Debug, Default)]
pub struct RoundRobin {
    next: usize,
}

impl Balancer for RoundRobin {
    fn pick(&mut self, servers: &[Server]) -> usize {
        // Taken modulo the current count, so removing servers while running stays valid.
        let chosen = self.next % servers.len();
        self.next = chosen + 1;
        chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::servers;

    #[test]
    fn cycles_through_every_server_in_order() {
        let pool = servers(3);
        let mut rr = RoundRobin::default();
        let picks: Vec<usize> = (0..7).map(|_| rr.pick(&pool)).collect();
        assert_eq!(picks, [0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn stays_in_range_when_the_pool_shrinks() {
        let mut rr = RoundRobin::default();
        let big = servers(5);
        for _ in 0..4 {
            rr.pick(&big);
        }
        let small = servers(2);
        assert_eq!(rr.pick(&small), 0);
        assert_eq!(rr.pick(&small), 1);
    }
}
