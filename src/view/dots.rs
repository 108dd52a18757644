//! Moving dots: each a sampled request from the core's traces, travelling the path it
//! took, coloured and shaped by what happened to it. The dots are an echo of requests
//! that have ended, so their colour is known when they set off; each takes a fixed
//! wall-clock time, whatever the simulated speed.

use super::layout::{Layout, Rect};
use super::palette::{css, BLUE, GREEN, INK, ORANGE, PURPLE, SKY, VERMILLION};
use crate::i18n::Strings;
use loadlab_sim::trace::Outcome;
use loadlab_sim::Simulation;
use std::collections::VecDeque;
use web_sys::CanvasRenderingContext2d;

/// How long a dot travels, in wall-clock milliseconds.
pub const LIFETIME_MS: f64 = 900.0;
/// Dots set off per wall-clock second, at most (the core's tracing is sampled to this).
pub const DOTS_PER_SECOND: f64 = 45.0;
/// Dots alive at once, at most.
const MAX_DOTS: usize = 400;

#[derive(Debug, Clone, Copy)]
struct Dot {
    born_ms: f64,
    server: Option<u32>,
    outcome: Outcome,
    retried: bool,
}

/// The dots in flight and the last trace taken.
#[derive(Debug, Default)]
pub struct Dots {
    dots: VecDeque<Dot>,
    next_seq: u64,
}

impl Dots {
    /// Takes the core's new traces as new dots, and retires finished dots.
    pub fn update(&mut self, sim: &Simulation, now_ms: f64) {
        for trace in sim.traces_since(self.next_seq) {
            self.next_seq = trace.seq + 1;
            // A client giving up is no end of the request: it travels on.
            if trace.outcome == Outcome::GaveUp {
                continue;
            }
            if self.dots.len() == MAX_DOTS {
                self.dots.pop_front();
            }
            self.dots.push_back(Dot {
                born_ms: now_ms,
                server: trace.server,
                outcome: trace.outcome,
                retried: trace.retried,
            });
        }
        while self
            .dots
            .front()
            .is_some_and(|d| now_ms - d.born_ms > LIFETIME_MS)
        {
            self.dots.pop_front();
        }
    }

    /// Dots in flight.
    pub fn len(&self) -> usize {
        self.dots.len()
    }

    /// Whether no dot is in flight.
    pub fn is_empty(&self) -> bool {
        self.dots.is_empty()
    }

    /// Draws every dot at its place along its path.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d, layout: &Layout, now_ms: f64) {
        for dot in &self.dots {
            let path = path_of(dot, layout);
            let progress = ((now_ms - dot.born_ms) / LIFETIME_MS).clamp(0.0, 1.0);
            let (x, y) = along(path.points(), progress);
            draw_marker(ctx, dot.outcome, x, y);
            if dot.retried {
                draw_retry_ring(ctx, x, y);
            }
        }
    }
}

/// How many requests the core should skip between traced ones, so that about
/// [`DOTS_PER_SECOND`] dots set off at `arrivals_per_wall_second`.
pub fn sampling(arrivals_per_wall_second: f64) -> u64 {
    (arrivals_per_wall_second / DOTS_PER_SECOND).ceil().max(1.0) as u64
}

/// A dot's path: at most clients, limiter, balancer, server, cache or write queue,
/// database.
struct Path {
    points: [(f64, f64); 6],
    len: usize,
}

impl Path {
    fn push(&mut self, point: (f64, f64)) {
        self.points[self.len] = point;
        self.len += 1;
    }

    fn points(&self) -> &[(f64, f64)] {
        &self.points[..self.len]
    }
}

/// Built on the stack: this runs for every dot in every frame.
fn path_of(dot: &Dot, layout: &Layout) -> Path {
    let mut path = Path {
        points: [(0.0, 0.0); 6],
        len: 0,
    };
    path.push(layout.clients.centre());
    if let Some(limiter) = layout.limiter {
        path.push(limiter.centre());
        if dot.outcome == Outcome::Rejected(loadlab_sim::metrics::Reason::RateLimited) {
            return path;
        }
    }
    path.push(layout.balancer.centre());
    let server: Option<Rect> = dot.server.and_then(|s| layout.server(s));
    if let Some(rect) = server {
        path.push(rect.centre());
    }
    let cache = layout.cache.map(|c| c.centre());
    let database = layout.database.map(|b| b.centre());
    match dot.outcome {
        Outcome::Rejected(_) | Outcome::GaveUp => {}
        Outcome::CacheHit => cache.into_iter().for_each(|p| path.push(p)),
        Outcome::CacheMiss | Outcome::StaleRead => {
            cache.into_iter().chain(database).for_each(|p| path.push(p))
        }
        Outcome::Write => {
            let queue = layout.write_queue.map(|q| q.centre());
            queue.into_iter().chain(database).for_each(|p| path.push(p))
        }
        Outcome::Served | Outcome::TimedOut => database.into_iter().for_each(|p| path.push(p)),
    }
    path
}

