//! Where every part of the stage goes, from the core's description of the topology: a
//! band per tier (columns on a wide canvas, rows on a tall one), each part's label and
//! the cells its requests line up in, and the lanes between parts, which run in the
//! gutters between bands and never through a part. Labels and cells are disjoint by
//! construction, so nothing drawn in a cell or on a lane covers a label. Pure
//! arithmetic, tested natively.

use super::geometry::{Cells, Rect};
use loadlab_sim::{Part, Topology};

/// Height of the legend strip under the stage.
pub const LEGEND: f64 = 20.0;
/// Room between bands, where the lanes run.
const GUTTER: f64 = 18.0;
const MARGIN: f64 = 6.0;
/// Height of a part's label line.
pub const LABEL_LINE: f64 = 15.0;
/// Most lines a label takes in a part with nothing else inside (the clients, the
/// balancer), so a narrow box still says everything.
const SINGLE_LABEL_LINES: f64 = 3.0;
/// Widest across its band a server is drawn.
const MAX_FILE: f64 = 150.0;
/// Tallest a database node is drawn: more is empty room.
const NODE_MAX_H: f64 = 64.0;
/// Height of the database's strip of lock waits.
const LOCKS: f64 = 10.0;

/// Which way the tiers run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orient {
    /// Left to right: a wide canvas.
    Landscape,
    /// Top to bottom: a tall one (a phone).
    Portrait,
}

/// What a layout depends on: a change of any of it lays the stage out again.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub topology: Topology,
    /// Workers of each server, by index.
    pub workers: Vec<u32>,
    /// Executors per database node.
    pub db_concurrency: u32,
    pub width: f64,
    pub height: f64,
}

/// A part's box: its outline, its label line, and where lanes meet it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartBox {
    pub part: Part,
    pub outer: Rect,
    pub label: Rect,
    /// Where lanes come in, and go out.
    pub entry: (f64, f64),
    pub exit: (f64, f64),
}

/// A server: its queue (head nearest the workers), its workers' slots (or, when too
/// many to draw one by one, a bar), and a strip for requests that hold no worker
/// (waiting for a database connection, or in async I/O).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerBox {
    pub index: u32,
    pub b: PartBox,
    pub queue: Cells,
    pub slots: Cells,
    /// Workers drawn one by one (else `slots.area` is a bar).
    pub each_slot: bool,
    pub io: Option<Cells>,
}

/// A database node: its queue and its executors.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    pub position: usize,
    pub b: PartBox,
    pub queue: Cells,
    pub slots: Cells,
}

/// A part with one strip of cells (the limiter's held requests, the cache's lookups, the
/// requests on their way to the write queue) and a bar under its label.
#[derive(Debug, Clone, PartialEq)]
pub struct StripBox {
    pub b: PartBox,
    pub cells: Cells,
    pub bar: Rect,
}

/// The whole stage laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub orient: Orient,
    pub clients: PartBox,
    pub limiter: Option<StripBox>,
    pub balancer: PartBox,
    pub servers: Vec<ServerBox>,
    pub cache: Option<StripBox>,
    pub write_queue: Option<StripBox>,
    pub database: Option<PartBox>,
    /// Writes waiting for their row's lock, under the database's label.
    pub locks: Option<Cells>,
    pub nodes: Vec<NodeBox>,
    pub legend: Rect,
    /// Along the tiers: where each tier's gutter (after its band) runs, by tier.
    gutters: [f64; 6],
    /// Across the tiers: where lanes pass the cache's band to reach the database.
    corridor: f64,
    /// The room between database nodes, where lanes reach the nodes behind others.
    node_gap: f64,
}

/// Longest each tier's band is drawn along the tiers: beyond it a band is empty room
/// (a server's queue shows its first requests, then a count), which goes to the
/// other tiers, and what none can take to the margins, centring the picture.
const BAND_MAX: [f64; 6] = [170.0, 170.0, 170.0, 260.0, 220.0, f64::INFINITY];

