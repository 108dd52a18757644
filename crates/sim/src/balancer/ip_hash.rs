//! Source-IP hash: hash(client address) modulo the number of healthy servers.
//!
//! A client sticks to one server (its session, its local cache) while the pool is
//! stable. When a server dies, N changes and almost every client moves: the contrast
//! with consistent hashing.

use super::{Balancer, HashOn, Route};
use crate::rng::{splitmix64, SimRng};

/// Stateless modulo hashing of the client address.
#[derive(Debug, Default)]
pub struct IpHash;

impl Balancer for IpHash {
    fn pick(&mut self, route: &Route, _rng: &mut SimRng) -> u32 {
        let hash = splitmix64(route.hashed(HashOn::ClientIp));
        route.pool[(hash % route.pool.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::balancer::tests::picks;
    use crate::test_support::servers;

    #[test]
    fn a_client_always_lands_on_the_same_server() {
        let ips: Vec<u32> = (0..100).flat_map(|ip| [ip, ip]).collect();
        let got = picks(&mut IpHash, &servers(5), &ips);
        assert!(got.chunks(2).all(|pair| pair[0] == pair[1]));
        assert_eq!(got[..6], [got[0], got[0], got[2], got[2], got[4], got[4]]);
    }

    #[test]
    fn losing_one_of_five_servers_moves_most_clients() {
        let ips: Vec<u32> = (0..10_000).collect();
        let before = picks(&mut IpHash, &servers(5), &ips);
        let after = picks(&mut IpHash, &servers(4), &ips);
        let moved = before.iter().zip(&after).filter(|(a, b)| a != b).count();
        // Modulo hashing keeps a client only if hash % 5 == hash % 4: about 1 in 5.
        assert!(moved > 7_000, "{moved}");
    }
}
