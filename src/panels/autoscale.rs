//! Autoscaling's controls, in the Servers group: on or off, what it measures and its
//! target, its bounds, how often it reads, its cooldown, its steps and the boot time.

use super::{editor, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::Strings;
use loadlab_sim::server::{Autoscale, ScaleMetric};
use loadlab_sim::Scenario;
use yew::prelude::*;

/// Most servers the page's controls go to (the core takes more).
const MAX_SERVERS: f64 = 16.0;

/// The toggle and, when on, the policy's settings.
pub fn controls(p: &PanelProps, t: &'static Strings) -> Html {
    let policy = p.scenario.servers.autoscale.clone();
    html! { <>
        <Toggle id="autoscale" label={t.as_title} checked={policy.is_some()}
            onchange={editor(p, switch)} />
        if let Some(policy) = policy {
            <p class="hint">{ t.as_hint }</p>
            <Select id="autoscale-metric" label={t.as_metric} value={metric_code(policy.metric)}
                options={options(&[("cpu", t.as_cpu), ("workers", t.as_workers),
                    ("queue", t.as_queue), ("p99", t.as_p99)])}
                onchange={editor(p, set_metric)} />
            { target(p, t, &policy) }
            <Slider id="autoscale-min" label={t.as_min} min={1.0} max={MAX_SERVERS} step={1.0}
                value={f64::from(policy.min)}
                onchange={editor(p, |s, v: f64| set_bounds(s, Some(v as u32), None))} />
            <Slider id="autoscale-max" label={t.as_max} min={1.0} max={MAX_SERVERS} step={1.0}
                value={f64::from(policy.max)}
                onchange={editor(p, |s, v: f64| set_bounds(s, None, Some(v as u32)))} />
            <Slider id="autoscale-interval" label={t.as_interval} min={1.0} max={60.0} step={1.0}
                value={policy.interval_seconds} unit="s"
                onchange={edit(p, |a, v| a.interval_seconds = v)} />
            <Slider id="autoscale-cooldown" label={t.as_cooldown} min={0.0} max={300.0} step={5.0}
                value={policy.cooldown_seconds} unit="s"
                onchange={edit(p, |a, v| a.cooldown_seconds = v)} />
            <Slider id="autoscale-boot" label={t.as_boot} min={0.0} max={180.0} step={1.0}
                value={policy.boot_seconds} unit="s"
                onchange={edit(p, |a, v| a.boot_seconds = v)} />
            <Slider id="autoscale-step-up" label={t.as_step_up} min={1.0} max={8.0} step={1.0}
                value={f64::from(policy.step_up)}
                onchange={edit(p, |a, v| a.step_up = v as u32)} />
            <Slider id="autoscale-step-down" label={t.as_step_down} min={1.0} max={8.0} step={1.0}
                value={f64::from(policy.step_down)}
                onchange={edit(p, |a, v| a.step_down = v as u32)} />
        }
    </> }
}

/// The target's slider, in the unit of what is measured.
fn target(p: &PanelProps, t: &'static Strings, policy: &Autoscale) -> Html {
    let (min, max, step, scale, unit) = match policy.metric {
        ScaleMetric::Cpu | ScaleMetric::Workers => (0.1, 0.95, 0.05, 100.0, "%"),
        ScaleMetric::Queue => (1.0, 50.0, 1.0, 1.0, ""),
        ScaleMetric::P99 => (0.01, 2.0, 0.01, 1000.0, t.unit_ms),
    };
    html! {
        <Slider id="autoscale-target" label={t.as_target} {min} {max} {step} {scale} {unit}
            value={policy.target} onchange={edit(p, |a, v| a.target = v)} />
    }
}

/// A callback that edits the policy (which is on while its controls show).
fn edit(p: &PanelProps, change: fn(&mut Autoscale, f64)) -> Callback<f64> {
    editor(p, move |s: &mut Scenario, v: f64| {
        if let Some(policy) = &mut s.servers.autoscale {
            change(policy, v);
        }
    })
}

/// On: CPU held at 60 %, from 1 to at least 8 servers, read every 5 s, 30 s between
/// steps, one server a step, 30 s to boot. The servers must be alike, so weights and
/// speeds go.
fn switch(s: &mut Scenario, on: bool) {
    let count = s.servers.count;
    s.servers.autoscale = on.then(|| Autoscale {
        metric: ScaleMetric::Cpu,
        target: 0.6,
        min: 1,
        max: count.max(8),
        interval_seconds: 5.0,
        cooldown_seconds: 30.0,
        step_up: 1,
        step_down: 1,
        boot_seconds: 30.0,
    });
    if on {
        s.servers.weights.clear();
        s.servers.speeds.clear();
    }
}

fn metric_code(metric: ScaleMetric) -> &'static str {
    match metric {
        ScaleMetric::Cpu => "cpu",
        ScaleMetric::Workers => "workers",
        ScaleMetric::Queue => "queue",
        ScaleMetric::P99 => "p99",
    }
}

/// A new measure, with a target that means something for it.
fn set_metric(s: &mut Scenario, code: String) {
    let Some(policy) = &mut s.servers.autoscale else {
        return;
    };
    (policy.metric, policy.target) = match code.as_str() {
        "workers" => (ScaleMetric::Workers, 0.6),
        "queue" => (ScaleMetric::Queue, 5.0),
        "p99" => (ScaleMetric::P99, 0.2),
        _ => (ScaleMetric::Cpu, 0.6),
    };
}

/// New bounds: the other bound and the server count move to stay within them.
pub fn set_bounds(s: &mut Scenario, min: Option<u32>, max: Option<u32>) {
    let Some(policy) = &mut s.servers.autoscale else {
        return;
    };
    if let Some(min) = min {
        policy.min = min;
        policy.max = policy.max.max(min);
    }
    if let Some(max) = max {
        policy.max = max;
        policy.min = policy.min.min(max);
    }
    s.servers.count = s.servers.count.max(policy.min).min(policy.max);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_keep_each_other_and_the_count_in_order() {
        let mut s = Scenario::default();
        switch(&mut s, true);
        set_bounds(&mut s, Some(6), None);
        let policy = s.servers.autoscale.clone().unwrap();
        assert_eq!((policy.min, policy.max, s.servers.count), (6, 8, 6));
        set_bounds(&mut s, None, Some(3));
        let policy = s.servers.autoscale.clone().unwrap();
        assert_eq!((policy.min, policy.max, s.servers.count), (3, 3, 3));
        assert!(s.validate().is_ok());
    }

    #[test]
    fn switched_on_it_is_a_valid_policy_and_off_it_is_gone() {
        let mut s = Scenario::default();
        s.servers.weights = vec![1, 2, 1, 1];
        switch(&mut s, true);
        assert!(s.validate().is_ok());
        set_metric(&mut s, "p99".into());
        assert!(s.validate().is_ok());
        switch(&mut s, false);
        assert_eq!(s.servers.autoscale, None);
    }
}
