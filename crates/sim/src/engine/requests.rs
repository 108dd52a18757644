//! The request table: every request in the system, in slots reused once it leaves, so a
//! run's memory follows the requests in flight, not the requests ever sent.

use crate::cache::Key;
use crate::RequestId;
use std::ops::{Index, IndexMut};

/// "No user": the request came from the open-loop source.
pub(super) const NO_USER: u32 = u32::MAX;
/// "No flight": the request leads no coalesced cache load.
pub(super) const NO_FLIGHT: Key = Key::MAX;
/// "No server": the request has not been routed (yet).
pub(super) const NO_SERVER: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
pub(super) struct Request {
    pub(super) arrived_at: f64,
    /// When the balancer sent it to its server (queue time is measured from here).
    pub(super) routed_at: f64,
    pub(super) key: u64,
    pub(super) server: u32,
    pub(super) client_ip: u32,
    pub(super) user: u32,
    pub(super) user_seq: u32,
    pub(super) write: bool,
    /// Missed the cache: the answer fills it.
    pub(super) miss: bool,
    /// Still holds its worker (false once async I/O freed it).
    pub(super) holds_worker: bool,
    /// Sampled for the page's dots.
    pub(super) traced: bool,
    /// A write acknowledged once it is on the write queue.
    pub(super) via_queue: bool,
    /// Its answer holds a value older than the database's (for the page's dots).
    pub(super) stale: bool,
    /// The cache load this request leads (single flight), or [`NO_FLIGHT`]. Kept here
    /// because the cache may be rebuilt or switched off while the load is under way.
    pub(super) flight: Key,
    /// 0 for a first attempt, 1 for the first retry, ...
    pub(super) attempt: u32,
    /// Unique per attempt, so a client's timer cannot mistake a reused slot for its own.
    pub(super) attempt_id: u64,
    /// Its client has given up on it (the server may still be working on it).
    pub(super) abandoned: bool,
    pub(super) live: bool,
}

/// Requests in the system, by [`RequestId`], and the slots free for new ones.
#[derive(Default)]
pub(super) struct Requests {
    slots: Vec<Request>,
    free: Vec<RequestId>,
    /// The next attempt's number: unique over the run, unlike a slot.
    next_attempt_id: u64,
}

impl Requests {
    /// Puts `request` in a free slot as a new attempt, numbering it.
    pub(super) fn admit(&mut self, mut request: Request) -> RequestId {
        request.attempt_id = self.next_attempt_id;
        self.next_attempt_id += 1;
        match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = request;
                id
            }
            None => {
                self.slots.push(request);
                (self.slots.len() - 1) as RequestId
            }
        }
    }

    /// Request `id` has left the system: its slot is free.
    pub(super) fn release(&mut self, id: RequestId) {
        self.slots[id as usize].live = false;
        self.free.push(id);
    }

    /// Requests in the system.
    pub(super) fn in_flight(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Whether slot `id` still holds attempt `attempt_id` (a result for an attempt that
    /// has ended, whose slot was reused, is for no one).
    pub(super) fn is_current(&self, id: RequestId, attempt_id: u64) -> bool {
        let r = &self.slots[id as usize];
        r.live && r.attempt_id == attempt_id
    }

    /// The requests in the system routed to `server`, in slot order.
    pub(super) fn on_server(&self, server: u32) -> Vec<RequestId> {
        (0..self.slots.len() as RequestId)
            .filter(|&id| {
                let r = &self.slots[id as usize];
                r.live && r.server == server
            })
            .collect()
    }
}

impl Index<RequestId> for Requests {
    type Output = Request;
    fn index(&self, id: RequestId) -> &Request {
        &self.slots[id as usize]
    }
}

impl IndexMut<RequestId> for Requests {
    fn index_mut(&mut self, id: RequestId) -> &mut Request {
        &mut self.slots[id as usize]
    }
}
