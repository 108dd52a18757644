//! A text field for a comma-separated list of numbers (per-server weights or speeds).
//!
//! The text is parsed on change; what cannot be read as a list of the numbers the field
//! takes is refused with a message beside the field, and the previous list stays in force.

use crate::i18n::{fill, Lang, Strings};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`ListField`].
#[derive(Properties, PartialEq, Clone)]
pub struct ListFieldProps {
    /// The language of its message.
    pub lang: Lang,
    /// DOM id of the `<input>`.
    pub id: AttrValue,
    /// What the list sets.
    pub label: AttrValue,
    /// The list in force, as numbers; empty means "all equal".
    pub values: Vec<f64>,
    /// What to show when the list is empty.
    pub placeholder: AttrValue,
    /// What each number must be.
    pub numbers: Numbers,
    /// Called with the parsed list (empty when the text is empty).
    pub onchange: Callback<Vec<f64>>,
}

/// What each number of a list must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    /// Whole numbers from 0 (weights: 0 takes a server out of the rotation).
    Whole,
    /// Numbers above 0 (speeds: a server at speed 0 would never finish).
    Positive,
}

/// Parses "5, 1, 1" into numbers of the kind `numbers`; the message names the first
/// part that is not one.
pub fn parse_list(t: &Strings, text: &str, numbers: Numbers) -> Result<Vec<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    text.split(',')
        .map(|part| {
            let part = part.trim();
            let Some(v) = crate::number::parse_number(part) else {
                return Err(fill(t.not_a_number, &[("text", &part)]));
            };
            match numbers {
                Numbers::Whole if v < 0.0 || v.fract() != 0.0 => {
                    Err(fill(t.not_whole, &[("text", &part)]))
                }
                Numbers::Positive if v <= 0.0 => Err(fill(t.not_positive, &[("text", &part)])),
                _ => Ok(v),
            }
        })
        .collect()
}

/// A labelled text input holding a list of numbers. What the user is typing is kept as
/// a draft until it is accepted: the page re-renders several times a second, and Yew
/// sets an input's value from the view on each render, which would otherwise wipe a
/// half-typed or refused list.
#[function_component(ListField)]
pub fn list_field(props: &ListFieldProps) -> Html {
    let t = props.lang.strings();
    let error = use_state_eq(|| None::<String>);
    let draft = use_state_eq(|| None::<String>);
    {
        // A new list in force (accepted, or changed elsewhere) replaces the draft.
        let draft = draft.clone();
        use_effect_with(props.values.clone(), move |_| draft.set(None));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            draft.set(Some(input.value()));
        })
    };
    let onchange = {
        let (emit, error, numbers) = (props.onchange.clone(), error.clone(), props.numbers);
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match parse_list(t, &input.value(), numbers) {
                Ok(values) => {
                    error.set(None);
                    emit.emit(values);
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let text = (*draft).clone().unwrap_or_else(|| {
        props
            .values
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ &props.label }</label>
            <input type="text" id={props.id.clone()} value={text}
                placeholder={props.placeholder.clone()} {oninput} {onchange}
                aria-invalid={error.is_some().to_string()} />
            if let Some(message) = &*error {
                <p class="error field-error" role="alert">{ message }</p>
            }
        </div>
    }
}
