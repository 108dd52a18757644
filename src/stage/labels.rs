//! What each part's label says, most important first (the painter keeps as many as fit):
//! its name and state, what it holds, and its refusals by reason, counted where they
//! happened.

use crate::i18n::{fill, reason_name, Strings};
use crate::view::fixed;
use loadlab_sim::metrics::{Reason, Rejections};
use loadlab_sim::server::{Lifecycle, Server};
use loadlab_sim::traffic::Arrivals;
use loadlab_sim::Simulation;

/// "✕ queue full 212" for each reason with refusals, in a fixed order (a label keeps
/// its words in place as counts grow).
pub fn refusals(t: &Strings, r: &Rejections) -> Vec<String> {
    (Reason::ALL.iter())
        .map(|&why| (r.of(why), why))
        .filter(|(n, _)| *n > 0)
        .map(|(n, why)| format!("✕ {} {n}", reason_name(t, why)))
        .collect()
}

pub fn clients(t: &Strings, sim: &Simulation) -> Vec<String> {
    let load = match &sim.scenario().traffic.arrivals {
        Arrivals::OpenLoop { .. } => {
            let rate = sim
                .metrics()
                .windows()
                .back()
                .map_or(0.0, |w| w.arrivals as f64 / (w.end - w.start));
            fill(t.topo_rate, &[("rate", &fixed(rate, 0))])
        }
        Arrivals::ClosedLoop { users, .. } => fill(t.topo_users, &[("n", users)]),
    };
    let gave_up = sim.refusals().gave_up;
    let mut out = vec![t.topo_clients.to_string(), load];
    out.extend(crate::view::spike_status(t, sim));
    if gave_up > 0 {
        out.push(format!("✕ {} {gave_up}", t.r_gave_up));
    }
    out
}

pub fn balancer(t: &Strings, sim: &Simulation) -> Vec<String> {
    let mut out = vec![
        t.topo_balancer.to_string(),
        fill(t.topo_in_pool, &[("n", &sim.pool().len())]),
    ];
    out.extend(refusals(t, &sim.refusals().balancer));
    out
}

pub fn limiter(t: &Strings, sim: &Simulation) -> Vec<String> {
    let mut out = vec![t.topo_limiter.to_string()];
    out.extend(refusals(t, &sim.refusals().limiter));
    out
}

pub fn server(t: &Strings, sim: &Simulation, index: u32) -> Vec<String> {
    let s: &Server = &sim.servers()[index as usize];
    let status = match (s.is_alive(), sim.balancer_sees_up(index), s.lifecycle()) {
        (false, true, _) => t.topo_down_unaware,
        (false, false, _) => t.topo_down,
        (true, _, Lifecycle::Draining) => t.topo_draining,
        (true, _, Lifecycle::Booting) => t.topo_booting,
        (true, false, _) => t.topo_out_of_pool,
        _ => "",
    };
    let capacity = s
        .queue_capacity()
        .map_or("∞".to_string(), |c| c.to_string());
    let mut out = vec![fill(t.topo_server, &[("id", &s.id()), ("status", &status)])];
    // What a booting server waits for comes first: a narrow box shows one line.
    if let Some(ready_at) = s.ready_at() {
        let seconds = (ready_at - sim.now()).ceil().max(0.0) as u32;
        out.push(fill(t.topo_ready_in, &[("s", &seconds)]));
    }
    out.push(fill(
        t.topo_queue,
        &[("n", &s.queue_len()), ("capacity", &capacity)],
    ));
    if let Some(db) = sim.database().filter(|_| sim.scenario().database.is_some()) {
        let (used, waiting) = db.pool_state(index);
        let mut pool = fill(
            t.st_pool,
            &[("used", &used), ("size", &db.config().pool_size)],
        );
        if waiting > 0 {
            pool += &format!(" +{waiting}");
        }
        out.push(pool);
    }
    if let Some(r) = sim.refusals().servers.get(index as usize) {
        out.extend(refusals(t, r));
    }
    out
}

pub fn cache(t: &Strings, sim: &Simulation) -> Vec<String> {
    let (len, cap) = sim.cache_fill().first().copied().unwrap_or((0, 0));
    vec![t.topo_cache.to_string(), format!("{len}/{cap}")]
}

pub fn write_queue(t: &Strings, sim: &Simulation) -> Vec<String> {
    let Some(db) = sim.database() else {
        return vec![t.topo_write_queue.to_string()];
    };
    let consumers = db.config().write_queue.map_or(0, |q| q.consumers);
    vec![
        t.topo_write_queue.to_string(),
        fill(
            t.topo_queue_waiting,
            &[("n", &db.queue_depth()), ("c", &consumers)],
        ),
    ]
}

pub fn database(t: &Strings, sim: &Simulation) -> Vec<String> {
    let Some(db) = sim.database() else {
        return Vec::new();
    };
    let mut out = vec![if db.is_up() {
        t.topo_database
    } else {
        t.topo_database_down
    }
    .to_string()];
    if db.locked_rows() > 0 {
        out.push(fill(t.topo_locks, &[("n", &db.locked_rows())]));
    }
    out.extend(refusals(t, &sim.refusals().database));
    out
}

pub fn node(t: &Strings, sim: &Simulation, position: usize) -> Vec<String> {
    let Some(node) = sim.database().and_then(|db| db.nodes().nth(position)) else {
        return Vec::new();
    };
    // Named as the queries chart names them: "s0 P", "s0 R1".
    let shard = node.shard();
    vec![match node.role() {
        loadlab_sim::db::Role::Primary => format!("s{shard} {}", t.topo_primary),
        loadlab_sim::db::Role::Replica(r) => format!("s{shard} {}{}", t.topo_replica, r + 1),
    }]
}
