//! Protection: a rate limiter, a concurrency limit and load shedding, in front of the
//! balancer.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::Strings;
use crate::ids::PanelId;
use loadlab_sim::protection::{CircuitBreakerConfig, RateLimit, Retries};
use loadlab_sim::Scenario;
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
    let body = html! { <>
        { rate_limit(props, t, p.rate_limit) }
        <Toggle id="concurrency-on" label={t.concurrency_on} checked={p.concurrency_limit.is_some()}
            onchange={editor(props, set_concurrency_on)} />
        if let Some(c) = p.concurrency_limit {
            <Slider id="concurrency-limit" label={t.concurrency_limit} min={1.0} max={2000.0}
                step={1.0} value={f64::from(c)} onchange={editor(props, set_concurrency_limit)} />
        }
        <Toggle id="shed-on" label={t.shed_on} checked={p.shed_after_seconds.is_some()}
            onchange={editor(props, set_shedding)} />
        if let Some(after) = p.shed_after_seconds {
            <Slider id="shed-after" label={t.shed_after} min={0.005} max={2.0} step={0.005}
                value={after} scale={1000.0} unit={t.unit_ms}
                onchange={editor(props, |s, v| s.protection.shed_after_seconds = Some(v))} />
        }
        { retries(props, t, p.retries) }
        { breaker(props, t, p.circuit_breaker) }
    </> };
    group(
        PanelId::Protection,
        props,
        t.protection_title,
        t.protection_hint,
        body,
    )
}

fn rate_limit(props: &PanelProps, t: &'static Strings, limit: Option<RateLimit>) -> Html {
    html! { <>
        <Select id="rate-limit" label={t.rate_limiter} value={limiter_value(limit)}
            options={options(&limiters(t))}
            onchange={editor(props, |s, v: String| s.protection.rate_limit = limiter_from(&v))} />
        if let Some(l) = limit {
            <Slider id="rate-limit-rate" label={t.allowed_rate} unit={t.unit_req_s} min={10.0}
                max={3000.0} step={10.0} value={allowed_rate(l)}
                onchange={limit_editor(props, |l, v| *l = with_rate(*l, v))} />
            if let RateLimit::TokenBucket { burst, .. } = l {
                <Slider id="rate-limit-burst" label={t.burst} min={1.0} max={1000.0} step={1.0}
                    value={burst} onchange={limit_editor(props, set_burst)} />
            }
            if let RateLimit::LeakyBucket { capacity, .. } = l {
                <Slider id="rate-limit-capacity" label={t.bucket_size} min={1.0} max={1000.0}
                    step={1.0} value={f64::from(capacity)}
                    onchange={limit_editor(props, set_capacity)} />
            }
        }
    </> }
}

fn retries(props: &PanelProps, t: &'static Strings, retries: Option<Retries>) -> Html {
    html! { <>
        <Toggle id="retries-on" label={t.retries_on} checked={retries.is_some()}
            onchange={editor(props, set_retries)} />
        if let Some(r) = retries {
            <Slider id="retry-attempts" label={t.attempts} min={2.0} max={6.0} step={1.0}
                value={f64::from(r.max_attempts)}
                onchange={retries_editor(props, |r, v: f64| r.max_attempts = v as u32)} />
            <Slider id="retry-backoff" label={t.backoff} min={0.001} max={1.0} step={0.001}
                value={r.backoff_seconds} scale={1000.0} unit={t.unit_ms}
                onchange={retries_editor(props, |r, v| r.backoff_seconds = v)} />
            <Toggle id="retry-budget-on" label={t.budget_on} checked={r.budget.is_some()}
                onchange={retries_editor(props, |r, on: bool| r.budget = on.then_some(0.1))} />
            if let Some(budget) = r.budget {
                <Slider id="retry-budget" label={t.budget} min={0.0} max={1.0} step={0.01}
                    value={budget} scale={100.0} unit="%"
                    onchange={retries_editor(props, |r, v| r.budget = Some(v))} />
            }
        }
    </> }
}

fn breaker(props: &PanelProps, t: &'static Strings, breaker: Option<CircuitBreakerConfig>) -> Html {
    html! { <>
        <Toggle id="breaker-on" label={t.breaker_on} checked={breaker.is_some()}
            onchange={editor(props, set_breaker)} />
        if let Some(b) = breaker {
            <Slider id="breaker-ratio" label={t.breaker_ratio} min={0.05} max={1.0} step={0.05}
                value={b.failure_ratio} scale={100.0} unit="%"
                onchange={breaker_editor(props, |b, v| b.failure_ratio = v)} />
            <Slider id="breaker-open" label={t.breaker_open} unit={t.unit_s} min={0.1} max={30.0}
                step={0.1} value={b.open_seconds}
                onchange={breaker_editor(props, |b, v| b.open_seconds = v)} />
        }
    </> }
}

/// Applies `edit` to the rate limiter, if there is one.
fn limit_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut RateLimit, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(l) = &mut s.protection.rate_limit {
            edit(l, v)
        }
    })
}

/// Applies `edit` to the client retries, if they are on.
fn retries_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut Retries, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(r) = &mut s.protection.retries {
            edit(r, v)
        }
    })
}

/// Applies `edit` to the circuit breaker, if there is one.
fn breaker_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut CircuitBreakerConfig, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(b) = &mut s.protection.circuit_breaker {
            edit(b, v)
        }
    })
}

fn set_burst(limit: &mut RateLimit, v: f64) {
    if let RateLimit::TokenBucket { burst, .. } = limit {
        *burst = v;
    }
}

fn set_capacity(limit: &mut RateLimit, v: f64) {
    if let RateLimit::LeakyBucket { capacity, .. } = limit {
        *capacity = v as u32;
    }
}

/// A concurrency limit when switched on: 100 requests in flight.
fn set_concurrency_on(s: &mut Scenario, on: bool) {
    s.protection.concurrency_limit = on.then_some(100);
}

/// Load shedding when switched on: after 200 ms of waiting.
fn set_shedding(s: &mut Scenario, on: bool) {
    s.protection.shed_after_seconds = on.then_some(0.2);
}

fn set_concurrency_limit(s: &mut Scenario, v: f64) {
    s.protection.concurrency_limit = Some(v as u32);
}

/// Retries when switched on: three attempts, 50 ms of backoff with jitter, no budget.
fn set_retries(s: &mut Scenario, on: bool) {
    s.protection.retries = on.then_some(Retries {
        max_attempts: 3,
        backoff_seconds: 0.05,
        jitter: 0.5,
        budget: None,
    });
}

/// A circuit breaker when switched on: opens at half of 20 calls failing, for 2 s.
fn set_breaker(s: &mut Scenario, on: bool) {
    s.protection.circuit_breaker = on.then_some(CircuitBreakerConfig {
        window_calls: 20,
        failure_ratio: 0.5,
        open_seconds: 2.0,
        probe_calls: 3,
    });
}
