//! The topology canvas: clients → load balancer → servers → cache → database. Each
//! server shows its worker slots, its queue and (when local) its cache; a dead server
//! is greyed; a server the balancer no longer routes to hangs on a dashed line.

use super::dots::{draw_legend, Dots};
use super::layout::{Layout, Rect, DB_TITLE};
use super::palette::{css, BLUE, DEAD, INK, MUTED, ORANGE, VERMILLION};
use crate::i18n::{fill, limiter_name, Strings};
use loadlab_sim::server::{Lifecycle, Server};
use loadlab_sim::traffic::Arrivals;
use loadlab_sim::Simulation;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Worker slots drawn one by one up to this many; beyond it a bar shows the busy share.
const MAX_SLOTS_DRAWN: u32 = 16;

/// The 2D context of `canvas`, if the browser gives one.
pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Height of the legend strip under the topology, in layout units.
pub const LEGEND_HEIGHT: f64 = 22.0;

/// The canvas in layout units: pixels divided by `scale`.
pub fn logical_size(canvas: &HtmlCanvasElement, scale: f64) -> (f64, f64) {
    (
        f64::from(canvas.width()) / scale,
        f64::from(canvas.height()) / scale,
    )
}

/// Where each part of `sim` goes on `canvas` drawn at `scale`: the canvas in layout
/// units, less the legend strip.
pub fn layout(canvas: &HtmlCanvasElement, sim: &Simulation, scale: f64) -> Layout {
    let (w, h) = logical_size(canvas, scale);
    Layout::of(sim, w, h - LEGEND_HEIGHT)
}

/// Draws the topology of `sim` as `layout` places it, and `dots` if given (not under
/// reduced motion). All drawing is in layout units, scaled by `scale` (the page's root
/// font size over 13 px); the words are `t`'s.
pub fn draw(
    canvas: &HtmlCanvasElement,
    sim: &Simulation,
    layout: &Layout,
    dots: Option<&Dots>,
    now_ms: f64,
    scale: f64,
    t: &'static Strings,
) {
    let Some(ctx) = context(canvas) else { return };
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    ctx.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let _ = ctx.scale(scale, scale);
    let (_, h) = logical_size(canvas, scale);
    ctx.set_font(&format!("13px {}", super::fonts::FONT_STACK));
    ctx.set_line_width(1.5);
    draw_edges(&ctx, sim, layout);
    let load = match sim.scenario().traffic.arrivals {
        Arrivals::OpenLoop { rate, .. } => fill(t.topo_rate, &[("rate", &format!("{rate:.0}"))]),
        Arrivals::ClosedLoop { users, .. } => fill(t.topo_users, &[("n", &users)]),
    };
    labelled_box(&ctx, layout.clients, t.topo_clients, &load);
    let pool = fill(t.topo_in_pool, &[("n", &sim.pool().len())]);
    labelled_box(&ctx, layout.balancer, t.topo_balancer, &pool);
    if let (Some(rect), Some(limit)) = (layout.limiter, sim.scenario().protection.rate_limit) {
        let refused = sim.metrics().rejections().rate_limited;
        labelled_box(
            &ctx,
            rect,
            t.topo_limiter,
            &format!("{} ✕{refused}", short_limiter(limiter_name(t, &limit))),
        );
    }
    if let (Some(rect), Some(db)) = (layout.write_queue, sim.database()) {
        let consumers = db.config().write_queue.map_or(0, |q| q.consumers);
        labelled_box(
            &ctx,
            rect,
            t.topo_write_queue,
            &fill(
                t.topo_queue_waiting,
                &[("n", &db.queue_depth()), ("c", &consumers)],
            ),
        );
    }
    let local_fill = sim.cache_fill();
    let local = sim
        .scenario()
        .cache
        .as_ref()
        .is_some_and(|c| c.placement == loadlab_sim::cache::Placement::Local);
    for &(index, rect) in &layout.servers {
        let server = &sim.servers()[index as usize];
        let fill = if local {
            local_fill.get(index as usize).copied()
        } else {
            None
        };
        let pool = sim.database().map(|db| {
            let (used, waiting) = db.pool_state(index);
            (used, waiting, db.config().pool_size)
        });
        let seen_up = sim.balancer_sees_up(index);
        draw_server(&ctx, t, server, rect, seen_up, fill, pool);
    }
    if let Some(rect) = layout.cache {
        let (len, cap) = local_fill.first().copied().unwrap_or((0, 0));
        labelled_box(&ctx, rect, t.topo_cache, &format!("{len}/{cap}"));
        fill_bar(
            &ctx,
            Rect {
                x: rect.x + 4.0,
                y: rect.y + rect.h - 8.0,
                w: rect.w - 8.0,
                h: 5.0,
            },
            ratio(len, cap),
            BLUE,
        );
    }
    if let Some(frame) = layout.database {
        draw_database(&ctx, t, sim, frame, &layout.db_nodes);
    }
    if let Some(dots) = dots {
        dots.draw(&ctx, layout, now_ms);
    }
    draw_legend(&ctx, t, h);
}

