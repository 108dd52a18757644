//! The placement tells the truth at every step: each server's queue drawn and counted
//! is its queue; its busy slots are its busy workers; no two requests share a cell; no
//! request lies under a label.

use super::place::{Fill, Placed};
use super::scene::{Scene, Shape};
use loadlab_sim::db::Locking;
use loadlab_sim::protection::RateLimit;
use loadlab_sim::server::IoMode;
use loadlab_sim::{Scenario, Simulation};

fn shape_of(sim: &Simulation, width: f64, height: f64) -> Shape {
    Shape {
        topology: sim.topology(),
        workers: sim.servers().iter().map(|s| s.workers()).collect(),
        db_concurrency: sim.database().map_or(1, |db| db.config().node_concurrency),
        width,
        height,
    }
}

fn scenarios() -> Vec<Scenario> {
    let mut overloaded = Scenario::compute_only(1_500.0, 3, 4, 0.01);
    overloaded.servers.cores = 2;
    overloaded.servers.queue_capacity = Some(60);
    let mut shaped = Scenario::compute_only(300.0, 2, 2, 0.005);
    shaped.protection.rate_limit = Some(RateLimit::LeakyBucket {
        rate: 250.0,
        capacity: 50,
    });
    let mut database = Scenario::default();
    database.traffic.write_fraction = 0.3;
    database.traffic.arrivals = loadlab_sim::traffic::Arrivals::open_loop(1_200.0);
    if let Some(db) = &mut database.database {
        db.pool_size = 2;
        db.locking = Locking::Pessimistic;
    }
    let mut asynchronous = database.clone();
    asynchronous.servers.io = IoMode::Async { max_in_flight: 30 };
    vec![
        Scenario::default(),
        overloaded,
        shaped,
        database,
        asynchronous,
    ]
}

#[test]
fn what_is_drawn_is_what_the_core_holds() {
    for (k, scenario) in scenarios().into_iter().enumerate() {
        let mut sim = Simulation::new(scenario).unwrap();
        sim.watch();
        let mut placed = Placed::default();
        let mut scene = None;
        let mut busy_seen = 0;
        for step in 1..=600 {
            sim.run_until(f64::from(step) * 0.005);
            let shape = shape_of(&sim, 1200.0, 520.0);
            let s = scene.get_or_insert_with(|| Scene::of(&shape));
            placed.place(&sim, s, false);
            for c in &placed.counts {
                assert_eq!(
                    c.queue_drawn + c.queue_counted,
                    c.queue_core,
                    "{k} {step} {c:?}"
                );
                assert_eq!(c.busy_drawn, c.busy_core, "{k} {step} {c:?}");
                busy_seen += c.busy_core;
            }
            let cells: Vec<_> = (placed.items.iter())
                .filter(|i| i.fill != Fill::Travelling)
                .map(|i| i.rect)
                .collect();
            for (i, a) in cells.iter().enumerate() {
                for b in &cells[i + 1..] {
                    assert!(!a.overlaps(b), "{k} {step}: two requests in one cell {a:?}");
                }
            }
            let labels: Vec<_> = s.labels().collect();
            for item in &placed.items {
                for l in &labels {
                    assert!(
                        !item.rect.overlaps(l),
                        "{k} {step}: {item:?} under label {l:?}"
                    );
                }
            }
        }
        assert!(busy_seen > 0, "scenario {k} kept its workers busy");
    }
}
