//! Protection: a rate limiter, a concurrency limit and load shedding, in front of the
//! balancer.

use super::{editor, group, ms, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use loadlab_sim::protection::{CircuitBreakerConfig, RateLimit, Retries};
use yew::prelude::*;

/// The limiters in menu order: (value, text).
const LIMITERS: [(&str, &str); 5] = [
    ("none", "none"),
    ("token_bucket", "token bucket"),
    ("leaky_bucket", "leaky bucket (queue)"),
    ("fixed_window", "fixed window"),
    ("sliding_window", "sliding window"),
];

fn limiter_value(limit: Option<RateLimit>) -> &'static str {
    match limit {
        None => "none",
        Some(RateLimit::TokenBucket { .. }) => "token_bucket",
        Some(RateLimit::LeakyBucket { .. }) => "leaky_bucket",
        Some(RateLimit::FixedWindow { .. }) => "fixed_window",
        Some(RateLimit::SlidingWindow { .. }) => "sliding_window",
    }
}

fn limiter_from(value: &str) -> Option<RateLimit> {
    match value {
        "token_bucket" => Some(RateLimit::TokenBucket {
            rate: 500.0,
            burst: 50.0,
        }),
        "leaky_bucket" => Some(RateLimit::LeakyBucket {
            rate: 500.0,
            capacity: 100,
        }),
        "fixed_window" => Some(RateLimit::FixedWindow {
            limit: 500,
            window_seconds: 1.0,
        }),
        "sliding_window" => Some(RateLimit::SlidingWindow {
            limit: 500,
            window_seconds: 1.0,
        }),
        _ => None,
    }
}

/// The rate (per second) a limiter allows, for the one slider all kinds share.
fn allowed_rate(limit: RateLimit) -> f64 {
    match limit {
        RateLimit::TokenBucket { rate, .. } | RateLimit::LeakyBucket { rate, .. } => rate,
        RateLimit::FixedWindow {
            limit,
            window_seconds,
        }
        | RateLimit::SlidingWindow {
            limit,
            window_seconds,
        } => f64::from(limit) / window_seconds,
    }
}

fn with_rate(limit: RateLimit, rate: f64) -> RateLimit {
    match limit {
        RateLimit::TokenBucket { burst, .. } => RateLimit::TokenBucket { rate, burst },
        RateLimit::LeakyBucket { capacity, .. } => RateLimit::LeakyBucket { rate, capacity },
        RateLimit::FixedWindow { window_seconds, .. } => RateLimit::FixedWindow {
            limit: (rate * window_seconds).max(1.0) as u32,
            window_seconds,
        },
        RateLimit::SlidingWindow { window_seconds, .. } => RateLimit::SlidingWindow {
            limit: (rate * window_seconds).max(1.0) as u32,
            window_seconds,
        },
    }
}