fn draw_edges(ctx: &CanvasRenderingContext2d, sim: &Simulation, layout: &Layout) {
    ctx.set_stroke_style_str(&css(MUTED));
    let (cx, cy) = layout.clients.centre();
    let (bx, by) = layout.balancer.centre();
    match layout.limiter {
        Some(limiter) => {
            let (lx, ly) = limiter.centre();
            line(ctx, cx, cy, lx, ly);
            line(ctx, lx, ly, bx, by);
        }
        None => line(ctx, cx, cy, bx, by),
    }
    if let (Some(q), Some(d)) = (layout.write_queue, layout.database) {
        line(ctx, q.x + q.w / 2.0, q.y + q.h, d.x + d.w * 0.8, d.y);
    }
    for &(index, rect) in &layout.servers {
        let in_pool = sim.pool().contains(&index);
        let _ = ctx.set_line_dash(&dash(!in_pool));
        let (sx, sy) = (rect.x, rect.y + rect.h / 2.0);
        line(ctx, layout.balancer.x + layout.balancer.w, by, sx, sy);
        for target in [layout.cache, layout.write_queue, layout.database]
            .into_iter()
            .flatten()
        {
            let (tx, ty) = (target.x, target.y + target.h / 2.0);
            line(ctx, rect.x + rect.w, sy, tx, ty);
        }
    }
    let _ = ctx.set_line_dash(&dash(false));
    if let (Some(c), Some(b)) = (layout.cache, layout.database) {
        line(ctx, c.x + c.w / 2.0, c.y + c.h, b.x + b.w / 2.0, b.y);
    }
}

/// The database: a frame with a title line (state, write queue), then each node as
/// a box whose fill is its busy share; a queue behind a node shows as its number.
fn draw_database(
    ctx: &CanvasRenderingContext2d,
    t: &Strings,
    sim: &Simulation,
    frame: Rect,
    nodes: &[Rect],
) {
    let Some(db) = sim.database() else { return };
    let up = db.is_up();
    let background = if up { "#fff".to_string() } else { css(DEAD) };
    ctx.set_fill_style_str(&background);
    ctx.fill_rect(frame.x, frame.y, frame.w, frame.h);
    ctx.set_stroke_style_str(&css(INK));
    ctx.stroke_rect(frame.x, frame.y, frame.w, frame.h);
    ctx.set_fill_style_str(&css(INK));
    let mut title = if up {
        t.topo_database
    } else {
        t.topo_database_down
    }
    .to_string();
    if db.config().locking != loadlab_sim::db::Locking::None {
        title += "  ";
        title += &fill(t.topo_locks, &[("n", &db.locked_rows())]);
    }
    if db.config().write_queue.is_some() {
        title += "  ";
        title += &fill(t.topo_queue_depth, &[("n", &db.queue_depth())]);
    }
    text(ctx, &title, frame.x + 5.0, frame.y + DB_TITLE - 4.0);
    let concurrency = f64::from(db.config().node_concurrency);
    for (node, &rect) in db.nodes().zip(nodes) {
        fill_bar(ctx, rect, f64::from(node.executing()) / concurrency, BLUE);
        if rect.h >= 14.0 && rect.w >= 24.0 {
            ctx.set_fill_style_str(&css(INK));
            let role = match node.role() {
                loadlab_sim::db::Role::Primary => t.topo_primary,
                loadlab_sim::db::Role::Replica(_) => t.topo_replica,
            };
            let label = match node.queued() {
                0 => role.to_string(),
                q => format!("{role} +{q}"),
            };
            text(ctx, &label, rect.x + 3.0, rect.y + rect.h / 2.0 + 4.0);
        }
    }
}

/// A limiter's name short enough for its box.
fn short_limiter(label: &str) -> &str {
    label.split(' ').next().unwrap_or(label)
}

fn dash(on: bool) -> js_sys::Array {
    if on {
        js_sys::Array::of2(&6.0.into(), &4.0.into())
    } else {
        js_sys::Array::new()
    }
}

