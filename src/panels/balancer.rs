//! Load balancer: the algorithm and the health checks.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::balancer_name;
use crate::ids::PanelId;
use loadlab_sim::balancer::{BalancerKind, HashOn};
use loadlab_sim::scenario::HealthCheck;
use loadlab_sim::Scenario;
use yew::prelude::*;

/// The Load balancer group.
#[function_component(BalancerPanel)]
pub fn balancer_panel(props: &PanelProps) -> Html {
    let t = props.lang.strings();
    let s = &props.scenario;
    let health = s.health_check.clone();
    let kinds: Vec<(AttrValue, AttrValue)> = BalancerKind::with_defaults()
        .iter()
        .map(|k| {
            (
                AttrValue::from(k.name()),
                AttrValue::from(balancer_name(t, k)),
            )
        })
        .collect();
    let hash_on = match s.balancer {
        BalancerKind::ConsistentHash { hash_on, .. } => Some(hash_on),
        _ => None,
    };
    let body = html! { <>
        <Select id="balancer" label={t.algorithm} value={s.balancer.name()}
            options={kinds} onchange={editor(props, set_kind)} />
        if let Some(on) = hash_on {
            <Select id="hash-on" label={t.hash_on} value={hash_on_name(on)}
                options={options(&[("key", t.hash_key), ("client_ip", t.hash_ip)])}
                onchange={editor(props, set_hash_on)} />
        }
        <Toggle id="health-on" label={t.health_on} checked={health.is_some()}
            onchange={editor(props, set_health_check)} />
        if let Some(h) = health {
            <Slider id="health-interval" label={t.health_interval} unit={t.unit_s} min={0.5}
                max={10.0} step={0.5} value={h.interval_seconds}
                onchange={health_editor(props, |h, v| h.interval_seconds = v)} />
            <Slider id="health-threshold" label={t.health_threshold} min={1.0} max={5.0}
                step={1.0} value={f64::from(h.failure_threshold)}
                onchange={health_editor(props, |h, v: f64| h.failure_threshold = v as u32)} />
        }
    </> };
    group(
        PanelId::Balancer,
        props,
        t.balancer_title,
        t.balancer_hint,
        body,
    )
}

/// Applies `edit` to the health checks, if they are on.
fn health_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut HealthCheck, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(h) = &mut s.health_check {
            edit(h, v)
        }
    })
}

fn set_kind(s: &mut Scenario, name: String) {
    if let Some(kind) = BalancerKind::from_name(&name) {
        s.balancer = kind;
    }
}

fn hash_on_name(on: HashOn) -> &'static str {
    match on {
        HashOn::Key => "key",
        HashOn::ClientIp => "client_ip",
    }
}

fn set_hash_on(s: &mut Scenario, name: String) {
    if let BalancerKind::ConsistentHash { hash_on, .. } = &mut s.balancer {
        *hash_on = if name == "key" {
            HashOn::Key
        } else {
            HashOn::ClientIp
        };
    }
}

/// Health checks when switched on: every 2 s, out of the pool after 2 failures.
fn set_health_check(s: &mut Scenario, on: bool) {
    s.health_check = on.then_some(HealthCheck {
        interval_seconds: 2.0,
        failure_threshold: 2,
    });
}
