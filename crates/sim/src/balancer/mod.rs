//! Load balancers: each algorithm in its own file behind the [`Balancer`] trait.
//!
//! Adding a policy is adding a file: implement [`Balancer`], add a variant to
//! [`BalancerKind`] and a line to [`BalancerKind::build`].

mod consistent_hash;
mod ip_hash;
mod least_connections;
mod peak_ewma;
mod power_of_two;
mod random;
mod round_robin;
mod smooth_weighted;

pub use consistent_hash::ConsistentHash;
pub use ip_hash::IpHash;
pub use least_connections::LeastConnections;
pub use peak_ewma::PeakEwma;
pub use power_of_two::PowerOfTwo;
pub use random::RandomChoice;
pub use round_robin::RoundRobin;
pub use smooth_weighted::SmoothWeighted;

use crate::rng::SimRng;
use crate::server::Server;
use crate::tagged::need;
use crate::validate::{in_range, positive, Path, ScenarioError};
use serde::{Deserialize, Serialize};

/// What a balancer may look at to route one request.
pub struct Route<'a> {
    /// Indices (into `servers`) of the servers the balancer believes healthy and that
    /// take traffic, in increasing order. Never empty when `pick` is called.
    pub pool: &'a [u32],
    /// Every server, for load, weight and id.
    pub servers: &'a [Server],
    /// The request's client address.
    pub client_ip: u32,
    /// The request's key.
    pub key: u64,
}

impl Route<'_> {
    /// The value hash-based balancers hash.
    pub fn hashed(&self, on: HashOn) -> u64 {
        match on {
            HashOn::ClientIp => u64::from(self.client_ip),
            HashOn::Key => self.key,
        }
    }
}

/// Chooses a server for each request.
pub trait Balancer {
    /// The index in `route.servers` of the server that gets this request; it must be
    /// one of `route.pool`. `rng` is the balancer's own stream.
    fn pick(&mut self, route: &Route, rng: &mut SimRng) -> u32;

    /// The pool changed (a server added, removed, or marked up or down by the health
    /// check). Balancers with per-pool structure (a hash ring) rebuild it here.
    fn pool_changed(&mut self, _pool: &[u32], _servers: &[Server]) {}

    /// A response from `server` took `latency` seconds, observed at `now`.
    fn observe(&mut self, _server: u32, _latency: f64, _now: f64) {}
}

/// What hash-based balancers hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HashOn {
    /// The client's address: sticky sessions.
    ClientIp,
    /// The request's key: cache affinity.
    Key,
}

/// A [`BalancerKind`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BalancerKindFields {
    kind: Algorithm,
    virtual_nodes: Option<u32>,
    hash_on: Option<HashOn>,
    decay_seconds: Option<f64>,
}

/// The `kind` of a [`BalancerKind`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Algorithm {
    RoundRobin,
    Random,
    SmoothWeighted,
    LeastConnections,
    WeightedLeastConnections,
    IpHash,
    ConsistentHash,
    PowerOfTwoChoices,
    PeakEwma,
}

impl TryFrom<BalancerKindFields> for BalancerKind {
    type Error = String;
    fn try_from(f: BalancerKindFields) -> Result<Self, String> {
        Ok(match f.kind {
            Algorithm::RoundRobin => BalancerKind::RoundRobin,
            Algorithm::Random => BalancerKind::Random,
            Algorithm::SmoothWeighted => BalancerKind::SmoothWeighted,
            Algorithm::LeastConnections => BalancerKind::LeastConnections,
            Algorithm::WeightedLeastConnections => BalancerKind::WeightedLeastConnections,
            Algorithm::IpHash => BalancerKind::IpHash,
            Algorithm::ConsistentHash => BalancerKind::ConsistentHash {
                virtual_nodes: need(f.virtual_nodes, "virtual_nodes")?,
                hash_on: need(f.hash_on, "hash_on")?,
            },
            Algorithm::PowerOfTwoChoices => BalancerKind::PowerOfTwoChoices,
            Algorithm::PeakEwma => BalancerKind::PeakEwma {
                decay_seconds: need(f.decay_seconds, "decay_seconds")?,
            },
        })
    }
}

/// The balancing algorithms a scenario can name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    try_from = "BalancerKindFields"
)]
pub enum BalancerKind {
    /// Each server in turn.
    RoundRobin,
    /// A uniformly random server.
    Random,
    /// nginx's smooth weighted round robin over the servers' weights.
    SmoothWeighted,
    /// The server with the fewest requests in flight.
    LeastConnections,
    /// The fewest requests in flight per unit of weight.
    WeightedLeastConnections,
    /// hash(client address) modulo the number of healthy servers.
    IpHash,
    /// A hash ring with virtual nodes: a server's departure moves only its share.
    ConsistentHash {
        /// Points on the ring per server.
        virtual_nodes: u32,
        /// What is hashed.
        hash_on: HashOn,
    },
    /// Two random servers; the less loaded one.
    PowerOfTwoChoices,
    /// Lowest (peak-sensitive moving average latency) × (requests in flight + 1).
    PeakEwma {
        /// Time constant of the average, in seconds.
        decay_seconds: f64,
    },
}

