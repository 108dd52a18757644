//! The live charts and what each plots, from the core's closed windows.

use super::chart::{ChartSpec, Series};
use super::palette::{BLUE, GREEN, INK, ORANGE, PURPLE, SERIES, SKY, VERMILLION};
use crate::i18n::Strings;
use loadlab_sim::metrics::WindowStats;
use std::collections::BTreeSet;

/// The throughput chart's lines: the offered load (new requests, and with the retries
/// when clients retry) against what was answered, answered in time and refused.
fn throughput_series(t: &Strings, windows: &[&WindowStats]) -> Vec<Series> {
    let line = |label, colour, width, f: &dyn Fn(&WindowStats) -> f64| {
        series(windows, label, colour, width, f)
    };
    let per_second = |n: u64, w: &WindowStats| n as f64 / (w.end - w.start);
    let mut series = vec![line(t.s_offered, INK, 1, &|w| {
        per_second(w.arrivals - w.retries, w)
    })];
    if windows.iter().any(|w| w.retries > 0) {
        series.push(line(t.s_attempts, SKY, 1, &|w| per_second(w.arrivals, w)));
    }
    series.extend([
        line(t.s_throughput, BLUE, 2, &|w| w.throughput),
        line(t.s_goodput, GREEN, 3, &|w| w.goodput),
        line(t.s_rejected, VERMILLION, 2, &|w| {
            per_second(w.rejections.total(), w)
        }),
    ]);
    series
}

/// One line: `f` of each window, at the window's end.
fn series(
    windows: &[&WindowStats],
    label: &str,
    colour: (u8, u8, u8),
    width: u32,
    f: &dyn Fn(&WindowStats) -> f64,
) -> Series {
    Series {
        label: label.to_string(),
        colour,
        width,
        points: windows.iter().map(|w| (w.end, f(w))).collect(),
    }
}

/// How many of the latest windows the charts show.
pub const WINDOWS_SHOWN: usize = 60;

/// The specs of the charts, in the order of [`crate::ids::ChartId::ALL`], in the words of `t`.
pub fn specs(
    t: &Strings,
    windows: &[&WindowStats],
    has_cache: bool,
    has_database: bool,
) -> Vec<ChartSpec> {
    let line = |label: &str, colour, width, f: &dyn Fn(&WindowStats) -> f64| {
        series(windows, label, colour, width, f)
    };
    vec![
        ChartSpec {
            title: t.ch_latency.into(),
            y_label: t.y_ms.into(),
            y_range: None,
            series: vec![
                line("p50", BLUE, 2, &|w| w.latency.p50 * 1e3),
                line("p95", ORANGE, 2, &|w| w.latency.p95 * 1e3),
                line("p99", VERMILLION, 3, &|w| w.latency.p99 * 1e3),
            ],
            ghost: Vec::new(),
        },
        ChartSpec {
            title: t.ch_throughput.into(),
            y_label: t.y_requests_s.into(),
            y_range: None,
            series: throughput_series(t, windows),
            ghost: Vec::new(),
        },
        ChartSpec {
            title: if has_cache {
                t.ch_hit_rate
            } else {
                t.ch_hit_rate_none
            }
            .into(),
            y_label: "%".into(),
            y_range: Some((0.0, 100.0)),
            series: if has_cache {
                vec![line(t.s_hit_rate, GREEN, 3, &|w| w.cache.hit_rate * 100.0)]
            } else {
                Vec::new()
            },
            ghost: Vec::new(),
        },
        per_server(windows, t.ch_queues, t.y_waiting, false, &|s| s.mean_queue),
        per_server(windows, t.ch_requests, t.y_requests_s, true, &|s| {
            s.routed as f64
        }),
        per_db_node(t, windows, has_database),
        db_trouble(t, windows, has_database),
    ]
}

