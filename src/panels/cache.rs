//! The cache: policy, size, TTL, placement, single flight, what writes do.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::policy_name;
use crate::ids::PanelId;
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
            <Select id="cache-policy" label={t.eviction} value={c.policy.name()}
                options={options(&policies)} onchange={cache_editor(props, set_policy)} />
            <Slider id="cache-capacity" label={t.entries} min={0.0} max={20000.0} step={100.0}
                value={f64::from(c.capacity)}
                onchange={cache_editor(props, |c, v: f64| c.capacity = v as u32)} />
            <Toggle id="ttl-on" label={t.ttl_on} checked={c.ttl_seconds.is_some()}
                onchange={cache_editor(props, |c, on: bool| c.ttl_seconds = on.then_some(5.0))} />
            if let Some(ttl) = c.ttl_seconds {
                <Slider id="ttl" label={t.ttl} unit={t.unit_s} min={0.5} max={60.0} step={0.5}
                    value={ttl} onchange={cache_editor(props, |c, v| c.ttl_seconds = Some(v))} />
            }
            <Select id="cache-placement" label={t.placement} value={placement_name(c.placement)}
                options={options(&[("shared", t.placement_shared), ("local", t.placement_local)])}
                onchange={cache_editor(props, set_placement)} />
            <Toggle id="cache-coalesce" label={t.coalesce} checked={c.coalesce}
                onchange={cache_editor(props, |c, on| c.coalesce = on)} />
            <Select id="write-mode" label={t.write_mode} value={write_mode_name(c.write_mode)}
                options={options(&[
                    ("invalidate", t.write_invalidate),
                    ("write_through", t.write_through),
                ])}
                onchange={cache_editor(props, set_write_mode)} />
        }
    </> };
    group(PanelId::Cache, props, t.cache_title, t.cache_hint, body)
}

/// Applies `edit` to the cache, if there is one.
fn cache_editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut CacheConfig, T) + 'static,
) -> Callback<T> {
    editor(props, move |s, v| {
        if let Some(c) = &mut s.cache {
            edit(c, v)
        }
    })
}

fn set_policy(c: &mut CacheConfig, name: String) {
    if let Some(kind) = PolicyKind::from_name(&name) {
        c.policy = kind;
    }
}

fn placement_name(placement: Placement) -> &'static str {
    match placement {
        Placement::Shared => "shared",
        Placement::Local => "local",
    }
}

fn set_placement(c: &mut CacheConfig, name: String) {
    c.placement = if name == "local" {
        Placement::Local
    } else {
        Placement::Shared
    };
}

fn write_mode_name(mode: WriteMode) -> &'static str {
    match mode {
        WriteMode::Invalidate => "invalidate",
        WriteMode::WriteThrough => "write_through",
    }
}

fn set_write_mode(c: &mut CacheConfig, name: String) {
    c.write_mode = if name == "invalidate" {
        WriteMode::Invalidate
    } else {
        WriteMode::WriteThrough
    };
}