impl BalancerKind {
    /// Checks the algorithm's parameters; `path` names this section in errors
    /// (`balancer`). Every variant is listed, so a new one with parameters cannot
    /// skip its checks by accident.
    pub fn validate(&self, path: Path) -> Result<(), ScenarioError> {
        match *self {
            BalancerKind::ConsistentHash { virtual_nodes, .. } => {
                in_range(path.field("virtual_nodes"), virtual_nodes, 1, 10_000)
            }
            BalancerKind::PeakEwma { decay_seconds } => {
                positive(path.field("decay_seconds"), decay_seconds)
            }
            BalancerKind::RoundRobin
            | BalancerKind::Random
            | BalancerKind::SmoothWeighted
            | BalancerKind::LeastConnections
            | BalancerKind::WeightedLeastConnections
            | BalancerKind::IpHash
            | BalancerKind::PowerOfTwoChoices => Ok(()),
        }
    }

    /// A fresh balancer of this kind.
    pub fn build(&self) -> Box<dyn Balancer> {
        match *self {
            BalancerKind::RoundRobin => Box::<RoundRobin>::default(),
            BalancerKind::Random => Box::new(RandomChoice),
            BalancerKind::SmoothWeighted => Box::<SmoothWeighted>::default(),
            BalancerKind::LeastConnections => Box::new(LeastConnections::unweighted()),
            BalancerKind::WeightedLeastConnections => Box::new(LeastConnections::weighted()),
            BalancerKind::IpHash => Box::new(IpHash),
            BalancerKind::ConsistentHash {
                virtual_nodes,
                hash_on,
            } => Box::new(ConsistentHash::new(virtual_nodes, hash_on)),
            BalancerKind::PowerOfTwoChoices => Box::new(PowerOfTwo),
            BalancerKind::PeakEwma { decay_seconds } => Box::new(PeakEwma::new(decay_seconds)),
        }
    }

    /// Every algorithm with its default parameters, in menu order.
    pub fn with_defaults() -> [BalancerKind; 9] {
        [
            BalancerKind::RoundRobin,
            BalancerKind::Random,
            BalancerKind::SmoothWeighted,
            BalancerKind::LeastConnections,
            BalancerKind::WeightedLeastConnections,
            BalancerKind::IpHash,
            BalancerKind::ConsistentHash {
                virtual_nodes: 100,
                hash_on: HashOn::Key,
            },
            BalancerKind::PowerOfTwoChoices,
            BalancerKind::PeakEwma { decay_seconds: 1.0 },
        ]
    }

    /// The `kind` name used in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            BalancerKind::RoundRobin => "round_robin",
            BalancerKind::Random => "random",
            BalancerKind::SmoothWeighted => "smooth_weighted",
            BalancerKind::LeastConnections => "least_connections",
            BalancerKind::WeightedLeastConnections => "weighted_least_connections",
            BalancerKind::IpHash => "ip_hash",
            BalancerKind::ConsistentHash { .. } => "consistent_hash",
            BalancerKind::PowerOfTwoChoices => "power_of_two_choices",
            BalancerKind::PeakEwma { .. } => "peak_ewma",
        }
    }

    /// The algorithm named `name`, with default parameters.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::with_defaults().into_iter().find(|k| k.name() == name)
    }

    /// A short human name, for chart labels.
    pub fn label(&self) -> &'static str {
        match self {
            BalancerKind::RoundRobin => "round robin",
            BalancerKind::Random => "random",
            BalancerKind::SmoothWeighted => "smooth weighted round robin",
            BalancerKind::LeastConnections => "least connections",
            BalancerKind::WeightedLeastConnections => "weighted least connections",
            BalancerKind::IpHash => "IP hash",
            BalancerKind::ConsistentHash { .. } => "consistent hashing",
            BalancerKind::PowerOfTwoChoices => "power of two choices",
            BalancerKind::PeakEwma { .. } => "peak EWMA",
        }
    }

    /// Whether routing needs the request's key or client address drawn.
    pub fn hashes(&self) -> Option<HashOn> {
        match *self {
            BalancerKind::IpHash => Some(HashOn::ClientIp),
            BalancerKind::ConsistentHash { hash_on, .. } => Some(hash_on),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rng::{stream, Stream};
    use crate::test_support::servers;

    /// Picks `n` times from a pool of all `servers` for requests with the given keys.
    pub fn picks(b: &mut dyn Balancer, servers: &[Server], ips: &[u32]) -> Vec<u32> {
        let pool: Vec<u32> = (0..servers.len() as u32).collect();
        b.pool_changed(&pool, servers);
        let mut rng = stream(1, Stream::Balancer);
        ips.iter()
            .map(|&ip| {
                let route = Route {
                    pool: &pool,
                    servers,
                    client_ip: ip,
                    key: u64::from(ip),
                };
                b.pick(&route, &mut rng)
            })
            .collect()
    }

    #[test]
    fn names_match_the_scenario_format_and_round_trip() {
        for kind in BalancerKind::with_defaults() {
            assert_eq!(BalancerKind::from_name(kind.name()), Some(kind.clone()));
            let json = serde_json::to_value(&kind).unwrap();
            assert_eq!(json["kind"], kind.name());
        }
    }

    #[test]
    fn every_kind_picks_from_the_pool_only() {
        let kinds = BalancerKind::with_defaults();
        let all = servers(6);
        let pool = [1u32, 3, 4];
        let mut rng = stream(3, Stream::Balancer);
        for kind in kinds {
            let mut b = kind.build();
            b.pool_changed(&pool, &all);
            for ip in 0..200 {
                let route = Route {
                    pool: &pool,
                    servers: &all,
                    client_ip: ip,
                    key: u64::from(ip) * 7,
                };
                let chosen = b.pick(&route, &mut rng);
                assert!(pool.contains(&chosen), "{kind:?} chose {chosen}");
            }
        }
    }
}
