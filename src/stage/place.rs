//! Where each request in the system is drawn, from the core's live view: in its server's
//! queue in queue order (the head next to the workers), in a worker's slot while it holds
//! one, on the lane to the database while its query travels, in a node's queue (in its
//! order) or executor, in the limiter (by its turn), the cache or a strip for I/O. A
//! queue longer than its cells draws as many as fit and counts the rest. No web calls:
//! tested natively.

use super::geometry::Rect;
use super::scene::Scene;
use loadlab_sim::db::DbStage;
use loadlab_sim::protection::RateLimit;
use loadlab_sim::{LiveRequest, Part, RequestId, Simulation, Stage};

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
    /// On a lane.
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
    /// The part it is drawn in (`None` on a lane between parts).
    pub at: Option<Part>,
    /// When it arrived (simulated time).
    pub arrived_at: f64,
}

/// What a server's drawing shows beside what the core says, for tests that check the
/// drawing tells the truth.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ServerCount {
    pub index: u32,
    /// Requests drawn in its queue, and the rest counted beside them.
    pub queue_drawn: u32,
    /// Cells its queue has: the most that can be drawn.
    pub queue_cells: u32,
    pub queue_counted: u32,
    /// Its queue length in the core.
    pub queue_core: u32,
    /// Busy worker slots drawn (or, with too many workers to draw, the bar's count).
    pub busy_drawn: u32,
    /// Busy workers in the core.
    pub busy_core: u32,
}

/// Which slot each request holding a worker (or an executor) has, by slot: kept while
/// it holds it, so a request does not jump from slot to slot as others come and go.
#[derive(Debug, Default)]
struct SlotBook {
    /// The attempt in each slot (`FREE` when none).
    slots: Vec<u64>,
    /// The attempts holding one this frame.
    holders: Vec<u64>,
}

const FREE: u64 = u64::MAX;

impl SlotBook {
    /// Frees the slots of attempts that hold none any more, before anyone new takes one.
    fn settle(&mut self, capacity: u32) {
        let holders = &self.holders;
        for slot in self.slots.iter_mut() {
            if *slot != FREE && !holders.contains(slot) {
                *slot = FREE;
            }
        }
        self.slots.resize(capacity as usize, FREE);
    }

    /// The slot of `attempt`: the one it had, or the first free one (`None` if all are
    /// taken, which the capacity rules out for a server drawn slot by slot).
    fn slot_of(&mut self, attempt: u64) -> Option<u32> {
        if let Some(i) = self.slots.iter().position(|&a| a == attempt) {
            return Some(i as u32);
        }
        let free = self.slots.iter().position(|&a| a == FREE)?;
        self.slots[free] = attempt;
        Some(free as u32)
    }
}

/// The placement of one frame, its buffers kept from frame to frame.
#[derive(Debug, Default)]
pub struct Placed {
    pub items: Vec<Item>,
    pub counts: Vec<ServerCount>,
    /// The requests in the system this frame.
    live: Vec<LiveRequest>,
    servers: Vec<SlotBook>,
    nodes: Vec<SlotBook>,
    /// How many requests each strip holds so far this frame: by server (I/O), and for the
    /// cache, the lock waits and the lane.
    io_rank: Vec<u32>,
    cache_rank: u32,
    lock_rank: u32,
}

impl Placed {
    /// Places every request of `sim` on `scene`. With `still` (reduced motion), requests
    /// on a lane stand at its middle rather than travel along it.
    pub fn place(&mut self, sim: &Simulation, scene: &Scene, still: bool) {
        self.items.clear();
        self.counts.clear();
        self.live.clear();
        self.live.extend(sim.live_requests());
        let servers = sim.servers().len();
        self.io_rank.clear();
        self.io_rank.resize(servers, 0);
        (self.cache_rank, self.lock_rank) = (0, 0);
        self.settle_slots(scene, servers);
        self.place_queues(sim, scene);
        self.place_node_queues(sim, scene);
        let now = sim.now();
        let live = std::mem::take(&mut self.live);
        for r in &live {
            self.place_one(sim, scene, r, now, still);
        }
        self.live = live;
    }

