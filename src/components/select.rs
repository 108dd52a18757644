//! A labelled drop-down that reports the chosen option's value.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`Select`].
#[derive(Properties, PartialEq, Clone)]
pub struct SelectProps {
    /// DOM id of the `<select>`.
    pub id: AttrValue,
    /// What it chooses.
    pub label: AttrValue,
    /// (value, text) of each option.
    pub options: Vec<(AttrValue, AttrValue)>,
    /// The chosen value.
    pub value: AttrValue,
    /// Called with the new value.
    pub onchange: Callback<String>,
}

/// A `<select>` with its label.
#[function_component(Select)]
pub fn select(props: &SelectProps) -> Html {
    let onchange = props.onchange.clone();
    let on_change = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        onchange.emit(select.value());
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ &props.label }</label>
            <select id={props.id.clone()} onchange={on_change}>
                { for props.options.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={*value == props.value}>{ text }</option>
                }) }
            </select>
        </div>
    }
}
