//! Traffic: open or closed loop, rate or users, key popularity, writes, timeouts, spikes.

use super::{editor, group, options, PanelProps};
use crate::components::{Select, Slider, Toggle};
use crate::i18n::{fill, Strings};
use crate::ids::PanelId;
use crate::view::percent;
use loadlab_sim::dist::Distribution;
use loadlab_sim::traffic::{Arrivals, Popularity};
use loadlab_sim::{Change, Scenario};
use yew::prelude::*;

/// The Traffic group.
#[function_component(TrafficPanel)]
pub fn traffic_panel(props: &PanelProps) -> Html {
    let words = props.lang.strings();
    let t = &props.scenario.traffic;
    let mode = match t.arrivals {
        Arrivals::OpenLoop { .. } => "open_loop",
        Arrivals::ClosedLoop { .. } => "closed_loop",
    };
    let on_mode = editor(props, |s, mode: String| {
        s.traffic.arrivals = if mode == "closed_loop" {
            Arrivals::ClosedLoop {
                users: 200,
                think_time: Distribution::Exponential { mean_seconds: 0.3 },
            }
        } else {
            Arrivals::OpenLoop {
                rate: 600.0,
                schedule: Vec::new(),
            }
        };
    });
    let load = match &t.arrivals {
        Arrivals::OpenLoop { rate, .. } => html! {
            <Slider id="arrival-rate" label={words.arrival_rate} unit={words.unit_req_s} min={0.0}
                max={3000.0} step={10.0} value={*rate} onchange={editor(props, set_rate)} />
        },
        Arrivals::ClosedLoop { users, think_time } => html! { <>
            <Slider id="users" label={words.users} min={0.0} max={5000.0} step={10.0}
                value={f64::from(*users)} onchange={editor(props, set_users)} />
            <Slider id="think-time" label={words.think_time} unit={words.unit_s} min={0.01}
                max={5.0} step={0.01} value={think_time.mean()}
                onchange={editor(props, set_think_time)} />
        </> },
    };
    let (popularity, exponent) = match t.keys.popularity {
        Popularity::Uniform => ("uniform", None),
        Popularity::Zipf { exponent } => ("zipf", Some(exponent)),
        Popularity::HotSet { .. } => ("hot_set", None),
    };
    let on_popularity = editor(props, |s, kind: String| {
        s.traffic.keys.popularity = match kind.as_str() {
            "uniform" => Popularity::Uniform,
            "hot_set" => Popularity::HotSet {
                hot_fraction: HOT_FRACTION,
                hot_share: HOT_SHARE,
            },
            _ => Popularity::Zipf { exponent: 0.9 },
        };
    });
    let timeout = t.timeout_seconds;
    let spike = props.on_action.reform(|_: MouseEvent| Change::Spike {
        multiplier: 3.0,
        seconds: 10.0,
    });
    let body = html! { <>
        <Select id="arrival-mode" label={words.load} value={mode}
            options={options(&[
                ("open_loop", words.open_loop),
                ("closed_loop", words.closed_loop),
            ])}
            onchange={on_mode} />
        { load }
        <Select id="popularity" label={words.popularity} value={popularity}
            options={popularity_options(words, &t.keys.popularity)}
            onchange={on_popularity} />
        if let Some(exponent) = exponent {
            <Slider id="zipf-exponent" label={words.zipf_exponent} min={0.0} max={2.0} step={0.05}
                value={exponent} onchange={editor(props, set_zipf_exponent)} />
        }
        <Slider id="write-fraction" label={words.writes} min={0.0} max={1.0} step={0.01}
            value={t.write_fraction}
            scale={100.0} unit="%"
            onchange={editor(props, |s, f| s.traffic.write_fraction = f)} />
        <Toggle id="timeout-on" label={words.timeout_on} checked={timeout.is_some()}
            onchange={editor(props, |s, on: bool| s.traffic.timeout_seconds = on.then_some(1.0))} />
        if let Some(timeout) = timeout {
            <Slider id="timeout" label={words.timeout} unit={words.unit_s} min={0.05} max={5.0}
                step={0.05} value={timeout}
                onchange={editor(props, |s, v| s.traffic.timeout_seconds = Some(v))} />
        }
        <button id="spike" class="action" onclick={spike} disabled={mode != "open_loop"}
            title={(mode != "open_loop").then_some(words.p_spike_open_loop)}>
            { words.spike }
        </button>
        if mode != "open_loop" {
            <p class="hint why" id="spike-why">{ words.p_spike_open_loop }</p>
        }
    </> };
    group(
        PanelId::Traffic,
        props,
        words.traffic_title,
        words.traffic_hint,
        body,
    )
}

fn set_rate(s: &mut Scenario, rate: f64) {
    if let Arrivals::OpenLoop { rate: r, .. } = &mut s.traffic.arrivals {
        *r = rate;
    }
}

fn set_users(s: &mut Scenario, users: f64) {
    if let Arrivals::ClosedLoop { users: u, .. } = &mut s.traffic.arrivals {
        *u = users as u32;
    }
}

fn set_think_time(s: &mut Scenario, mean: f64) {
    if let Arrivals::ClosedLoop { think_time, .. } = &mut s.traffic.arrivals {
        *think_time = super::with_mean(*think_time, mean);
    }
}

fn set_zipf_exponent(s: &mut Scenario, exponent: f64) {
    s.traffic.keys.popularity = Popularity::Zipf { exponent };
}

/// The hot set a reader who picks it gets: 10 % of the keys draw 90 % of the requests.
const HOT_FRACTION: f64 = 0.1;
const HOT_SHARE: f64 = 0.9;

/// The popularity choices, the hot set's in the words of its own parameters (or of
/// those choosing it sets), so the list never names a share the run does not use.
fn popularity_options(t: &'static Strings, now: &Popularity) -> Vec<(AttrValue, AttrValue)> {
    let mut choices = options(&[("uniform", t.pop_uniform), ("zipf", t.pop_zipf)]);
    choices.push(("hot_set".into(), hot_set_label(t, now).into()));
    choices
}

/// "hot set (0.1 % of keys, 80 % of requests)".
fn hot_set_label(t: &'static Strings, now: &Popularity) -> String {
    let (keys, requests) = match *now {
        Popularity::HotSet {
            hot_fraction,
            hot_share,
        } => (hot_fraction, hot_share),
        _ => (HOT_FRACTION, HOT_SHARE),
    };
    let share = |f: f64| percent(f, usize::from(f < 0.01));
    fill(
        t.pop_hot_set,
        &[("keys", &share(keys)), ("requests", &share(requests))],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The hot-set lesson's preset is read as it is: 0.1 % of keys, 80 % of requests;
    /// before a hot set is chosen, the label says what choosing it sets.
    #[test]
    fn the_hot_set_is_labelled_from_its_parameters() {
        let t = Lang::En.strings();
        let lesson = loadlab_sim::lessons::course().lesson("optimistic-vs-pessimistic");
        let keys = lesson.unwrap().preset().unwrap().traffic.keys.popularity;
        assert_eq!(
            hot_set_label(t, &keys),
            "hot set (0.1 % of keys, 80 % of requests)"
        );
        assert_eq!(
            hot_set_label(t, &Popularity::Uniform),
            "hot set (10 % of keys, 90 % of requests)"
        );
    }
}
