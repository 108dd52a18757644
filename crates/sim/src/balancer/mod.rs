//! Load balancers: each algorithm in its own file behind the [`Balancer`] trait.
//!
//! Adding a policy is adding a file: implement [`Balancer`], add a variant to
//! [`BalancerKind`] and a line to [`BalancerKind::build`].

mod round_robin;

pub use round_robin::RoundRobin;

use crate::server::Server;
use serde::{Deserialize, Serialize};

/// Chooses a server for each request.
pub trait Balancer {
    /// The index in `servers` of the server that gets the next request.
    /// `servers` is never empty.
    fn pick(&mut self, servers: &[Server]) -> usize;
}

/// The balancing algorithms a scenario can name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BalancerKind {
    /// Each server in turn.
    RoundRobin,
}

impl BalancerKind {
    /// A fresh balancer of this kind.
    pub fn build(&self) -> Box<dyn Balancer> {
        match self {
            BalancerKind::RoundRobin => Box::new(RoundRobin::default()),
        }
    }

    /// A short human name, for chart labels.
    pub fn label(&self) -> &'static str {
        match self {
            BalancerKind::RoundRobin => "round robin",
        }
    }
}
