//! The request table: every request in the system, in slots reused once it leaves, so a
//! run's memory follows the requests in flight, not the requests ever sent.

use crate::cache::Key;
use crate::db::QueryId;
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

/// Where a request is in the system, as the stage draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Just arrived: in the same instant it is routed, held back or refused.
    Arrived,
    /// Held back by the leaky bucket until its turn.
    Shaping,
    /// In its server's queue, waiting for a worker.
    Queued,
    /// Holding a worker, waiting for a core.
    RunQueue,
    /// Computing on a core.
    Computing,
    /// A fixed wait for I/O: a cache lookup that hit (or any lookup without a database
    /// behind it), or a queued write's trip to the write queue.
    Lookup,
    /// Waiting for another request's load of the same key (single flight).
    Coalesced,
    /// Its query is in the database (where exactly: [`crate::db::Db::query`]).
    Database,
}

/// Where a request is and when it passed each step: kept beside the request table
/// rather than in it, so the hot path's copies of a request stay small.
#[derive(Debug, Clone, Copy)]
pub(super) struct Whereabouts {
    pub(super) stage: Stage,
    /// When it entered `stage`.
    pub(super) since: f64,
    /// When `stage` ends, if that is known (a computation, a lookup); else NaN.
    pub(super) until: f64,
    /// When it took a worker, computing began, and computing ended (NaN until then).
    pub(super) worker_at: f64,
    pub(super) core_at: f64,
    pub(super) io_at: f64,
    /// Its query, while `stage` is [`Stage::Database`].
    pub(super) query: QueryId,
}

impl Whereabouts {
    fn arrived(now: f64) -> Self {
        Self {
            stage: Stage::Arrived,
            since: now,
            until: f64::NAN,
            worker_at: f64::NAN,
            core_at: f64::NAN,
            io_at: f64::NAN,
            query: 0,
        }
    }
}

/// A step whose time [`Whereabouts`] keeps.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    /// It took a worker.
    Worker,
    /// It began computing.
    Core,
    /// It finished computing.
    Io,
}

/// Requests in the system, by [`RequestId`], and the slots free for new ones.
#[derive(Default)]
pub(super) struct Requests {
    slots: Vec<Request>,
    /// Kept only when the run is watched (the page's stage): a run that nobody draws
    /// spends nothing on it.
    whereabouts: Vec<Whereabouts>,
    watched: bool,
    free: Vec<RequestId>,
    /// The next attempt's number: unique over the run, unlike a slot.
    next_attempt_id: u64,
}

impl Requests {
    /// Puts `request` in a free slot as a new attempt, numbering it.
    pub(super) fn admit(&mut self, mut request: Request) -> RequestId {
        request.attempt_id = self.next_attempt_id;
        self.next_attempt_id += 1;
        let whereabouts = Whereabouts::arrived(request.arrived_at);
        match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = request;
                if self.watched {
                    self.whereabouts[id as usize] = whereabouts;
                }
                id
            }
            None => {
                self.slots.push(request);
                self.whereabouts.push(whereabouts);
                (self.slots.len() - 1) as RequestId
            }
        }
    }

    /// Keeps every request's whereabouts from now on (before the first arrival).
    pub(super) fn watch(&mut self) {
        self.watched = true;
    }

    /// Whether whereabouts are kept.
    pub(super) fn watched(&self) -> bool {
        self.watched
    }

    /// Request `id` enters `stage` at `now`, to end at `until` if that is known (NaN).
    pub(super) fn enter(&mut self, id: RequestId, stage: Stage, now: f64, until: f64) {
        if self.watched {
            let w = &mut self.whereabouts[id as usize];
            w.stage = stage;
            w.since = now;
            w.until = until;
        }
    }

    /// Request `id` passed `step` at `now`.
    pub(super) fn passed(&mut self, id: RequestId, step: Step, now: f64) {
        if self.watched {
            let w = &mut self.whereabouts[id as usize];
            match step {
                Step::Worker => w.worker_at = now,
                Step::Core => w.core_at = now,
                Step::Io => w.io_at = now,
            }
        }
    }

    /// Request `id`'s query is `query`.
    pub(super) fn querying(&mut self, id: RequestId, query: QueryId) {
        if self.watched {
            self.whereabouts[id as usize].query = query;
        }
    }

    /// Where request `id` is, and when it passed each step.
    pub(super) fn whereabouts(&self, id: RequestId) -> &Whereabouts {
        &self.whereabouts[id as usize]
    }

    /// Whether slot `id` holds a request in the system.
    pub(super) fn live_ids_contains(&self, id: RequestId) -> bool {
        self.slots.get(id as usize).is_some_and(|r| r.live)
    }

    /// The ids of the requests in the system, in slot order.
    pub(super) fn live_ids(&self) -> impl Iterator<Item = RequestId> + '_ {
        (0..self.slots.len() as RequestId).filter(|&id| self.slots[id as usize].live)
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
