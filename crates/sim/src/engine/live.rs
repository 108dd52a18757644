//! What the stage draws at an instant: every request in the system, where it is and
//! since when; the refusals counted at the part that made them; and one followed
//! request's journey, phase by phase, as a waterfall whose durations sum to its latency.
//!
//! Reading any of it changes nothing in the run: no random draw, no reordering. The
//! golden files pin that.

use super::requests::{Request, Stage, Whereabouts, NO_SERVER};
use super::Simulation;
use crate::db::{DbStage, QueryTiming};
use crate::metrics::{Reason, RefusedAt, Rejections};
use crate::trace::{Outcome, Trace};
use crate::RequestId;

/// One request in the system, seen at an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LiveRequest {
    /// Its slot in the request table (reused once it leaves).
    pub id: RequestId,
    /// Its attempt: unique over the run.
    pub attempt_id: u64,
    /// 0 for a first attempt, 1 for the first retry...
    pub attempt: u32,
    /// The server it was routed to, once it has been.
    pub server: Option<u32>,
    /// Where it is.
    pub stage: Stage,
    /// Where its query is, when `stage` is [`Stage::Database`].
    pub db_stage: Option<DbStage>,
    /// The database node it queues or runs on (its place in `Db::nodes`).
    pub db_node: Option<usize>,
    /// Since when it is where it is.
    pub since: f64,
    /// When that ends, if known: a computation, a lookup, a network trip, an execution.
    pub until: Option<f64>,
    /// It writes.
    pub write: bool,
    /// It missed the cache (known once it has looked).
    pub missed: bool,
    /// What it will answer is older than the database's (known once it has read).
    pub stale: bool,
    /// Its client has given up on it: the work on it is wasted.
    pub abandoned: bool,
    /// It holds one of its server's workers.
    pub holds_worker: bool,
    /// A write on its way to the write queue (in [`Stage::Lookup`]).
    pub queued_write: bool,
    /// When it arrived.
    pub arrived_at: f64,
}

/// Requests turned away, counted at the part that turned them away.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Refusals {
    /// At the rate limiter.
    pub limiter: Rejections,
    /// At the balancer, or the admission check before it.
    pub balancer: Rejections,
    /// At each server (its queue, death, shedding, pool), by server index.
    pub servers: Vec<Rejections>,
    /// At the database, or the breaker in front of it.
    pub database: Rejections,
    /// Clients that gave up waiting (their requests stayed inside).
    pub gave_up: u64,
}

impl Refusals {
    /// Counts a refusal of a request on `server` (`NO_SERVER` if not routed).
    pub(super) fn count(&mut self, reason: Reason, server: u32) {
        let at = match reason.refused_at() {
            RefusedAt::Limiter => &mut self.limiter,
            RefusedAt::Balancer => &mut self.balancer,
            RefusedAt::Database => &mut self.database,
            RefusedAt::Server if server == NO_SERVER => &mut self.balancer,
            RefusedAt::Server => {
                let i = server as usize;
                if self.servers.len() <= i {
                    self.servers.resize(i + 1, Rejections::default());
                }
                &mut self.servers[i]
            }
        };
        at.count(reason);
    }
}

/// A step of a request's journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Held back by the leaky bucket.
    Shaping,
    /// Waiting in its server's queue for a worker.
    Queue,
    /// Holding a worker, waiting for a core.
    RunQueue,
    /// Computing.
    Compute,
    /// The cache lookup.
    Lookup,
    /// A queued write's trip to the write queue.
    QueueWrite,
    /// Waiting for another request's load of the same key.
    Coalesced,
    /// Waiting for a database connection.
    PoolWait,
    /// The network round trip to the database.
    Network,
    /// Waiting for its row's lock.
    LockWait,
    /// Queued at its database node.
    DbQueue,
    /// Executing on the node: the CPU part.
    Processing,
    /// Executing on the node: the disk lookup or the scan.
    Storage,
}

/// One phase of a journey, from `start` to `end` (simulated seconds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    pub phase: Phase,
    pub start: f64,
    pub end: f64,
}

