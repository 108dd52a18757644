//! The cache: policy, size, TTL, placement, single flight, what writes do.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::policy_name;
use loadlab_sim::cache::PolicyKind;
use loadlab_sim::cache::{CacheConfig, Placement, WriteMode};
use loadlab_sim::Scenario;
use yew::prelude::*;

fn default_cache() -> CacheConfig {
    Scenario::default()
        .cache
        .expect("the default scenario has a cache")
}

/// The Cache group.
#[function_component(CachePanel)]
pub fn cache_panel(props: &PanelProps) -> Html {
    let t = props.lang.strings();
    let s = &props.scenario;
    let policies: Vec<(&'static str, &'static str)> = PolicyKind::ALL
        .iter()
        .map(|&k| (k.name(), policy_name(t, k)))
        .collect();
    let cache = s.cache.clone();
    let body = html! { <>
        <Toggle id="cache-on" label={t.cache_title} checked={cache.is_some()}
            onchange={editor(props, |s, on: bool| s.cache = on.then(default_cache))} />
        if let Some(c) = cache {
            <Select id="cache-policy" label={t.eviction} value={c.policy.name()} options={options(&policies)}
                onchange={editor(props, |s, v: String| if let (Some(c), Some(k)) = (&mut s.cache, PolicyKind::from_name(&v)) { c.policy = k })} />
            <Slider id="cache-capacity" label={t.entries} min={0.0} max={20000.0} step={100.0} value={f64::from(c.capacity)}
                onchange={editor(props, |s, v: f64| if let Some(c) = &mut s.cache { c.capacity = v as u32 })} />
            <Toggle id="ttl-on" label={t.ttl_on} checked={c.ttl_seconds.is_some()}
                onchange={editor(props, |s, on: bool| if let Some(c) = &mut s.cache { c.ttl_seconds = on.then_some(5.0) })} />
            if let Some(ttl) = c.ttl_seconds {
                <Slider id="ttl" label={t.ttl} unit={t.unit_s} min={0.5} max={60.0} step={0.5} value={ttl}
                    onchange={editor(props, |s, v| if let Some(c) = &mut s.cache { c.ttl_seconds = Some(v) })} />
            }
            <Select id="cache-placement" label={t.placement} value={if c.placement == Placement::Shared { "shared" } else { "local" }}
                options={options(&[("shared", t.placement_shared), ("local", t.placement_local)])}
                onchange={editor(props, |s, v: String| if let Some(c) = &mut s.cache { c.placement = if v == "local" { Placement::Local } else { Placement::Shared } })} />
            <Toggle id="cache-coalesce" label={t.coalesce} checked={c.coalesce}
                onchange={editor(props, |s, on: bool| if let Some(c) = &mut s.cache { c.coalesce = on })} />
            <Select id="write-mode" label={t.write_mode} value={if c.write_mode == WriteMode::Invalidate { "invalidate" } else { "write_through" }}
                options={options(&[("invalidate", t.write_invalidate), ("write_through", t.write_through)])}
                onchange={editor(props, |s, v: String| if let Some(c) = &mut s.cache { c.write_mode = if v == "invalidate" { WriteMode::Invalidate } else { WriteMode::WriteThrough } })} />
        }
    </> };
    group("cache", t.cache_title, t.cache_hint, &props.error, body)
}
