//! Refusals marked where they happen: each request turned away leaves a red cross at
//! the part that turned it away (its server's door, the limiter, the balancer, the
//! database; a client giving up, at the clients), fading in under a second of wall time.

use super::paint;
use super::scene::Scene;
use loadlab_sim::metrics::{Reason, RefusedAt};
use loadlab_sim::trace::Outcome;
use loadlab_sim::{Part, Simulation};
use std::collections::VecDeque;
use web_sys::CanvasRenderingContext2d;

/// How long a mark stays, in wall-clock milliseconds.
const LIFE_MS: f64 = 900.0;
/// Marks kept at once: beyond this, a storm of refusals shows as the counts in labels.
const MAX_MARKS: usize = 240;

/// Where a mark is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum At {
    Part(Part),
    /// Beside the clients: one gave up.
    GaveUp,
}

/// One mark.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub at: At,
    pub reason: Option<Reason>,
    born_ms: f64,
}

/// The marks showing, and the last trace read.
#[derive(Debug, Default)]
pub struct Marks {
    marks: VecDeque<Mark>,
    next_seq: u64,
}

impl Marks {
    /// Takes the refusals traced since the last frame as marks; retires old marks.
    pub fn update(&mut self, sim: &Simulation, now_ms: f64) {
        for trace in sim.traces_since(self.next_seq) {
            self.next_seq = trace.seq + 1;
            let (at, reason) = match trace.outcome {
                Outcome::Rejected(reason) => (at(reason, trace.server), Some(reason)),
                Outcome::GaveUp => (At::GaveUp, None),
                _ => continue,
            };
            if self.marks.len() == MAX_MARKS {
                self.marks.pop_front();
            }
            self.marks.push_back(Mark {
                at,
                reason,
                born_ms: now_ms,
            });
        }
        while self
            .marks
            .front()
            .is_some_and(|m| now_ms - m.born_ms > LIFE_MS)
        {
            self.marks.pop_front();
        }
    }

    /// Forgets every mark (a new run).
    pub fn clear(&mut self) {
        self.marks.clear();
        self.next_seq = 0;
    }

    /// Draws each mark at its part, in the gutter before the part's door.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d, scene: &Scene, now_ms: f64) {
        for m in &self.marks {
            if let Some(point) = spot(scene, m.at) {
                paint::cross(ctx, point, 1.0 - (now_ms - m.born_ms) / LIFE_MS);
            }
        }
    }

    /// The marks showing, with where they are drawn (for tests that read the page).
    pub fn placed<'a>(&'a self, scene: &'a Scene) -> impl Iterator<Item = (Mark, (f64, f64))> + 'a {
        self.marks
            .iter()
            .filter_map(|m| spot(scene, m.at).map(|p| (*m, p)))
    }
}

/// The part that turned a request away for `reason`, the request's `server` if it had one.
fn at(reason: Reason, server: Option<u32>) -> At {
    At::Part(match (reason.refused_at(), server) {
        (RefusedAt::Limiter, _) => Part::Limiter,
        (RefusedAt::Server, Some(s)) => Part::Server(s),
        (RefusedAt::Balancer | RefusedAt::Server, _) => Part::Balancer,
        (RefusedAt::Database, _) => Part::Database,
    })
}

/// Just outside the door of the part a mark is about.
fn spot(scene: &Scene, at: At) -> Option<(f64, f64)> {
    let (part, outward) = match at {
        At::GaveUp => (Part::Clients, false),
        At::Part(part) => (part, true),
    };
    let b = scene.box_of(part)?;
    let (x, y) = if outward { b.entry } else { b.exit };
    let d = if outward { -6.0 } else { 6.0 };
    Some(match scene.orient {
        super::scene::Orient::Landscape => (x + d, y),
        super::scene::Orient::Portrait => (x, y + d),
    })
}