/// A followed request's journey: its phases so far (the last one still going on while
/// it is in the system), and how it ended. The segments are back to back from
/// `arrived_at`, so their durations sum to the time it has spent.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// Its attempt: unique over the run.
    pub attempt_id: u64,
    /// 0 for a first attempt, 1 for the first retry...
    pub attempt: u32,
    /// It writes.
    pub write: bool,
    /// The server it was routed to, once it has been.
    pub server: Option<u32>,
    /// When it arrived.
    pub arrived_at: f64,
    /// Its phases, back to back.
    pub segments: Vec<Segment>,
    /// How it ended, once it has; its latency is then `ended_at − arrived_at`.
    pub outcome: Option<Outcome>,
    /// When it ended, or now while it is in the system.
    pub ended_at: f64,
}

/// Whom the stage follows, and what the database told of its query.
#[derive(Debug, Default)]
pub(super) struct Follow {
    /// The followed request's slot and attempt.
    target: Option<(RequestId, u64)>,
    /// The timing its finished query reported.
    heard: Option<QueryTiming>,
    /// Its journey, once it has ended.
    ended: Option<Journey>,
}

impl Simulation {
    /// Keeps where every request is, for [`Simulation::live_requests`] and
    /// [`Simulation::journey`]: the page's stage does, a run nobody draws need not.
    /// Watching changes nothing in the run. It must begin before the first arrival;
    /// `false` (and no watching) if the run has already begun.
    pub fn watch(&mut self) -> bool {
        let fresh = self.metrics.arrivals() == 0;
        if fresh {
            self.requests.watch();
        }
        fresh
    }

