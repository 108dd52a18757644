//! The live charts and what each plots, from the core's closed windows.

use super::chart::{ChartSpec, Series};
use super::palette::{BLUE, GREEN, ORANGE, PURPLE, SERIES, VERMILLION};
use loadlab_sim::metrics::WindowStats;
use std::collections::BTreeSet;

/// Canvas ids of the charts, in page order.
pub const IDS: [&str; 7] = [
    "chart-latency",
    "chart-throughput",
    "chart-hit-rate",
    "chart-queues",
    "chart-spread",
    "chart-db-nodes",
    "chart-db-trouble",
];

/// How many of the latest windows the charts show.
pub const WINDOWS_SHOWN: usize = 60;

/// The specs of the charts, in the order of [`IDS`].
pub fn specs(windows: &[&WindowStats], has_cache: bool, has_database: bool) -> Vec<ChartSpec> {
    let line = |label: &str, colour, width, f: &dyn Fn(&WindowStats) -> f64| Series {
        label: label.to_string(),
        colour,
        width,
        points: windows.iter().map(|w| (w.end, f(w))).collect(),
    };
    vec![
        ChartSpec {
            title: "Latency".into(),
            y_label: "ms".into(),
            y_range: None,
            series: vec![
                line("p50", BLUE, 2, &|w| w.latency.p50 * 1e3),
                line("p95", ORANGE, 2, &|w| w.latency.p95 * 1e3),
                line("p99", VERMILLION, 3, &|w| w.latency.p99 * 1e3),
            ],
        },
        ChartSpec {
            title: "Throughput".into(),
            y_label: "requests / s".into(),
            y_range: None,
            series: vec![
                line("throughput", BLUE, 2, &|w| w.throughput),
                line("goodput", GREEN, 3, &|w| w.goodput),
                line("rejected", VERMILLION, 2, &|w| {
                    w.rejections.total() as f64 / (w.end - w.start)
                }),
            ],
        },
        ChartSpec {
            title: if has_cache {
                "Cache hit rate".into()
            } else {
                "Cache hit rate (no cache)".into()
            },
            y_label: "%".into(),
            y_range: Some((0.0, 100.0)),
            series: if has_cache {
                vec![line("hit rate", GREEN, 3, &|w| w.cache.hit_rate * 100.0)]
            } else {
                Vec::new()
            },
        },
        per_server(
            windows,
            "Queue length per server",
            "requests waiting",
            &|s| s.mean_queue,
        ),
        per_server(windows, "Requests per server", "requests / s", &|s| {
            s.routed as f64
        }),
        per_db_node(windows, has_database),
        db_trouble(windows, has_database),
    ]
}

/// Queries per second on each database node of the latest layout ("s0 P", "s0 R1", ...).
fn per_db_node(windows: &[&WindowStats], has_database: bool) -> ChartSpec {
    let latest = windows.last().and_then(|w| w.database.as_ref());
    let nodes: Vec<(u32, u32)> = latest.map_or_else(Vec::new, |d| {
        d.nodes.iter().map(|n| (n.shard, n.replica)).collect()
    });
    let series = nodes
        .iter()
        .enumerate()
        .map(|(i, &(shard, replica))| Series {
            label: match replica {
                0 => format!("s{shard} P"),
                r => format!("s{shard} R{r}"),
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
            "Queries per DB node".into()
        } else {
            "Queries per DB node (no database)".into()
        },
        y_label: "queries / s".into(),
        y_range: None,
        series,
    }
}

/// What goes wrong in the database, per second: waits for a connection or a lock,
/// optimistic conflicts, stale reads, and the write queue's depth.
fn db_trouble(windows: &[&WindowStats], has_database: bool) -> ChartSpec {
    type Measure = fn(&loadlab_sim::db::DbWindow) -> f64;
    let measures: [(&str, (u8, u8, u8), Measure); 5] = [
        ("pool waits", ORANGE, |d| d.pool_waits as f64),
        ("lock waits", BLUE, |d| d.lock_waits as f64),
        ("conflicts", VERMILLION, |d| d.conflicts as f64),
        ("stale reads", GREEN, |d| d.stale_reads as f64),
        ("queue depth", PURPLE, |d| d.queue_depth),
    ];
    let series = measures
        .iter()
        .filter(|_| has_database)
        .map(|&(label, colour, f)| Series {
            label: label.into(),
            colour,
            width: 2,
            points: windows
                .iter()
                .filter_map(|w| {
                    let d = w.database.as_ref()?;
                    let per = if label == "queue depth" {
                        1.0
                    } else {
                        w.end - w.start
                    };
                    Some((w.end, f(d) / per))
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: if has_database {
            "DB waits, stale reads".into()
        } else {
            "DB waits (no database)".into()
        },
        y_label: "per second".into(),
        y_range: None,
        series,
    }
}

/// One line per server id seen in `windows`.
fn per_server(
    windows: &[&WindowStats],
    title: &str,
    y_label: &str,
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
                    w.servers.iter().find(|s| s.id == id).map(|s| {
                        (
                            w.end,
                            f(s) / if y_label.ends_with("/ s") { span } else { 1.0 },
                        )
                    })
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        title: title.into(),
        y_label: y_label.into(),
        y_range: None,
        series,
    }
}