/// Each tier's share of the length along the tiers, landscape and portrait.
const WEIGHTS: [(f64, f64); 6] = [
    (0.09, 0.07),
    (0.08, 0.07),
    (0.09, 0.06),
    (0.38, 0.42),
    (0.11, 0.13),
    (0.27, 0.25),
];

impl Scene {
    /// Lays out `shape`.
    pub fn of(shape: &Shape) -> Self {
        let orient = if shape.width >= shape.height * 0.9 {
            Orient::Landscape
        } else {
            Orient::Portrait
        };
        let mut axes = Axes::new(orient, shape.width, shape.height - LEGEND);
        let bands = axes.bands(&shape.topology);
        let mut scene = Scene {
            orient,
            clients: roomy_label(axes.single(Part::Clients, bands[0])),
            limiter: None,
            balancer: roomy_label(axes.single(Part::Balancer, bands[2])),
            servers: Vec::new(),
            cache: None,
            write_queue: None,
            database: None,
            locks: None,
            nodes: Vec::new(),
            legend: Rect::new(0.0, shape.height - LEGEND, shape.width, LEGEND),
            gutters: axes.gutters,
            corridor: axes.corridor(),
            node_gap: 0.0,
        };
        let t = &shape.topology;
        let servers: Vec<u32> = (t.parts.iter())
            .filter_map(|p| match p {
                Part::Server(i) => Some(*i),
                _ => None,
            })
            .collect();
        for (slot, &index) in servers.iter().enumerate() {
            let outer = axes.file(bands[3], slot, servers.len());
            let workers = shape.workers.get(index as usize).copied().unwrap_or(1);
            scene.servers.push(server_box(
                index,
                axes.part_box(Part::Server(index), outer),
                workers,
            ));
        }
        if t.parts.contains(&Part::Limiter) {
            let b = axes.single(Part::Limiter, bands[1]);
            scene.limiter = Some(strip_box(b, orient));
        }
        let (cache_area, queue_area) = axes.middle(bands[4], t);
        if let Some(area) = cache_area {
            scene.cache = Some(strip_box(axes.part_box(Part::Cache, area), orient));
        }
        if let Some(area) = queue_area {
            scene.write_queue = Some(strip_box(axes.part_box(Part::WriteQueue, area), orient));
        }
        if t.parts.contains(&Part::Database) {
            let frame = axes.part_box(Part::Database, db_frame(&axes, bands[5], t));
            let (locks, nodes) = body(&frame).cut_top(LOCKS);
            scene.locks = Some(Cells::with_pitch(locks.inset(1.0), 8.0, false));
            (scene.nodes, scene.node_gap) = node_boxes(&axes, nodes, t, shape.db_concurrency);
            scene.database = Some(frame);
        }
        scene
    }

    /// Every part's box, for hovering and for tests that read the page.
    pub fn boxes(&self) -> impl Iterator<Item = &PartBox> {
        let singles = [Some(&self.clients), Some(&self.balancer)]
            .into_iter()
            .flatten();
        let strips = [&self.limiter, &self.cache, &self.write_queue]
            .into_iter()
            .flatten()
            .map(|s| &s.b);
        singles
            .chain(strips)
            .chain(self.servers.iter().map(|s| &s.b))
            .chain(&self.database)
            .chain(self.nodes.iter().map(|n| &n.b))
    }

    /// The parts in the order requests meet them (clients, limiter, balancer, servers,
    /// cache, write queue, database, its nodes): the order the keyboard visits them.
    pub fn in_flow_order(&self) -> Vec<&PartBox> {
        let mut out = vec![&self.clients];
        out.extend(self.limiter.as_ref().map(|s| &s.b));
        out.push(&self.balancer);
        out.extend(self.servers.iter().map(|s| &s.b));
        out.extend(
            [&self.cache, &self.write_queue]
                .into_iter()
                .flatten()
                .map(|s| &s.b),
        );
        out.extend(&self.database);
        out.extend(self.nodes.iter().map(|n| &n.b));
        out
    }

