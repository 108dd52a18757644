//! The labels of live changes on the charts, in the page's language. The core records
//! what changed as data ([`Mark`]); these are its words.

use super::{balancer_name, fill, limiter_name, policy_name, Strings};
use loadlab_sim::cache::Placement;
use loadlab_sim::db::{Locking, Sharding};
use loadlab_sim::dist::Distribution;
use loadlab_sim::engine::{Counted, Feature};
use loadlab_sim::server::IoMode;
use loadlab_sim::Mark;

/// A number as people write it: at most three decimals, no float noise (0.07 × 100
/// shows as 7, not 7.000000000000001).
fn num(x: f64) -> String {
    format!("{}", (x * 1000.0).round() / 1000.0)
}

/// The label of a change, in the words of `t`.
pub fn mark_text(t: &'static Strings, mark: &Mark) -> String {
    let n = |template, n: &u32| fill(template, &[("n", n)]);
    match mark {
        Mark::ServerKilled(i) => n(t.m_server_killed, i),
        Mark::ServerRevived(i) => n(t.m_server_revived, i),
        Mark::DatabaseDown => t.m_database_down.into(),
        Mark::DatabaseUp => t.m_database_up.into(),
        Mark::Spike {
            multiplier,
            seconds,
        } => fill(
            t.m_spike,
            &[("x", &num(*multiplier)), ("s", &num(*seconds))],
        ),
        Mark::TakenOut(i) => n(t.m_taken_out, i),
        Mark::BackIn(i) => n(t.m_back_in, i),
        Mark::Switched { what, on } => {
            let state = if *on { t.m_on } else { t.m_off };
            fill(
                t.m_switched,
                &[("what", &feature(t, *what)), ("state", &state)],
            )
        }
        Mark::Count { what, from, to } => fill(
            t.m_count,
            &[("what", &counted(t, *what)), ("from", from), ("to", to)],
        ),
        Mark::Balancer { from, to } => fill(
            t.m_balancer,
            &[
                ("from", &balancer_name(t, from)),
                ("to", &balancer_name(t, to)),
            ],
        ),
        Mark::RateLimit(limit) => {
            let name = limit.map_or(t.m_off, |l| limiter_name(t, &l));
            fill(t.m_rate_limit, &[("name", &name)])
        }
        Mark::ConcurrencyLimit(limit) => {
            let n = limit.map_or(t.m_off.to_string(), |c| c.to_string());
            fill(t.m_concurrency, &[("n", &n)])
        }
        Mark::Shedding(after) => {
            let state = after.map_or(t.m_off.to_string(), |s| fill(t.m_after, &[("s", &num(s))]));
            fill(t.m_shedding, &[("state", &state)])
        }
        Mark::Window(s) => fill(t.m_window, &[("s", &num(*s))]),
        Mark::ArrivalRate { from, to } => fill(
            t.m_arrival_rate,
            &[("from", &num(*from)), ("to", &num(*to))],
        ),
        Mark::ScheduleChanged => t.m_schedule.into(),
        Mark::ThinkTime(d) => fill(t.m_think_time, &[("d", &distribution(t, d))]),
        Mark::TrafficLoop { closed } => {
            let kind = if *closed {
                t.m_closed_loop
            } else {
                t.m_open_loop
            };
            fill(t.m_traffic_loop, &[("kind", &kind)])
        }
        Mark::KeysChanged => t.m_keys.into(),
        Mark::WriteFraction { from, to } => fill(
            t.m_writes,
            &[("from", &num(from * 100.0)), ("to", &num(to * 100.0))],
        ),
        Mark::Timeout(s) => fill(t.m_timeout, &[("t", &seconds_or_none(t, *s))]),
        Mark::Queue { from, to } => {
            let queue = |q: &Option<u32>| q.map_or(t.m_unbounded.to_string(), |c| c.to_string());
            fill(t.m_queue, &[("from", &queue(from)), ("to", &queue(to))])
        }
        Mark::ServiceTime(d) => fill(t.m_service, &[("d", &distribution(t, d))]),
        Mark::Io(mode) => {
            let mode = match mode {
                IoMode::Sync => t.m_sync,
                IoMode::Async { .. } => t.m_async,
            };
            fill(t.m_io, &[("mode", &mode)])
        }
        Mark::SwitchOverhead(x) => fill(t.m_switch_overhead, &[("x", &num(x * 100.0))]),
        Mark::WeightsOrSpeedsChanged => t.m_weights.into(),
        Mark::CachePlacement { from, to } => fill(
            t.m_placement,
            &[("from", &placement(t, *from)), ("to", &placement(t, *to))],
        ),
        Mark::CachePolicy { from, to } => fill(
            t.m_policy,
            &[
                ("from", &policy_name(t, *from)),
                ("to", &policy_name(t, *to)),
            ],
        ),
        Mark::Ttl(s) => fill(t.m_ttl, &[("t", &seconds_or_none(t, *s))]),
        Mark::CacheSettingsChanged => t.m_cache_settings.into(),
        Mark::Shards { count, by } => {
            let by = match by {
                Sharding::Hash => t.by_hash,
                Sharding::Range => t.by_range,
            };
            fill(t.m_shards, &[("n", count), ("by", &by)])
        }
        Mark::Rows(rows) => fill(t.m_rows, &[("n", rows)]),
        Mark::Locking(locking) => {
            let kind = match locking {
                Locking::None => t.none,
                Locking::Pessimistic => t.m_pessimistic,
                Locking::Optimistic { .. } => t.m_optimistic,
            };
            fill(t.m_locking, &[("kind", &kind)])
        }
        Mark::PoolSize(size) => n(t.m_pool, size),
        Mark::ReplicationLag(d) => fill(t.m_lag, &[("d", &distribution(t, d))]),
        Mark::ErrorRate(rate) => fill(t.m_error_rate, &[("x", &num(rate * 100.0))]),
        Mark::DatabaseTimingsChanged => t.m_db_timings.into(),
        Mark::SettingsChanged => t.m_settings.into(),
        Mark::Scaled { from, to } => fill(t.m_scaled, &[("from", from), ("to", to)]),
        Mark::AutoscalingChanged => t.m_autoscaling.into(),
    }
}

