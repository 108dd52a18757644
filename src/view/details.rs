//! The live numbers shown when pointing at a component of the topology.

use super::percent;
use crate::i18n::{balancer_name, fill, limiter_name, reason_name, Strings};
use loadlab_sim::db::Role;
use loadlab_sim::metrics::Reason;
use loadlab_sim::{Part, Simulation};

/// Title and (label, value) rows.
type Details = (String, Vec<(&'static str, String)>);

/// Title and (label, value) rows for `part`, in the words of `t`: its figures, then
/// the requests it turned away, by reason.
pub fn details(t: &'static Strings, sim: &Simulation, part: Part) -> Details {
    let (title, mut rows) = figures(t, sim, part);
    rows.extend(refusals(t, sim, part));
    (title, rows)
}

/// ("queue full", "✕ 212") for each reason `part` has turned requests away for.
fn refusals(t: &'static Strings, sim: &Simulation, part: Part) -> Vec<(&'static str, String)> {
    let r = sim.refusals();
    let at = match part {
        Part::Clients if r.gave_up > 0 => return vec![(t.r_gave_up, format!("✕ {}", r.gave_up))],
        Part::Limiter => &r.limiter,
        Part::Balancer => &r.balancer,
        Part::Server(i) => match r.servers.get(i as usize) {
            Some(at) => at,
            None => return Vec::new(),
        },
        Part::Database => &r.database,
        _ => return Vec::new(),
    };
    (Reason::ALL.iter())
        .filter(|&&why| at.of(why) > 0)
        .map(|&why| (reason_name(t, why), format!("✕ {}", at.of(why))))
        .collect()
}

fn figures(t: &'static Strings, sim: &Simulation, part: Part) -> Details {
    let last = sim.metrics().windows().back();
    match part {
        Part::Clients => (
            t.d_clients.into(),
            vec![
                (t.d_arrivals, last.map_or(0, |w| w.arrivals).to_string()),
                (t.d_addresses, sim.scenario().traffic.clients.to_string()),
            ],
        ),
        Part::Balancer => (
            fill(
                t.d_balancer,
                &[("name", &balancer_name(t, &sim.scenario().balancer))],
            ),
            vec![
                (t.d_in_pool, sim.pool().len().to_string()),
                (
                    t.d_no_server,
                    sim.metrics().rejections().no_server.to_string(),
                ),
            ],
        ),
        Part::Server(index) => {
            let s = &sim.servers()[index as usize];
            let window = last.and_then(|w| w.servers.iter().find(|v| v.id == s.id()));
            (
                fill(t.d_server, &[("id", &s.id())]),
                vec![
                    (t.d_state, server_state(t, s).into()),
                    (t.d_busy, format!("{}/{}", s.busy(), s.workers())),
                    (t.d_waiting_core, s.run_queue_len().to_string()),
                    (t.d_queue, s.queue_len().to_string()),
                    (
                        t.d_utilisation,
                        window.map_or("–".into(), |w| percent(w.utilisation, 0)),
                    ),
                    (
                        t.d_routed,
                        window.map_or("–".into(), |w| w.routed.to_string()),
                    ),
                    (t.d_answered, s.stats().completed.to_string()),
                ]
                .into_iter()
                .chain(
                    sim.scenario()
                        .database
                        .as_ref()
                        .and(sim.database())
                        .map(|db| {
                            let (used, waiting) = db.pool_state(index);
                            (t.d_db_connections, format!("{used}, {waiting}"))
                        }),
                )
                .collect(),
            )
        }
        Part::Cache => {
            let stats = sim.cache_stats();
            let (len, cap) = sim.cache_fill().first().copied().unwrap_or((0, 0));
            (
                t.d_cache.into(),
                vec![
                    (t.d_entries, format!("{len}/{cap}")),
                    (t.d_hit_rate, percent(stats.hit_rate(), 1)),
                    (t.d_evictions, stats.evictions.to_string()),
                ],
            )
        }
        Part::Limiter => limiter(t, sim),
        Part::WriteQueue => write_queue(t, sim),
        Part::Database => database(t, sim),
        Part::DbNode { position, .. } => db_node(t, sim, position),
    }
}

/// What a server is doing, as its details say it.
fn server_state(t: &Strings, s: &loadlab_sim::server::Server) -> &'static str {
    if !s.is_alive() {
        t.d_dead
    } else if s.ready_at().is_some() {
        t.d_booting
    } else {
        t.d_running
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

fn limiter(t: &'static Strings, sim: &Simulation) -> Details {
    let name = sim
        .scenario()
        .protection
        .rate_limit
        .map_or(t.none, |r| limiter_name(t, &r));
    (
        fill(t.d_limiter, &[("name", &name)]),
        vec![(
            t.d_turned_away,
            sim.metrics().rejections().rate_limited.to_string(),
        )],
    )
}

fn write_queue(t: &'static Strings, sim: &Simulation) -> Details {
    let Some(db) = sim.database() else {
        return (t.d_write_queue.into(), Vec::new());
    };
    let s = db.stats();
    (
        t.d_write_queue.into(),
        vec![
            (t.d_waiting, db.queue_depth().to_string()),
            (
                t.d_enqueued_written,
                format!("{} / {}", s.queue_enqueued, s.queue_written),
            ),
            (t.d_lag, mean_ms(s.queue_lag_seconds, s.queue_written)),
            (
                t.d_urgent_lag,
                mean_ms(s.queue_urgent_lag_seconds, s.queue_urgent_written),
            ),
        ],
    )
}

fn database(t: &'static Strings, sim: &Simulation) -> Details {
    let Some(db) = sim.database() else {
        return (t.d_database.into(), Vec::new());
    };
    let s = db.stats();
    let count_and_mean = |n: u64, seconds: f64| format!("{n}, {}", mean_ms(seconds, n));
    (
        if db.is_up() {
            t.d_database
        } else {
            t.d_database_down
        }
        .into(),
        vec![
            (t.d_reads_writes, format!("{} / {}", s.reads, s.writes)),
            (
                t.d_pool_waits,
                count_and_mean(s.pool_waits, s.pool_wait_seconds),
            ),
            (t.d_pool_timeouts, s.pool_timeouts.to_string()),
            (
                t.d_lock_waits,
                count_and_mean(s.lock_waits, s.lock_wait_seconds),
            ),
            (
                t.d_conflicts,
                format!("{} ({})", s.conflicts, s.conflict_failures),
            ),
            (t.d_stale_reads, s.stale_reads.to_string()),
            (
                t.d_stale_fills,
                format!("{} / {}", s.stale_cache_fills, s.stale_cache_hits),
            ),
            (t.d_queue_depth, db.queue_depth().to_string()),
            (t.d_queue_lag, mean_ms(s.queue_lag_seconds, s.queue_written)),
        ],
    )
}

fn db_node(t: &'static Strings, sim: &Simulation, i: usize) -> Details {
    let Some((db, node)) = sim.database().and_then(|db| Some((db, db.nodes().nth(i)?))) else {
        return (t.d_database.into(), Vec::new());
    };
    let role = match node.role() {
        Role::Primary => t.d_primary.to_string(),
        Role::Replica(r) => fill(t.d_replica, &[("n", &(r + 1))]),
    };
    (
        fill(t.d_node, &[("shard", &node.shard()), ("role", &role)]),
        vec![
            (
                t.d_executing,
                format!("{}/{}", node.executing(), db.config().node_concurrency),
            ),
            (t.d_queued, node.queued().to_string()),
            (t.d_queries, node.started().to_string()),
        ],
    )
}