    /// The innermost part under `point` (a node before its database's frame).
    pub fn part_at(&self, point: (f64, f64)) -> Option<Part> {
        let mut found = None;
        for b in self.boxes() {
            if b.outer.contains(point) {
                found = Some(b.part);
                if matches!(b.part, Part::DbNode { .. }) {
                    break;
                }
            }
        }
        found
    }

    /// The box of `part`, if it is on the stage.
    pub fn box_of(&self, part: Part) -> Option<&PartBox> {
        self.boxes().find(|b| b.part == part)
    }

    /// The server box of server `index`.
    pub fn server(&self, index: u32) -> Option<&ServerBox> {
        self.servers.iter().find(|s| s.index == index)
    }

    /// The lane from `from` to `to` (a later tier): out of `from`, along the gutter after
    /// its band, past any band between them by that band's corridor, into `to`. Never
    /// through a part.
    pub fn lane(&self, from: &PartBox, to: &PartBox) -> Vec<(f64, f64)> {
        let mut points = self.lane_to_tier(from, to.part.tier());
        let last = self.main(*points.last().expect("a start"));
        points.push(self.at(last, self.cross(to.entry)));
        points.push(to.entry);
        points
    }

    /// The lane from `from` to database node `node`: to the database's band, then along
    /// the outside of its frame and the gaps between nodes, into the node's side.
    pub fn lane_to_node(&self, from: &PartBox, node: &NodeBox) -> Vec<(f64, f64)> {
        let mut points = self.lane_to_tier(from, node.b.part.tier());
        let start = *points.last().expect("a start");
        let outside = match self.orient {
            Orient::Landscape => start.0,
            Orient::Portrait => MARGIN / 2.0,
        };
        let r = node.b.outer;
        let (gap_x, gap_y) = (r.x - self.node_gap / 2.0, r.y - self.node_gap / 2.0);
        if self.orient == Orient::Portrait {
            points.push((outside, start.1));
        }
        points.extend([
            (outside, gap_y),
            (gap_x, gap_y),
            (gap_x, node.b.entry.1),
            node.b.entry,
        ]);
        points
    }

    /// From `from`'s exit to the gutter just before tier `to`'s band.
    fn lane_to_tier(&self, from: &PartBox, to: u8) -> Vec<(f64, f64)> {
        let a = from.part.tier();
        let mut main = self.gutters[usize::from(a)];
        let mut points = vec![from.exit, self.at(main, self.cross(from.exit))];
        for t in a + 1..to {
            let gutter = self.gutters[usize::from(t)];
            if gutter.is_nan() {
                continue;
            }
            points.push(self.at(main, self.corridor));
            main = gutter;
            points.push(self.at(main, self.corridor));
        }
        points
    }

    fn main(&self, (x, y): (f64, f64)) -> f64 {
        match self.orient {
            Orient::Landscape => x,
            Orient::Portrait => y,
        }
    }

    fn cross(&self, (x, y): (f64, f64)) -> f64 {
        match self.orient {
            Orient::Landscape => y,
            Orient::Portrait => x,
        }
    }

    fn at(&self, main: f64, cross: f64) -> (f64, f64) {
        match self.orient {
            Orient::Landscape => (main, cross),
            Orient::Portrait => (cross, main),
        }
    }

    /// Every label's rectangle: what nothing else may cover.
    pub fn labels(&self) -> impl Iterator<Item = Rect> + '_ {
        self.boxes()
            .map(|b| b.label)
            .filter(|r| r.w > 0.0 && r.h > 0.0)
    }
}

/// A band: where a tier's parts go along the tiers (`start`, `len`); `len` 0 if absent.
#[derive(Debug, Clone, Copy, Default)]
struct Band {
    start: f64,
    len: f64,
}

/// The two axes of a layout: along the tiers (main) and across them (cross).
struct Axes {
    orient: Orient,
    main_len: f64,
    cross_len: f64,
    gutters: [f64; 6],
}

