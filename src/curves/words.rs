//! The Curves view's words for the core's figures, settings and reasons.

use crate::i18n::{setting_label, Strings};
use loadlab_sim::curves::Measure;

/// A figure's name with its unit, as the chart's y axis says it.
pub fn measure(t: &'static Strings, m: Measure) -> &'static str {
    match m {
        Measure::MeanLatency => t.mz_mean,
        Measure::P50 => t.mz_p50,
        Measure::P95 => t.mz_p95,
        Measure::P99 => t.mz_p99,
        Measure::Throughput => t.mz_throughput,
        Measure::Goodput => t.mz_goodput,
        Measure::ErrorShare => t.mz_errors,
        Measure::QueueFullShare => t.mz_queue_full,
        Measure::LimitedShare => t.mz_limited,
        Measure::ShedShare => t.mz_shed,
        Measure::LateShare => t.mz_late,
        Measure::HitRate => t.mz_hit_rate,
        Measure::Utilisation => t.mz_utilisation,
        Measure::CpuUtilisation => t.mz_cpu,
        Measure::PoolWait => t.mz_pool_wait,
        Measure::LockWait => t.mz_lock_wait,
    }
}

/// A setting in the list: the control's label and the field's path, which tells apart
/// the fields one control sets (a distribution's mean and spread, one server's speed).
pub fn setting(t: &'static Strings, path: &str) -> String {
    match setting_label(t, path) {
        Some(label) => format!("{label} · {path}"),
        None => path.to_string(),
    }
}

/// The x axis: the setting's label and its unit.
pub fn axis(t: &'static Strings, path: &str) -> String {
    let label = setting_label(t, path).unwrap_or(path);
    if path == "traffic.arrivals.rate" {
        format!("{label} ({})", t.unit_req_s)
    } else if path.ends_with("seconds") {
        format!("{label} ({})", t.unit_s)
    } else {
        label.to_string()
    }
}