    /// Every request in the system now, in slot order; no allocation. Empty unless the
    /// run is watched ([`Simulation::watch`]).
    pub fn live_requests(&self) -> impl Iterator<Item = LiveRequest> + '_ {
        let watched = self.requests.watched();
        self.requests
            .live_ids()
            .filter(move |_| watched)
            .map(|id| self.view_of(id))
    }

    /// Request `id` as it is now, if it is in the system and the run is watched.
    pub fn live_request(&self, id: RequestId) -> Option<LiveRequest> {
        let present = self.requests.watched() && self.requests.live_ids_contains(id);
        present.then(|| self.view_of(id))
    }

    /// Request `id` as it is now (which must be in the system).
    fn view_of(&self, id: RequestId) -> LiveRequest {
        let r = &self.requests[id];
        let w = self.requests.whereabouts(id);
        let query = (w.stage == Stage::Database)
            .then(|| self.db.as_ref().and_then(|db| db.query(w.query)))
            .flatten();
        let (since, until) = match query {
            Some(q) => (q.since, q.until),
            None => (w.since, Some(w.until).filter(|t| !t.is_nan())),
        };
        LiveRequest {
            id,
            attempt_id: r.attempt_id,
            attempt: r.attempt,
            server: (r.server != NO_SERVER).then_some(r.server),
            stage: w.stage,
            db_stage: query.map(|q| q.stage),
            db_node: query.and_then(|q| q.node),
            since,
            until,
            write: r.write,
            missed: r.miss,
            stale: r.stale,
            abandoned: r.abandoned,
            holds_worker: r.holds_worker && !w.worker_at.is_nan(),
            queued_write: r.via_queue,
            arrived_at: r.arrived_at,
        }
    }

    /// Checks that the live view agrees with the parts' own counts, an invariant the
    /// stage relies on to draw the truth: every request in the system is seen once; at
    /// each server, those seen queued, waiting for a core, computing and holding a worker
    /// are as many as its queue, run queue, busy cores and busy workers; at each node,
    /// no more are seen queued or executing than it holds (it also runs the write
    /// queue's writes and the queries of dead servers, which are no requests).
    pub fn check_live_view(&self) -> Result<(), String> {
        if !self.requests.watched() {
            return Err("the run is not watched (Simulation::watch)".to_string());
        }
        let mut seen = 0;
        let n = self.servers.len();
        let (mut queued, mut run_queue, mut computing, mut holding) =
            (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
        let mut pool_waiting = vec![0; n];
        let nodes = self.db.as_ref().map_or(0, |db| db.nodes().count());
        let (mut node_queued, mut node_executing) = (vec![0; nodes], vec![0; nodes]);
        for r in self.live_requests() {
            seen += 1;
            if let Some(s) = r.server.map(|s| s as usize) {
                queued[s] += usize::from(r.stage == Stage::Queued);
                run_queue[s] += usize::from(r.stage == Stage::RunQueue);
                computing[s] += usize::from(r.stage == Stage::Computing);
                holding[s] += usize::from(r.holds_worker);
                pool_waiting[s] += usize::from(r.db_stage == Some(DbStage::PoolWait));
            }
            match (r.db_stage, r.db_node) {
                (Some(DbStage::Queued), Some(p)) => node_queued[p] += 1,
                (Some(DbStage::Executing), Some(p)) => node_executing[p] += 1,
                _ => {}
            }
        }
        if seen != self.in_flight() {
            return Err(format!("{seen} seen, {} in flight", self.in_flight()));
        }
        for (i, s) in self.servers.iter().enumerate() {
            let own = [
                s.queue_len(),
                s.run_queue_len(),
                s.busy_cores() as usize,
                s.busy() as usize,
            ];
            let drawn = [queued[i], run_queue[i], computing[i], holding[i]];
            if own != drawn {
                return Err(format!(
                    "server {i} at t = {}: queue, run queue, computing, holding {own:?} \
                     but seen {drawn:?}",
                    self.now
                ));
            }
        }
        if let Some(db) = &self.db {
            for (i, &seen) in pool_waiting.iter().enumerate() {
                let waiting = db.pool_state(i as u32).1;
                if seen != waiting {
                    return Err(format!("server {i}'s pool: {waiting} waiting, {seen} seen"));
                }
            }
            for (p, node) in db.nodes().enumerate() {
                if node_queued[p] > node.queued() || node_executing[p] > node.executing() as usize {
                    return Err(format!("node {p}: more requests seen than it holds"));
                }
            }
        }
        Ok(())
    }

    /// Requests turned away so far, at the part that turned them away.
    pub fn refusals(&self) -> &Refusals {
        &self.refusals
    }

    /// Follows request `id` (a slot of a request now in the system) until it ends, and
    /// keeps its journey after; `false` if no request is there.
    pub fn follow(&mut self, id: RequestId) -> bool {
        let live = self.requests.watched() && self.requests.live_ids_contains(id);
        self.follow = Follow {
            target: live.then(|| (id, self.requests[id].attempt_id)),
            ..Follow::default()
        };
        live
    }

    /// Whether a request is followed (and its end must be kept).
    pub(super) fn is_following(&self) -> bool {
        self.follow.target.is_some() && self.follow.ended.is_none()
    }

    /// Stops following.
    pub fn unfollow(&mut self) {
        self.follow = Follow::default();
    }

    /// The followed request's journey: so far while it is in the system, whole once it
    /// has ended.
    pub fn journey(&self) -> Option<Journey> {
        if let Some(ended) = &self.follow.ended {
            return Some(ended.clone());
        }
        let (id, attempt) = self.follow.target?;
        if !self.requests.is_current(id, attempt) {
            return None;
        }
        let timing = self.query_timing_now(id);
        Some(journey(
            &self.requests[id],
            self.requests.whereabouts(id),
            timing,
            self.now,
            None,
        ))
    }

    /// The database's timing of request `id`'s query, up to now, if it has one.
    fn query_timing_now(&self, id: RequestId) -> Option<QueryTiming> {
        let w = self.requests.whereabouts(id);
        let db = self.db.as_ref().filter(|_| w.stage == Stage::Database)?;
        db.timing_until(w.query, self.now)
    }

    /// The database answered attempt `attempt_id` in slot `id`, its query's time spent
    /// as `timing`: kept if that is the followed request.
    pub(super) fn follower_heard(&mut self, id: RequestId, attempt_id: u64, timing: QueryTiming) {
        if self.follow.target == Some((id, attempt_id)) {
            self.follow.heard = Some(timing);
        }
    }

    /// Request `id` is leaving the system as `outcome`: if it is the followed one, its
    /// journey is kept whole.
    pub(super) fn follower_leaves(&mut self, id: RequestId, outcome: Outcome) {
        let attempt = self.requests[id].attempt_id;
        if self.follow.target != Some((id, attempt)) {
            return;
        }
        let timing = self.follow.heard.or_else(|| self.query_timing_now(id));
        let r = &self.requests[id];
        let w = self.requests.whereabouts(id);
        self.follow.ended = Some(journey(r, w, timing, self.now, Some(outcome)));
    }

    /// Records a trace of request `id`'s end (or its client giving up).
    pub(super) fn trace(&mut self, id: RequestId, server: Option<u32>, outcome: Outcome) {
        let r = &self.requests[id];
        self.tracer.record(Trace {
            seq: 0,
            request: id,
            attempt_id: r.attempt_id,
            arrived_at: r.arrived_at,
            ended_at: self.now,
            server,
            outcome,
            retried: r.attempt > 0,
        });
    }
}