impl Axes {
    fn new(orient: Orient, w: f64, h: f64) -> Self {
        let (main_len, cross_len) = match orient {
            Orient::Landscape => (w, h),
            Orient::Portrait => (h, w),
        };
        Self {
            orient,
            main_len,
            cross_len,
            gutters: [f64::NAN; 6],
        }
    }

    /// The rectangle at `main`..+`ml` along, `cross`..+`cl` across.
    fn rect(&self, main: f64, ml: f64, cross: f64, cl: f64) -> Rect {
        match self.orient {
            Orient::Landscape => Rect::new(main, cross, ml, cl),
            Orient::Portrait => Rect::new(cross, main, cl, ml),
        }
    }

    /// Each present tier's band, with a gutter after each but the last.
    fn bands(&mut self, t: &Topology) -> [Band; 6] {
        let present: Vec<u8> = (0..6u8)
            .filter(|&tier| t.parts.iter().any(|p| p.tier() == tier))
            .collect();
        let weight = |tier: u8| {
            let (l, p) = WEIGHTS[usize::from(tier)];
            if self.orient == Orient::Landscape {
                l
            } else {
                p
            }
        };
        let gutters = GUTTER * (present.len().saturating_sub(1)) as f64;
        let usable = (self.main_len - 2.0 * MARGIN - gutters).max(0.0);
        let lens = capped_shares(usable, &present, weight);
        let mut bands = [Band::default(); 6];
        let mut at = MARGIN + (usable - lens.iter().sum::<f64>()) / 2.0;
        for (i, (&tier, &len)) in present.iter().zip(&lens).enumerate() {
            bands[usize::from(tier)] = Band { start: at, len };
            at += len;
            if i + 1 < present.len() {
                self.gutters[usize::from(tier)] = at + GUTTER / 2.0;
                at += GUTTER;
            }
        }
        bands
    }

    /// Across the cache's band, beyond its boxes: where lanes to the database pass.
    fn corridor(&self) -> f64 {
        MARGIN + (self.cross_len - 2.0 * MARGIN) * 0.86
    }

    /// A band's whole cross length.
    fn whole(&self, band: Band) -> Rect {
        self.rect(band.start, band.len, MARGIN, self.cross_len - 2.0 * MARGIN)
    }

    /// One part alone in its band, centred across it.
    fn single(&self, part: Part, band: Band) -> PartBox {
        let cross = match self.orient {
            Orient::Landscape => (self.cross_len * 0.3).clamp(44.0, 96.0),
            Orient::Portrait => (self.cross_len * 0.6).min(260.0),
        };
        let start = (self.cross_len - cross) / 2.0;
        self.part_box(part, self.rect(band.start, band.len, start, cross))
    }

    /// Part `i` of `n` lined up across a band, centred; none wider across than
    /// [`MAX_FILE`] (a lone server does not fill a projector).
    fn file(&self, band: Band, i: usize, n: usize) -> Rect {
        let gap = match n {
            0..=16 => 5.0,
            17..=64 => 2.0,
            _ => 0.5,
        };
        let avail = self.cross_len - 2.0 * MARGIN - gap * (n as f64 - 1.0);
        let cap = match self.orient {
            Orient::Landscape => MAX_FILE,
            Orient::Portrait => MAX_FILE * 1.6,
        };
        let each = (avail / n as f64).clamp(0.5, cap);
        let used = each * n as f64 + gap * (n as f64 - 1.0);
        let start = (self.cross_len - used) / 2.0;
        self.rect(band.start, band.len, start + i as f64 * (each + gap), each)
    }

