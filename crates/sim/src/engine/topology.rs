//! The system's shape as the stage lays it out: its parts, in tiers from the clients to
//! the database, and the edges requests travel. The page draws from this description,
//! not from its own knowledge of the model, so one to 256 servers, shards and replicas
//! (and a later tier) lay out without a redesign.

use super::Simulation;
use crate::cache::Placement;
use crate::db::Role;
use crate::server::Lifecycle;

/// A part of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Where requests come from.
    Clients,
    /// The rate limiter in front of the balancer.
    Limiter,
    /// The load balancer.
    Balancer,
    /// A server (not retired), by its index in `Simulation::servers`.
    Server(u32),
    /// The shared cache (local caches are inside their servers).
    Cache,
    /// The write queue in front of the database's primaries.
    WriteQueue,
    /// The database as a whole: the frame around its nodes.
    Database,
    /// A database node, by its place in `Db::nodes`, with its shard and role.
    DbNode {
        /// Its place in `Db::nodes`.
        position: usize,
        /// Its shard.
        shard: u32,
        /// Primary or replica.
        role: Role,
    },
}

impl Part {
    /// Its tier, from the clients (0) to the database (5): the stage's columns.
    pub fn tier(self) -> u8 {
        match self {
            Part::Clients => 0,
            Part::Limiter => 1,
            Part::Balancer => 2,
            Part::Server(_) => 3,
            Part::Cache | Part::WriteQueue => 4,
            Part::Database | Part::DbNode { .. } => 5,
        }
    }
}

/// The parts and the edges between them (indices into `parts`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    /// Every part, tier by tier.
    pub parts: Vec<Part>,
    /// Who sends requests to whom.
    pub edges: Vec<(usize, usize)>,
    /// Each server keeps its own cache.
    pub local_caches: bool,
    /// Servers hold a connection pool to the database.
    pub pools: bool,
}

impl Topology {
    /// Where `part` is in `parts`.
    pub fn index_of(&self, part: Part) -> Option<usize> {
        self.parts.iter().position(|&p| p == part)
    }

    fn add(&mut self, part: Part) -> usize {
        self.parts.push(part);
        self.parts.len() - 1
    }
}

impl Simulation {
    /// The system's shape now: what the stage lays out.
    pub fn topology(&self) -> Topology {
        let s = &self.scenario;
        let mut t = Topology {
            local_caches: s
                .cache
                .as_ref()
                .is_some_and(|c| c.placement == Placement::Local),
            pools: s.database.is_some(),
            ..Topology::default()
        };
        let clients = t.add(Part::Clients);
        let mut front = clients;
        if s.protection.rate_limit.is_some() {
            let limiter = t.add(Part::Limiter);
            t.edges.push((front, limiter));
            front = limiter;
        }
        let balancer = t.add(Part::Balancer);
        t.edges.push((front, balancer));
        let servers: Vec<usize> = (self.servers.iter().enumerate())
            .filter(|(_, server)| server.lifecycle() != Lifecycle::Retired)
            .map(|(i, _)| t.add(Part::Server(i as u32)))
            .collect();
        t.edges
            .extend(servers.iter().map(|&server| (balancer, server)));
        let shared = s
            .cache
            .as_ref()
            .is_some_and(|c| c.placement == Placement::Shared);
        let cache = shared.then(|| t.add(Part::Cache));
        let queue = (s.database.as_ref())
            .is_some_and(|d| d.write_queue.is_some())
            .then(|| t.add(Part::WriteQueue));
        let database = self.db.as_ref().filter(|_| s.database.is_some()).map(|db| {
            let frame = t.add(Part::Database);
            for (position, node) in db.nodes().enumerate() {
                t.add(Part::DbNode {
                    position,
                    shard: node.shard(),
                    role: node.role(),
                });
            }
            frame
        });
        for &server in &servers {
            for target in [cache, queue, database].into_iter().flatten() {
                t.edges.push((server, target));
            }
        }
        for source in [cache, queue].into_iter().flatten() {
            if let Some(db) = database {
                t.edges.push((source, db));
            }
        }
        t
    }
}
