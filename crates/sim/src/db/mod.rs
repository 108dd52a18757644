//! The database: shards, each a primary with read replicas; a connection pool per app
//! server; row locks; replication lag; an optional write queue with consumers.
//!
//! The engine owns the event list, so the database never schedules anything itself:
//! each call appends [`Effect`]s (an event to schedule, or a query's result for a
//! request) to a buffer the engine then carries out. A query's life:
//!
//! pool (wait for a connection) → network → row lock (pessimistic writes) → node queue
//! → execute (processing + disk, or a scan) → commit or read → result.
//!
//! Every event carries its query slot's generation: a slot reused by a later query
//! makes earlier events for it void. (A `u32` generation per slot, not a global serial
//! number, keeps the engine's events at 16 bytes; measured, docs/performance.md.)

mod changes;
mod config;
mod locks;
mod node;
mod pool;
mod query;
mod shard;
mod stats;
mod versions;
mod write_queue;

pub use config::{Database, Locking, QueueOrder, Sharding, WriteQueueConfig};
pub use node::{Node, Role};
pub use query::{DbStage, QueryId, QueryTiming, QueryView, Ticket};
pub use stats::{DbSnapshot, DbStats, DbWindow, NodeWindow};

use crate::cache::Key;
use crate::rng::{chance, SimRng};
use crate::RequestId;
use locks::LockTable;
use pool::Pool;
use query::{Owner, Queries, Query, State};
use stats::NodeCount;
use versions::Versions;
use write_queue::{Message, WriteQueue};

/// Something the database needs the engine to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// Call [`Db::handle`] with this event at this time.
    Schedule(f64, DbEvent),
    /// A request's query is over.
    Answered {
        /// The request.
        request: RequestId,
        /// Its attempt, so a reused request slot is not mistaken for it.
        attempt_id: u64,
        /// How it ended.
        result: QueryResult,
        /// Where its time went (for a followed request's waterfall).
        timing: QueryTiming,
    },
}

/// A database event, scheduled through the engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DbEvent {
    /// The query reaches its node (after the network).
    Arrive { query: QueryId, generation: u32 },
    /// The query's execution ends.
    Done { query: QueryId, generation: u32 },
    /// The query gives up waiting for a connection.
    PoolTimeout { query: QueryId, generation: u32 },
}

/// How a query ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryResult {
    /// Read or committed; `version` is the row's version it saw or wrote; `stale`: a
    /// read older than the primary's version (a lagging replica).
    Ok { version: u64, stale: bool },
    /// It failed.
    Failed(Failure),
}

/// Why a query failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// An error at the error rate, or the database was down.
    Error,
    /// No connection came in time.
    PoolTimeout,
    /// Optimistic locking: the row kept changing, retries exhausted.
    Conflict,
}

/// The running database.
pub struct Db {
    config: Database,
    key_space: u64,
    nodes: Vec<Node>,
    /// Node index of shard `s`'s primary (then its replicas), at `s × nodes per shard`.
    layout: Vec<u32>,
    /// The inverse: each node's place in `layout`, if it has one (a retired node has none).
    position: Vec<Option<u32>>,
    /// Next replica to read from, per shard (round robin).
    next_replica: Vec<u32>,
    pools: Vec<Pool>,
    queries: Queries,
    versions: Versions,
    locks: LockTable,
    queue: WriteQueue,
    busy_consumers: u32,
    /// Ids handed to nodes so far (a reused slot gets a new id).
    next_node_id: u32,
    /// Consumers draining the queue: those of the last settings that had a queue, so
    /// writes already queued are still written after the queue is switched off.
    consumers: u32,
    /// When the queue's depth integral was last brought up to date.
    queue_since: f64,
    rng: SimRng,
    up: bool,
    stats: DbStats,
}