    /// The cache and the write queue across their band, short of the corridor.
    fn middle(&self, band: Band, t: &Topology) -> (Option<Rect>, Option<Rect>) {
        let cache = t.parts.contains(&Part::Cache);
        let queue = t.parts.contains(&Part::WriteQueue);
        let end = if t.parts.contains(&Part::Database) {
            self.corridor() - 12.0
        } else {
            self.cross_len - MARGIN
        };
        let room = (end - MARGIN).max(0.0);
        match (cache, queue) {
            (true, true) => {
                let each = (room - 8.0) / 2.0;
                let c = self.rect(band.start, band.len, MARGIN, each);
                let q = self.rect(band.start, band.len, MARGIN + each + 8.0, each);
                (Some(c), Some(q))
            }
            (true, false) => (
                Some(self.rect(band.start, band.len, MARGIN, room.min(140.0))),
                None,
            ),
            (false, true) => (
                None,
                Some(self.rect(band.start, band.len, MARGIN, room.min(140.0))),
            ),
            (false, false) => (None, None),
        }
    }

    /// `outer` as `part`'s box: its label line on top, lanes in and out at its sides.
    fn part_box(&self, part: Part, outer: Rect) -> PartBox {
        // A box with room for its label line and a little under it is labelled: a
        // balancer squeezed to 28 px on a phone was an empty, nameless box.
        let label_h = if outer.h >= LABEL_LINE + 8.0 {
            LABEL_LINE
        } else {
            0.0
        };
        let (label, _) = outer.inset(1.0).cut_top(label_h);
        let (cx, cy) = outer.centre();
        let (entry, exit) = match self.orient {
            Orient::Landscape => ((outer.x, cy), (outer.right(), cy)),
            Orient::Portrait => ((cx, outer.y), (cx, outer.bottom())),
        };
        PartBox {
            part,
            outer,
            label,
            entry,
            exit,
        }
    }
}

/// The database's frame in its band: on a wide stage no taller than its rows of nodes
/// at their tallest need (more would be empty room), centred; on a tall one the band.
fn db_frame(axes: &Axes, band: Band, t: &Topology) -> Rect {
    let whole = axes.whole(band);
    let shards = (t.parts.iter())
        .filter_map(|p| match p {
            Part::DbNode { shard, .. } => Some(*shard + 1),
            _ => None,
        })
        .max()
        .unwrap_or(1);
    let rows = f64::from(shards);
    let gap = node_gap(shards);
    // Its outline and label, the lock strip, the nodes' margin, then the rows.
    let need = 4.0 + LABEL_LINE + LOCKS + 4.0 + rows * NODE_MAX_H + gap * (rows - 1.0);
    if axes.orient == Orient::Portrait || need >= whole.h {
        return whole;
    }
    Rect::new(whole.x, whole.y + (whole.h - need) / 2.0, whole.w, need)
}

/// The room between database nodes, narrower when many shards share the height.
fn node_gap(shards: u32) -> f64 {
    if shards > 16 {
        1.0
    } else {
        4.0
    }
}

/// `usable` shared among the `present` tiers by weight, none beyond its [`BAND_MAX`]:
/// what a capped tier cannot take is shared again among the others.
fn capped_shares(usable: f64, present: &[u8], weight: impl Fn(u8) -> f64) -> Vec<f64> {
    let max = |tier: u8| BAND_MAX[usize::from(tier)];
    let mut lens = vec![0.0; present.len()];
    let mut open: Vec<usize> = (0..present.len()).collect();
    let mut left = usable;
    while !open.is_empty() && left > 0.5 {
        let total: f64 = open.iter().map(|&i| weight(present[i])).sum();
        let mut capped = Vec::new();
        for &i in &open {
            let share = left * weight(present[i]) / total;
            let room = max(present[i]) - lens[i];
            lens[i] += share.min(room);
            if share >= room {
                capped.push(i);
            }
        }
        left = usable - lens.iter().sum::<f64>();
        if capped.is_empty() {
            break;
        }
        open.retain(|i| !capped.contains(i));
    }
    lens
}

/// `b` with a label of up to [`SINGLE_LABEL_LINES`] lines, for a part that holds nothing
/// else: above its middle, where lanes (and the hops along them) pass through.
fn roomy_label(mut b: PartBox) -> PartBox {
    let room = b.outer.h / 2.0 - 4.0;
    let lines = (room / LABEL_LINE).floor().min(SINGLE_LABEL_LINES);
    if lines > 1.0 {
        b.label = b.outer.inset(1.0).cut_top(lines * LABEL_LINE).0;
    }
    b
}

