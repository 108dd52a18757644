//! The flow view, for high speeds and fast-forward, when requests pass too fast to
//! follow one by one: each lane is as wide as the rate on it over the last window, each
//! queue a bar as long as its share of its cells, each pool of workers or executors a
//! bar of its busy share. The labels keep the exact counts.

use super::paint;
use super::scene::Scene;
use super::Lane;
use crate::view::palette::{BLUE, ORANGE};
use loadlab_sim::metrics::WindowStats;
use loadlab_sim::{Part, Simulation};
use web_sys::CanvasRenderingContext2d;

/// Lane width, in logical pixels, for a rate of `per_second` when the busiest lane
/// carries `busiest`: from a hairline to 9 px.
fn width(per_second: f64, busiest: f64) -> f64 {
    if busiest <= 0.0 {
        1.0
    } else {
        1.0 + 8.0 * (per_second / busiest).sqrt()
    }
}

/// The rate along the edge from `from` to `to` in window `w`.
fn rate(w: &WindowStats, from: Part, to: Part) -> f64 {
    let span = (w.end - w.start).max(1e-9);
    let per = |n: u64| n as f64 / span;
    match (from, to) {
        (Part::Clients, _) => per(w.arrivals),
        (Part::Limiter, _) => per(w.arrivals - w.rejections.rate_limited),
        (Part::Balancer, Part::Server(i)) => {
            per(w.servers.iter().find(|s| s.id == i).map_or(0, |s| s.routed))
        }
        (Part::Server(i), Part::Cache) => {
            let s = w.servers.iter().find(|s| s.id == i);
            per(s.map_or(0, |s| s.completed))
        }
        (_, Part::Database) => w.database.as_ref().map_or(0.0, |d| {
            d.nodes.iter().map(|n| n.queries as f64).sum::<f64>() / span
        }),
        (Part::Server(i), _) => per(w
            .servers
            .iter()
            .find(|s| s.id == i)
            .map_or(0, |s| s.completed)),
        _ => 0.0,
    }
}

/// The lanes as wide as their rates (under the parts).
pub fn lanes(ctx: &CanvasRenderingContext2d, sim: &Simulation, lanes: &[Lane]) {
    if let Some(w) = sim.metrics().windows().back() {
        let busiest = lanes
            .iter()
            .map(|l| rate(w, l.from, l.to))
            .fold(0.0, f64::max);
        for l in lanes {
            paint::lane(ctx, &l.points, false, width(rate(w, l.from, l.to), busiest));
        }
    }
}

/// The queues and pools as bars (over the parts, which are drawn blank).
pub fn bars(ctx: &CanvasRenderingContext2d, sim: &Simulation, scene: &Scene) {
    for s in &scene.servers {
        let server = &sim.servers()[s.index as usize];
        let cap = s.queue.capacity().max(1);
        let queue = server.queue_len() as f64 / f64::from(cap);
        paint::bar(ctx, s.queue.area, queue, ORANGE);
        let busy = f64::from(server.busy()) / f64::from(server.workers().max(1));
        paint::bar(ctx, s.slots.area, busy, BLUE);
    }
    if let Some(db) = sim.database() {
        let concurrency = f64::from(db.config().node_concurrency.max(1));
        for (n, node) in scene.nodes.iter().zip(db.nodes()) {
            let cap = n.queue.capacity().max(1);
            paint::bar(
                ctx,
                n.queue.area,
                node.queued() as f64 / f64::from(cap),
                ORANGE,
            );
            paint::bar(
                ctx,
                n.slots.area,
                f64::from(node.executing()) / concurrency,
                BLUE,
            );
        }
    }
}
