//! Protection: a rate limiter, a concurrency limit and load shedding, in front of the
//! balancer.

use super::{editor, group, ms, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::Strings;
use crate::ids::PanelId;
use loadlab_sim::protection::{CircuitBreakerConfig, RateLimit, Retries};
use yew::prelude::*;

/// The limiters in menu order: (value, text).
fn limiters(t: &'static Strings) -> [(&'static str, &'static str); 5] {
    [
        ("none", t.none),
        ("token_bucket", t.lim_token_bucket),
        ("leaky_bucket", t.lim_leaky_bucket_queue),
        ("fixed_window", t.lim_fixed_window),
        ("sliding_window", t.lim_sliding_window),
    ]
}

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
    let t = props.lang.strings();
    let p = &props.scenario.protection;
    let limit = p.rate_limit;
    let body = html! { <>
        <Select id="rate-limit" label={t.rate_limiter} value={limiter_value(limit)} options={options(&limiters(t))}
            onchange={editor(props, |s, v: String| s.protection.rate_limit = limiter_from(&v))} />
        if let Some(l) = limit {
            <Slider id="rate-limit-rate" label={t.allowed_rate} unit={t.unit_req_s} min={10.0} max={3000.0} step={10.0} value={allowed_rate(l)}
                onchange={editor(props, |s, v| if let Some(l) = s.protection.rate_limit { s.protection.rate_limit = Some(with_rate(l, v)) })} />
            if let RateLimit::TokenBucket { burst, .. } = l {
                <Slider id="rate-limit-burst" label={t.burst} min={1.0} max={1000.0} step={1.0} value={burst}
                    onchange={editor(props, |s, v| if let Some(RateLimit::TokenBucket { burst, .. }) = &mut s.protection.rate_limit { *burst = v })} />
            }
            if let RateLimit::LeakyBucket { capacity, .. } = l {
                <Slider id="rate-limit-capacity" label={t.bucket_size} min={1.0} max={1000.0} step={1.0} value={f64::from(capacity)}
                    onchange={editor(props, |s, v: f64| if let Some(RateLimit::LeakyBucket { capacity, .. }) = &mut s.protection.rate_limit { *capacity = v as u32 })} />
            }
        }
        <Toggle id="concurrency-on" label={t.concurrency_on} checked={p.concurrency_limit.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.concurrency_limit = on.then_some(100))} />
        if let Some(c) = p.concurrency_limit {
            <Slider id="concurrency-limit" label={t.concurrency_limit} min={1.0} max={2000.0} step={1.0} value={f64::from(c)}
                onchange={editor(props, |s, v: f64| s.protection.concurrency_limit = Some(v as u32))} />
        }
        <Toggle id="shed-on" label={t.shed_on} checked={p.shed_after_seconds.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.shed_after_seconds = on.then_some(0.2))} />
        if let Some(after) = p.shed_after_seconds {
            <Slider id="shed-after" label={t.shed_after} min={0.005} max={2.0} step={0.005} value={after} display={ms(after)}
                onchange={editor(props, |s, v| s.protection.shed_after_seconds = Some(v))} />
        }
        <Toggle id="retries-on" label={t.retries_on} checked={p.retries.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.retries = on.then_some(Retries { max_attempts: 3, backoff_seconds: 0.05, jitter: 0.5, budget: None }))} />
        if let Some(r) = p.retries {
            <Slider id="retry-attempts" label={t.attempts} min={2.0} max={6.0} step={1.0} value={f64::from(r.max_attempts)}
                onchange={editor(props, |s, v: f64| if let Some(r) = &mut s.protection.retries { r.max_attempts = v as u32 })} />
            <Slider id="retry-backoff" label={t.backoff} min={0.001} max={1.0} step={0.001} value={r.backoff_seconds}
                display={ms(r.backoff_seconds)}
                onchange={editor(props, |s, v| if let Some(r) = &mut s.protection.retries { r.backoff_seconds = v })} />
            <Toggle id="retry-budget-on" label={t.budget_on} checked={r.budget.is_some()}
                onchange={editor(props, |s, on: bool| if let Some(r) = &mut s.protection.retries { r.budget = on.then_some(0.1) })} />
            if let Some(budget) = r.budget {
                <Slider id="retry-budget" label={t.budget} min={0.0} max={1.0} step={0.01} value={budget}
                    display={format!("{:.0} %", budget * 100.0)}
                    onchange={editor(props, |s, v| if let Some(r) = &mut s.protection.retries { r.budget = Some(v) })} />
            }
        }
        <Toggle id="breaker-on" label={t.breaker_on} checked={p.circuit_breaker.is_some()}
            onchange={editor(props, |s, on: bool| s.protection.circuit_breaker = on.then_some(CircuitBreakerConfig { window_calls: 20, failure_ratio: 0.5, open_seconds: 2.0, probe_calls: 3 }))} />
        if let Some(b) = p.circuit_breaker {
            <Slider id="breaker-ratio" label={t.breaker_ratio} min={0.05} max={1.0} step={0.05} value={b.failure_ratio}
                display={format!("{:.0} %", b.failure_ratio * 100.0)}
                onchange={editor(props, |s, v| if let Some(b) = &mut s.protection.circuit_breaker { b.failure_ratio = v })} />
            <Slider id="breaker-open" label={t.breaker_open} unit={t.unit_s} min={0.1} max={30.0} step={0.1} value={b.open_seconds}
                onchange={editor(props, |s, v| if let Some(b) = &mut s.protection.circuit_breaker { b.open_seconds = v })} />
        }
    </> };
    group(
        PanelId::Protection,
        props,
        t.protection_title,
        t.protection_hint,
        body,
    )
}
