//! Servers: how many, their workers, cores, queue, work per request, I/O mode; killing
//! or reviving each one; autoscaling.

use super::{editor, group, options};
use crate::components::{ListField, Numbers, Select, Slider, Toggle};
use crate::i18n::fill;
use crate::ids::PanelId;
use loadlab_sim::server::IoMode;
use loadlab_sim::{Change, Scenario};
use yew::prelude::*;

/// What the kill/revive buttons need to know of a server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServerState {
    /// Index in the simulation's server list.
    pub index: u32,
    /// Whether it runs.
    pub alive: bool,
}

/// Properties of [`ServerPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct ServerPanelProps {
    /// The shared panel properties.
    pub panel: super::PanelProps,
    /// The active servers.
    pub servers: Vec<ServerState>,
}

/// The Servers group.
#[function_component(ServerPanel)]
pub fn server_panel(props: &ServerPanelProps) -> Html {
    let p = &props.panel;
    let t = p.lang.strings();
    let s = &p.scenario.servers;
    let is_async = matches!(s.io, IoMode::Async { .. });
    let queue = s.queue_capacity;
    let kill_buttons = props.servers.iter().map(|server| {
        let (label, aria, change) = if server.alive {
            (t.kill, t.kill_aria, Change::KillServer(server.index))
        } else {
            (t.revive, t.revive_aria, Change::ReviveServer(server.index))
        };
        let onclick = p.on_action.reform(move |_: MouseEvent| change.clone());
        let class = classes!("action", (!server.alive).then_some("dead"));
        html! {
            <button {class} id={format!("kill-{}", server.index)} {onclick}
                aria-label={fill(aria, &[("n", &server.index)])}>
                { fill(label, &[("n", &server.index)]) }
            </button>
        }
    });
    let body = html! { <>
        <Slider id="server-count" label={t.server_count} min={1.0} max={16.0} step={1.0}
            value={f64::from(s.count)}
            onchange={editor(p, |s, v: f64| set_count(s, v as u32))} />
        <Slider id="workers" label={t.workers} min={1.0} max={64.0} step={1.0}
            value={f64::from(s.workers)}
            onchange={editor(p, |s, v: f64| s.servers.workers = v as u32)} />
        <Slider id="cores" label={t.cores} min={1.0} max={64.0} step={1.0}
            value={f64::from(s.cores)}
            onchange={editor(p, |s, v: f64| s.servers.cores = v as u32)} />
        <Toggle id="queue-bounded" label={t.queue_bounded} checked={queue.is_some()}
            onchange={editor(p, |s, on: bool| s.servers.queue_capacity = on.then_some(32))} />
        if let Some(capacity) = queue {
            <Slider id="queue-capacity" label={t.queue_places} min={0.0} max={256.0} step={1.0}
                value={f64::from(capacity)}
                onchange={editor(p, set_queue_capacity)} />
        } else {
            <p class="warning">{ t.unbounded }</p>
        }
        <Slider id="service-time" label={t.cpu_per_request} min={0.0005} max={0.2} step={0.0005}
            value={s.service_time.mean()} scale={1000.0} unit={t.unit_ms}
            onchange={editor(p, set_service_time)} />
        <Select id="io-mode" label={t.io} value={if is_async { "async" } else { "sync" }}
            options={options(&[("sync", t.io_sync), ("async", t.io_async)])}
            onchange={editor(p, set_io)} />
        <Slider id="switch-overhead" label={t.switch_cost} min={0.0} max={0.2} step={0.005}
            value={s.switch_overhead} scale={100.0} unit="%"
            disabled={(s.workers <= s.cores).then_some(AttrValue::Static(t.needs_more_threads))}
            onchange={editor(p, |s, v| s.servers.switch_overhead = v)} />
        <ListField lang={p.lang} numbers={Numbers::Whole} id="weights" label={t.weights}
            placeholder={t.weights_placeholder}
            values={s.weights.iter().map(|&w| f64::from(w)).collect::<Vec<_>>()}
            onchange={editor(p, set_weights)} />
        <ListField lang={p.lang} numbers={Numbers::Positive} id="speeds" label={t.speeds}
            placeholder={t.speeds_placeholder} values={s.speeds.clone()}
            onchange={editor(p, |s, v: Vec<f64>| s.servers.speeds = v)} />
        <div class="buttons">
            <button id="add-server" class="action" disabled={s.count >= 16}
                onclick={editor(p, |s, _: MouseEvent| set_count(s, s.servers.count + 1))}
                >
                { t.add_server }
            </button>
            <button id="remove-server" class="action" disabled={s.count <= 1}
                onclick={editor(p, |s, _: MouseEvent| set_count(s, s.servers.count - 1))}
                >
                { t.remove_server }
            </button>
        </div>
        <div class="buttons" aria-label={t.kill_revive_aria}>{ for kill_buttons }</div>
        { super::autoscale::controls(p, t) }
    </> };
    group(PanelId::Servers, p, t.servers_title, t.servers_hint, body)
}

/// A new server count, within autoscaling's bounds when it is on; the weights and
/// speeds, listed per server, start afresh.
fn set_count(s: &mut Scenario, count: u32) {
    s.servers.count = match &s.servers.autoscale {
        Some(policy) => count.max(policy.min).min(policy.max),
        None => count,
    };
    s.servers.weights.clear();
    s.servers.speeds.clear();
}

fn set_service_time(s: &mut Scenario, mean: f64) {
    s.servers.service_time = super::with_mean(s.servers.service_time, mean);
}

fn set_queue_capacity(s: &mut Scenario, capacity: f64) {
    s.servers.queue_capacity = Some(capacity as u32);
}

/// Async I/O, when chosen, with up to 256 requests waiting on I/O per server.
fn set_io(s: &mut Scenario, name: String) {
    s.servers.io = if name == "async" {
        IoMode::Async { max_in_flight: 256 }
    } else {
        IoMode::Sync
    };
}

fn set_weights(s: &mut Scenario, weights: Vec<f64>) {
    s.servers.weights = weights.iter().map(|&w| w as u32).collect();
}
