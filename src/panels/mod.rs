//! The control groups. Each shows part of the scenario and sends an edited copy back;
//! the app applies it to the running simulation as a live change.

mod autoscale;
mod balancer;
mod cache;
mod compare;
mod database;
mod lessons;
mod protection;
mod servers;
mod share;
mod theory;
mod time;
mod time_result;
mod traffic;

pub use balancer::BalancerPanel;
pub use cache::CachePanel;
pub use compare::{ComparePanel, Comparison};
pub use database::DatabasePanel;
pub use lessons::LessonPanel;
pub use protection::ProtectionPanel;
pub use servers::{ServerPanel, ServerState};
pub use share::SharePanel;
pub use theory::TheoryPanel;
pub use time::{TimePanel, TimeState};
pub use time_result::FastForwardResult;
pub use traffic::TrafficPanel;

use crate::i18n::Lang;
use crate::ids::{PanelId, PRESENTER_HIDDEN};
use loadlab_sim::dist::Distribution;
use loadlab_sim::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// What every control group receives.
#[derive(Properties, PartialEq, Clone)]
pub struct PanelProps {
    /// The language the group speaks.
    pub lang: Lang,
    /// The scenario as it stands.
    pub scenario: Rc<Scenario>,
    /// Called with the edited scenario.
    pub on_change: Callback<Scenario>,
    /// Called with an action that is not a setting (kill, revive, spike).
    #[prop_or_default]
    pub on_action: Callback<loadlab_sim::Change>,
    /// The error of this group's last change, shown beside its controls.
    #[prop_or_default]
    pub error: Option<AttrValue>,
    /// What an action of this group is doing now (a spike's countdown), said under its
    /// controls.
    #[prop_or_default]
    pub status: Option<AttrValue>,
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
    /// Shown open (the rest fold to their title, so the column stays short); the reader
    /// can open or fold any.
    #[prop_or(true)]
    pub open: bool,
}

/// A callback that applies `edit` with the new value to a copy of the scenario and
/// sends the copy on.
pub fn editor<T: 'static>(
    props: &PanelProps,
    edit: impl Fn(&mut Scenario, T) + 'static,
) -> Callback<T> {
    let (scenario, on_change) = (props.scenario.clone(), props.on_change.clone());
    Callback::from(move |value: T| {
        let mut next = (*scenario).clone();
        edit(&mut next, value);
        on_change.emit(next);
    })
}

/// The same distribution with a new mean (constant: the new value).
pub fn with_mean(d: Distribution, mean: f64) -> Distribution {
    match d {
        Distribution::Constant { .. } => Distribution::Constant { seconds: mean },
        Distribution::Exponential { .. } => Distribution::Exponential { mean_seconds: mean },
        Distribution::LogNormal { sigma, .. } => Distribution::LogNormal {
            mean_seconds: mean,
            sigma,
        },
    }
}

/// Options for a `Select` from (value, text) pairs.
pub fn options(pairs: &[(&'static str, &'static str)]) -> Vec<(AttrValue, AttrValue)> {
    pairs
        .iter()
        .map(|&(v, t)| (AttrValue::from(v), AttrValue::from(t)))
        .collect()
}

/// A group's frame: heading, hint, controls, and its error if any.
pub fn group(
    id: PanelId,
    props: &PanelProps,
    title: &'static str,
    hint: &'static str,
    body: Html,
) -> Html {
    html! {
        <details class={group_class(props.hidden)} id={id.id()} aria-label={title}
            open={props.open}>
            <summary><h2>{ title }</h2></summary>
            <p class="hint">{ hint }</p>
            { body }
            if let Some(status) = &props.status {
                <p class="status" role="status">{ status }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" role="alert">{ error }</p>
            }
        </details>
    }
}

/// A button's click handler that calls `cb`: one function for every such button, rather
/// than one per button, which keeps the download smaller.
pub fn click(cb: &Callback<()>) -> Callback<MouseEvent> {
    cb.reform(|_| ())
}

/// A button named `id` that says `label` and calls `cb`.
pub fn action(id: &'static str, label: &'static str, cb: &Callback<()>) -> Html {
    html! { <button id={id} class="action" onclick={click(cb)}>{ label }</button> }
}

/// A group's classes: presenter mode hides it when `hidden`.
pub fn group_class(hidden: bool) -> Classes {
    classes!("group", hidden.then_some(PRESENTER_HIDDEN))
}

/// Milliseconds for display, to one decimal.
pub fn ms(seconds: f64) -> String {
    format!("{:.1} ms", seconds * 1e3)
}
