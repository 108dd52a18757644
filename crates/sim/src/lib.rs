//! Loadlab's simulation core: a deterministic discrete-event model of clients, a load
//! balancer and a pool of servers.
//!
//! No web dependency: the same code runs in the `loadlab` CLI and, compiled to
//! WebAssembly, under the playground page. A scenario and its seed determine a run
//! bit for bit on every platform (see `rng` and `dist` for how).

pub mod balancer;
pub mod dist;
pub mod engine;
pub mod event;
pub mod metrics;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod summary;

pub use engine::{Change, ChangeMark, Simulation};
pub use scenario::{Scenario, ScenarioError, SCENARIO_VERSION};
pub use summary::Summary;

/// Index of a request in the engine's request table.
pub type RequestId = u32;

#[cfg(test)]
pub(crate) mod test_support {
    use crate::dist::ServiceTime;
    use crate::server::Server;

    /// `n` idle servers with one worker each.
    pub fn servers(n: u32) -> Vec<Server> {
        (0..n)
            .map(|id| Server::new(id, 1, 1, 0, ServiceTime::Constant { seconds: 1.0 }))
            .collect()
    }
}