impl Db {
    /// An idle database; keys run from 0 to `key_space` − 1 (range sharding needs it).
    pub fn new(config: Database, key_space: u64, rng: SimRng) -> Self {
        let mut db = Self {
            consumers: config.write_queue.map_or(0, |q| q.consumers),
            config,
            key_space,
            nodes: Vec::new(),
            layout: Vec::new(),
            position: Vec::new(),
            next_replica: Vec::new(),
            pools: Vec::new(),
            queries: Queries::default(),
            versions: Versions::default(),
            locks: LockTable::default(),
            queue: WriteQueue::default(),
            busy_consumers: 0,
            next_node_id: 0,
            queue_since: 0.0,
            rng,
            up: true,
            stats: DbStats::default(),
        };
        db.build_layout();
        db
    }

    /// Sends a request's query from app server `server`, after `delay` (its cache
    /// lookup); returns the query's id, by which [`Db::query`] shows where it is.
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &mut self,
        now: f64,
        delay: f64,
        server: u32,
        (request, attempt_id): (RequestId, u64),
        key: Key,
        write: bool,
        fx: &mut Vec<Effect>,
    ) -> QueryId {
        let owner = Owner::Request {
            request,
            attempt_id,
            server,
        };
        let q = self.queries.allocate(owner, key, write, now);
        if self.pools.len() <= server as usize {
            self.pools.resize(server as usize + 1, Pool::default());
        }
        if self.pools[server as usize].try_acquire(self.config.pool_size) {
            self.travel(q, now, now + delay, fx);
            return q;
        }
        let generation = self.queries[q].generation;
        self.pools[server as usize].wait((q, generation));
        self.stats.pool_waits += 1;
        if let Some(timeout) = self.config.pool_timeout_seconds {
            fx.push(Effect::Schedule(
                now + timeout,
                DbEvent::PoolTimeout {
                    query: q,
                    generation,
                },
            ));
        }
        q
    }

    /// Puts a write on the write queue (the app server answers at once).
    /// A write planned for the queue is queued even if the queue was switched off in the
    /// meantime: the consumers still drain it (see `consumers`), so no write is lost.
    pub fn enqueue_write(&mut self, now: f64, key: Key, fx: &mut Vec<Effect>) {
        let (order, urgent_share) = self
            .config
            .write_queue
            .map_or((QueueOrder::Fifo, 0.0), |q| (q.order, q.urgent_share));
        let urgent = urgent_share > 0.0 && chance(&mut self.rng, urgent_share);
        self.integrate(now);
        self.queue.push(
            Message {
                key,
                enqueued_at: now,
                urgent,
            },
            order,
        );
        self.stats.queue_enqueued += 1;
        self.start_consumers(now, fx);
    }

    /// Carries out a scheduled event.
    pub fn handle(&mut self, now: f64, event: DbEvent, fx: &mut Vec<Effect>) {
        match event {
            DbEvent::Arrive { query, generation }
                if self.is(query, generation, State::Travelling) =>
            {
                self.arrive(query, now, fx)
            }
            DbEvent::Done { query, generation } if self.is(query, generation, State::Executing) => {
                self.done(query, now, fx)
            }
            DbEvent::PoolTimeout { query, generation }
                if self.is(query, generation, State::PoolWait) =>
            {
                self.stats.pool_timeouts += 1;
                self.stats.pool_wait_seconds += now - self.queries[query].since;
                self.finish(query, QueryResult::Failed(Failure::PoolTimeout), now, fx);
            }
            _ => {}
        }
    }

    fn is(&self, query: QueryId, generation: u32, state: State) -> bool {
        let q = &self.queries[query];
        q.generation == generation && q.state == state
    }

    /// The query leaves its app server at `at` and reaches its node a round trip later.
    fn travel(&mut self, q: QueryId, now: f64, at: f64, fx: &mut Vec<Effect>) {
        let network = self.config.network.sample(&mut self.rng);
        let query = &mut self.queries[q];
        query.enter(State::Travelling, now);
        query.until = at + network;
        // The cache lookup before the trip is counted apart from the trip itself.
        query.timing.lookup += at - now;
        query.timing.network -= at - now;
        fx.push(Effect::Schedule(
            at + network,
            DbEvent::Arrive {
                query: q,
                generation: query.generation,
            },
        ));
    }

    fn arrive(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        if !self.up {
            self.stats.errors += 1;
            self.finish(q, QueryResult::Failed(Failure::Error), now, fx);
            return;
        }
        let Query { key, write, .. } = self.queries[q];
        // A write waiting for its row's lock is given its node when it gets the lock.
        if write && self.config.locking == Locking::Pessimistic {
            if !self.locks.acquire(key, q) {
                self.queries[q].enter(State::LockWait, now);
                self.stats.lock_waits += 1;
                return;
            }
            self.queries[q].holds_lock = true;
        }
        self.queries[q].node = self.pick_node(key, write);
        self.enter_node(q, now, fx);
    }

    /// Writes go to the shard's primary; reads to a replica (round robin) when split.
    fn pick_node(&mut self, key: Key, write: bool) -> u32 {
        let c = &self.config;
        let shard = shard::shard_of(key, c.sharding, c.shards, self.key_space);
        let base = (shard * c.nodes_per_shard()) as usize;
        if write || !c.read_write_split || c.replicas == 0 {
            return self.layout[base];
        }
        let turn = &mut self.next_replica[shard as usize];
        let replica = *turn % c.replicas;
        *turn = turn.wrapping_add(1);
        self.layout[base + 1 + replica as usize]
    }

    fn enter_node(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        let node = self.queries[q].node as usize;
        if self.nodes[node].offer(q, self.config.node_concurrency) {
            self.execute(q, now, fx);
        } else {
            self.queries[q].enter(State::Queued, now);
        }
    }

    /// Starts executing: processing plus disk (indexed) or a scan of the shard.
    fn execute(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        let c = &self.config;
        let storage = if c.indexed {
            c.disk.sample(&mut self.rng)
        } else {
            c.scan_seconds()
        };
        let processing = c.processing.sample(&mut self.rng);
        let service = processing + storage;
        let query = self.queries[q];
        // A write remembers the version it started from, for the optimistic check at its
        // commit (recorded whatever the mode: the mode may switch while it runs).
        let read_version = if query.write {
            self.versions.committed(query.key)
        } else {
            0
        };
        let query = &mut self.queries[q];
        query.enter(State::Executing, now);
        query.until = now + service;
        query.processing_until = now + processing;
        query.read_version = read_version;
        fx.push(Effect::Schedule(
            now + service,
            DbEvent::Done {
                query: q,
                generation: query.generation,
            },
        ));
    }

    fn done(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        let node = self.queries[q].node as usize;
        if let Some(next) = self.nodes[node].release(self.config.node_concurrency) {
            self.execute(next, now, fx);
        }
        let error_rate = self.config.error_rate;
        if error_rate > 0.0 && chance(&mut self.rng, error_rate) {
            self.stats.errors += 1;
            self.finish(q, QueryResult::Failed(Failure::Error), now, fx);
        } else if self.queries[q].write {
            self.commit(q, now, fx);
        } else {
            self.read(q, node, now, fx);
        }
    }

    fn read(&mut self, q: QueryId, node: usize, now: f64, fx: &mut Vec<Effect>) {
        let key = self.queries[q].key;
        let (committed, version) = match self.nodes[node].role() {
            Role::Primary => {
                let committed = self.versions.committed(key);
                (committed, committed)
            }
            Role::Replica(_) => self.versions.committed_and_on_replica(key, now),
        };
        let stale = version < committed;
        self.stats.reads += 1;
        self.stats.stale_reads += u64::from(stale);
        self.finish(q, QueryResult::Ok { version, stale }, now, fx);
    }

    /// Commits a write, unless optimistic locking finds the row changed since it started.
    fn commit(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        let Query {
            key,
            read_version,
            conflicts,
            ..
        } = self.queries[q];
        if let Locking::Optimistic { max_retries } = self.config.locking {
            if self.versions.committed(key) != read_version {
                self.stats.conflicts += 1;
                if conflicts < max_retries {
                    self.queries[q].conflicts += 1;
                    self.enter_node(q, now, fx);
                } else {
                    self.stats.conflict_failures += 1;
                    self.finish(q, QueryResult::Failed(Failure::Conflict), now, fx);
                }
                return;
            }
        }
        let lag = self.config.replication_lag.sample(&mut self.rng);
        let version = self.versions.commit(key, now + lag);
        self.stats.writes += 1;
        if let Owner::Consumer { message } = self.queries[q].owner {
            let c = &self.config;
            let reads_on_replicas = c.read_write_split && c.replicas > 0;
            let visible_at = if reads_on_replicas { now + lag } else { now };
            self.queue_write_visible(message, visible_at);
        }
        let result = QueryResult::Ok {
            version,
            stale: false,
        };
        self.finish(q, result, now, fx);
    }

    /// Releases the query's row lock, if it holds one; the next waiter takes it.
    fn unlock(&mut self, q: QueryId, now: f64, fx: &mut Vec<Effect>) {
        if !self.queries[q].holds_lock {
            return;
        }
        self.queries[q].holds_lock = false;
        if let Some(next) = self.locks.release(self.queries[q].key) {
            let node = self.pick_node(self.queries[next].key, true);
            let waiter = &mut self.queries[next];
            waiter.holds_lock = true;
            waiter.node = node;
            self.stats.lock_wait_seconds += now - waiter.since;
            self.enter_node(next, now, fx);
        }
    }

    /// The query is over: its lock and connection go back, its owner hears, its slot
    /// is freed.
    fn finish(&mut self, q: QueryId, result: QueryResult, now: f64, fx: &mut Vec<Effect>) {
        // Every way out releases a row lock, whatever the locking mode is by now (a
        // switch from pessimistic to optimistic must not strand the writes waiting).
        self.unlock(q, now, fx);
        let query = self.queries[q];
        self.queries.release(q, now);
        match query.owner {
            Owner::Request {
                request,
                attempt_id,
                server,
            } => {
                if query.state != State::PoolWait {
                    self.pools[server as usize].release();
                    self.grant_waiting(server, now, fx);
                }
                fx.push(Effect::Answered {
                    request,
                    attempt_id,
                    result,
                    timing: self.queries[q].timing,
                });
            }
            Owner::Orphan => {}
            Owner::Consumer { message } => self.consumer_done(message, result, now, fx),
        }
    }

    /// Free connections of `server`'s pool go to its waiting queries, oldest first.
    fn grant_waiting(&mut self, server: u32, now: f64, fx: &mut Vec<Effect>) {
        let size = self.config.pool_size;
        while let Some((q, generation)) = self.pools[server as usize].next_waiting(size) {
            if !self.is(q, generation, State::PoolWait) {
                continue;
            }
            self.pools[server as usize].try_acquire(size);
            self.stats.pool_wait_seconds += now - self.queries[q].since;
            self.travel(q, now, now, fx);
        }
    }

    fn consumer_done(
        &mut self,
        message: Message,
        result: QueryResult,
        now: f64,
        fx: &mut Vec<Effect>,
    ) {
        self.busy_consumers -= 1;
        // At-least-once delivery: a failed write goes back to the head of the queue.
        // (A written one was counted at its commit, which knows when reads will see it.)
        if let QueryResult::Failed(_) = result {
            self.integrate(now);
            self.queue.push_front(message);
        }
        self.start_consumers(now, fx);
    }

    /// A write from the queue is visible to reads at `visible_at`: its end-to-end lag.
    fn queue_write_visible(&mut self, message: Message, visible_at: f64) {
        let lag = visible_at - message.enqueued_at;
        self.stats.queue_written += 1;
        self.stats.queue_lag_seconds += lag;
        self.stats.queue_lag_max = self.stats.queue_lag_max.max(lag);
        if message.urgent {
            self.stats.queue_urgent_written += 1;
            self.stats.queue_urgent_lag_seconds += lag;
        }
    }

    /// Idle consumers take messages while the database is up.
    fn start_consumers(&mut self, now: f64, fx: &mut Vec<Effect>) {
        while self.up && self.busy_consumers < self.consumers {
            self.integrate(now);
            let Some(message) = self.queue.pop() else {
                return;
            };
            self.busy_consumers += 1;
            let q = self
                .queries
                .allocate(Owner::Consumer { message }, message.key, true, now);
            self.travel(q, now, now, fx);
        }
    }

    /// Brings the write queue's depth integral up to `now`.
    pub fn integrate(&mut self, now: f64) {
        if now > self.queue_since {
            self.stats.queue_depth_area += self.queue.len() as f64 * (now - self.queue_since);
            self.queue_since = now;
        }
    }

    /// The latest committed version of `key`.
    pub fn committed_version(&self, key: Key) -> u64 {
        self.versions.committed(key)
    }
    /// Counters since the start.
    pub fn stats(&self) -> &DbStats {
        &self.stats
    }
    /// Counts a cache fill with a stale value, or a hit on one (the engine sees those).
    pub fn note_stale_cache(&mut self, fill: bool) {
        if fill {
            self.stats.stale_cache_fills += 1;
        } else {
            self.stats.stale_cache_hits += 1;
        }
    }
    /// Counters and per-node counts, for a window.
    pub fn snapshot(&self) -> DbSnapshot {
        DbSnapshot {
            stats: self.stats.clone(),
            nodes: self.nodes.iter().map(NodeCount::of).collect(),
        }
    }
    /// The nodes of the current layout, primary then replicas, shard by shard.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.layout.iter().map(|&n| &self.nodes[n as usize])
    }
    /// The requests whose queries wait at node `position` (of [`Db::nodes`]), the next
    /// first (writes from the write queue and queries of dead servers are no requests).
    pub fn queued_requests(&self, position: usize) -> impl Iterator<Item = RequestId> + '_ {
        let node = self.layout.get(position).map(|&n| &self.nodes[n as usize]);
        node.into_iter()
            .flat_map(|n| n.queue())
            .filter_map(|q| match self.queries[q].owner {
                Owner::Request { request, .. } => Some(request),
                _ => None,
            })
    }

    /// Where query `q` is now (`None` once it has ended).
    pub fn query(&self, q: QueryId) -> Option<QueryView> {
        let query = &self.queries[q];
        let position = self.position.get(query.node as usize).copied().flatten();
        query.view(position.map(|p| p as usize))
    }

    /// Where query `q`'s time went up to `now` (its present stage included); `None`
    /// once it has ended.
    pub fn timing_until(&self, q: QueryId, now: f64) -> Option<QueryTiming> {
        let mut query = self.queries[q];
        if query.state == State::Free {
            return None;
        }
        query.enter(State::Free, now);
        Some(query.timing)
    }

    /// Connections in use and queries waiting (void tickets left out), for app server
    /// `server`.
    pub fn pool_state(&self, server: u32) -> (u32, usize) {
        self.pools.get(server as usize).map_or((0, 0), |p| {
            let waiting = p.waiting().filter(|&(q, g)| self.is(q, g, State::PoolWait));
            (p.in_use(), waiting.count())
        })
    }
    /// Writes waiting on the write queue.
    pub fn queue_depth(&self) -> usize {
        self.queue.len()
    }
    /// Rows locked now.
    pub fn locked_rows(&self) -> usize {
        self.locks.locked_rows()
    }
    /// Whether it is up.
    pub fn is_up(&self) -> bool {
        self.up
    }
    /// The settings in force.
    pub fn config(&self) -> &Database {
        &self.config
    }
}

#[cfg(test)]
mod tests;