/// Queries per second on each database node of the latest layout ("s0 P", "s0 R1", ...).
fn per_db_node(t: &Strings, windows: &[&WindowStats], has_database: bool) -> ChartSpec {
    let latest = windows.last().and_then(|w| w.database.as_ref());
    let nodes: Vec<(u32, u32)> = latest.map_or_else(Vec::new, |d| {
        d.nodes.iter().map(|n| (n.shard, n.replica)).collect()
    });
    let series = nodes
        .iter()
        .enumerate()
        .map(|(i, &(shard, replica))| Series {
            label: match replica {
                0 => format!("s{shard} {}", t.topo_primary),
                r => format!("s{shard} {}{r}", t.topo_replica),
            },
            colour: SERIES[i % SERIES.len()],
            width: if replica == 0 { 3 } else { 1 },
            points: windows
                .iter()
                .filter_map(|w| {
                    let d = w.database.as_ref()?;
                    let n = d
                        .nodes
                        .iter()
                        .find(|n| (n.shard, n.replica) == (shard, replica))?;
                    Some((w.end, n.queries as f64 / (w.end - w.start)))
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: if has_database {
            t.ch_db_nodes
        } else {
            t.ch_db_nodes_none
        }
        .into(),
        y_label: t.y_queries_s.into(),
        y_range: None,
        series,
        ghost: Vec::new(),
    }
}

/// What goes wrong in the database, per second: waits for a connection or a lock,
/// optimistic conflicts, stale reads, and the write queue's depth.
fn db_trouble(t: &Strings, windows: &[&WindowStats], has_database: bool) -> ChartSpec {
    type Measure = fn(&loadlab_sim::db::DbWindow) -> f64;
    /// Label, colour, measure, and whether it is a count to divide by the window's length.
    type Line<'a> = (&'a str, (u8, u8, u8), Measure, bool);
    let measures: [Line; 5] = [
        (t.s_pool_waits, ORANGE, |d| d.pool_waits as f64, true),
        (t.s_lock_waits, BLUE, |d| d.lock_waits as f64, true),
        (t.s_conflicts, VERMILLION, |d| d.conflicts as f64, true),
        (t.s_stale_reads, GREEN, |d| d.stale_reads as f64, true),
        (t.s_queue_depth, PURPLE, |d| d.queue_depth, false),
    ];
    let series = measures
        .iter()
        .filter(|_| has_database)
        .map(|&(label, colour, f, count)| Series {
            label: label.into(),
            colour,
            width: 2,
            points: windows
                .iter()
                .filter_map(|w| {
                    let d = w.database.as_ref()?;
                    let per = if count { w.end - w.start } else { 1.0 };
                    Some((w.end, f(d) / per))
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: if has_database {
            t.ch_db_trouble
        } else {
            t.ch_db_trouble_none
        }
        .into(),
        y_label: t.y_per_second.into(),
        y_range: None,
        series,
        ghost: Vec::new(),
    }
}

/// One line per server id seen in `windows`; `per_second` divides each window's value
/// by its length.
fn per_server(
    windows: &[&WindowStats],
    title: &str,
    y_label: &str,
    per_second: bool,
    f: &dyn Fn(&loadlab_sim::metrics::ServerWindow) -> f64,
) -> ChartSpec {
    let ids: BTreeSet<u32> = windows
        .iter()
        .flat_map(|w| w.servers.iter().map(|s| s.id))
        .collect();
    let series = ids
        .into_iter()
        .map(|id| Series {
            label: format!("s{id}"),
            colour: SERIES[id as usize % SERIES.len()],
            width: 1 + id % 2 + 1,
            points: windows
                .iter()
                .filter_map(|w| {
                    let span = w.end - w.start;
                    w.servers
                        .iter()
                        .find(|s| s.id == id)
                        .map(|s| (w.end, f(s) / if per_second { span } else { 1.0 }))
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: title.into(),
        y_label: y_label.into(),
        y_range: None,
        series,
        ghost: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loadlab_sim::protection::Retries;
    use loadlab_sim::{Scenario, Simulation};

    /// The throughput chart sets the offered load beside what was answered: new requests
    /// always, and with the retries once clients retry.
    #[test]
    fn the_throughput_chart_shows_the_offered_load_and_the_retries() {
        let t = crate::i18n::Lang::En.strings();
        let throughput_labels = |sim: &Simulation| {
            let windows: Vec<&WindowStats> = sim.metrics().windows().iter().collect();
            let chart = &specs(t, &windows, false, false)[1];
            let labels: Vec<String> = chart.series.iter().map(|s| s.label.clone()).collect();
            (
                labels,
                chart.series[0].points.clone(),
                windows.last().map(|w| (*w).clone()),
            )
        };
        // Overloaded, so requests are refused and, with retries, retried.
        let mut s = Scenario::compute_only(900.0, 1, 4, 0.01);
        s.servers.queue_capacity = Some(10);
        let mut plain = Simulation::new(s.clone()).unwrap();
        plain.run_until(3.0);
        let (labels, _, _) = throughput_labels(&plain);
        assert_eq!(labels, ["offered", "throughput", "goodput", "rejected"]);
        s.protection.retries = Some(Retries {
            max_attempts: 2,
            backoff_seconds: 0.01,
            jitter: 0.0,
            budget: None,
        });
        let mut retrying = Simulation::new(s).unwrap();
        retrying.run_until(3.0);
        let (labels, offered, last) = throughput_labels(&retrying);
        assert_eq!(labels[..2], ["offered", "offered + retries"]);
        let last = last.unwrap();
        assert!(last.retries > 0);
        let new = (last.arrivals - last.retries) as f64 / (last.end - last.start);
        assert_eq!(offered.last().unwrap().1, new);
    }
}