    /// Who holds which worker and executor slots this frame.
    fn settle_slots(&mut self, scene: &Scene, servers: usize) {
        self.servers.resize_with(servers, SlotBook::default);
        self.nodes.resize_with(scene.nodes.len(), SlotBook::default);
        for book in self.servers.iter_mut().chain(self.nodes.iter_mut()) {
            book.holders.clear();
        }
        for r in &self.live {
            if let (true, Some(s)) = (r.holds_worker, r.server) {
                self.servers[s as usize].holders.push(r.attempt_id);
            }
            if let (Some(DbStage::Executing), Some(n)) = (r.db_stage, r.db_node) {
                if let Some(book) = self.nodes.get_mut(n) {
                    book.holders.push(r.attempt_id);
                }
            }
        }
        for s in &scene.servers {
            self.servers[s.index as usize].settle(s.slots.capacity());
        }
        for (book, n) in self.nodes.iter_mut().zip(&scene.nodes) {
            book.settle(n.slots.capacity());
        }
    }

    /// Each server's queue, head first, from the server's own order.
    fn place_queues(&mut self, sim: &Simulation, scene: &Scene) {
        for s in &scene.servers {
            let server = &sim.servers()[s.index as usize];
            let len = server.queue_len() as u32;
            let mut drawn = 0;
            for (i, id) in server
                .queued()
                .take(s.queue.capacity() as usize)
                .enumerate()
            {
                let Some(r) = sim.live_request(id) else {
                    continue;
                };
                let cell = s.queue.cell(i as u32);
                self.items
                    .push(item(&r, cell, Fill::Waiting, Some(s.b.part)));
                drawn += 1;
            }
            self.counts.push(ServerCount {
                index: s.index,
                queue_drawn: drawn,
                queue_cells: s.queue.capacity(),
                queue_counted: len - drawn,
                queue_core: len,
                busy_drawn: 0,
                busy_core: server.busy(),
            });
        }
    }

    /// Each database node's queue, the next first, from the node's own order.
    fn place_node_queues(&mut self, sim: &Simulation, scene: &Scene) {
        let Some(db) = sim.database() else { return };
        for n in &scene.nodes {
            let waiting = db
                .queued_requests(n.position)
                .filter_map(|id| sim.live_request(id));
            let here = waiting.filter(|r| r.db_stage == Some(DbStage::Queued));
            for (i, r) in here.take(n.queue.capacity() as usize).enumerate() {
                let cell = n.queue.cell(i as u32);
                self.items
                    .push(item(&r, cell, Fill::Waiting, Some(n.b.part)));
            }
        }
    }

    /// Request `r` wherever it is but in a queue: its worker's slot while it holds one,
    /// and, while it waits on I/O, where that I/O is.
    fn place_one(
        &mut self,
        sim: &Simulation,
        scene: &Scene,
        r: &LiveRequest,
        now: f64,
        still: bool,
    ) {
        let progress = progress(r, now);
        if r.holds_worker {
            self.place_in_slot(scene, r, progress);
        }
        let server = r.server.unwrap_or(0) as usize;
        let local = scene.cache.is_none();
        let (cells, rank, fill, at) = match (r.stage, r.db_stage) {
            (Stage::Shaping, _) => return self.place_held(sim, scene, r, now),
            (Stage::Lookup, _) if r.queued_write => {
                return self.place_on_lane(scene, r, progress, still)
            }
            (Stage::Database, Some(DbStage::Network)) => {
                return self.place_on_lane(scene, r, progress, still)
            }
            (Stage::Database, Some(DbStage::Executing)) => {
                return self.place_on_node(scene, r, progress)
            }
            (Stage::Lookup | Stage::Coalesced, _) if !local => {
                let cells = scene.cache.as_ref().map(|c| c.cells);
                let fill = lookup_fill(r, progress);
                (cells, &mut self.cache_rank, fill, Part::Cache)
            }
            (Stage::Lookup | Stage::Coalesced, _) | (Stage::Database, Some(DbStage::PoolWait)) => {
                let cells = scene.server(server as u32).and_then(|s| s.io);
                let fill = lookup_fill(r, progress);
                (
                    cells,
                    &mut self.io_rank[server],
                    fill,
                    Part::Server(server as u32),
                )
            }
            (Stage::Database, Some(DbStage::LockWait)) => (
                scene.locks,
                &mut self.lock_rank,
                Fill::Waiting,
                Part::Database,
            ),
            _ => return,
        };
        let rank_now = *rank;
        *rank += 1;
        if let Some(c) = cells.filter(|c| rank_now < c.capacity()) {
            self.items.push(item(r, c.cell(rank_now), fill, Some(at)));
        }
    }