/// The journey of request `r` up to `end`, from where it has been (`w`) and what its
/// query spent (`timing`), if it reached the database.
fn journey(
    r: &Request,
    w: &Whereabouts,
    timing: Option<QueryTiming>,
    end: f64,
    outcome: Option<Outcome>,
) -> Journey {
    let mut path = Path {
        segments: Vec::new(),
        at: r.arrived_at,
    };
    walk(&mut path, r, w, timing, end);
    path.close(end);
    Journey {
        attempt_id: r.attempt_id,
        attempt: r.attempt,
        write: r.write,
        server: (r.server != NO_SERVER).then_some(r.server),
        arrived_at: r.arrived_at,
        segments: path.segments,
        outcome,
        ended_at: end,
    }
}

/// Segments laid back to back.
struct Path {
    segments: Vec<Segment>,
    at: f64,
}

impl Path {
    /// The next phase, up to `until` (nothing if it took no time).
    fn to(&mut self, phase: Phase, until: f64) {
        if until > self.at {
            self.segments.push(Segment {
                phase,
                start: self.at,
                end: until,
            });
            self.at = until;
        }
    }

    /// The next phase, lasting `seconds`.
    fn add(&mut self, phase: Phase, seconds: f64) {
        self.to(phase, self.at + seconds);
    }

    /// Ends the path exactly at `end`: the last segment takes up what rounding left.
    fn close(&mut self, end: f64) {
        if let Some(last) = self.segments.last_mut() {
            last.end = end.max(last.start);
        }
    }
}

/// Lays out the phases a request has passed: each step's end is when the next began;
/// the step it is in (or ended in) runs to `end`.
fn walk(path: &mut Path, r: &Request, w: &Whereabouts, timing: Option<QueryTiming>, end: f64) {
    match w.stage {
        Stage::Arrived => return,
        Stage::Shaping => return path.to(Phase::Shaping, end),
        _ => path.to(Phase::Shaping, r.routed_at),
    }
    let steps = [
        (Phase::Queue, Stage::Queued, w.worker_at),
        (Phase::RunQueue, Stage::RunQueue, w.core_at),
        (Phase::Compute, Stage::Computing, w.io_at),
    ];
    for (phase, stage, ended) in steps {
        if w.stage == stage || ended.is_nan() {
            return path.to(phase, end);
        }
        path.to(phase, ended);
    }
    match w.stage {
        Stage::Lookup if r.via_queue => path.to(Phase::QueueWrite, end),
        Stage::Lookup => path.to(Phase::Lookup, end),
        Stage::Coalesced => path.to(Phase::Coalesced, end),
        Stage::Database => {
            let Some(t) = timing else {
                return path.to(Phase::Network, end);
            };
            for (phase, seconds) in [
                (Phase::Lookup, t.lookup),
                (Phase::PoolWait, t.pool_wait),
                (Phase::Network, t.network),
                (Phase::LockWait, t.lock_wait),
                (Phase::DbQueue, t.queued),
                (Phase::Processing, t.processing),
                (Phase::Storage, t.storage),
            ] {
                path.add(phase, seconds);
            }
        }
        _ => {}
    }
}