/// The Protection group.
#[function_component(ProtectionPanel)]
pub fn protection_panel(props: &PanelProps) -> Html {
    let p = &props.scenario.protection;
    let limit = p.rate_limit;
    let body = html! { <>
        <Select id="rate-limit" label="Rate limiter" value={limiter_value(limit)} options={options(&LIMITERS)}
            onchange={editor(props, |s, v: String| s.protection.rate_limit = limiter_from(&v))} />
        if let Some(l) = limit {
            <Slider id="rate-limit-rate" label="Allowed rate" unit="req/s" min={10.0} max={3000.0} step={10.0} value={allowed_rate(l)}
                onchange={editor(props, |s, v| if let Some(l) = s.protection.rate_limit { s.protection.rate_limit = Some(with_rate(l, v)) })} />
            if let RateLimit::TokenBucket { burst, .. } = l {
                <Slider id="rate-limit-burst" label="Burst" min={1.0} max={1000.0} step={1.0} value={burst}
                    onchange={editor(props, |s, v| if let Some(RateLimit::TokenBucket { burst, .. }) = &mut s.protection.rate_limit { *burst = v })} />
            }
            if let RateLimit::LeakyBucket { capacity, .. } = l {
                <Slider id="rate-limit-capacity" label="Bucket size" min={1.0} max={1000.0} step={1.0} value={f64::from(capacity)}
                    onchange={editor(props, |s, v: f64| if let Some(RateLimit::LeakyBucket { capacity, .. }) = &mut s.protection.rate_limit { *capacity = v as u32 })} />
            }
        }
        <Toggle id="concurrency-on" label="Concurrency limit" checked={p.concurrency_limit.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.concurrency_limit = on.then_some(100))} />
        if let Some(c) = p.concurrency_limit {
            <Slider id="concurrency-limit" label="Requests in system" min={1.0} max={2000.0} step={1.0} value={f64::from(c)}
                onchange={editor(props, |s, v: f64| s.protection.concurrency_limit = Some(v as u32))} />
        }
        <Toggle id="shed-on" label="Shed requests that waited too long" checked={p.shed_after_seconds.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.shed_after_seconds = on.then_some(0.2))} />
        if let Some(after) = p.shed_after_seconds {
            <Slider id="shed-after" label="Longest wait" unit="" min={0.005} max={2.0} step={0.005} value={after} display={ms(after)}
                onchange={editor(props, |s, v| s.protection.shed_after_seconds = Some(v))} />
        }
        <Toggle id="retries-on" label="Clients retry failures and timeouts" checked={p.retries.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.retries = on.then_some(Retries { max_attempts: 3, backoff_seconds: 0.05, jitter: 0.5, budget: None }))} />
        if let Some(r) = p.retries {
            <Slider id="retry-attempts" label="Attempts" min={2.0} max={6.0} step={1.0} value={f64::from(r.max_attempts)}
                onchange={editor(props, |s, v: f64| if let Some(r) = &mut s.protection.retries { r.max_attempts = v as u32 })} />
            <Slider id="retry-backoff" label="First backoff" unit="" min={0.001} max={1.0} step={0.001} value={r.backoff_seconds}
                display={ms(r.backoff_seconds)}
                onchange={editor(props, |s, v| if let Some(r) = &mut s.protection.retries { r.backoff_seconds = v })} />
            <Toggle id="retry-budget-on" label="Retry budget" checked={r.budget.is_some()}
                onchange={editor(props, |s, on: bool| if let Some(r) = &mut s.protection.retries { r.budget = on.then_some(0.1) })} />
            if let Some(budget) = r.budget {
                <Slider id="retry-budget" label="Retries per request" unit="" min={0.0} max={1.0} step={0.01} value={budget}
                    display={format!("{:.0} %", budget * 100.0)}
                    onchange={editor(props, |s, v| if let Some(r) = &mut s.protection.retries { r.budget = Some(v) })} />
            }
        }
        <Toggle id="breaker-on" label="Circuit breaker in front of the database" checked={p.circuit_breaker.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.circuit_breaker = on.then_some(CircuitBreakerConfig { window_calls: 20, failure_ratio: 0.5, open_seconds: 2.0, probe_calls: 3 }))} />
        if let Some(b) = p.circuit_breaker {
            <Slider id="breaker-ratio" label="Opens at failures" unit="" min={0.05} max={1.0} step={0.05} value={b.failure_ratio}
                display={format!("{:.0} %", b.failure_ratio * 100.0)}
                onchange={editor(props, |s, v| if let Some(b) = &mut s.protection.circuit_breaker { b.failure_ratio = v })} />
            <Slider id="breaker-open" label="Stays open" unit="s" min={0.1} max={30.0} step={0.1} value={b.open_seconds}
                onchange={editor(props, |s, v| if let Some(b) = &mut s.protection.circuit_breaker { b.open_seconds = v })} />
        }
    </> };
    group(
        "protection",
        "Protection",
        "Turn excess work away early and cheaply, instead of letting queues and latency grow.",
        &props.error,
        body,
    )
}
