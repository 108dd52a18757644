//! Random streams: one independent, seeded stream per component.
//!
//! Why one stream per component: if all components drew from one generator, adding a
//! server (which draws service times) would shift every later arrival time, and two
//! runs that differ in one knob could not be compared request for request.
//!
//! Why xoshiro256++ and not `rand::rngs::SmallRng`: `SmallRng` is a different
//! algorithm on 32-bit targets such as wasm32, so the page and the CLI would disagree.
//! For the same reason the model never samples a `usize` (its width differs too).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every component uses.
pub type SimRng = Xoshiro256PlusPlus;

/// Names a component's stream. Its numeric id, not its position in any list, seeds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Inter-arrival times of the open-loop source.
    Arrivals,
    /// Random choices of a load balancer.
    Balancer,
    /// Service times of one server, by its stable id.
    Server(u32),
    /// Random eviction of one cache, by its id (0 for the shared cache).
    Cache(u32),
    /// Keys, client addresses and the read/write mix of requests.
    Requests,
    /// Think times of closed-loop users.
    Users,
    /// I/O waits (cache and backend latencies).
    Io,
    /// Clients' retry backoff jitter.
    Retries,
    /// The database: network, query times, replication lag, errors.
    Database,
}

impl Stream {
    fn id(self) -> u64 {
        match self {
            Stream::Arrivals => 1,
            Stream::Balancer => 2,
            Stream::Server(id) => (1 << 32) | u64::from(id),
            Stream::Cache(id) => (2 << 32) | u64::from(id),
            Stream::Requests => 3,
            Stream::Users => 4,
            Stream::Io => 5,
            Stream::Retries => 6,
            Stream::Database => 7,
        }
    }
}

/// The stream of `component` for a run seeded with `seed`.
pub fn stream(seed: u64, component: Stream) -> SimRng {
    SimRng::seed_from_u64(splitmix64(seed ^ splitmix64(component.id())))
}

/// A uniform draw from `0..n` (`n` > 0), by Lemire's multiply-shift.
///
/// Its bias, at most n / 2^32, is far below anything a run could show; in exchange it
/// is one multiplication and the same on every platform.
pub fn below(rng: &mut SimRng, n: u32) -> u32 {
    ((u64::from(rng.next_u32()) * u64::from(n)) >> 32) as u32
}

/// A draw that is `true` with probability `p`.
pub fn chance(rng: &mut SimRng, p: f64) -> bool {
    unit_open_below(rng) <= p
}

/// A uniform draw in (0, 1]: never 0, so `ln(u)` is finite.
pub fn unit_open_below(rng: &mut SimRng) -> f64 {
    // 53 random bits, the precision of an f64 mantissa.
    let bits = rng.next_u64() >> 11;
    (bits + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// SplitMix64's finaliser: spreads nearby inputs (seed 1 vs 2, server 3 vs 4) far apart.
/// Also the hash of the hash-based balancers: fixed, so placements are reproducible.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_differ_by_component_and_by_seed() {
        let a = stream(7, Stream::Arrivals).next_u64();
        assert_ne!(a, stream(7, Stream::Server(0)).next_u64());
        assert_ne!(a, stream(8, Stream::Arrivals).next_u64());
        assert_eq!(a, stream(7, Stream::Arrivals).next_u64());
    }

    #[test]
    fn stream_values_are_pinned() {
        // Pinned so that a change of generator or seeding (which would change every
        // published result) is a deliberate decision, not an accident.
        assert_eq!(stream(42, Stream::Arrivals).next_u64(), PINNED_ARRIVALS_42);
    }

    const PINNED_ARRIVALS_42: u64 = 16_306_505_659_220_402_943;
}
