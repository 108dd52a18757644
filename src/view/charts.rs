//! The five live charts and what each plots, from the core's closed windows.

use super::chart::{ChartSpec, Series};
use super::palette::{BLUE, GREEN, ORANGE, SERIES, VERMILLION};
use loadlab_sim::metrics::WindowStats;
use std::collections::BTreeSet;

/// Canvas ids of the charts, in page order.
pub const IDS: [&str; 5] = [
    "chart-latency",
    "chart-throughput",
    "chart-hit-rate",
    "chart-queues",
    "chart-spread",
];

/// How many of the latest windows the charts show.
pub const WINDOWS_SHOWN: usize = 60;

/// The specs of the five charts, in the order of [`IDS`].
pub fn specs(windows: &[&WindowStats], has_cache: bool) -> Vec<ChartSpec> {
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
    ]
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
