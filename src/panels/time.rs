//! Time: play, pause, step, speed, and fast-forward with progress and cancel.

use super::time_result::{self, FastForwardResult};
use super::{click, group_class};
use crate::components::Slider;
use crate::i18n::{fill, Lang, Strings};
use crate::view::fixed;
use yew::prelude::*;

/// The state the time controls show.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeState {
    /// Running or paused.
    pub playing: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: f64,
    /// Fast-forward progress from 0 to 1, while one runs.
    pub fast_forward: Option<f64>,
    /// What the last fast-forward measured, once it ended.
    pub result: Option<FastForwardResult>,
    /// The simulation could not keep up with the asked speed in the last frames.
    pub behind: bool,
}

/// Properties of [`TimePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct TimePanelProps {
    /// The language the group speaks.
    pub lang: Lang,
    /// What to show.
    pub state: TimeState,
    /// Play or pause.
    pub on_toggle: Callback<()>,
    /// One step forward (while paused).
    pub on_step: Callback<()>,
    /// New speed.
    pub on_speed: Callback<f64>,
    /// Fast-forward this many requests.
    pub on_fast_forward: Callback<u64>,
    /// Stop the fast-forward.
    pub on_cancel: Callback<()>,
    /// Put away the fast-forward's result.
    pub on_dismiss: Callback<()>,
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
}

/// The fast-forward lengths offered, in requests.
const FAST_FORWARD_CHOICES: [u64; 4] = [10_000, 100_000, 1_000_000, 10_000_000];

/// The Time group.
#[function_component(TimePanel)]
pub fn time_panel(props: &TimePanelProps) -> Html {
    let t = props.lang.strings();
    let s = &props.state;
    let toggle = click(&props.on_toggle);
    let step = click(&props.on_step);
    let requests = use_state(|| 1_000_000u64);
    let forward = {
        let requests = requests.clone();
        props.on_fast_forward.reform(move |_: MouseEvent| *requests)
    };
    let choose = {
        let requests = requests.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            requests.set(select.value().parse().unwrap_or(1_000_000))
        })
    };
    let cancel = click(&props.on_cancel);
    // The slider moves the exponent, so each notch multiplies the speed.
    let on_speed = props.on_speed.reform(|exponent: f64| 10f64.powf(exponent));
    html! {
        <section class={classes!(group_class(props.hidden), "time")} id="time"
            aria-label={t.time_aria}>
            <div class="buttons">
                <button id="play" class="action" onclick={toggle}
                    aria-pressed={s.playing.to_string()} title={t.key_space}>
                    { if s.playing { t.pause } else { t.play } }
                </button>
                <button id="step" class="action" onclick={step} disabled={s.playing}
                    title={t.key_right}>
                    { t.step }
                </button>
                if let Some(done) = s.fast_forward {
                    <progress id="ff-progress" max="1" value={done.to_string()}></progress>
                    <button id="ff-cancel" class="action" onclick={cancel}>{ t.cancel }</button>
                } else {
                    <button id="fast-forward" class="action" onclick={forward}>
                        { t.fast_forward }
                    </button>
                    <select id="ff-requests" aria-label={t.ff_aria} onchange={choose}>
                        { for FAST_FORWARD_CHOICES.iter().map(|&n| html! {
                            <option value={n.to_string()} selected={n == *requests}>
                                { fill(t.ff_requests, &[("n", &props.lang.round_count(n))]) }
                            </option>
                        }) }
                    </select>
                }
            </div>
            <Slider id="speed" label={t.speed} min={-1.0} max={3.0} step={0.1}
                value={s.speed.log10()} display={speed_label(t, s.speed)} onchange={on_speed} />
            if let Some(result) = &s.result {
                { time_result::view(props.lang, result, click(&props.on_dismiss)) }
            }
            if s.behind {
                <p class="warning" role="status">{ t.behind }</p>
            }
        </section>
    }
}

fn speed_label(t: &Strings, speed: f64) -> String {
    // A decimal below 10×, where it matters.
    let x = fixed(speed, if speed < 10.0 { 1 } else { 0 });
    fill(t.speed_value, &[("x", &x)])
}