fn feature(t: &'static Strings, what: Feature) -> &'static str {
    match what {
        Feature::HealthChecks => t.f_health_checks,
        Feature::Autoscaling => t.f_autoscaling,
        Feature::CircuitBreaker => t.f_breaker,
        Feature::Retries => t.f_retries,
        Feature::Cache => t.f_cache,
        Feature::Database => t.f_database,
        Feature::ReadWriteSplit => t.f_split,
        Feature::Index => t.f_index,
        Feature::WriteQueue => t.f_write_queue,
        Feature::Coalescing => t.f_coalesce,
    }
}

fn counted(t: &'static Strings, what: Counted) -> &'static str {
    match what {
        Counted::Users => t.c_users,
        Counted::Clients => t.c_clients,
        Counted::Servers => t.c_servers,
        Counted::Workers => t.c_workers,
        Counted::Cores => t.c_cores,
        Counted::Replicas => t.c_replicas,
        Counted::CacheSize => t.c_cache_size,
    }
}

fn placement(t: &'static Strings, p: Placement) -> &'static str {
    match p {
        Placement::Shared => t.m_shared,
        Placement::Local => t.m_local,
    }
}

fn seconds_or_none(t: &'static Strings, s: Option<f64>) -> String {
    s.map_or(t.none.to_string(), |s| fill(t.m_seconds, &[("s", &num(s))]))
}

/// A distribution as a chart label, like "exp 20 ms".
fn distribution(t: &'static Strings, d: &Distribution) -> String {
    let ms = |s: f64| format!("{} ms", num(s * 1e3));
    match *d {
        Distribution::Constant { seconds } => fill(t.d_constant, &[("ms", &ms(seconds))]),
        Distribution::Exponential { mean_seconds } => {
            fill(t.d_exponential, &[("ms", &ms(mean_seconds))])
        }
        Distribution::LogNormal {
            mean_seconds,
            sigma,
        } => fill(
            t.d_log_normal,
            &[("ms", &ms(mean_seconds)), ("sigma", &num(sigma))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use loadlab_sim::balancer::BalancerKind;

    #[test]
    fn marks_read_in_both_languages() {
        let (en, zh) = (Lang::En.strings(), Lang::Zh.strings());
        let lb = Mark::Balancer {
            from: BalancerKind::RoundRobin,
            to: BalancerKind::LeastConnections,
        };
        assert_eq!(
            mark_text(en, &lb),
            "Algorithm: round robin → least connections"
        );
        assert_eq!(mark_text(zh, &lb), "算法：轮询 → 最少连接");
        let off = Mark::Switched {
            what: Feature::Cache,
            on: false,
        };
        assert_eq!(mark_text(zh, &off), "缓存：关闭");
        // Float noise is rounded away: 0.07 is 7 %, not 7.000000000000001 %.
        assert_eq!(mark_text(en, &Mark::ErrorRate(0.07)), "Query errors: 7 %");
        let think = Mark::ThinkTime(Distribution::Exponential { mean_seconds: 0.3 });
        assert_eq!(mark_text(zh, &think), "思考时间：指数分布，均值 300 ms");
    }
}
