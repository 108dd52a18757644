//! The words above the charts in a PNG export: what was run, with which key settings
//! (by the controls' labels), at what simulated time and when, so a picture pasted into
//! slides or a report still says what it shows.

use crate::i18n::{balancer_name, fill, policy_name, Strings};
use crate::view::clock_time;
use loadlab_sim::traffic::Arrivals;
use loadlab_sim::Simulation;

/// The header's lines: a title (with the lesson's, if one runs), the key settings, and
/// the simulated time with the wall-clock moment of export (`now_utc`, "2026-12-05
/// 22:58 UTC").
pub fn header(
    t: &'static Strings,
    sim: &Simulation,
    lesson: Option<&str>,
    now_utc: &str,
) -> Vec<String> {
    let s = sim.scenario();
    let title = match lesson {
        Some(title) => format!("Loadlab · {title}"),
        None => "Loadlab".to_string(),
    };
    let load = match &s.traffic.arrivals {
        Arrivals::OpenLoop { rate, .. } => {
            let rate = format!("{rate}");
            format!(
                "{}: {}",
                t.arrival_rate,
                fill(t.topo_rate, &[("rate", &rate)])
            )
        }
        Arrivals::ClosedLoop { users, .. } => format!("{}: {users}", t.users),
    };
    let mut settings = vec![
        load,
        format!("{}: {}", t.server_count, s.servers.count),
        format!("{}: {}", t.workers, s.servers.workers),
        format!("{}: {}", t.cores, s.servers.cores),
        format!("{}: {}", t.algorithm, balancer_name(t, &s.balancer)),
    ];
    settings.push(match &s.cache {
        Some(c) => format!(
            "{}: {} × {}",
            t.eviction,
            policy_name(t, c.policy),
            c.capacity
        ),
        None => format!("{}: {}", t.f_cache, t.m_off),
    });
    settings.push(match &s.database {
        Some(d) => format!("{}: {}", t.replicas, d.replicas),
        None => format!("{}: {}", t.f_database, t.m_off),
    });
    settings.push(format!("seed {}", s.seed));
    vec![
        title,
        settings.join(" · "),
        format!("{} {} · {now_utc}", t.hl_sim_time, clock_time(sim.now())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use loadlab_sim::Scenario;

    #[test]
    fn the_header_says_what_ran_and_when() {
        let mut sim = Simulation::new(Scenario::default()).unwrap();
        sim.run_until(42.0);
        let t = Lang::En.strings();
        let lines = header(
            t,
            &sim,
            Some("Sizing a thread pool"),
            "2026-12-05 22:58 UTC",
        );
        assert_eq!(lines[0], "Loadlab · Sizing a thread pool");
        assert!(
            lines[1].starts_with("Arrival rate: 600 req/s · Servers: 4 · Worker threads: 4"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].contains("Algorithm: round robin") && lines[1].ends_with("seed 1"),
            "{}",
            lines[1]
        );
        assert_eq!(lines[2], "simulated time 0:42.0 · 2026-12-05 22:58 UTC");
        let zh = header(Lang::Zh.strings(), &sim, None, "2026-12-05 22:58 UTC");
        assert!(zh[1].starts_with("到达速率"), "{}", zh[1]);
    }
}
