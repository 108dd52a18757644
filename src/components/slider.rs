//! A labelled range slider that reports a number, with its value shown beside it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`Slider`].
#[derive(Properties, PartialEq, Clone)]
pub struct SliderProps {
    /// DOM id of the `<input>`, which tests and the label use.
    pub id: AttrValue,
    /// What the slider sets, shown above it.
    pub label: AttrValue,
    /// Unit shown after the value, like "req/s".
    #[prop_or_default]
    pub unit: AttrValue,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Granularity.
    pub step: f64,
    /// Current value.
    pub value: f64,
    /// Called with the new value as the user drags.
    pub onchange: Callback<f64>,
    /// How the value is shown; the plain number if `None`.
    #[prop_or_default]
    pub display: Option<AttrValue>,
}

/// A range input with a label and a live readout.
#[function_component(Slider)]
pub fn slider(props: &SliderProps) -> Html {
    let onchange = props.onchange.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let value = input.value_as_number();
        // A range input only yields numbers in [min, max]; NaN would mean no value at all.
        if value.is_finite() {
            onchange.emit(value);
        }
    });
    let output_id = format!("{}-value", props.id);
    html! {
        <div class="slider">
            <label for={props.id.clone()}>{ &props.label }</label>
            <input
                type="range"
                id={props.id.clone()}
                min={props.min.to_string()}
                max={props.max.to_string()}
                step={props.step.to_string()}
                value={props.value.to_string()}
                {oninput}
            />
            <output id={output_id} for={props.id.clone()}>
                { props.display.clone().unwrap_or_else(|| shown(props.value, &props.unit)) }
            </output>
        </div>
    }
}

/// `value` in `unit`, when the slider has no display of its own.
fn shown(value: f64, unit: &str) -> AttrValue {
    format!("{value} {unit}").trim_end().to_string().into()
}
