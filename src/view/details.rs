//! The live numbers shown when pointing at a component of the topology.

use super::layout::Part;
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
        Part::Backend => (
            "Backend".into(),
            vec![(
                "mean latency",
                sim.scenario().backend.as_ref().map_or("–".into(), |b| {
                    format!("{:.1} ms", b.latency.mean() * 1e3)
                }),
            )],
        ),
    }
}
