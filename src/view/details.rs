//! The live numbers shown when pointing at a component of the topology.

use super::layout::Part;
use loadlab_sim::db::Role;
use loadlab_sim::Simulation;

/// Title and (label, value) rows for `part`.
pub fn details(sim: &Simulation, part: Part) -> (String, Vec<(&'static str, String)>) {
    let last = sim.metrics().windows().back();
    match part {
        Part::Clients => (
            "Clients".into(),
            vec![
                (
                    "arrivals last window",
                    last.map_or(0, |w| w.arrivals).to_string(),
                ),
                ("addresses", sim.scenario().traffic.clients.to_string()),
            ],
        ),
        Part::Balancer => (
            format!("Balancer: {}", sim.scenario().balancer.label()),
            vec![
                ("servers in pool", sim.pool().len().to_string()),
                (
                    "rejected, no server",
                    sim.metrics().rejections().no_server.to_string(),
                ),
            ],
        ),
        Part::Server(index) => {
            let s = &sim.servers()[index as usize];
            let window = last.and_then(|w| w.servers.iter().find(|v| v.id == s.id()));
            (
                format!("Server {}", s.id()),
                vec![
                    (
                        "state",
                        if s.is_alive() {
                            "running".into()
                        } else {
                            "dead".into()
                        },
                    ),
                    ("busy workers", format!("{}/{}", s.busy(), s.workers())),
                    ("waiting for a core", s.run_queue_len().to_string()),
                    ("queue", s.queue_len().to_string()),
                    (
                        "utilisation (window)",
                        window.map_or("–".into(), |w| format!("{:.0} %", w.utilisation * 100.0)),
                    ),
                    (
                        "routed (window)",
                        window.map_or("–".into(), |w| w.routed.to_string()),
                    ),
                    ("answered (total)", s.stats().completed.to_string()),
                    ("DB connections, waiting", {
                        let (used, waiting) =
                            sim.database().map_or((0, 0), |db| db.pool_state(index));
                        format!("{used}, {waiting}")
                    }),
                ],
            )
        }
        Part::Cache => {
            let stats = sim.cache_stats();
            let (len, cap) = sim.cache_fill().first().copied().unwrap_or((0, 0));
            (
                "Cache".into(),
                vec![
                    ("entries", format!("{len}/{cap}")),
                    (
                        "hit rate (total)",
                        format!("{:.1} %", stats.hit_rate() * 100.0),
                    ),
                    ("evictions", stats.evictions.to_string()),
                ],
            )
        }
        Part::Limiter => limiter(sim),
        Part::WriteQueue => write_queue(sim),
        Part::Database => database(sim),
        Part::DbNode(i) => db_node(sim, i),
    }
}

/// A mean of `n` durations summing to `sum` seconds, in milliseconds ("–" for none).
fn mean_ms(sum: f64, n: u64) -> String {
    if n == 0 {
        "–".into()
    } else {
        format!("{:.1} ms", sum / n as f64 * 1e3)
    }
}

fn limiter(sim: &Simulation) -> (String, Vec<(&'static str, String)>) {
    let name = sim
        .scenario()
        .protection
        .rate_limit
        .map_or("none", |r| r.label());
    (
        format!("Rate limiter: {name}"),
        vec![(
            "turned away (total)",
            sim.metrics().rejections().rate_limited.to_string(),
        )],
    )
}

fn write_queue(sim: &Simulation) -> (String, Vec<(&'static str, String)>) {
    let Some(db) = sim.database() else {
        return ("Write queue".into(), Vec::new());
    };
    let t = db.stats();
    (
        "Write queue".into(),
        vec![
            ("waiting", db.queue_depth().to_string()),
            (
                "enqueued / written",
                format!("{} / {}", t.queue_enqueued, t.queue_written),
            ),
            (
                "mean lag until visible",
                mean_ms(t.queue_lag_seconds, t.queue_written),
            ),
            (
                "urgent writes' lag",
                mean_ms(t.queue_urgent_lag_seconds, t.queue_urgent_written),
            ),
        ],
    )
}

fn database(sim: &Simulation) -> (String, Vec<(&'static str, String)>) {
    let Some(db) = sim.database() else {
        return ("Database".into(), Vec::new());
    };
    let t = db.stats();
    (
        format!("Database{}", if db.is_up() { "" } else { " (DOWN)" }),
        vec![
            ("reads / writes", format!("{} / {}", t.reads, t.writes)),
            (
                "pool waits, mean wait",
                format!(
                    "{}, {}",
                    t.pool_waits,
                    mean_ms(t.pool_wait_seconds, t.pool_waits)
                ),
            ),
            ("pool timeouts", t.pool_timeouts.to_string()),
            (
                "lock waits, mean wait",
                format!(
                    "{}, {}",
                    t.lock_waits,
                    mean_ms(t.lock_wait_seconds, t.lock_waits)
                ),
            ),
            (
                "conflicts (failed)",
                format!("{} ({})", t.conflicts, t.conflict_failures),
            ),
            ("stale reads", t.stale_reads.to_string()),
            (
                "stale cache fills / hits",
                format!("{} / {}", t.stale_cache_fills, t.stale_cache_hits),
            ),
            ("write queue depth", db.queue_depth().to_string()),
            (
                "write queue lag",
                mean_ms(t.queue_lag_seconds, t.queue_written),
            ),
        ],
    )
}

fn db_node(sim: &Simulation, i: usize) -> (String, Vec<(&'static str, String)>) {
    let Some((db, node)) = sim.database().and_then(|db| Some((db, db.nodes().nth(i)?))) else {
        return ("Database".into(), Vec::new());
    };
    let role = match node.role() {
        Role::Primary => "primary".to_string(),
        Role::Replica(r) => format!("replica {}", r + 1),
    };
    (
        format!("Shard {}: {role}", node.shard()),
        vec![
            (
                "running",
                format!("{}/{}", node.executing(), db.config().node_concurrency),
            ),
            ("queued", node.queued().to_string()),
            ("queries (total)", node.started().to_string()),
        ],
    )
}
