//! Load balancer: the algorithm and the health checks.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::balancer_name;
use crate::ids::PanelId;
use loadlab_sim::balancer::{BalancerKind, HashOn};
use loadlab_sim::scenario::HealthCheck;
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
            options={kinds} onchange={editor(props, |s, v: String| if let Some(kind) = BalancerKind::from_name(&v) { s.balancer = kind })} />
        if let Some(on) = hash_on {
            <Select id="hash-on" label={t.hash_on} value={if on == HashOn::Key { "key" } else { "client_ip" }}
                options={options(&[("key", t.hash_key), ("client_ip", t.hash_ip)])}
                onchange={editor(props, |s, v: String| if let BalancerKind::ConsistentHash { hash_on, .. } = &mut s.balancer {
                    *hash_on = if v == "key" { HashOn::Key } else { HashOn::ClientIp };
                })} />
        }
        <Toggle id="health-on" label={t.health_on} checked={health.is_some()}
            onchange={editor(props, |s, on: bool| s.health_check = on.then_some(HealthCheck { interval_seconds: 2.0, failure_threshold: 2 }))} />
        if let Some(h) = health {
            <Slider id="health-interval" label={t.health_interval} unit={t.unit_s} min={0.5} max={10.0} step={0.5} value={h.interval_seconds}
                onchange={editor(props, |s, v| if let Some(h) = &mut s.health_check { h.interval_seconds = v })} />
            <Slider id="health-threshold" label={t.health_threshold} min={1.0} max={5.0} step={1.0} value={f64::from(h.failure_threshold)}
                onchange={editor(props, |s, v: f64| if let Some(h) = &mut s.health_check { h.failure_threshold = v as u32 })} />
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
