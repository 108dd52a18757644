//! Hops: when a request is drawn in another part than a frame before (or appears, having
//! arrived since), a small dot runs along the lanes from where it was to where it is now,
//! for a moment ([`HOP_MS`] of wall-clock time). The request itself is already drawn
//! where the core has it, so the picture stays true: the dot is a trail showing where it
//! came from, not the request, and no count includes it. None under reduced motion or
//! while flows are drawn (the caller's choice).

use super::paint;
use super::place::{along, Item, Look};
use super::Lane;
use loadlab_sim::Part;
use web_sys::CanvasRenderingContext2d;

/// How long a hop takes on screen, whatever the speed.
const HOP_MS: f64 = 240.0;
/// Most hops drawn at once: beyond, new ones are skipped (a hop is a cue, not a count).
const MOST: usize = 400;

/// One dot on its way.
struct Trail {
    /// Which of [`Hops::paths`] it runs along.
    path: usize,
    started_ms: f64,
    look: Look,
}

/// A way from part to part: the lanes it takes, one after the other. A dot runs along
/// them and jumps across the parts between (never drawn over a part or its label).
struct Path {
    from: Part,
    to: Part,
    legs: Vec<Vec<(f64, f64)>>,
}

impl Path {
    /// The point `share` (0 to 1) of the way along the legs.
    fn at(&self, share: f64) -> (f64, f64) {
        let total: f64 = self.legs.iter().map(|l| length(l)).sum();
        let mut left = total * share;
        for leg in &self.legs {
            let l = length(leg);
            if left <= l && l > 0.0 {
                return along(leg, left / l);
            }
            left -= l;
        }
        (self.legs.last().and_then(|l| l.last()).copied()).unwrap_or((0.0, 0.0))
    }
}

/// A polyline's length.
fn length(points: &[(f64, f64)]) -> f64 {
    (points.windows(2))
        .map(|w| (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1))
        .sum()
}

/// Where a request was drawn in a frame.
#[derive(Clone, Copy)]
struct Seen {
    attempt_id: u64,
    at: Part,
    look: Look,
    arrived_at: f64,
}

/// The hops of the frames so far, and what they need from frame to frame.
#[derive(Default)]
pub struct Hops {
    /// By request slot (`Item::id`, which the core keeps small and reuses): the attempt
    /// drawn in it last frame and its part, if any. A table rather than a map or a
    /// sorted list: constant time, and the page carries no code for either.
    seen: Vec<Option<Seen>>,
    next: Vec<Option<Seen>>,
    /// The simulated time of the last frame; `None` until a frame of this layout and run
    /// was seen (otherwise every request would hop at once).
    last_t: Option<f64>,
    /// Paths found so far (no legs: no way).
    paths: Vec<Path>,
    trails: Vec<Trail>,
}

impl Hops {
    /// Forgets everything: the layout changed or a new run began.
    pub fn reset(&mut self) {
        self.seen.clear();
        self.paths.clear();
        self.trails.clear();
        self.last_t = None;
    }

    /// Starts a hop for each request in `items` drawn in another part than last frame,
    /// or arrived since (from the clients), along `lanes`; `t` is the simulated time.
    /// (A request not drawn last frame that arrived before it was beyond a queue's cells
    /// or on a lane: it does not hop.)
    pub fn update(&mut self, items: &[Item], lanes: &[Lane], t: f64, now_ms: f64) {
        self.trails
            .retain(|trail| now_ms - trail.started_ms < HOP_MS);
        // Where each request is: the last place it is drawn in (a request holding a
        // worker is drawn in its slot first, then where it waits: the cache, its query).
        let mut next = std::mem::take(&mut self.next);
        next.clear();
        for item in items {
            let Some(at) = item.at else { continue };
            let slot = item.id as usize;
            if next.len() <= slot {
                next.resize(slot + 1, None);
            }
            next[slot] = Some(Seen {
                attempt_id: item.attempt_id,
                at,
                look: item.look,
                arrived_at: item.arrived_at,
            });
        }
        let last_t = self.last_t.unwrap_or(f64::INFINITY);
        for (slot, now) in next.iter().enumerate() {
            let Some(now) = now else { continue };
            let before = match self.seen.get(slot).copied().flatten() {
                Some(was) if was.attempt_id == now.attempt_id => was.at,
                _ if now.arrived_at > last_t => Part::Clients,
                _ => continue,
            };
            if before != now.at && self.trails.len() < MOST {
                if let Some(path) = self.path(before, now.at, lanes) {
                    self.trails.push(Trail {
                        path,
                        started_ms: now_ms,
                        look: now.look,
                    });
                }
            }
        }
        self.next = std::mem::replace(&mut self.seen, next);
        self.last_t = Some(t);
    }

    /// Draws every hop on its way at `now_ms`.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d, now_ms: f64) {
        for t in &self.trails {
            let share = ((now_ms - t.started_ms) / HOP_MS).clamp(0.0, 1.0);
            let at = self.paths[t.path].at(share);
            paint::hop(ctx, at, t.look, share);
        }
    }

    /// The path from `from` to `to` along the lanes (found once), if there is one.
    fn path(&mut self, from: Part, to: Part, lanes: &[Lane]) -> Option<usize> {
        let known = (self.paths.iter()).position(|p| (p.from, p.to) == (from, to));
        let index = known.unwrap_or_else(|| {
            // Lanes run from the clients inwards; a request going back (a lookup done, a
            // query answered) takes its lane the other way.
            let mut legs = route(from, to, lanes);
            if legs.is_empty() {
                legs = route(to, from, lanes);
                legs.reverse();
                legs.iter_mut().for_each(|leg| leg.reverse());
            }
            self.paths.push(Path { from, to, legs });
            self.paths.len() - 1
        });
        (!self.paths[index].legs.is_empty()).then_some(index)
    }
}