/// The point at `progress` (0 to 1) along a polyline, by length.
fn along(path: &[(f64, f64)], progress: f64) -> (f64, f64) {
    let length = |w: &[(f64, f64)]| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
    let mut left = path.windows(2).map(length).sum::<f64>() * progress;
    for segment in path.windows(2) {
        let l = length(segment);
        if left <= l && l > 0.0 {
            let f = left / l;
            return (
                segment[0].0 + (segment[1].0 - segment[0].0) * f,
                segment[0].1 + (segment[1].1 - segment[0].1) * f,
            );
        }
        left -= l;
    }
    *path.last().expect("a path has a start")
}

/// Shape and colour by outcome, so colour is never the only cue.
fn draw_marker(ctx: &CanvasRenderingContext2d, outcome: Outcome, x: f64, y: f64) {
    let r = 4.5;
    ctx.begin_path();
    match outcome {
        Outcome::CacheHit => {
            ctx.set_fill_style_str(&css(GREEN));
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
            ctx.fill();
        }
        Outcome::StaleRead => {
            // A hollow circle: a read, like a hit, but with nothing good inside.
            ctx.set_stroke_style_str(&css(PURPLE));
            ctx.set_line_width(3.0);
            let _ = ctx.arc(x, y, r - 0.5, 0.0, std::f64::consts::TAU);
            ctx.stroke();
            ctx.set_line_width(1.5);
        }
        Outcome::CacheMiss | Outcome::Served => {
            ctx.set_fill_style_str(&css(if outcome == Outcome::Served {
                SKY
            } else {
                BLUE
            }));
            ctx.fill_rect(x - r, y - r, 2.0 * r, 2.0 * r);
        }
        Outcome::Write => {
            ctx.set_fill_style_str(&css(ORANGE));
            ctx.move_to(x, y - r - 1.0);
            ctx.line_to(x + r + 1.0, y);
            ctx.line_to(x, y + r + 1.0);
            ctx.line_to(x - r - 1.0, y);
            ctx.fill();
        }
        Outcome::TimedOut => {
            ctx.set_fill_style_str(&css(VERMILLION));
            ctx.move_to(x, y - r - 1.0);
            ctx.line_to(x + r + 1.0, y + r);
            ctx.line_to(x - r - 1.0, y + r);
            ctx.fill();
        }
        Outcome::Rejected(_) | Outcome::GaveUp => {
            ctx.set_stroke_style_str(&css(VERMILLION));
            ctx.set_line_width(2.5);
            ctx.move_to(x - r, y - r);
            ctx.line_to(x + r, y + r);
            ctx.move_to(x + r, y - r);
            ctx.line_to(x - r, y + r);
            ctx.stroke();
            ctx.set_line_width(1.5);
        }
    }
}

/// A ring around any marker: the request was a client's retry.
fn draw_retry_ring(ctx: &CanvasRenderingContext2d, x: f64, y: f64) {
    ctx.begin_path();
    ctx.set_stroke_style_str(&css(INK));
    ctx.set_line_width(1.0);
    let _ = ctx.arc(x, y, 8.0, 0.0, std::f64::consts::TAU);
    ctx.stroke();
    ctx.set_line_width(1.5);
}

/// The legend: marker and meaning of each outcome, in the words of `t`.
fn legend(t: &Strings) -> [(Outcome, &'static str); 7] {
    [
        (Outcome::CacheHit, t.out_cache_hit),
        (Outcome::CacheMiss, t.out_miss),
        (Outcome::StaleRead, t.out_stale),
        (Outcome::Served, t.out_served),
        (Outcome::Write, t.out_write),
        (Outcome::TimedOut, t.out_timed_out),
        (
            Outcome::Rejected(loadlab_sim::metrics::Reason::QueueFull),
            t.out_rejected,
        ),
    ]
}

/// Draws the legend along the bottom of the canvas, each entry as wide as its text.
pub fn draw_legend(ctx: &CanvasRenderingContext2d, t: &Strings, h: f64) {
    let mut x = 14.0;
    let y = h - 10.0;
    ctx.set_font(&format!("12px {}", super::fonts::FONT_STACK));
    let width = |text: &str| {
        ctx.measure_text(text)
            .map_or(7.0 * text.len() as f64, |m| m.width())
    };
    for (outcome, text) in legend(t) {
        draw_marker(ctx, outcome, x, y - 4.0);
        ctx.set_fill_style_str(&css(super::palette::INK));
        let _ = ctx.fill_text(text, x + 9.0, y);
        x += 22.0 + width(text);
    }
    draw_retry_ring(ctx, x, y - 4.0);
    ctx.set_fill_style_str(&css(super::palette::INK));
    let _ = ctx.fill_text(t.out_retry, x + 12.0, y);
}
