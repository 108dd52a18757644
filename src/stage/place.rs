//! Where each request in the system is drawn, from the core's live view: in its server's
//! queue in queue order (the head next to the workers), in a worker's slot while it holds
//! one, on the lane to the database while its query travels, in a node's queue or
//! executor, in the limiter, the cache or a strip for I/O. A queue longer than its cells
//! draws as many as fit and counts the rest. No web calls: tested natively.

use super::geometry::{Cells, Rect};
use super::scene::Scene;
use loadlab_sim::db::DbStage;
use loadlab_sim::{LiveRequest, RequestId, Simulation, Stage};
use std::collections::HashMap;

/// What a request is (or will be), which its colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// A read whose cache lookup is still to come (or without a cache).
    Read,
    /// A write.
    Write,
    /// A read that hit the cache.
    Hit,
    /// A read that missed the cache.
    Miss,
    /// A read whose answer is older than the database's.
    Stale,
    /// Its client has given up: the work on it is wasted.
    Abandoned,
}

impl Look {
    fn of(r: &LiveRequest) -> Look {
        let hit = r.stage == Stage::Lookup && !r.queued_write && !r.missed;
        match () {
            _ if r.abandoned => Look::Abandoned,
            _ if r.write => Look::Write,
            _ if r.stale => Look::Stale,
            _ if r.missed => Look::Miss,
            _ if hit => Look::Hit,
            _ => Look::Read,
        }
    }
}

/// What a worker's (or an executor's) slot shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// Working, this far through its phase (0 to 1).
    Working(f64),
    /// Holding the worker, waiting for a core.
    WaitingForCore,
    /// Holding the worker while its request waits on I/O (sync I/O).
    Blocked,
    /// Waiting in a queue or a strip.
    Waiting,
    /// On a lane, this far along it.
    Travelling,
}

/// A request (or a busy worker's slot) as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Item {
    pub rect: Rect,
    pub look: Look,
    pub fill: Fill,
    /// A client's retry of an earlier attempt.
    pub retry: bool,
    pub id: RequestId,
    pub attempt_id: u64,
}

/// What a server's drawing shows beside what the core says, for tests that check the
/// drawing tells the truth.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ServerCount {
    pub index: u32,
    /// Requests drawn in its queue, and the rest counted beside them.
    pub queue_drawn: u32,
    pub queue_counted: u32,
    /// Its queue length in the core.
    pub queue_core: u32,
    /// Busy worker slots drawn (or, with too many workers to draw, the bar's count).
    pub busy_drawn: u32,
    /// Busy workers in the core.
    pub busy_core: u32,
}

/// The placement of one frame, its buffers kept from frame to frame.
#[derive(Debug, Default)]
pub struct Placed {
    pub items: Vec<Item>,
    pub counts: Vec<ServerCount>,
    /// Which slot each request holding a worker (or executor) has: kept while it holds
    /// it, so a request does not jump from slot to slot as others come and go.
    slots: HashMap<(u32, u64), u32>,
    seen: HashMap<(u32, u64), bool>,
    /// Per-place buckets for one frame: (where, order, request).
    buckets: Vec<(Place, f64, LiveRequest)>,
    /// Reduced motion: nothing travels.
    still: bool,
}

/// A place that holds requests in order, other than a server's queue.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Place {
    Limiter,
    Cache,
    /// A server's strip for requests holding no worker.
    Io(u32),
    /// A server's worker slots.
    Slot(u32),
    /// Writes waiting for their row's lock, at the database.
    Locks,
    /// A database node's queue, and its executors.
    NodeQueue(usize),
    NodeSlot(usize),
    /// On the lane from a server to a node (or to the write queue).
    Lane,
}

/// Slot books are keyed by (place, attempt): servers by index, nodes offset by this.
const NODE_KEY: u32 = 1 << 20;

