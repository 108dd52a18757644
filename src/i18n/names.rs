//! The names of the core's algorithms in the page's language: the core names them by
//! their scenario-file keys, the page by these.

use super::Strings;
use loadlab_sim::balancer::BalancerKind;
use loadlab_sim::cache::PolicyKind;
use loadlab_sim::metrics::Reason;
use loadlab_sim::protection::RateLimit;
use loadlab_sim::theory::Unsolved;

/// A balancing algorithm's name.
pub fn balancer_name(t: &'static Strings, kind: &BalancerKind) -> &'static str {
    match kind {
        BalancerKind::RoundRobin => t.bal_round_robin,
        BalancerKind::Random => t.bal_random,
        BalancerKind::SmoothWeighted => t.bal_smooth_weighted,
        BalancerKind::LeastConnections => t.bal_least_connections,
        BalancerKind::WeightedLeastConnections => t.bal_weighted_least_connections,
        BalancerKind::IpHash => t.bal_ip_hash,
        BalancerKind::ConsistentHash { .. } => t.bal_consistent_hash,
        BalancerKind::PowerOfTwoChoices => t.bal_power_of_two,
        BalancerKind::PeakEwma { .. } => t.bal_peak_ewma,
    }
}

/// A rate limiter's name.
pub fn limiter_name(t: &'static Strings, limit: &RateLimit) -> &'static str {
    match limit {
        RateLimit::TokenBucket { .. } => t.lim_token_bucket,
        RateLimit::LeakyBucket { .. } => t.lim_leaky_bucket,
        RateLimit::FixedWindow { .. } => t.lim_fixed_window,
        RateLimit::SlidingWindow { .. } => t.lim_sliding_window,
    }
}

/// An eviction policy's name: the acronyms are the same in every language.
pub fn policy_name(t: &'static Strings, policy: PolicyKind) -> &'static str {
    match policy {
        PolicyKind::Lru => "LRU",
        PolicyKind::Lfu => "LFU",
        PolicyKind::Fifo => "FIFO",
        PolicyKind::Random => t.policy_random,
        PolicyKind::Sieve => "SIEVE",
        PolicyKind::S3Fifo => "S3-FIFO",
    }
}

/// The short name of a refusal's reason.
pub fn reason_name(t: &Strings, r: Reason) -> &'static str {
    match r {
        Reason::QueueFull => t.r_queue_full,
        Reason::ServerDown => t.r_server_down,
        Reason::NoServer => t.r_no_server,
        Reason::RateLimited => t.r_rate_limited,
        Reason::ConcurrencyLimited => t.r_concurrency,
        Reason::Shed => t.r_shed,
        Reason::DatabaseError => t.r_db_error,
        Reason::PoolTimeout => t.r_pool_timeout,
        Reason::WriteConflict => t.r_conflict,
        Reason::CircuitOpen => t.r_circuit_open,
    }
}

/// Why theory draws no line, as the end of a sentence.
pub fn unsolved_text(t: &'static Strings, why: Unsolved) -> &'static str {
    match why {
        Unsolved::ClosedLoop => t.un_closed_loop,
        Unsolved::Schedule => t.un_schedule,
        Unsolved::Backend => t.un_backend,
        Unsolved::SharedCores => t.un_shared_cores,
        Unsolved::UnequalSpeeds => t.un_unequal,
        Unsolved::AsyncIo => t.un_async,
        Unsolved::Balancer => t.un_balancer,
        Unsolved::Protection => t.un_protection,
        Unsolved::ServiceShape => t.un_service,
        Unsolved::Saturated => t.un_saturated,
        Unsolved::DeadServer => t.un_dead,
    }
}
