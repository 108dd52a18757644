//! Guided lessons: a list with progress, and the current lesson's words, its one-click
//! change, the explanation on demand, and a reset to its start.

use super::{action, group_class};
use crate::i18n::{fill, Lang, Strings};
use crate::lesson_text::{text, title};
use loadlab_sim::lessons::ALL;
use std::collections::BTreeSet;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`LessonPanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct LessonProps {
    /// The language the group speaks.
    pub lang: Lang,
    /// The lesson in progress, if any.
    pub current: Option<AttrValue>,
    /// Lessons marked done (kept in the browser).
    pub done: BTreeSet<String>,
    /// Whether the current lesson's explanation is shown.
    pub revealed: bool,
    /// Start lesson `id` from its preset.
    pub on_load: Callback<String>,
    /// Make the current lesson's change.
    pub on_try: Callback<()>,
    /// Show the explanation.
    pub on_reveal: Callback<()>,
    /// Mark the current lesson done or not.
    pub on_done: Callback<bool>,
    /// Start the current lesson again.
    pub on_reset: Callback<()>,
    /// Whether the learner's own scenario waits to come back to.
    pub has_mine: bool,
    /// Leave the lesson for the learner's own scenario.
    pub on_mine: Callback<()>,
    /// Hidden in presenter mode (the lesson does not use it).
    #[prop_or_default]
    pub hidden: bool,
}

/// The Lessons group. Choosing in the list only picks (an arrow key on it changes
/// nothing that runs); a button starts the lesson, and another brings back the
/// learner's own scenario, kept aside meanwhile.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonProps) -> Html {
    let current = props.current.as_deref();
    let picked = use_state(|| current.unwrap_or_default().to_string());
    let on_pick = {
        let picked = picked.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            picked.set(select.value());
        })
    };
    // A lesson started elsewhere (a link, Reset) is what the list shows.
    {
        let picked = picked.clone();
        use_effect_with(props.current.clone(), move |current| {
            picked.set(current.as_deref().unwrap_or_default().to_string());
        });
    }
    let lang = props.lang;
    let t = lang.strings();
    let done_count = ALL.iter().filter(|l| props.done.contains(l.id)).count();
    let start = {
        let (on_load, picked) = (props.on_load.clone(), picked.clone());
        Callback::from(move |_: MouseEvent| on_load.emit((*picked).clone()))
    };
    let pending = !picked.is_empty() && current != Some(picked.as_str());
    html! {
        <section class={group_class(props.hidden)} id="lessons" aria-label={t.lessons_title}>
            <h2>{ t.lessons_title }</h2>
            <p class="hint">
                { fill(t.lessons_hint, &[("done", &done_count), ("total", &ALL.len())]) }
            </p>
            <div class="field">
                <label for="lesson">{ t.lesson }</label>
                <select id="lesson" onchange={on_pick}>
                    <option value="" selected={picked.is_empty()}>
                        { if current.is_some() { t.lesson_mine } else { t.lesson_choose } }
                    </option>
                    { for ALL.iter().enumerate().map(|(i, l)| lesson_option(props, i, l.id, &picked)) }
                </select>
            </div>
            <div class="buttons">
                if pending {
                    <button id="lesson-start" class="action" onclick={start}>{ t.lesson_start }</button>
                }
                if props.has_mine && current.is_some() {
                    { action("lesson-mine", t.lesson_back_mine, &props.on_mine) }
                }
            </div>
            if let Some(id) = current {
                if let Some(words) = text(id, lang) {
                    { lesson_body(props, t, &words) }
                } else {
                    <p class="hint" id="lesson-loading">{ t.lesson_loading }</p>
                }
            }
        </section>
    }
}

/// Lesson `id`, the `i`-th, in the list: numbered, ticked when done.
fn lesson_option(props: &LessonProps, i: usize, id: &'static str, picked: &str) -> Html {
    let title = title(id, props.lang).unwrap_or(id);
    let mark = if props.done.contains(id) { "✓ " } else { "" };
    let selected = picked == id;
    html! { <option value={id} {selected}>{ format!("{mark}{}. {title}", i + 1) }</option> }
}

fn lesson_body(props: &LessonProps, t: &Strings, words: &crate::lesson_text::LessonText) -> Html {
    let done = props
        .current
        .as_deref()
        .is_some_and(|id| props.done.contains(id));
    let on_done = props.on_done.reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        input.checked()
    });
    html! {
        <div class="lesson">
            <h3>{ words.title }</h3>
            <p><strong>{ t.lesson_try }</strong>{ words.try_it }</p>
            <div class="buttons">
                { action("lesson-try", words.button, &props.on_try) }
                { action("lesson-reset", t.lesson_reset, &props.on_reset) }
            </div>
            <p><strong>{ t.lesson_watch }</strong>{ words.watch }</p>
            <p><strong>{ t.lesson_question }</strong>{ words.question }</p>
            if props.revealed {
                <p id="lesson-explanation" class="explanation">{ words.explanation }</p>
            } else {
                { action("lesson-reveal", t.lesson_reveal, &props.on_reveal) }
            }
            <div class="field toggle">
                <input type="checkbox" id="lesson-done" checked={done} onchange={on_done} />
                <label for="lesson-done">{ t.lesson_done }</label>
            </div>
        </div>
    }
}
