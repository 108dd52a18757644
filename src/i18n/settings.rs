//! The scenario's settings by the labels of the controls that set them, so what a
//! comparison lists reads as the page does ("Workers per server", not `servers.workers`).

use super::Strings;

/// The label of the control that sets the scenario field at `path` (as the file names
/// it: `servers.workers`), or of the group of settings it belongs to; `None` for a field
/// no control sets (the seed).
pub fn setting_label(t: &'static Strings, path: &str) -> Option<&'static str> {
    // The longest known prefix wins: `database.replication_lag.seconds` is the lag.
    let known: &[(&str, &'static str)] = &[
        ("traffic.arrivals.rate", t.arrival_rate),
        ("traffic.arrivals.users", t.users),
        ("traffic.arrivals.think_time", t.think_time),
        ("traffic.arrivals", t.load),
        ("traffic.keys.popularity.exponent", t.zipf_exponent),
        ("traffic.keys.popularity", t.popularity),
        ("traffic.write_fraction", t.writes),
        ("traffic.timeout_seconds", t.timeout),
        ("balancer", t.algorithm),
        ("health_check.interval_seconds", t.health_interval),
        ("health_check.failure_threshold", t.health_threshold),
        ("health_check", t.health_on),
        ("servers.count", t.server_count),
        ("servers.workers", t.workers),
        ("servers.cores", t.cores),
        ("servers.queue_capacity", t.queue_places),
        ("servers.service_time", t.cpu_per_request),
        ("servers.switch_overhead", t.switch_cost),
        ("servers.io", t.io),
        ("servers.weights", t.weights),
        ("servers.speeds", t.speeds),
        ("cache.policy", t.eviction),
        ("cache.capacity", t.entries),
        ("cache.ttl_seconds", t.ttl),
        ("cache.placement", t.placement),
        ("cache.write_mode", t.write_mode),
        ("cache.coalesce", t.coalesce),
        ("cache", t.cache_title),
        ("database.network", t.network),
        ("database.processing", t.processing),
        ("database.disk", t.disk),
        ("database.indexed", t.index),
        ("database.rows", t.rows),
        ("database.node_concurrency", t.node_concurrency),
        ("database.replicas", t.replicas),
        ("database.read_write_split", t.read_split),
        ("database.replication_lag", t.lag),
        ("database.pool_size", t.pool_size),
        ("database.pool_timeout_seconds", t.pool_timeout),
        ("database.shards", t.shards),
        ("database.sharding", t.sharding),
        ("database.locking", t.locking),
        ("database.write_queue", t.write_queue_on),
        ("database.error_rate", t.db_errors),
        ("database", t.db_title),
        ("protection.rate_limit", t.rate_limiter),
        ("protection.concurrency_limit", t.concurrency_limit),
        ("protection.shed_after_seconds", t.shed_after),
        ("protection.retries", t.retries_on),
        ("protection.circuit_breaker", t.breaker_on),
    ];
    known
        .iter()
        .filter(|(prefix, _)| {
            path == *prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('.'))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn fields_read_as_their_controls() {
        let t = Lang::En.strings();
        assert_eq!(setting_label(t, "servers.workers"), Some(t.workers));
        assert_eq!(
            setting_label(t, "database.replication_lag.seconds"),
            Some(t.lag)
        );
        assert_eq!(
            setting_label(t, "traffic.arrivals.rate"),
            Some(t.arrival_rate)
        );
        assert_eq!(setting_label(t, "balancer"), Some(t.algorithm));
        assert_eq!(setting_label(t, "cache.capacity"), Some(t.entries));
        assert_eq!(setting_label(t, "cache"), Some(t.cache_title));
        assert_eq!(setting_label(t, "seed"), None);
        // A prefix counts only up to a dot: `servers.count` is not `servers.co…`.
        assert_eq!(setting_label(t, "servers.cores"), Some(t.cores));
    }
}
