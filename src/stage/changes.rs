//! The list of live changes under the stage, numbered as the charts number them, newest
//! first, worded with the controls' labels: the charts carry only the numbers, so ten
//! quick changes stay readable there and here.

use crate::i18n::{mark_text, Strings};
use crate::view::clock_time;
use loadlab_sim::Simulation;
use yew::prelude::*;

/// Changes listed at most (the oldest of a long session are dropped from view).
const SHOWN: usize = 50;

/// The list, or nothing before the first change.
pub fn list(t: &'static Strings, sim: &Simulation) -> Html {
    let marks = sim.marks();
    if marks.is_empty() {
        return html! {};
    }
    html! {
        <ol id="marks-list" class="marks-list" aria-label={t.marks_list_aria} reversed=true>
            { for marks.iter().rev().take(SHOWN).map(|m| html! {
                <li data-n={m.number.to_string()}>
                    <b>{ m.number }</b>
                    <span class="when">{ clock_time(m.time) }</span>
                    { mark_text(t, &m.label) }
                </li>
            }) }
        </ol>
    }
}
