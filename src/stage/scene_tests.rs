//! The layout's promises, over topologies from one server to 256 and databases from
//! one node to 64 shards of 17, on a projector, a laptop and a phone: parts do not
//! overlap, labels are never under a cell, lanes never run through a part.

use super::geometry::Rect;
use super::scene::{PartBox, Scene, Shape};
use loadlab_sim::protection::RateLimit;
use loadlab_sim::{Part, Scenario, Simulation};

fn shape(servers: u32, shards: u32, replicas: u32, extras: bool, size: (f64, f64)) -> Shape {
    let mut s = Scenario::default();
    s.servers.count = servers;
    if let Some(db) = &mut s.database {
        db.shards = shards;
        db.replicas = replicas;
        if extras {
            db.write_queue = Some(loadlab_sim::db::WriteQueueConfig {
                consumers: 2,
                order: loadlab_sim::db::QueueOrder::Fifo,
                urgent_share: 0.0,
            });
        }
    }
    if extras {
        s.protection.rate_limit = Some(RateLimit::TokenBucket {
            rate: 100.0,
            burst: 10.0,
        });
    }
    let sim = Simulation::new(s).unwrap();
    Shape {
        topology: sim.topology(),
        workers: sim.servers().iter().map(|s| s.workers()).collect(),
        db_concurrency: 4,
        width: size.0,
        height: size.1,
    }
}

/// Every combination the tests try.
fn scenes() -> Vec<(String, Scene)> {
    let mut out = Vec::new();
    for size in [(1100.0, 420.0), (1250.0, 700.0), (370.0, 560.0)] {
        for servers in [1, 4, 16, 64, 256] {
            for (shards, replicas) in [(1, 0), (1, 2), (8, 3), (64, 16)] {
                for extras in [false, true] {
                    let name = format!("{size:?} {servers} servers {shards}×{replicas} {extras}");
                    out.push((
                        name,
                        Scene::of(&shape(servers, shards, replicas, extras, size)),
                    ));
                }
            }
        }
    }
    out
}

/// Whether `inner` lies within `outer`.
fn within(inner: &Rect, outer: &Rect) -> bool {
    inner.x >= outer.x - 1e-6
        && inner.y >= outer.y - 1e-6
        && inner.right() <= outer.right() + 1e-6
        && inner.bottom() <= outer.bottom() + 1e-6
}

#[test]
fn parts_do_not_overlap_but_nodes_sit_inside_their_database() {
    for (name, scene) in scenes() {
        let boxes: Vec<&PartBox> = scene.boxes().collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let nested = matches!((a.part, b.part), (Part::Database, Part::DbNode { .. }));
                if nested {
                    assert!(within(&b.outer, &a.outer), "{name}: {:?} outside", b.part);
                } else {
                    assert!(
                        !a.outer.overlaps(&b.outer),
                        "{name}: {:?} over {:?}",
                        a.part,
                        b.part
                    );
                }
            }
        }
    }
}

#[test]
fn no_cell_lies_under_a_label_and_every_cell_is_inside_its_part() {
    for (name, scene) in scenes() {
        let labels: Vec<Rect> = scene.labels().collect();
        let mut cells = Vec::new();
        for s in &scene.servers {
            for c in [Some(&s.queue), Some(&s.slots), s.io.as_ref()]
                .into_iter()
                .flatten()
            {
                cells.push((s.b.outer, *c));
            }
        }
        for n in &scene.nodes {
            cells.push((n.b.outer, n.queue));
            cells.push((n.b.outer, n.slots));
        }
        for strip in [&scene.limiter, &scene.cache, &scene.write_queue]
            .into_iter()
            .flatten()
        {
            cells.push((strip.b.outer, strip.cells));
        }
        for (outer, c) in cells {
            for i in 0..c.capacity().min(400) {
                let cell = c.cell(i);
                assert!(within(&cell, &outer), "{name}: cell {i} outside its part");
                for label in &labels {
                    assert!(
                        !cell.overlaps(label),
                        "{name}: cell {cell:?} under label {label:?}"
                    );
                }
            }
        }
    }
}

/// Whether the segment from `a` to `b` runs through the inside of `r`.
fn crosses(a: (f64, f64), b: (f64, f64), r: &Rect) -> bool {
    let inside = r.inset(1.5);
    let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 2.0).ceil().max(1.0) as u32;
    (0..=steps).any(|k| {
        let f = f64::from(k) / f64::from(steps);
        inside.contains((a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f))
    })
}

#[test]
fn lanes_run_through_no_part_but_their_ends() {
    for (name, scene) in scenes().into_iter().filter(|(n, _)| !n.contains("256")) {
        let boxes: Vec<&PartBox> = scene.boxes().collect();
        let mut lanes = Vec::new();
        for s in &scene.servers {
            lanes.push((scene.balancer, s.b, scene.lane(&scene.balancer, &s.b)));
            for n in scene.nodes.iter().take(6) {
                lanes.push((s.b, n.b, scene.lane_to_node(&s.b, n)));
            }
        }
        for (from, to, points) in lanes {
            for b in &boxes {
                let end = b.part == from.part || b.part == to.part || b.part == Part::Database;
                if end {
                    continue;
                }
                for w in points.windows(2) {
                    assert!(
                        !crosses(w[0], w[1], &b.outer),
                        "{name}: lane {:?} → {:?} runs through {:?}",
                        from.part,
                        to.part,
                        b.part
                    );
                }
            }
        }
    }
}

/// On a wide stage without a cache or a database, the servers do not stretch into empty
/// room: their band stops at its cap, the rest goes to the parts before them, and the
/// picture is centred (as much room left of the clients as right of the servers).
#[test]
fn a_wide_stage_gives_the_servers_what_they_fill_and_centres_the_rest() {
    let mut shape = shape(4, 1, 0, false, (1250.0, 700.0));
    shape.topology.parts.retain(|p| p.tier() <= 3);
    shape.topology.edges.clear();
    let scene = Scene::of(&shape);
    let server = scene.servers[0].b.outer;
    assert!(server.w <= 260.0 + 1e-6, "servers {} wide", server.w);
    let left = scene.clients.outer.x;
    let right = shape.width - server.right();
    assert!((left - right).abs() < 1.0, "left {left}, right {right}");
    assert!(
        scene.balancer.outer.w > 100.0,
        "balancer {} wide",
        scene.balancer.outer.w
    );
}

/// The clients' and the balancer's labels stay above their middle, where the lanes go
/// in and out (and the hops between them run).
#[test]
fn labels_of_the_parts_requests_pass_through_stay_above_their_lanes() {
    let short = (1..=6).map(|h| Scene::of(&shape(4, 1, 0, false, (900.0, 40.0 + 40.0 * h as f64))));
    for scene in scenes().into_iter().map(|s| s.1).chain(short) {
        for b in [&scene.clients, &scene.balancer] {
            if scene.orient == super::scene::Orient::Landscape {
                assert!(
                    b.label.bottom() < b.entry.1,
                    "{:?} in {:?}",
                    b.part,
                    b.outer
                );
            }
        }
    }
}

/// A database of one shard on a wide stage is a frame around its row of nodes, not a
/// tall box of empty room.
#[test]
fn a_small_database_is_framed_to_its_nodes() {
    let scene = Scene::of(&shape(4, 1, 2, false, (1250.0, 700.0)));
    let frame = scene.database.expect("a database").outer;
    let node = scene.nodes[0].b.outer;
    assert!(
        frame.h < node.h * 2.0,
        "frame {} high, node {}",
        frame.h,
        node.h
    );
    assert!(within(&node, &frame));
}