impl Placed {
    /// Places every request of `sim` on `scene` at simulated time `now`.
    /// With `still` (reduced motion), requests on a lane stand at its middle rather than
    /// travel along it.
    pub fn place(&mut self, sim: &Simulation, scene: &Scene, still: bool) {
        let now = sim.now();
        self.still = still;
        self.items.clear();
        self.counts.clear();
        self.buckets.clear();
        let local = scene.cache.is_none();
        for r in sim.live_requests() {
            for place in places_of(&r, local).into_iter().flatten() {
                self.buckets.push((place, r.since, r));
            }
        }
        self.buckets.sort_by(|a, b| {
            (a.0, a.1)
                .partial_cmp(&(b.0, b.1))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        self.keep_held_slots();
        self.place_queues(sim, scene);
        self.place_buckets(scene, now);
    }

    /// Each server's queue, head first, from the server's own order.
    fn place_queues(&mut self, sim: &Simulation, scene: &Scene) {
        for s in &scene.servers {
            let server = &sim.servers()[s.index as usize];
            let len = server.queue_len() as u32;
            let cap = s.queue.capacity();
            let mut drawn = 0;
            for (i, id) in server.queued().take(cap as usize).enumerate() {
                let Some(r) = sim.live_request(id) else {
                    continue;
                };
                self.items
                    .push(item(&r, s.queue.cell(i as u32), Fill::Waiting));
                drawn += 1;
            }
            self.counts.push(ServerCount {
                index: s.index,
                queue_drawn: drawn,
                queue_counted: len - drawn,
                queue_core: len,
                busy_drawn: 0,
                busy_core: server.busy(),
            });
        }
    }

    /// Everything else, bucket by bucket, each in its order.
    fn place_buckets(&mut self, scene: &Scene, now: f64) {
        let buckets = std::mem::take(&mut self.buckets);
        let mut rank = 0;
        let mut last: Option<Place> = None;
        for (place, _, r) in &buckets {
            rank = if last == Some(*place) { rank + 1 } else { 0 };
            last = Some(*place);
            self.place_one(scene, *place, rank, r, now);
        }
        self.buckets = buckets;
    }

    fn place_one(&mut self, scene: &Scene, place: Place, rank: u32, r: &LiveRequest, now: f64) {
        let progress = progress(r, now);
        let cells = |c: &Cells| (rank < c.capacity()).then(|| c.cell(rank));
        let spot = match place {
            Place::Limiter => scene.limiter.as_ref().and_then(|l| cells(&l.cells)),
            Place::Cache => scene.cache.as_ref().and_then(|c| cells(&c.cells)),
            Place::Io(s) => scene.server(s).and_then(|s| s.io.as_ref()).and_then(cells),
            Place::Locks => scene.locks.as_ref().and_then(cells),
            Place::Slot(s) => return self.place_in_slot(scene, s, r, now),
            Place::NodeQueue(n) => scene.nodes.get(n).and_then(|n| cells(&n.queue)),
            Place::NodeSlot(n) => return self.place_on_node(scene, n, r, progress),
            Place::Lane => {
                let share = if self.still { 0.5 } else { progress };
                return self.place_on_lane(scene, r, share);
            }
        };
        let fill = match r.stage {
            Stage::Lookup | Stage::Shaping => Fill::Working(progress),
            _ => Fill::Waiting,
        };
        if let Some(rect) = spot {
            self.items.push(item(r, rect, fill));
        }
    }

    /// A request holding a worker: in its slot, as working, waiting for a core or
    /// blocked on I/O.
    fn place_in_slot(&mut self, scene: &Scene, server: u32, r: &LiveRequest, now: f64) {
        let Some(s) = scene.server(server) else {
            return;
        };
        if let Some(count) = self.counts.iter_mut().find(|c| c.index == server) {
            count.busy_drawn += 1;
        }
        if !s.each_slot {
            return;
        }
        let fill = match r.stage {
            Stage::Computing => Fill::Working(progress(r, now)),
            Stage::RunQueue => Fill::WaitingForCore,
            _ => Fill::Blocked,
        };
        let slot = self.slot_for(server, r.attempt_id, s.slots.capacity());
        self.items.push(item(r, s.slots.cell(slot), fill));
    }

    fn place_on_node(&mut self, scene: &Scene, node: usize, r: &LiveRequest, progress: f64) {
        let Some(n) = scene.nodes.get(node) else {
            return;
        };
        let slot = self.slot_for(NODE_KEY + node as u32, r.attempt_id, n.slots.capacity());
        if slot < n.slots.capacity() {
            self.items
                .push(item(r, n.slots.cell(slot), Fill::Working(progress)));
        }
    }

    /// A query on its way to its node, or a write on its way to the queue: along the
    /// lane, as far as its trip has gone.
    fn place_on_lane(&mut self, scene: &Scene, r: &LiveRequest, progress: f64) {
        let Some(server) = r.server.and_then(|s| scene.server(s)) else {
            return;
        };
        let lane = match (r.stage, r.db_node) {
            (Stage::Lookup, _) => scene
                .write_queue
                .as_ref()
                .map(|q| scene.lane(&server.b, &q.b)),
            (_, Some(node)) => scene
                .nodes
                .get(node)
                .map(|n| scene.lane_to_node(&server.b, n)),
            (_, None) => scene.database.as_ref().map(|d| scene.lane(&server.b, d)),
        };
        if let Some(points) = lane {
            let (x, y) = along(&points, progress);
            let side = server.queue.pitch.max(5.0) - 1.0;
            let rect = Rect::new(x - side / 2.0, y - side / 2.0, side, side);
            self.items.push(item(r, rect, Fill::Travelling));
        }
    }

    /// The slot of `attempt` at `place`: the one it had, or the first free one.
    fn slot_for(&mut self, place: u32, attempt: u64, capacity: u32) -> u32 {
        if let Some(&slot) = self.slots.get(&(place, attempt)) {
            return slot;
        }
        let taken: Vec<u32> = (self.slots.iter())
            .filter(|((p, _), _)| *p == place)
            .map(|(_, &s)| s)
            .collect();
        let free = (0..capacity)
            .find(|s| !taken.contains(s))
            .unwrap_or(capacity);
        self.slots.insert((place, attempt), free);
        free
    }

    /// Forgets the slots of requests that no longer hold them, before anyone new takes
    /// one: a request that left frees its slot for the next at once.
    fn keep_held_slots(&mut self) {
        self.seen.clear();
        for (place, _, r) in &self.buckets {
            match place {
                Place::Slot(s) => self.seen.insert((*s, r.attempt_id), true),
                Place::NodeSlot(n) => self.seen.insert((NODE_KEY + *n as u32, r.attempt_id), true),
                _ => None,
            };
        }
        let seen = &self.seen;
        self.slots.retain(|key, _| seen.contains_key(key));
    }

    /// The drawn request (or busy slot) nearest `point`, within `reach`.
    pub fn nearest(&self, point: (f64, f64), reach: f64) -> Option<&Item> {
        let distance = |i: &Item| {
            let (x, y) = i.rect.centre();
            (x - point.0).hypot(y - point.1)
        };
        (self.items.iter())
            .filter(|i| distance(i) <= reach)
            .min_by(|a, b| distance(a).total_cmp(&distance(b)))
    }
}

/// Where `r` is drawn (its server's queue excepted; the stage draws queues in their
/// own order): its worker's slot while it holds one, and, while it waits on I/O, where
/// that I/O is. `local` caches are inside the servers.
fn places_of(r: &LiveRequest, local: bool) -> [Option<Place>; 2] {
    let server = r.server.unwrap_or(0);
    let slot = r.holds_worker.then_some(Place::Slot(server));
    let io = match (r.stage, r.db_stage) {
        (Stage::Arrived | Stage::Queued | Stage::Computing | Stage::RunQueue, _) => None,
        (Stage::Shaping, _) => Some(Place::Limiter),
        (Stage::Lookup, _) if r.queued_write => Some(Place::Lane),
        (Stage::Lookup | Stage::Coalesced, _) if local => Some(Place::Io(server)),
        (Stage::Lookup | Stage::Coalesced, _) => Some(Place::Cache),
        (Stage::Database, Some(DbStage::Network)) => Some(Place::Lane),
        (Stage::Database, Some(DbStage::Queued)) => r.db_node.map(Place::NodeQueue),
        (Stage::Database, Some(DbStage::Executing)) => r.db_node.map(Place::NodeSlot),
        (Stage::Database, Some(DbStage::LockWait)) => Some(Place::Locks),
        (Stage::Database, _) => Some(Place::Io(server)),
    };
    [slot, io]
}

fn item(r: &LiveRequest, rect: Rect, fill: Fill) -> Item {
    Item {
        rect,
        look: Look::of(r),
        fill,
        retry: r.attempt > 0,
        id: r.id,
        attempt_id: r.attempt_id,
    }
}

/// How far `r` is through its present phase at `now` (0 when its end is unknown).
fn progress(r: &LiveRequest, now: f64) -> f64 {
    match r.until {
        Some(until) if until > r.since => ((now - r.since) / (until - r.since)).clamp(0.0, 1.0),
        _ => 0.0,
    }
}

/// The point `share` (0 to 1) of the way along a polyline.
pub fn along(points: &[(f64, f64)], share: f64) -> (f64, f64) {
    let length = |w: &[(f64, f64)]| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
    let mut left = points.windows(2).map(length).sum::<f64>() * share;
    for w in points.windows(2) {
        let l = length(w);
        if left <= l && l > 0.0 {
            let f = left / l;
            return (
                w[0].0 + (w[1].0 - w[0].0) * f,
                w[0].1 + (w[1].1 - w[0].1) * f,
            );
        }
        left -= l;
    }
    *points.last().unwrap_or(&(0.0, 0.0))
}
