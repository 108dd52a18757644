//! A/B comparison: start it, start both runs again, or stop and keep B; what B changes,
//! and the headline figures of both runs with their difference. The figures and the
//! differences come from the core (`loadlab_sim::compare`); this only lays them out.

use super::{action, group_class};
use crate::i18n::{setting_label, Lang, Strings};
use loadlab_sim::compare::{Difference, Figure, Row, Verdict};
use yew::prelude::*;

/// What the comparison shows, refreshed with the headline.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The headline figures of A and B.
    pub rows: Vec<Row>,
    /// The settings in which B differs from A.
    pub differences: Vec<Difference>,
}

/// Properties of [`ComparePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct CompareProps {
    /// The language the group speaks.
    pub lang: Lang,
    /// The comparison in progress, if any.
    pub comparison: Option<Comparison>,
    /// Start comparing: A and B from the current settings.
    pub on_start: Callback<()>,
    /// Start both runs again from time zero.
    pub on_restart: Callback<()>,
    /// Stop comparing and keep B as the run.
    pub on_stop: Callback<()>,
    /// Why the comparison could not start, shown here.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
}

/// The Compare group.
#[function_component(ComparePanel)]
pub fn compare_panel(props: &CompareProps) -> Html {
    let t = props.lang.strings();
    html! {
        <section class={classes!(group_class(props.hidden), props.comparison.is_some().then_some("comparing"))}
            id="compare" aria-label={t.compare_title}>
            <h2>{ t.compare_title }</h2>
            <p class="hint">{ t.compare_hint }</p>
            if let Some(c) = &props.comparison {
                <div class="buttons">
                    { action("compare-restart", t.compare_restart, &props.on_restart) }
                    { action("compare-stop", t.compare_stop, &props.on_stop) }
                </div>
                { differences(t, &c.differences) }
                { figures(t, &c.rows) }
            } else {
                { action("compare-start", t.compare_start, &props.on_start) }
            }
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error }</p>
            }
        </section>
    }
}

fn differences(t: &'static Strings, found: &[Difference]) -> Html {
    if found.is_empty() {
        return html! { <p class="hint" id="compare-differences">{ t.compare_same }</p> };
    }
    html! { <>
        <h3>{ t.compare_differs }</h3>
        <ul id="compare-differences" class="differences">
            { for found.iter().map(|d| html! {
                <li title={d.path.clone()}>
                    { setting_label(t, &d.path).map_or_else(|| d.path.clone(), str::to_string) }
                    { ": " }
                    <code>{ &d.a }</code>{ " → " }<code>{ &d.b }</code>
                </li>
            }) }
        </ul>
    </> }
}

fn figures(t: &Strings, rows: &[Row]) -> Html {
    html! {
        <><table class="theory compare" id="compare-figures">
            <caption>{ t.compare_figure }</caption>
            <tr>
                <th></th><th>{ t.compare_a }</th><th>{ t.compare_b }</th><th>{ t.compare_diff }</th>
            </tr>
            { for rows.iter().map(|row| figure_row(t, row)) }
        </table>
        <p class="hint" id="compare-rule">{ t.compare_rule }</p></>
    }
}

fn figure_row(t: &Strings, row: &Row) -> Html {
    let (name, scale, digits) = shown_as(t, row.figure);
    let value =
        |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{:.*}", digits, v * scale));
    let difference = row.difference().map_or("–".to_string(), |d| {
        let relative = row
            .relative()
            .map_or(String::new(), |r| format!(" ({:+.0} %)", r * 100.0));
        format!("{:+.*}{relative}", digits, d * scale)
    });
    // Better or worse said in words and a sign, not by colour alone.
    let (class, verdict) = match row.verdict() {
        Verdict::Better => ("better", format!(" ▲ {}", t.better)),
        Verdict::Worse => ("worse", format!(" ▼ {}", t.worse)),
        Verdict::Same => ("same", format!(" = {}", t.same)),
        Verdict::TooEarly => ("", format!(" · {}", t.too_early)),
        Verdict::Neither => ("", String::new()),
    };
    html! {
        <tr data-figure={figure_key(row.figure)}>
            <th>{ name }</th>
            <td>{ value(row.a) }</td>
            <td>{ value(row.b) }</td>
            <td class={class}>{ difference }{ verdict }</td>
        </tr>
    }
}

/// A figure's name, the factor to its unit, and the decimals shown.
fn shown_as(t: &Strings, figure: Figure) -> (&'static str, f64, usize) {
    match figure {
        Figure::Throughput => (t.fig_throughput, 1.0, 0),
        Figure::Goodput => (t.fig_goodput, 1.0, 0),
        Figure::MeanLatency => (t.fig_mean_latency, 1e3, 1),
        Figure::P50 => (t.fig_p50, 1e3, 1),
        Figure::P99 => (t.fig_p99, 1e3, 1),
        Figure::Errors => (t.fig_errors, 100.0, 1),
        Figure::HitRate => (t.fig_hit_rate, 100.0, 1),
        Figure::Utilisation => (t.fig_utilisation, 100.0, 1),
        Figure::Retries => (t.fig_retries, 1.0, 1),
        Figure::CostPerHour => (t.fig_cost_hour, 1.0, 2),
        Figure::CostPerMillionGood => (t.fig_cost_million, 1.0, 2),
    }
}

/// A stable key per figure, for tests and styling.
fn figure_key(figure: Figure) -> &'static str {
    match figure {
        Figure::Throughput => "throughput",
        Figure::Goodput => "goodput",
        Figure::MeanLatency => "mean-latency",
        Figure::P50 => "p50",
        Figure::P99 => "p99",
        Figure::Errors => "errors",
        Figure::HitRate => "hit-rate",
        Figure::Utilisation => "utilisation",
        Figure::Retries => "retries",
        Figure::CostPerHour => "cost-per-hour",
        Figure::CostPerMillionGood => "cost-per-million-good",
    }
}