    /// A request holding a worker: in its slot, as working, waiting for a core or
    /// blocked on I/O.
    fn place_in_slot(&mut self, scene: &Scene, r: &LiveRequest, progress: f64) {
        let Some(s) = r.server.and_then(|i| scene.server(i)) else {
            return;
        };
        if let Some(count) = self.counts.iter_mut().find(|c| c.index == s.index) {
            count.busy_drawn += 1;
        }
        if !s.each_slot {
            return;
        }
        let fill = match r.stage {
            Stage::Computing => Fill::Working(progress),
            Stage::RunQueue => Fill::WaitingForCore,
            _ => Fill::Blocked,
        };
        if let Some(slot) = self.servers[s.index as usize].slot_of(r.attempt_id) {
            self.items
                .push(item(r, s.slots.cell(slot), fill, Some(s.b.part)));
        }
    }

    fn place_on_node(&mut self, scene: &Scene, r: &LiveRequest, progress: f64) {
        let Some((n, book)) = r
            .db_node
            .and_then(|n| scene.nodes.get(n).zip(self.nodes.get_mut(n)))
        else {
            return;
        };
        if let Some(slot) = book.slot_of(r.attempt_id) {
            let fill = Fill::Working(progress);
            self.items
                .push(item(r, n.slots.cell(slot), fill, Some(n.b.part)));
        }
    }

    /// A request the leaky bucket holds: at its turn, which its release time gives (the
    /// bucket lets one through every 1/rate seconds).
    fn place_held(&mut self, sim: &Simulation, scene: &Scene, r: &LiveRequest, now: f64) {
        let (Some(l), Some(RateLimit::LeakyBucket { rate, .. })) =
            (&scene.limiter, sim.scenario().protection.rate_limit)
        else {
            return;
        };
        let turn = (r.until.unwrap_or(now) - now) * rate;
        let turn = turn.max(0.0).round() as u32;
        if turn < l.cells.capacity() {
            let cell = l.cells.cell(turn);
            self.items
                .push(item(r, cell, Fill::Waiting, Some(l.b.part)));
        }
    }

    /// A query on its way to its node, or a write on its way to the queue: along the
    /// lane, as far as its trip has gone (its middle, `still`).
    fn place_on_lane(&mut self, scene: &Scene, r: &LiveRequest, progress: f64, still: bool) {
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
            let (x, y) = along(&points, if still { 0.5 } else { progress });
            let side = server.queue.pitch.max(5.0) - 1.0;
            let rect = Rect::new(x - side / 2.0, y - side / 2.0, side, side);
            self.items.push(item(r, rect, Fill::Travelling, None));
        }
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

/// A lookup works through its wait; a coalesced read or a pool wait only waits.
fn lookup_fill(r: &LiveRequest, progress: f64) -> Fill {
    if r.stage == Stage::Lookup {
        Fill::Working(progress)
    } else {
        Fill::Waiting
    }
}

fn item(r: &LiveRequest, rect: Rect, fill: Fill, at: Option<Part>) -> Item {
    Item {
        rect,
        look: Look::of(r),
        fill,
        retry: r.attempt > 0,
        id: r.id,
        attempt_id: r.attempt_id,
        at,
        arrived_at: r.arrived_at,
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
