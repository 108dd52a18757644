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
    /// Why it cannot act now, if it cannot: then it is disabled and says why.
    #[prop_or_default]
    pub disabled: Option<AttrValue>,
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
                onchange={on_change} disabled={props.disabled.is_some()}
                title={props.disabled.clone()} />
            <label for={props.id.clone()}>{ &props.label }</label>
            { why_disabled(&props.id, props.disabled.as_ref()) }
        </div>
    }
}

/// Under a control that cannot act, why (`{id}-why`); nothing otherwise.
pub fn why_disabled(id: &str, reason: Option<&AttrValue>) -> Html {
    match reason {
        Some(reason) => html! { <p class="hint why" id={format!("{id}-why")}>{ reason }</p> },
        None => html! {},
    }
}
