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
    /// When it entered its current wait (pool or lock).
    pub(super) since: f64,
    /// The row's version when it started executing (optimistic check).
    pub(super) read_version: u64,
    /// Optimistic conflicts so far.
    pub(super) conflicts: u32,
    /// Holds its row's lock.
    pub(super) holds_lock: bool,
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

    /// Query `q` has ended: its slot is free.
    pub(super) fn release(&mut self, q: QueryId) {
        self.slots[q as usize].state = State::Free;
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
