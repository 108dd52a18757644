//! The per-window series as CSV: what `loadlab run --timeseries FILE.csv` writes.

use crate::db::DbWindow;
use crate::metrics::WindowStats;

/// Seconds to milliseconds: latencies and waits are written in ms, as the page shows them.
const MS: f64 = 1000.0;

/// One window-wide column: its name, which ends in its unit (`_s`, `_ms`, `_req`,
/// `_req_per_s`, `_fraction`...), so a spreadsheet never leaves a reader guessing; and
/// how a window's value is read.
type Column<T> = (&'static str, fn(&T) -> f64);

/// The columns before the database's and the servers', in order.
const COLUMNS: &[Column<WindowStats>] = &[
    ("start_s", |w| w.start),
    ("end_s", |w| w.end),
    ("arrivals_req", |w| w.arrivals as f64),
    ("completions_req", |w| w.completions as f64),
    ("timed_out_req", |w| w.timed_out as f64),
    ("failed_req", |w| w.failed as f64),
    ("gave_up_req", |w| w.gave_up as f64),
    ("rejected_queue_full_req", |w| {
        w.rejections.queue_full as f64
    }),
    ("rejected_server_down_req", |w| {
        w.rejections.server_down as f64
    }),
    ("rejected_no_server_req", |w| w.rejections.no_server as f64),
    ("rejected_rate_limited_req", |w| {
        w.rejections.rate_limited as f64
    }),
    ("rejected_concurrency_req", |w| {
        w.rejections.concurrency_limited as f64
    }),
    ("rejected_shed_req", |w| w.rejections.shed as f64),
    ("rejected_database_error_req", |w| {
        w.rejections.database_error as f64
    }),
    ("rejected_pool_timeout_req", |w| {
        w.rejections.pool_timeout as f64
    }),
    ("rejected_write_conflict_req", |w| {
        w.rejections.write_conflict as f64
    }),
    ("rejected_circuit_open_req", |w| {
        w.rejections.circuit_open as f64
    }),
    ("retries_req", |w| w.retries as f64),
    ("error_share_fraction", |w| w.error_share()),
    ("circuit_open_s", |w| w.circuit_open_seconds),
    ("throughput_req_per_s", |w| w.throughput),
    ("goodput_req_per_s", |w| w.goodput),
    ("latency_mean_ms", |w| w.latency.mean * MS),
    ("latency_p50_ms", |w| w.latency.p50 * MS),
    ("latency_p90_ms", |w| w.latency.p90 * MS),
    ("latency_p95_ms", |w| w.latency.p95 * MS),
    ("latency_p99_ms", |w| w.latency.p99 * MS),
    ("latency_max_ms", |w| w.latency.max * MS),
    ("mean_in_system_req", |w| w.mean_in_system),
    ("throughput_times_latency_req", |w| {
        w.throughput_times_latency
    }),
    ("cache_hits_req", |w| w.cache.hits as f64),
    ("cache_misses_req", |w| w.cache.misses as f64),
    ("cache_hit_rate_fraction", |w| w.cache.hit_rate),
];

/// The database's columns (empty cells without a database).
const DATABASE_COLUMNS: &[Column<DbWindow>] = &[
    ("db_reads_queries", |d| d.reads as f64),
    ("db_writes_queries", |d| d.writes as f64),
    ("db_pool_waits_queries", |d| d.pool_waits as f64),
    ("db_mean_pool_wait_ms", |d| d.mean_pool_wait * MS),
    ("db_lock_waits_queries", |d| d.lock_waits as f64),
    ("db_mean_lock_wait_ms", |d| d.mean_lock_wait * MS),
    ("db_conflicts_queries", |d| d.conflicts as f64),
    ("db_stale_reads_queries", |d| d.stale_reads as f64),
    ("db_stale_cache_hits_req", |d| d.stale_cache_hits as f64),
    ("db_queue_depth_writes", |d| d.queue_depth),
    ("db_queue_lag_ms", |d| d.queue_lag * MS),
];

/// Each server's columns, after `server{id}_`.
const SERVER_COLUMNS: [&str; 3] = ["routed_req", "utilisation_fraction", "mean_queue_req"];

/// The header line for a run whose first servers have ids `0..servers`.
pub fn header(servers: u32) -> String {
    let mut names: Vec<String> = COLUMNS.iter().map(|(name, _)| name.to_string()).collect();
    names.extend(DATABASE_COLUMNS.iter().map(|(name, _)| name.to_string()));
    for id in 0..servers {
        names.extend(SERVER_COLUMNS.iter().map(|c| format!("server{id}_{c}")));
    }
    names.join(",")
}

/// One CSV row for `w`; server columns for ids `0..servers` (empty if a server is gone).
pub fn row(w: &WindowStats, servers: u32) -> String {
    let mut cells: Vec<String> = COLUMNS
        .iter()
        .map(|(_, value)| value(w).to_string())
        .collect();
    cells.extend(DATABASE_COLUMNS.iter().map(|(_, value)| match &w.database {
        Some(d) => value(d).to_string(),
        None => String::new(),
    }));
    for id in 0..servers {
        match w.servers.iter().find(|s| s.id == id) {
            Some(s) => cells.extend([
                s.routed.to_string(),
                s.utilisation.to_string(),
                s.mean_queue.to_string(),
            ]),
            None => cells.extend([String::new(), String::new(), String::new()]),
        }
    }
    cells.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Scenario, Simulation};

    #[test]
    fn rows_have_as_many_cells_as_the_header() {
        let mut sim = Simulation::new(Scenario::default()).unwrap();
        sim.run_until(3.0);
        let head = header(4);
        for w in sim.metrics().windows() {
            assert_eq!(row(w, 4).split(',').count(), head.split(',').count());
        }
        assert!(head.starts_with("start_s,end_s,arrivals_req"));
    }

    #[test]
    fn every_column_names_its_unit_and_latencies_are_in_ms() {
        const UNITS: [&str; 6] = ["_s", "_ms", "_req", "_req_per_s", "_fraction", "_queries"];
        let head = header(2);
        for name in head.split(',') {
            let unit = UNITS.iter().any(|u| name.ends_with(u)) || name.ends_with("_writes");
            assert!(unit, "{name} names no unit");
        }
        let mut sim = Simulation::new(Scenario::default()).unwrap();
        sim.run_until(3.0);
        let w = &sim.metrics().windows()[1];
        let names: Vec<&str> = head.split(',').collect();
        let line = row(w, 2);
        let cells: Vec<&str> = line.split(',').collect();
        let p99 = names.iter().position(|n| *n == "latency_p99_ms").unwrap();
        assert_eq!(cells[p99].parse::<f64>().unwrap(), w.latency.p99 * 1000.0);
    }
}
