//! The topology canvas: clients → load balancer → servers, each server with its worker
//! slots and its queue.

use super::palette::{css, BLUE, INK, MUTED, ORANGE};
use loadlab_sim::server::{Lifecycle, Server};
use loadlab_sim::traffic::Arrivals;
use loadlab_sim::Simulation;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Worker slots drawn one by one up to this many; beyond it a bar shows the busy share.
const MAX_SLOTS_DRAWN: u32 = 24;

/// The 2D context of `canvas`, if the browser gives one.
pub fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// Draws the whole topology of `sim` onto `canvas`.
pub fn draw(canvas: &HtmlCanvasElement, sim: &Simulation) {
    let Some(ctx) = context(canvas) else { return };
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    ctx.clear_rect(0.0, 0.0, w, h);
    ctx.set_font("14px system-ui, sans-serif");
    ctx.set_line_width(1.5);

    let mid = h / 2.0;
    let lb_x = w * 0.28;
    let server_x = w * 0.45;
    let servers: Vec<&Server> = sim
        .servers()
        .iter()
        .filter(|s| s.lifecycle() != Lifecycle::Retired)
        .collect();
    let row = (h - 20.0) / servers.len().max(1) as f64;

    ctx.set_stroke_style_str(&css(MUTED));
    line(&ctx, 70.0, mid, lb_x - 40.0, mid);
    for i in 0..servers.len() {
        line(
            &ctx,
            lb_x + 40.0,
            mid,
            server_x,
            10.0 + row * (i as f64 + 0.5),
        );
    }

    labelled_box(&ctx, 10.0, mid - 25.0, 60.0, 50.0, "clients");
    let load = match sim.scenario().traffic.arrivals {
        Arrivals::OpenLoop { rate, .. } => format!("{rate:.0} req/s"),
        Arrivals::ClosedLoop { users, .. } => format!("{users} users"),
    };
    text(&ctx, &load, 10.0, mid + 45.0);
    labelled_box(&ctx, lb_x - 40.0, mid - 25.0, 80.0, 50.0, "balancer");
    text(
        &ctx,
        sim.scenario().balancer.label(),
        lb_x - 40.0,
        mid + 45.0,
    );

    for (i, server) in servers.iter().enumerate() {
        let top = 10.0 + row * i as f64;
        draw_server(&ctx, server, server_x, top, w - server_x - 10.0, row - 6.0);
    }
}

fn draw_server(
    ctx: &CanvasRenderingContext2d,
    s: &Server,
    x: f64,
    y: f64,
    width: f64,
    height: f64,
) {
    ctx.set_stroke_style_str(&css(INK));
    ctx.stroke_rect(x, y, width, height);
    ctx.set_fill_style_str(&css(INK));
    text(ctx, &format!("server {}", s.id()), x + 6.0, y + 16.0);

    let slots_x = x + 80.0;
    let slots_w = width * 0.5 - 80.0;
    draw_workers(ctx, s, slots_x, y + 4.0, slots_w, (height - 8.0).min(20.0));

    let queue_x = x + width * 0.5 + 10.0;
    let queue_w = width * 0.5 - 20.0;
    let fill = match s.queue_capacity() {
        Some(0) => 0.0,
        Some(cap) => s.queue_len() as f64 / f64::from(cap),
        // Unbounded: the bar fills as the queue reaches 100, then stays full.
        None => s.queue_len() as f64 / 100.0,
    };
    ctx.set_stroke_style_str(&css(MUTED));
    ctx.stroke_rect(queue_x, y + 4.0, queue_w, 14.0);
    ctx.set_fill_style_str(&css(ORANGE));
    ctx.fill_rect(queue_x, y + 4.0, queue_w * fill.min(1.0), 14.0);
    ctx.set_fill_style_str(&css(INK));
    let capacity = s
        .queue_capacity()
        .map_or_else(|| "∞".to_string(), |c| c.to_string());
    let label = format!("queue {}/{capacity}", s.queue_len());
    text(ctx, &label, queue_x, y + 34.0_f64.min(height));
}

/// Busy workers filled, idle ones outlined: a shape difference, not only a colour one.
fn draw_workers(ctx: &CanvasRenderingContext2d, s: &Server, x: f64, y: f64, width: f64, size: f64) {
    if s.workers() > MAX_SLOTS_DRAWN {
        let busy = f64::from(s.busy()) / f64::from(s.workers());
        ctx.set_stroke_style_str(&css(MUTED));
        ctx.stroke_rect(x, y, width, size);
        ctx.set_fill_style_str(&css(BLUE));
        ctx.fill_rect(x, y, width * busy, size);
        return;
    }
    let pitch = (width / f64::from(s.workers())).min(size + 4.0);
    for slot in 0..s.workers() {
        let sx = x + pitch * f64::from(slot);
        if slot < s.busy() {
            ctx.set_fill_style_str(&css(BLUE));
            ctx.fill_rect(sx, y, pitch - 4.0, size);
        } else {
            ctx.set_stroke_style_str(&css(MUTED));
            ctx.stroke_rect(sx, y, pitch - 4.0, size);
        }
    }
}

fn labelled_box(ctx: &CanvasRenderingContext2d, x: f64, y: f64, w: f64, h: f64, label: &str) {
    ctx.set_stroke_style_str(&css(INK));
    ctx.stroke_rect(x, y, w, h);
    ctx.set_fill_style_str(&css(INK));
    text(ctx, label, x + 6.0, y + h / 2.0 + 5.0);
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