/// The lanes from `from` to `to`, lane after lane; none if no lanes join them. Walked back from `to`: each part has one lane in, but for those every server
/// feeds (the cache, the database), where the lane from `from` is the one.
fn route(from: Part, to: Part, lanes: &[Lane]) -> Vec<Vec<(f64, f64)>> {
    let mut chain: Vec<&Lane> = Vec::new();
    let mut at = to;
    while at != from && chain.len() < lanes.len() {
        let into = |l: &&Lane| l.to == at;
        let lane = (lanes.iter().filter(into).find(|l| l.from == from))
            .or_else(|| lanes.iter().find(into));
        let Some(lane) = lane else { return Vec::new() };
        chain.push(lane);
        at = lane.from;
    }
    if at != from {
        return Vec::new();
    }
    chain.iter().rev().map(|l| l.points.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::geometry::Rect;
    use crate::stage::place::Fill;

    fn lanes() -> Vec<Lane> {
        let lane = |from, to, points: &[(f64, f64)]| Lane {
            from,
            to,
            points: points.to_vec(),
        };
        vec![
            lane(Part::Clients, Part::Balancer, &[(0.0, 0.0), (10.0, 0.0)]),
            lane(Part::Balancer, Part::Server(0), &[(10.0, 0.0), (20.0, 5.0)]),
            lane(Part::Server(0), Part::Cache, &[(20.0, 5.0), (30.0, 5.0)]),
        ]
    }

    fn item(attempt_id: u64, at: Part, arrived_at: f64) -> Item {
        Item {
            rect: Rect::new(0.0, 0.0, 1.0, 1.0),
            look: Look::Read,
            fill: Fill::Waiting,
            retry: false,
            id: attempt_id as u32,
            attempt_id,
            at: Some(at),
            arrived_at,
        }
    }

    #[test]
    fn routes_follow_the_lanes_lane_after_lane() {
        let lanes = lanes();
        let legs = route(Part::Clients, Part::Server(0), &lanes);
        assert_eq!(legs, [lanes[0].points.clone(), lanes[1].points.clone()]);
        assert!(route(Part::Cache, Part::Clients, &lanes).is_empty());
    }

    /// A dot runs along the lanes and jumps across the part between them (here from
    /// x = 10 to 14), never drawn over it.
    #[test]
    fn a_dot_is_never_inside_the_parts_it_passes() {
        let path = Path {
            from: Part::Clients,
            to: Part::Server(0),
            legs: vec![
                vec![(0.0, 0.0), (10.0, 0.0)],
                vec![(14.0, 0.0), (24.0, 0.0)],
            ],
        };
        for i in 0..=100 {
            let (x, _) = path.at(f64::from(i) / 100.0);
            assert!(!(x > 10.0 && x < 14.0), "at {x}");
        }
        assert_eq!(path.at(1.0), (24.0, 0.0));
    }

    /// Hops start for a request that moved or just arrived, and for nothing else: not on
    /// the first frame, not for one that stayed, not for one that was only hidden.
    #[test]
    fn requests_that_moved_or_arrived_hop_and_no_others() {
        let (lanes, mut hops) = (lanes(), Hops::default());
        let server = Part::Server(0);
        hops.update(&[item(1, server, 0.5)], &lanes, 1.0, 0.0);
        assert_eq!(hops.trails.len(), 0, "the first frame starts none");
        // 1 moves on to the cache; 2 arrived since; 3 was beyond the queue's cells.
        let frame = [
            item(1, Part::Cache, 0.5),
            item(2, server, 1.5),
            item(3, server, 0.7),
        ];
        hops.update(&frame, &lanes, 2.0, 16.0);
        let paths: Vec<(Part, Part)> = (hops.trails.iter())
            .map(|t| (hops.paths[t.path].from, hops.paths[t.path].to))
            .collect();
        assert_eq!(paths, [(server, Part::Cache), (Part::Clients, server)]);
        // Back from the cache: along its lane the other way. Nobody else moved.
        let frame = [
            item(1, server, 0.5),
            item(2, server, 1.5),
            item(3, server, 0.7),
        ];
        hops.update(&frame, &lanes, 3.0, 32.0);
        assert_eq!(hops.trails.len(), 3);
        let back = &hops.paths[hops.trails[2].path];
        assert_eq!(back.at(0.0), (30.0, 5.0));
        assert_eq!(back.at(1.0), (20.0, 5.0));
        // Gone once their time is up.
        hops.update(&frame, &lanes, 4.0, 32.0 + HOP_MS);
        assert_eq!(hops.trails.len(), 0);
    }

    /// A request holding its worker while it looks up the cache is drawn in both: it is
    /// where it waits, and stays there frame after frame without hopping back and forth.
    #[test]
    fn a_request_drawn_in_its_slot_and_where_it_waits_hops_once() {
        let (lanes, mut hops) = (lanes(), Hops::default());
        let server = Part::Server(0);
        hops.update(&[item(1, server, 0.5)], &lanes, 1.0, 0.0);
        let both = [item(1, server, 0.5), item(1, Part::Cache, 0.5)];
        for (i, t) in [2.0, 3.0, 4.0].into_iter().enumerate() {
            hops.update(&both, &lanes, t, 10.0 * i as f64);
        }
        assert_eq!(hops.trails.len(), 1, "one hop to the cache, none back");
    }
}
