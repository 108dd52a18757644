//! Load balancer: the algorithm and the health checks.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use loadlab_sim::balancer::{BalancerKind, HashOn};
use loadlab_sim::scenario::HealthCheck;
use yew::prelude::*;

/// The Load balancer group.
#[function_component(BalancerPanel)]
pub fn balancer_panel(props: &PanelProps) -> Html {
    let s = &props.scenario;
    let health = s.health_check.clone();
    let kinds: Vec<(AttrValue, AttrValue)> = BalancerKind::with_defaults()
        .iter()
        .map(|k| (AttrValue::from(k.name()), AttrValue::from(k.label())))
        .collect();
    let hash_on = match s.balancer {
        BalancerKind::ConsistentHash { hash_on, .. } => Some(hash_on),
        _ => None,
    };
    let body = html! { <>
        <Select id="balancer" label="Algorithm" value={s.balancer.name()}
            options={kinds} onchange={editor(props, |s, v: String| if let Some(kind) = BalancerKind::from_name(&v) { s.balancer = kind })} />
        if let Some(on) = hash_on {
            <Select id="hash-on" label="Hash on" value={if on == HashOn::Key { "key" } else { "client_ip" }}
                options={options(&[("key", "request key (cache affinity)"), ("client_ip", "client address (sticky)")])}
                onchange={editor(props, |s, v: String| if let BalancerKind::ConsistentHash { hash_on, .. } = &mut s.balancer {
                    *hash_on = if v == "key" { HashOn::Key } else { HashOn::ClientIp };
                })} />
        }
        <Toggle id="health-on" label="Health checks" checked={health.is_some()}
            onchange={editor(props, |s, on: bool| s.health_check = on.then_some(HealthCheck { interval_seconds: 2.0, failure_threshold: 2 }))} />
        if let Some(h) = health {
            <Slider id="health-interval" label="Check every" unit="s" min={0.5} max={10.0} step={0.5} value={h.interval_seconds}
                onchange={editor(props, |s, v| if let Some(h) = &mut s.health_check { h.interval_seconds = v })} />
            <Slider id="health-threshold" label="Failures to take out" min={1.0} max={5.0} step={1.0} value={f64::from(h.failure_threshold)}
                onchange={editor(props, |s, v: f64| if let Some(h) = &mut s.health_check { h.failure_threshold = v as u32 })} />
        }
    </> };
    group("balancer-group", "Load balancer", "Which server gets each request. Until a health check notices a dead server, requests sent to it fail.", &props.error, body)
}
