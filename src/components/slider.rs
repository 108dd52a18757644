//! A labelled range slider with a number field beside it: drag for a feel of the range,
//! type for an exact value. A typed value outside the range is explained under the field
//! and changes nothing.

use crate::i18n::{fill, Lang};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`Slider`].
#[derive(Properties, PartialEq, Clone)]
pub struct SliderProps {
    /// DOM id of the range `<input>`, which tests and the label use; the number field is
    /// `{id}-typed`.
    pub id: AttrValue,
    /// What the slider sets, shown above it.
    pub label: AttrValue,
    /// Unit of the number field's value (after `scale`), like "req/s" or "ms".
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
    /// Called with the new value as the user drags, or types a valid one.
    pub onchange: Callback<f64>,
    /// What the number field shows per unit of `value`: 1000 for seconds typed as ms,
    /// 100 for a fraction typed as a percentage.
    #[prop_or(1.0)]
    pub scale: f64,
    /// For a slider whose position is not its value (a logarithmic speed): no number
    /// field, this readout instead.
    #[prop_or_default]
    pub display: Option<AttrValue>,
    /// Why it cannot act now, if it cannot: then it is disabled and says why.
    #[prop_or_default]
    pub disabled: Option<AttrValue>,
}

/// A range input with a label and a number field (or a readout).
#[function_component(Slider)]
pub fn slider(props: &SliderProps) -> Html {
    let lang = use_context::<Lang>().unwrap_or_default();
    let problem = use_state(|| None::<String>);
    // The number field is written from here, not bound: a bound value would be put
    // back over what the reader is typing at every re-render (four a second).
    let typed = use_node_ref();
    {
        let (typed, shown) = (typed.clone(), shown(props)(props.value));
        use_effect_with(shown, move |shown| {
            let field = typed.cast::<HtmlInputElement>();
            let focused = field.as_ref().is_some_and(is_focused);
            if let (Some(field), false) = (field, focused) {
                field.set_value(shown);
            }
        });
    }
    let onchange = props.onchange.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        let value = input.value_as_number();
        // A range input only yields numbers in [min, max]; NaN would mean no value at all.
        if value.is_finite() {
            onchange.emit(value);
        }
    });
    let (id, label) = (props.id.clone(), props.label.clone());
    html! {
        <div class="slider">
            <label for={id.clone()}>{ label }</label>
            if let Some(display) = &props.display {
                <output id={format!("{id}-value")} for={id.clone()}>{ display }</output>
            } else {
                { typed_field(props, lang, &problem, &typed) }
            }
            <input type="range" id={id.clone()} min={props.min.to_string()}
                max={props.max.to_string()} step={props.step.to_string()}
                value={props.value.to_string()} {oninput}
                disabled={props.disabled.is_some()} title={props.disabled.clone()} />
            { super::toggle::why_disabled(&id, props.disabled.as_ref()) }
            if let Some(problem) = &*problem {
                <p class="error" role="alert" id={format!("{id}-problem")}>{ problem }</p>
            }
        </div>
    }
}

/// The number field and its unit: applies a typed value in range (on Enter or leaving
/// the field), else says what would be accepted.
fn typed_field(
    props: &SliderProps,
    lang: Lang,
    problem: &UseStateHandle<Option<String>>,
    node: &NodeRef,
) -> Html {
    let (scale, shown) = (props.scale, shown(props));
    let (min, max, step) = (props.min, props.max, props.step);
    let refusal = fill(
        lang.strings().typed_out_of_range,
        &[
            ("min", &shown(min)),
            ("max", &shown(max)),
            ("unit", &props.unit),
        ],
    );
    let (onchange, problem) = (props.onchange.clone(), problem.clone());
    let on_typed = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        match snap(input.value_as_number() / scale, min, max, step) {
            Some(value) => {
                problem.set(None);
                // What applies, on the slider's grid, replaces what was typed.
                input.set_value(&shown(value));
                onchange.emit(value);
            }
            None => problem.set(Some(refusal.clone())),
        }
    });
    let aria = format!("{} ({})", props.label, props.unit);
    html! {
        <span class="typed">
            <input type="number" id={format!("{}-typed", props.id)} aria-label={aria}
                step="any" defaultvalue={shown(props.value)} onchange={on_typed} ref={node}
                disabled={props.disabled.is_some()} />
            <span class="unit">{ &props.unit }</span>
        </span>
    }
}

/// How the number field shows a value: scaled, with the decimals its step needs.
fn shown(props: &SliderProps) -> impl Fn(f64) -> String + Clone + 'static {
    let (scale, decimals) = (props.scale, decimals(props.step * props.scale));
    move |x: f64| format!("{:.decimals$}", x * scale)
}

/// Whether `field` has the keyboard focus (the reader is typing in it).
fn is_focused(field: &HtmlInputElement) -> bool {
    let active = field.owner_document().and_then(|d| d.active_element());
    active.is_some_and(|a| a.is_same_node(Some(field)))
}

/// `value` put on the slider's grid, if it is a number within [min, max] (a hair of
/// rounding beyond the ends is forgiven).
fn snap(value: f64, min: f64, max: f64, step: f64) -> Option<f64> {
    let slack = step * 1e-6;
    if !value.is_finite() || value < min - slack || value > max + slack {
        return None;
    }
    let steps = ((value - min) / step).round();
    Some((min + steps * step).clamp(min, max))
}

/// Decimals that show a step of `step` (0 for whole steps, up to 4).
fn decimals(step: f64) -> usize {
    if step >= 1.0 {
        0
    } else {
        ((-step.log10()).ceil() as usize).min(4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_value_snaps_to_the_grid_or_is_refused() {
        assert_eq!(snap(600.0, 0.0, 5000.0, 10.0), Some(600.0));
        assert_eq!(snap(604.0, 0.0, 5000.0, 10.0), Some(600.0));
        assert_eq!(snap(4.6, 1.0, 64.0, 1.0), Some(5.0));
        assert_eq!(snap(5001.0, 0.0, 5000.0, 10.0), None);
        assert_eq!(snap(-1.0, 0.0, 5000.0, 10.0), None);
        assert_eq!(snap(f64::NAN, 0.0, 5000.0, 10.0), None);
        assert_eq!(snap(f64::INFINITY, 0.0, 5000.0, 10.0), None);
        // 0.05 s typed as 50 ms.
        let typed = snap(50.0 / 1000.0, 0.001, 1.0, 0.001).unwrap();
        assert!((typed - 0.05).abs() < 1e-12, "{typed}");
    }

    #[test]
    fn the_field_shows_the_decimals_its_step_needs() {
        assert_eq!(decimals(10.0), 0);
        assert_eq!(decimals(1.0), 0);
        assert_eq!(decimals(0.5), 1);
        assert_eq!(decimals(0.05), 2);
        assert_eq!(decimals(1e-9), 4);
    }
}
