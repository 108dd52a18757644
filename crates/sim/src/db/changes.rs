//! What happens to the database as a whole: it crashes and recovers, loses an app
//! server, takes new settings (a new shard or replica count builds new nodes).

use super::pool::Pool;
use super::query::{Owner, State};
use super::{Database, Db, Effect, Failure, Node, QueryResult, Role};

impl Db {
    /// The database goes down: every query on a node or waiting for a lock fails; queries
    /// on their way fail when they arrive. Consumers stop.
    pub fn crash(&mut self, now: f64, fx: &mut Vec<Effect>) {
        self.up = false;
        for node in &mut self.nodes {
            node.crash();
        }
        self.locks.clear();
        for q in self.queries.ids() {
            let query = &mut self.queries[q];
            query.holds_lock = false;
            if matches!(
                query.state,
                State::LockWait | State::Queued | State::Executing
            ) {
                self.stats.errors += 1;
                self.finish(q, QueryResult::Failed(Failure::Error), now, fx);
            }
        }
    }

    /// The database is back: consumers resume.
    pub fn recover(&mut self, now: f64, fx: &mut Vec<Effect>) {
        self.up = true;
        self.start_consumers(now, fx);
    }

    /// App server `server` died: its waiting queries vanish, its running ones run on
    /// unheard, and it gets a fresh pool if it comes back.
    pub fn server_lost(&mut self, now: f64, server: u32) {
        for q in self.queries.ids() {
            let query = &mut self.queries[q];
            let mine = matches!(query.owner, Owner::Request { server: s, .. } if s == server);
            if !mine || query.state == State::Free {
                continue;
            }
            if query.state == State::PoolWait {
                self.queries.release(q, now);
            } else {
                query.owner = Owner::Orphan;
            }
        }
        if let Some(pool) = self.pools.get_mut(server as usize) {
            *pool = Pool::default();
        }
    }

    /// Takes new settings live. A new shard or replica count builds new nodes (the old
    /// ones finish what they hold); more concurrency, connections or consumers start
    /// waiting work at once.
    pub fn reconfigure(
        &mut self,
        config: Database,
        key_space: u64,
        now: f64,
        fx: &mut Vec<Effect>,
    ) {
        let relayout =
            config.shards != self.config.shards || config.replicas != self.config.replicas;
        if let Some(queue) = config.write_queue {
            self.consumers = queue.consumers;
        }
        self.config = config;
        self.key_space = key_space;
        if relayout {
            for node in &mut self.nodes {
                node.retire();
            }
            self.build_layout();
        }
        for n in 0..self.nodes.len() {
            while let Some(q) = self.nodes[n].start_queued(self.config.node_concurrency) {
                self.execute(q, now, fx);
            }
        }
        for server in 0..self.pools.len() as u32 {
            self.grant_waiting(server, now, fx);
        }
        self.start_consumers(now, fx);
    }

    /// Builds the nodes of the current settings. A retired node with nothing left to do
    /// gives its slot to a new node (only queries queued or running on a node refer to
    /// it), so the node table stays as small as the layouts in use, however many changes.
    pub(super) fn build_layout(&mut self) {
        let (shards, replicas) = (self.config.shards, self.config.replicas);
        let mut idle: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&n| {
                let node = &self.nodes[n as usize];
                node.is_retired() && node.executing() == 0 && node.queued() == 0
            })
            .rev()
            .collect();
        self.layout.clear();
        for shard in 0..shards {
            let roles = std::iter::once(Role::Primary).chain((0..replicas).map(Role::Replica));
            for role in roles {
                self.next_node_id += 1;
                let node = Node::new(self.next_node_id, shard, role);
                let slot = match idle.pop() {
                    Some(slot) => {
                        self.nodes[slot as usize] = node;
                        slot
                    }
                    None => {
                        self.nodes.push(node);
                        (self.nodes.len() - 1) as u32
                    }
                };
                self.layout.push(slot);
            }
        }
        self.next_replica = vec![0; shards as usize];
        self.position = vec![None; self.nodes.len()];
        for (place, &slot) in self.layout.iter().enumerate() {
            self.position[slot as usize] = Some(place as u32);
        }
    }
}
