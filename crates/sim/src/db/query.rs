//! The database's query table: every query under way, in slots reused once it ends.
//! A slot's generation grows with each reuse, so an event or a ticket for an ended
//! query is recognised as void.

use super::write_queue::Message;
use crate::cache::Key;
use crate::RequestId;
use std::ops::{Index, IndexMut};

/// Index of a query in the database's query table.
pub type QueryId = u32;
/// A query and its slot's generation: what a pool's wait queue holds.
pub type Ticket = (QueryId, u32);

/// Where a query stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Free,
    PoolWait,
    Travelling,
    LockWait,
    Queued,
    Executing,
}

/// Where a request's query is, as the stage draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DbStage {
    /// Waiting for one of its app server's pooled connections.
    PoolWait,
    /// On the network to its node (after the cache lookup, when it had a connection at once).
    Network,
    /// A write waiting for its row's lock (pessimistic locking).
    LockWait,
    /// Queued at its node for an executor.
    Queued,
    /// Executing on its node: processing, then disk (or a scan).
    Executing,
}

/// Where a query's time went, in seconds: what a followed request's waterfall shows.
/// Each figure only grows; a query that conflicted (optimistic locking) and ran again
/// adds its second queueing and execution to the first.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct QueryTiming {
    /// Waiting for a connection.
    pub pool_wait: f64,
    /// The cache lookup that preceded the trip, when the connection was free at once
    /// (a query that waited for a connection leaves when it gets one).
    pub lookup: f64,
    /// The network round trip.
    pub network: f64,
    /// Waiting for the row's lock.
    pub lock_wait: f64,
    /// Queued at the node.
    pub queued: f64,
    /// Executing: the CPU part.
    pub processing: f64,
    /// Executing: the disk lookup or the scan.
    pub storage: f64,
}

/// A query seen from outside, at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueryView {
    /// Where it is.
    pub stage: DbStage,
    /// Since when, in simulated seconds.
    pub since: f64,
    /// When its stage will end, when that is known (the network trip, an execution).
    pub until: Option<f64>,
    /// Its node's place in [`Db::nodes`](super::Db::nodes), once it has one.
    pub node: Option<usize>,
    /// Where its time went until it entered its present stage.
    pub timing: QueryTiming,
}

/// Who waits for a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Owner {
    /// A request on app server `server`, holding one of its pool's connections.
    Request {
        request: RequestId,
        attempt_id: u64,
        server: u32,
    },
    /// A request whose server died: the query runs on, nobody hears of it.
    Orphan,
    /// A write-queue consumer writing `message`.
    Consumer { message: Message },
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Query {
    pub(super) owner: Owner,
    pub(super) key: Key,
    pub(super) write: bool,
    pub(super) node: u32,
    pub(super) state: State,
    pub(super) generation: u32,
    /// When it entered its current state.
    pub(super) since: f64,
    /// When the current state ends, if that is known (a trip, an execution); else NaN.
    pub(super) until: f64,
    /// Within an execution, when processing gives way to storage.
    pub(super) processing_until: f64,
    /// Where its time went, up to `since`.
    pub(super) timing: QueryTiming,
    /// The row's version when it started executing (optimistic check).
    pub(super) read_version: u64,
    /// Optimistic conflicts so far.
    pub(super) conflicts: u32,
    /// Holds its row's lock.
    pub(super) holds_lock: bool,
}

impl Query {
    /// Moves to `state` at `now`, adding the time since the last move to where it went.
    pub(super) fn enter(&mut self, state: State, now: f64) {
        let spent = now - self.since;
        let t = &mut self.timing;
        match self.state {
            State::Free => {}
            State::PoolWait => t.pool_wait += spent,
            State::Travelling => t.network += spent,
            State::LockWait => t.lock_wait += spent,
            State::Queued => t.queued += spent,
            State::Executing => {
                let processing = (self.processing_until.min(now) - self.since).max(0.0);
                t.processing += processing;
                t.storage += spent - processing;
            }
        }
        self.state = state;
        self.since = now;
        self.until = f64::NAN;
    }

    /// The outside view, with its node's place among the nodes shown (`position`).
    pub(super) fn view(&self, position: Option<usize>) -> Option<QueryView> {
        let stage = match self.state {
            State::Free => return None,
            State::PoolWait => DbStage::PoolWait,
            State::Travelling => DbStage::Network,
            State::LockWait => DbStage::LockWait,
            State::Queued => DbStage::Queued,
            State::Executing => DbStage::Executing,
        };
        let placed = matches!(stage, DbStage::Queued | DbStage::Executing);
        Some(QueryView {
            stage,
            since: self.since,
            until: Some(self.until).filter(|t| !t.is_nan()),
            node: position.filter(|_| placed),
            timing: self.timing,
        })
    }
}

/// The queries under way, and the slots free for new ones.
#[derive(Debug, Default)]
pub(super) struct Queries {
    slots: Vec<Query>,
    free: Vec<QueryId>,
}

impl Queries {
    /// A new query for `owner`, waiting for a connection since `now`.
    pub(super) fn allocate(&mut self, owner: Owner, key: Key, write: bool, now: f64) -> QueryId {
        let slot = self.free.pop();
        let generation = slot.map_or(0, |q| self.slots[q as usize].generation.wrapping_add(1));
        let query = Query {
            owner,
            key,
            write,
            node: 0,
            state: State::PoolWait,
            generation,
            since: now,
            until: f64::NAN,
            processing_until: f64::NAN,
            timing: QueryTiming::default(),
            read_version: 0,
            conflicts: 0,
            holds_lock: false,
        };
        match slot {
            Some(q) => {
                self.slots[q as usize] = query;
                q
            }
            None => {
                self.slots.push(query);
                (self.slots.len() - 1) as QueryId
            }
        }
    }

    /// Query `q` has ended at `now`: its slot is free.
    pub(super) fn release(&mut self, q: QueryId, now: f64) {
        self.slots[q as usize].enter(State::Free, now);
        self.free.push(q);
    }

    /// Every slot's id, free ones included.
    pub(super) fn ids(&self) -> std::ops::Range<QueryId> {
        0..self.slots.len() as QueryId
    }
}

impl Index<QueryId> for Queries {
    type Output = Query;
    fn index(&self, q: QueryId) -> &Query {
        &self.slots[q as usize]
    }
}

impl IndexMut<QueryId> for Queries {
    fn index_mut(&mut self, q: QueryId) -> &mut Query {
        &mut self.slots[q as usize]
    }
}
