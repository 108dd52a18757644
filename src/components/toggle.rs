//! A labelled checkbox that reports whether it is checked.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`Toggle`].
#[derive(Properties, PartialEq, Clone)]
pub struct ToggleProps {
    /// DOM id of the `<input>`.
    pub id: AttrValue,
    /// What it switches.
    pub label: AttrValue,
    /// Whether it is on.
    pub checked: bool,
    /// Called with the new state.
    pub onchange: Callback<bool>,
}

/// A checkbox with its label.
#[function_component(Toggle)]
pub fn toggle(props: &ToggleProps) -> Html {
    let onchange = props.onchange.clone();
    let on_change = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        onchange.emit(input.checked());
    });
    html! {
        <div class="field toggle">
            <input type="checkbox" id={props.id.clone()} checked={props.checked}
                onchange={on_change} />
            <label for={props.id.clone()}>{ &props.label }</label>
        </div>
    }
}
