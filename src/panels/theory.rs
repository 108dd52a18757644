//! Theory beside simulation: the queueing model's prediction against the measurement
//! since the last change, Little's law with both sides measured, and weighted shares.
//! The figures come from the core (`loadlab_sim::live_theory`); this only lays them out.

use loadlab_sim::live_theory::{LiveTheory, ModelCheck};
use yew::prelude::*;

/// Properties of [`TheoryPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct TheoryProps {
    /// The figures, refreshed a few times a second.
    pub theory: LiveTheory,
}

fn ms(seconds: f64) -> String {
    format!("{:.2} ms", seconds * 1e3)
}

fn pct(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// The Theory group.
#[function_component(TheoryPanel)]
pub fn theory_panel(props: &TheoryProps) -> Html {
    let t = &props.theory;
    html! {
        <section class="group" id="theory" aria-label="Theory beside simulation">
            <h2>{ "Theory beside simulation" }</h2>
            <p class="hint">{ match t.windows {
                0 => "Measured once the first window since the last change closes.".to_string(),
                1 => "Measured over the one window since the last change.".to_string(),
                n => format!("Measured over the {n} windows since the last change."),
            } }</p>
            { t.model.as_ref().map_or_else(no_model, model) }
            if let Some((l, lambda_w)) = t.little {
                <p class="formula">{ "Little's law: L = λW" }</p>
                <p class="hint">{ "The average number of requests in the system equals throughput times the average time each spends there, in any stable system." }</p>
                <table class="theory">
                    <tr><th>{ "L (measured)" }</th><td id="little-l">{ format!("{l:.2}") }</td></tr>
                    <tr><th>{ "λW (measured)" }</th><td id="little-lw">{ format!("{lambda_w:.2}") }</td></tr>
                </table>
            }
            if !t.weighted_shares.is_empty() {
                <p class="formula">{ "Weighted share: server i gets wᵢ / Σw" }</p>
                <table class="theory">
                    <tr><th>{ "server" }</th><th>{ "weight" }</th><th>{ "wᵢ / Σw" }</th><th>{ "measured" }</th></tr>
                    { for t.weighted_shares.iter().map(|s| html! {
                        <tr><td>{ s.server }</td><td>{ s.weight }</td><td>{ pct(s.expected) }</td><td>{ pct(s.measured) }</td></tr>
                    }) }
                </table>
            }
        </section>
    }
}

fn no_model() -> Html {
    html! {
        <p class="hint">{ "Queueing formulas apply to Poisson arrivals, exponential service and identical servers chosen at random (or one server), without cache or database: load the M/M/c shape (one server, no cache, no database) to compare." }</p>
    }
}

fn model(m: &ModelCheck) -> Html {
    let p = &m.predicted;
    html! { <>
        <p class="formula" id="theory-model">
            { format!("{} per server: λ = {:.1}/s, μ = {:.1}/s, c = {}, ρ = λ/(cμ) = {:.3}", m.model, m.lambda, m.mu, m.workers, m.lambda / (m.mu * f64::from(m.workers))) }
        </p>
        <p class="hint">{ "Erlang C gives the chance an arrival finds all c workers busy; the mean wait is Wq = P(wait) / (cμ − λ). With a bounded queue (M/M/c/K) some arrivals are turned away instead." }</p>
        <table class="theory">
            <tr><th></th><th>{ "theory" }</th><th>{ "simulated" }</th></tr>
            <tr><th>{ "wait Wq" }</th><td id="theory-wait">{ ms(p.mean_wait) }</td><td id="measured-wait">{ ms(m.measured_wait) }</td></tr>
            <tr><th>{ "time in system W" }</th><td>{ ms(p.mean_time_in_system) }</td><td>{ ms(m.measured_time_in_system) }</td></tr>
            <tr><th>{ "utilisation" }</th><td>{ pct(p.utilisation) }</td><td>{ pct(m.measured_utilisation) }</td></tr>
            <tr><th>{ "blocking" }</th><td>{ pct(p.blocking_probability) }</td><td>{ pct(m.measured_blocking) }</td></tr>
        </table>
    </> }
}
