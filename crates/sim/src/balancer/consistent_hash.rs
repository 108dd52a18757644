//! Consistent hashing: servers own arcs of a hash ring, through many virtual nodes each.
//!
//! A request goes to the first virtual node clockwise from its hash. When one of N
//! servers leaves, only the keys on its arcs move (about 1/N of them), so other
//! servers' local caches stay warm.

use super::{Balancer, HashOn, Route};
use crate::rng::{splitmix64, SimRng};
use crate::server::Server;

/// A ring of (point, server index), sorted by point.
#[derive(Debug)]
pub struct ConsistentHash {
    virtual_nodes: u32,
    hash_on: HashOn,
    ring: Vec<(u64, u32)>,
}

impl ConsistentHash {
    /// An empty ring; built on the first `pool_changed`.
    pub fn new(virtual_nodes: u32, hash_on: HashOn) -> Self {
        Self {
            virtual_nodes: virtual_nodes.max(1),
            hash_on,
            ring: Vec::new(),
        }
    }

    fn build(&mut self, pool: &[u32], servers: &[Server]) {
        self.ring.clear();
        for &s in pool {
            // Points come from the server's stable id, not its place in the pool, so
            // a server keeps its arcs when others come and go.
            let id = u64::from(servers[s as usize].id());
            for v in 0..self.virtual_nodes {
                self.ring.push((splitmix64((id << 32) | u64::from(v)), s));
            }
        }
        self.ring.sort_unstable();
    }
}

impl Balancer for ConsistentHash {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        if self.ring.is_empty() {
            self.build(route.pool, route.servers);
        }
        let hash = splitmix64(route.hashed(self.hash_on) ^ 0x5bd1_e995);
        let at = self.ring.partition_point(|&(point, _)| point < hash);
        self.ring[at % self.ring.len()].1
    }

    fn pool_changed(&mut self, pool: &[u32], servers: &[Server]) {
        self.build(pool, servers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::servers;

    fn placements(pool: &[u32], keys: &[u32]) -> Vec<u32> {
        let all = servers(11);
        let mut ring = ConsistentHash::new(160, HashOn::Key);
        ring.pool_changed(pool, &all);
        let mut rng = crate::rng::stream(1, crate::rng::Stream::Balancer);
        keys.iter()
            .map(|&k| {
                let route = Route {
                    pool,
                    servers: &all,
                    client_ip: 0,
                    key: u64::from(k),
                };
                ring.pick(&route, &mut rng)
            })
            .collect()
    }

    #[test]
    fn removing_one_of_ten_servers_moves_about_a_tenth_of_the_keys() {
        let keys: Vec<u32> = (0..100_000).collect();
        let ten: Vec<u32> = (0..10).collect();
        let nine: Vec<u32> = (0..10).filter(|&s| s != 3).collect();
        let before = placements(&ten, &keys);
        let after = placements(&nine, &keys);
        let moved: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
        let share = moved.len() as f64 / keys.len() as f64;
        assert!((0.07..0.13).contains(&share), "moved {share}");
        // Only the departed server's keys move.
        assert!(moved.iter().all(|(a, _)| **a == 3));
    }

    #[test]
    fn adding_an_eleventh_server_moves_about_an_eleventh() {
        let keys: Vec<u32> = (0..100_000).collect();
        let ten: Vec<u32> = (0..10).collect();
        let eleven: Vec<u32> = (0..11).collect();
        let before = placements(&ten, &keys);
        let after = placements(&eleven, &keys);
        let moved: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
        let share = moved.len() as f64 / keys.len() as f64;
        assert!((0.06..0.12).contains(&share), "moved {share}");
        assert!(moved.iter().all(|(_, b)| **b == 10));
    }

    #[test]
    fn load_is_spread_within_reason() {
        let keys: Vec<u32> = (0..10).collect();
        let got = picks(
            &mut ConsistentHash::new(160, HashOn::Key),
            &servers(4),
            &(0..40_000).collect::<Vec<_>>(),
        );
        for s in 0..4 {
            let share = got.iter().filter(|&&p| p == s).count() as f64 / 40_000.0;
            assert!((0.18..0.32).contains(&share), "server {s}: {share}");
        }
        assert_eq!(
            placements(&[0, 1, 2, 3], &keys),
            placements(&[0, 1, 2, 3], &keys)
        );
    }
}