/// The body of a box: what is under its label line.
fn body(b: &PartBox) -> Rect {
    let inner = b.outer.inset(2.0);
    inner.cut_top(b.label.h).1
}

fn strip_box(b: PartBox, orient: Orient) -> StripBox {
    let (bar, rest) = body(&b).cut_top(6.0);
    let bar = bar.inset(1.0);
    let cells = Cells::with_pitch(rest.inset(1.0), 10.0, orient == Orient::Landscape);
    StripBox { b, cells, bar }
}

/// A server's inside: a strip for I/O at the bottom when there is room, then its queue
/// on the side requests come in from, and its workers' slots on the other.
fn server_box(index: u32, b: PartBox, workers: u32) -> ServerBox {
    let inner = body(&b);
    let (io, rest) = if inner.h >= 26.0 {
        let (io, rest) = inner.cut_bottom((inner.h * 0.3).min(16.0));
        (
            Some(Cells::with_pitch(io, (io.h - 1.0).clamp(5.0, 10.0), false)),
            rest,
        )
    } else {
        (None, inner)
    };
    let wide = rest.w >= rest.h * 1.6;
    let (queue_area, slots_area) = if wide {
        rest.cut_left(rest.w * 0.45)
    } else {
        rest.cut_top(rest.h * 0.45)
    };
    let slots = Cells::fit(slots_area.inset(1.0), workers, false);
    let pitch = slots.pitch.min(12.0);
    ServerBox {
        index,
        b,
        queue: Cells::with_pitch(queue_area.inset(1.0), pitch, wide),
        each_slot: slots.holds(workers),
        slots,
        io,
    }
}

/// The database's nodes, a row per shard, the primary then its replicas along it, and
/// the gap between them. A node's lanes come in at its left side whichever way the stage
/// runs, along the gaps.
fn node_boxes(axes: &Axes, area: Rect, t: &Topology, concurrency: u32) -> (Vec<NodeBox>, f64) {
    let nodes: Vec<(usize, u32)> = (t.parts.iter())
        .filter_map(|p| match *p {
            Part::DbNode {
                position, shard, ..
            } => Some((position, shard)),
            _ => None,
        })
        .collect();
    let shards = nodes.iter().map(|n| n.1).max().map_or(0, |s| s + 1);
    let per_shard = (nodes.len() as u32).checked_div(shards).unwrap_or(0);
    let area = area.inset(2.0);
    let gap = node_gap(shards);
    let (rows, cols) = (f64::from(shards.max(1)), f64::from(per_shard.max(1)));
    let row_h = ((area.h - gap * (rows - 1.0)) / rows).min(NODE_MAX_H);
    let col_w = (area.w - gap * (cols - 1.0)) / cols;
    let parts = (t.parts.iter()).filter(|p| matches!(p, Part::DbNode { .. }));
    let boxes = parts
        .zip(&nodes)
        .enumerate()
        .map(|(i, (&part, &(position, shard)))| {
            let col = (i as u32 % per_shard.max(1)) as f64;
            let outer = Rect::new(
                area.x + col * (col_w + gap),
                area.y + f64::from(shard) * (row_h + gap),
                col_w.max(0.5),
                row_h.max(0.5),
            );
            let mut b = axes.part_box(part, outer);
            b.entry = (outer.x, outer.centre().1);
            let inner = body(&b);
            let (queue_area, slots_area) = inner.cut_left(inner.w * 0.5);
            let slots = Cells::fit(slots_area.inset(1.0), concurrency, false);
            NodeBox {
                position,
                b,
                queue: Cells::with_pitch(queue_area.inset(1.0), slots.pitch.min(12.0), true),
                slots,
            }
        })
        .collect();
    (boxes, gap)
}
