//! Loadlab's simulation core: a deterministic discrete-event model of clients, a load
//! balancer, a pool of servers, a cache and the backend behind it.
//!
//! No web dependency: the same code runs in the `loadlab` CLI and, compiled to
//! WebAssembly, under the playground page. A scenario and its seed determine a run
//! bit for bit on every platform (see `rng` and `dist` for how).

pub mod alias;
pub mod balancer;
pub mod cache;
pub mod challenges;
pub mod compare;
pub mod cost;
pub mod curve;
pub mod curves;
pub mod db;
pub mod dist;
pub mod engine;
pub mod event;
pub mod json_path;
pub mod lessons;
pub mod live_theory;
pub mod metrics;
pub mod patch;
pub mod problem;
pub mod protection;
pub mod replay;
pub mod rng;
pub mod scenario;
pub mod server;
pub mod share;
pub mod summary;
pub mod sweep;
pub mod tagged;
pub mod theory;
pub mod timeseries;
pub mod trace;
pub mod traffic;
pub mod validate;
pub mod workshop;
pub mod ziggurat;
pub mod zipf;

pub use engine::{
    Change, ChangeMark, Journey, LiveRequest, Mark, Part, Phase, Refusals, Segment, Simulation,
    Stage, Topology,
};
pub use problem::Problem;
pub use scenario::{Scenario, SCENARIO_VERSION};
pub use summary::Summary;
pub use validate::ScenarioError;

/// Index of a request in the engine's request table.
pub type RequestId = u32;

#[cfg(test)]
pub(crate) mod test_support {
    use crate::dist::Distribution;
    use crate::server::{IoMode, Server, ServerSpec};

    /// A server spec with `workers` workers and cores, constant 1 s of compute, no queue.
    pub fn spec(workers: u32) -> ServerSpec {
        ServerSpec {
            workers,
            cores: workers,
            queue_capacity: Some(0),
            service: Distribution::Constant { seconds: 1.0 },
            switch_overhead: 0.0,
            io: IoMode::Sync,
            speed: 1.0,
            weight: 1,
        }
    }

    /// `n` idle servers with one worker each.
    pub fn servers(n: u32) -> Vec<Server> {
        weighted_servers(&vec![1; n as usize])
    }

    /// Idle servers with these weights and plenty of workers.
    pub fn weighted_servers(weights: &[u32]) -> Vec<Server> {
        (0..weights.len() as u32)
            .map(|id| {
                let s = ServerSpec {
                    weight: weights[id as usize],
                    queue_capacity: None,
                    ..spec(1)
                };
                Server::new(id, 1, s, 0.0)
            })
            .collect()
    }

    /// Puts `n` requests into `server`, so balancers see it loaded.
    pub fn load(server: &mut Server, n: u32) {
        for id in 0..n {
            server.offer(0.0, id);
        }
    }
}
