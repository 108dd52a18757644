//! Theory beside simulation: the queueing model's prediction against the measurement
//! since the last change, Little's law with both sides measured, and weighted shares.
//! The figures come from the core (`loadlab_sim::live_theory`); this only lays them out.

use super::group_class;
use crate::i18n::{fill, unsolved_text, Lang, Strings};
use crate::view::percent;
use loadlab_sim::live_theory::{LiveTheory, ModelCheck};
use yew::prelude::*;

/// Properties of [`TheoryPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct TheoryProps {
    /// The language the group speaks.
    pub lang: Lang,
    /// The figures, refreshed a few times a second.
    pub theory: LiveTheory,
    /// Load the shape theory solves (one server's share as M/M/c), live; `None` when
    /// the scenario has none (closed-loop users).
    #[prop_or_default]
    pub on_model: Option<Callback<()>>,
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1e3)
}

fn pct(x: f64) -> String {
    percent(x, 1)
}

/// The Theory group.
#[function_component(TheoryPanel)]
pub fn theory_panel(props: &TheoryProps) -> Html {
    let words = props.lang.strings();
    let t = &props.theory;
    html! {
        <section class={group_class(props.hidden)} id="theory" aria-label={words.theory_title}>
            <h2>{ words.theory_title }</h2>
            <p class="hint" id="theory-windows">{ match (t.settling, t.windows) {
                (true, _) => words.theory_settling.to_string(),
                (false, 0) => words.theory_windows_none.to_string(),
                (false, 1) => words.theory_windows_one.to_string(),
                (false, n) => fill(words.theory_windows_many, &[("n", &n)]),
            } }</p>
            if let Some(m) = &t.model {
                { model(words, m) }
            } else if !t.settling {
                { no_model(words, t, props.on_model.as_ref()) }
            }
            if let Some((l, lambda_w)) = t.little {
                <p class="formula">{ words.little_formula }</p>
                <p class="hint">{ words.little_hint }</p>
                <table class="theory">
                    <tr>
                        <th>{ words.little_l }</th>
                        <td id="little-l">{ format!("{l:.2}") }</td>
                    </tr>
                    <tr>
                        <th>{ words.little_lw }</th>
                        <td id="little-lw">{ format!("{lambda_w:.2}") }</td>
                    </tr>
                </table>
            }
            if !t.weighted_shares.is_empty() {
                <p class="formula">{ words.weighted_formula }</p>
                <table class="theory">
                    <tr>
                        <th>{ words.th_server }</th>
                        <th>{ words.th_weight }</th>
                        <th>{ "wᵢ / Σw" }</th>
                        <th>{ words.th_measured }</th>
                    </tr>
                    { for t.weighted_shares.iter().map(|s| html! {
                        <tr>
                            <td>{ s.server }</td>
                            <td>{ s.weight }</td>
                            <td>{ pct(s.expected) }</td>
                            <td>{ pct(s.measured) }</td>
                        </tr>
                    }) }
                </table>
            }
        </section>
    }
}

/// Why there is no model: a saturated queue's growth, or the reason and what theory
/// needs, with the one click to the shape it solves (none for a saturated load, whose
/// shape is saturated too).
fn no_model(words: &'static Strings, t: &LiveTheory, on_model: Option<&Callback<()>>) -> Html {
    if let Some(growth) = t.growth {
        let growth = format!("{growth:.0}");
        return html! {
            <p class="hint" id="theory-why">{ fill(words.theory_saturated, &[("growth", &growth)]) }</p>
        };
    }
    let why = t
        .unsolved
        .map(|why| fill(words.theory_why, &[("reason", &unsolved_text(words, why))]));
    html! { <>
        if let Some(why) = why {
            <p class="hint" id="theory-why">{ why }</p>
        }
        <p class="hint">{ words.theory_no_model }</p>
        if let Some(on_model) = on_model {
            { super::action("theory-load-model", words.theory_load_model, on_model) }
        }
    </> }
}

fn model(words: &Strings, m: &ModelCheck) -> Html {
    let p = &m.predicted;
    html! { <>
        <p class="formula" id="theory-model">
            { fill(words.theory_model, &[
                ("model", &m.model),
                ("lambda", &format!("{:.1}", m.lambda)),
                ("mu", &format!("{:.1}", m.mu)),
                ("c", &m.workers),
                ("rho", &format!("{:.3}", m.lambda / (m.mu * f64::from(m.workers)))),
            ]) }
        </p>
        <p class="hint">{ words.theory_model_hint }</p>
        <table class="theory">
            <tr><th></th><th>{ words.th_theory }</th><th>{ words.th_simulated }</th></tr>
            <tr>
                <th>{ words.th_wait }</th>
                <td id="theory-wait">{ ms(p.mean_wait) }</td>
                <td id="measured-wait">{ ms(m.measured_wait) }</td>
            </tr>
            { row(words.th_time_in_system, ms(p.mean_time_in_system),
                ms(m.measured_time_in_system)) }
            { row(words.th_utilisation, pct(p.utilisation), pct(m.measured_utilisation)) }
            { row(words.th_blocking, pct(p.blocking_probability), pct(m.measured_blocking)) }
        </table>
    </> }
}

/// A figure's row: its name, what theory predicts, what the simulation measured.
fn row(name: &'static str, theory: String, simulated: String) -> Html {
    html! { <tr><th>{ name }</th><td>{ theory }</td><td>{ simulated }</td></tr> }
}