fn draw_server(
    ctx: &CanvasRenderingContext2d,
    t: &Strings,
    s: &Server,
    rect: Rect,
    seen_up: bool,
    local_cache: Option<(usize, usize)>,
    pool: Option<(u32, usize, u32)>,
) {
    let dead = !s.is_alive();
    if dead {
        ctx.set_fill_style_str(&css(DEAD));
        ctx.fill_rect(rect.x, rect.y, rect.w, rect.h);
    }
    let _ = ctx.set_line_dash(&dash(dead || s.lifecycle() == Lifecycle::Draining));
    ctx.set_stroke_style_str(&css(if dead { MUTED } else { INK }));
    ctx.stroke_rect(rect.x, rect.y, rect.w, rect.h);
    let _ = ctx.set_line_dash(&dash(false));
    ctx.set_fill_style_str(&css(INK));
    let status = match (dead, seen_up, s.lifecycle()) {
        (true, true, _) => t.topo_down_unaware,
        (true, false, _) => t.topo_down,
        (false, _, Lifecycle::Draining) => t.topo_draining,
        (false, false, _) => t.topo_out_of_pool,
        _ => "",
    };
    text(
        ctx,
        &fill(t.topo_server, &[("id", &s.id()), ("status", &status)]),
        rect.x + 5.0,
        rect.y + 14.0,
    );
    if dead {
        return;
    }
    let inner_h = (rect.h - 22.0).clamp(6.0, 16.0);
    let slots = Rect {
        x: rect.x + 5.0,
        y: rect.y + 19.0,
        w: rect.w * 0.55 - 10.0,
        h: inner_h,
    };
    draw_workers(ctx, s, slots);
    let queue = Rect {
        x: rect.x + rect.w * 0.58,
        y: rect.y + 19.0,
        w: rect.w * 0.4 - 5.0,
        h: inner_h.min(10.0),
    };
    let (queue_share, capacity) = match s.queue_capacity() {
        Some(0) => (0.0, "0".to_string()),
        Some(cap) => (s.queue_len() as f64 / f64::from(cap), cap.to_string()),
        None => (s.queue_len() as f64 / 100.0, "∞".to_string()),
    };
    fill_bar(ctx, queue, queue_share, ORANGE);
    ctx.set_fill_style_str(&css(INK));
    let mut label = fill(
        t.topo_queue,
        &[("n", &s.queue_len()), ("capacity", &capacity)],
    );
    if let Some((len, cap)) = local_cache {
        let share = format!("{:.0}", 100.0 * ratio(len, cap));
        label += "  ";
        label += &fill(t.topo_cache_share, &[("x", &share)]);
    }
    if let Some((used, waiting, size)) = pool {
        label += "  ";
        label += &fill(t.topo_db, &[("used", &used), ("size", &size)]);
        if waiting > 0 {
            label += &format!(" +{waiting}");
        }
    }
    if rect.h >= 40.0 {
        text(ctx, &label, queue.x, queue.y + queue.h + 13.0);
    } else {
        text(ctx, &label, rect.x + rect.w * 0.58, rect.y + 14.0);
    }
}

/// Busy workers filled, idle ones outlined: a shape difference, not only a colour one.
fn draw_workers(ctx: &CanvasRenderingContext2d, s: &Server, area: Rect) {
    if s.workers() > MAX_SLOTS_DRAWN {
        fill_bar(
            ctx,
            area,
            f64::from(s.busy()) / f64::from(s.workers()),
            BLUE,
        );
        ctx.set_fill_style_str(&css(INK));
        text(
            ctx,
            &format!("{}/{}", s.busy(), s.workers()),
            area.x + 3.0,
            area.y + area.h - 3.0,
        );
        return;
    }
    let pitch = (area.w / f64::from(s.workers())).min(area.h + 4.0);
    for slot in 0..s.workers() {
        let x = area.x + pitch * f64::from(slot);
        if slot < s.busy() {
            ctx.set_fill_style_str(&css(BLUE));
            ctx.fill_rect(x, area.y, pitch - 3.0, area.h);
        } else {
            ctx.set_stroke_style_str(&css(MUTED));
            ctx.stroke_rect(x, area.y, pitch - 3.0, area.h);
        }
    }
}

fn fill_bar(ctx: &CanvasRenderingContext2d, area: Rect, fill: f64, colour: (u8, u8, u8)) {
    ctx.set_stroke_style_str(&css(MUTED));
    ctx.stroke_rect(area.x, area.y, area.w, area.h);
    ctx.set_fill_style_str(&css(if fill >= 1.0 { VERMILLION } else { colour }));
    ctx.fill_rect(area.x, area.y, area.w * fill.clamp(0.0, 1.0), area.h);
}

fn labelled_box(ctx: &CanvasRenderingContext2d, r: Rect, label: &str, detail: &str) {
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(r.x, r.y, r.w, r.h);
    ctx.set_stroke_style_str(&css(INK));
    ctx.stroke_rect(r.x, r.y, r.w, r.h);
    ctx.set_fill_style_str(&css(INK));
    text(ctx, label, r.x + 5.0, r.y + 17.0);
    text(ctx, detail, r.x + 5.0, r.y + 34.0);
}

fn line(ctx: &CanvasRenderingContext2d, x0: f64, y0: f64, x1: f64, y1: f64) {
    ctx.begin_path();
    ctx.move_to(x0, y0);
    ctx.line_to(x1, y1);
    ctx.stroke();
}

fn text(ctx: &CanvasRenderingContext2d, s: &str, x: f64, y: f64) {
    // fill_text only fails for a detached context; a missing label is not worth a panic.
    let _ = ctx.fill_text(s, x, y);
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
