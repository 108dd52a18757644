//! The per-window series as CSV: what `loadlab run --timeseries FILE.csv` writes.

use crate::metrics::WindowStats;

/// The header line for a run whose first servers have ids `0..servers`.
pub fn header(servers: u32) -> String {
    let mut columns: Vec<String> = [
        "start",
        "end",
        "arrivals",
        "completions",
        "timed_out",
        "rejected_queue_full",
        "rejected_server_down",
        "rejected_no_server",
        "rejected_rate_limited",
        "rejected_concurrency",
        "rejected_shed",
        "rejected_database_error",
        "rejected_pool_timeout",
        "rejected_write_conflict",
        "rejected_circuit_open",
        "retries",
        "circuit_open_seconds",
        "throughput",
        "goodput",
        "latency_mean",
        "latency_p50",
        "latency_p90",
        "latency_p95",
        "latency_p99",
        "latency_max",
        "mean_in_system",
        "throughput_times_latency",
        "cache_hits",
        "cache_misses",
        "cache_hit_rate",
        "db_reads",
        "db_writes",
        "db_pool_waits",
        "db_mean_pool_wait",
        "db_lock_waits",
        "db_mean_lock_wait",
        "db_conflicts",
        "db_stale_reads",
        "db_stale_cache_hits",
        "db_queue_depth",
        "db_queue_lag",
    ]
    .iter()
    .map(|c| c.to_string())
    .collect();
    for id in 0..servers {
        columns.push(format!("server{id}_routed"));
        columns.push(format!("server{id}_utilisation"));
        columns.push(format!("server{id}_mean_queue"));
    }
    columns.join(",")
}

/// One CSV row for `w`; server columns for ids `0..servers` (empty if a server is gone).
pub fn row(w: &WindowStats, servers: u32) -> String {
    let l = &w.latency;
    let mut cells: Vec<String> = vec![
        w.start.to_string(),
        w.end.to_string(),
        w.arrivals.to_string(),
        w.completions.to_string(),
        w.timed_out.to_string(),
        w.rejections.queue_full.to_string(),
        w.rejections.server_down.to_string(),
        w.rejections.no_server.to_string(),
        w.rejections.rate_limited.to_string(),
        w.rejections.concurrency_limited.to_string(),
        w.rejections.shed.to_string(),
        w.rejections.database_error.to_string(),
        w.rejections.pool_timeout.to_string(),
        w.rejections.write_conflict.to_string(),
        w.rejections.circuit_open.to_string(),
        w.retries.to_string(),
        w.circuit_open_seconds.to_string(),
        w.throughput.to_string(),
        w.goodput.to_string(),
        l.mean.to_string(),
        l.p50.to_string(),
        l.p90.to_string(),
        l.p95.to_string(),
        l.p99.to_string(),
        l.max.to_string(),
        w.mean_in_system.to_string(),
        w.throughput_times_latency.to_string(),
        w.cache.hits.to_string(),
        w.cache.misses.to_string(),
        w.cache.hit_rate.to_string(),
    ];
    cells.extend(database_cells(w));
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

/// The database columns (empty without a database).
fn database_cells(w: &WindowStats) -> Vec<String> {
    let Some(d) = &w.database else {
        return vec![String::new(); 11];
    };
    vec![
        d.reads.to_string(),
        d.writes.to_string(),
        d.pool_waits.to_string(),
        d.mean_pool_wait.to_string(),
        d.lock_waits.to_string(),
        d.mean_lock_wait.to_string(),
        d.conflicts.to_string(),
        d.stale_reads.to_string(),
        d.stale_cache_hits.to_string(),
        d.queue_depth.to_string(),
        d.queue_lag.to_string(),
    ]
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
        assert!(head.starts_with("start,end,arrivals"));
    }
}
