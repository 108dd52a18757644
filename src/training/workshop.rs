//! The Workshop tab: a trainer's workshop (docs/workshops.md) opened from a file, a link
//! or this browser's last one, its items in order, and a trainer's own lesson beside the
//! stage (its preset on the stage, its words here, its change on demand). A file or link
//! that does not read says why and changes nothing: the workshop open before, the
//! stage's scenario and what is saved stay as they were.

use super::dispatch;
use super::words::{kit_words, KitWords};
use crate::i18n::{error_text, fill, Lang};
use crate::view::fixed;
use loadlab_sim::challenges::Challenges;
use loadlab_sim::workshop::{self, Item, Workshop};
use loadlab_sim::{Problem, Scenario};
use serde_json::json;
use std::rc::Rc;
use yew::prelude::*;

/// Where this browser keeps the workshop last opened, and an unreadable one aside.
const KEPT: &str = "loadlab.workshop";
const KEPT_UNREADABLE: &str = "loadlab.workshop.unreadable";

/// A workshop as it is open: read, and its link's fragment (`workshop=1.…`).
pub struct Opened {
    pub workshop: Workshop,
    pub fragment: String,
}

impl PartialEq for Opened {
    fn eq(&self, other: &Self) -> bool {
        self.fragment == other.fragment
    }
}

/// How the page was opened: with a workshop link (and maybe a result of one of its
/// challenges after it), read once when the view starts.
pub struct Arrival {
    /// The workshop part of the fragment, `workshop=1.…`.
    pub workshop: String,
    /// `challenge=…&settings=…`, if the link is a result.
    pub result: Option<String>,
}

/// The page's fragment, if it is a workshop link.
pub fn arrival() -> Option<Arrival> {
    let hash = gloo_utils::window().location().hash().ok()?;
    if !hash.starts_with(crate::address::WORKSHOP_LINK) {
        return None;
    }
    let fragment = &hash[1..];
    Some(match fragment.split_once("&challenge=") {
        Some((workshop, rest)) => Arrival {
            workshop: workshop.to_string(),
            result: Some(format!("challenge={rest}")),
        },
        None => Arrival {
            workshop: fragment.to_string(),
            result: None,
        },
    })
}

#[derive(Properties, PartialEq)]
pub struct WorkshopProps {
    pub lang: Lang,
    /// The page's scenario, which a lesson's change is made on.
    pub scenario: Rc<Scenario>,
    pub opened: Option<Rc<Opened>>,
    /// Why the last file or link was not opened.
    pub error: Option<AttrValue>,
    /// The view is reading a file or link.
    pub reading: bool,
    /// Open the first item as soon as the workshop is here (a lone lesson's file or link).
    pub open_first: bool,
    /// A file's text, or why it could not be read.
    pub on_file: Callback<Result<String, String>>,
    pub on_close: Callback<()>,
    /// Open this challenge (its id) in the Challenges tab.
    pub on_challenge: Callback<String>,
}

pub enum Msg {
    Pick(usize),
    Change,
    Reveal,
    Restart,
    Back,
    Copy,
}

/// The Workshop tab.
pub struct WorkshopView {
    /// The trainer's lesson shown (its index in the workshop).
    lesson: Option<usize>,
    /// The simulated time its change was made at.
    changed_at: Option<f64>,
    revealed: bool,
    change_error: Option<String>,
    copied: bool,
}

impl Component for WorkshopView {
    type Message = Msg;
    type Properties = WorkshopProps;

    fn create(_: &Context<Self>) -> Self {
        Self {
            lesson: None,
            changed_at: None,
            revealed: false,
            change_error: None,
            copied: false,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &WorkshopProps) -> bool {
        let props = ctx.props();
        if old.opened != props.opened {
            self.lesson = None;
            if let (Some(opened), true) = (props.opened.clone(), props.open_first) {
                self.pick(ctx, &opened.workshop, 0);
            }
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.copied = false;
        let Some(opened) = ctx.props().opened.clone() else {
            return true;
        };
        match msg {
            Msg::Pick(index) => self.pick(ctx, &opened.workshop, index),
            Msg::Change => self.make_change(ctx, &opened.workshop),
            Msg::Reveal => self.revealed = true,
            Msg::Restart => {
                if let Some(index) = self.lesson {
                    self.pick(ctx, &opened.workshop, index);
                }
            }
            Msg::Back => self.lesson = None,
            Msg::Copy => {
                crate::keep::copy(&link(&opened.fragment));
                self.copied = true;
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let k = kit_words(props.lang);
        let open = {
            let on_file = props.on_file.clone();
            let lang = props.lang;
            Callback::from(move |e: Event| read_file(e, lang, on_file.clone()))
        };
        html! { <>
            if let Some(why) = &props.error {
                <p class="training-error" id="workshop-error" role="alert">{ why.clone() }</p>
            }
            if props.reading {
                <p class="hint" role="status">{ k.ws_reading }</p>
            }
            { match (&props.opened, self.lesson) {
                (Some(opened), Some(index)) => self.lesson_view(ctx, k, &opened.workshop, index),
                (Some(opened), None) => self.items(ctx, k, opened),
                (None, _) => html! { <p class="hint">{ k.ws_intro }</p> },
            } }
            if self.lesson.is_none() {
                <label class="action file-action">
                    { k.ws_open }
                    <input type="file" id="workshop-file" accept=".json,application/json" onchange={open} />
                </label>
            }
        </> }
    }
}

impl WorkshopView {
    /// Opens item `index`: a built-in lesson in the Lessons group, a trainer's lesson
    /// here with its preset on the stage, a challenge in the Challenges tab.
    fn pick(&mut self, ctx: &Context<Self>, workshop: &Workshop, index: usize) {
        self.changed_at = None;
        self.revealed = false;
        self.change_error = None;
        match &workshop.items[index] {
            Item::BuiltInLesson(id) => {
                self.lesson = None;
                dispatch("workshop", Some(&json!({ "lesson": id }).to_string()));
            }
            Item::Lesson(lesson) => {
                let Ok(preset) = lesson.preset() else {
                    return;
                };
                self.lesson = Some(index);
                let detail = json!({ "scenario": preset });
                dispatch("workshop", Some(&detail.to_string()));
            }
            Item::BuiltInChallenge(id) => ctx.props().on_challenge.emit(id.clone()),
            Item::Challenge(c) => ctx.props().on_challenge.emit(c.id.clone()),
        }
    }

    /// The lesson's change, on the page's scenario as it stands.
    fn make_change(&mut self, ctx: &Context<Self>, workshop: &Workshop) {
        let Some(Item::Lesson(lesson)) = self.lesson.map(|i| &workshop.items[i]) else {
            return;
        };
        let props = ctx.props();
        match lesson.try_it(&props.scenario) {
            Ok(_) => {
                let detail = json!({ "change": lesson.change_now() });
                dispatch("workshop", Some(&detail.to_string()));
                self.changed_at = Some(super::stage_time().unwrap_or_default());
                self.change_error = None;
            }
            Err(e) => {
                let why = error_text(props.lang.strings(), &e);
                self.change_error =
                    Some(fill(kit_words(props.lang).change_refused, &[("why", &why)]));
            }
        }
    }

    fn items(&self, ctx: &Context<Self>, k: &KitWords, opened: &Opened) -> Html {
        let lang = ctx.props().lang;
        let w = &opened.workshop;
        html! { <>
            <h2 id="workshop-title">{ w.title(lang.code()).unwrap_or(k.ws_untitled) }</h2>
            <ol class="challenge-list workshop-items" id="workshop-items">
                { for w.items.iter().enumerate().map(|(i, item)| html! {
                    <li>
                        <button id={format!("workshop-item-{i}")} class="challenge-card"
                            onclick={ctx.link().callback(move |_| Msg::Pick(i))}>
                            <strong>{ format!("{}. {}", i + 1, item_title(item, lang)) }</strong>
                            <span class="challenge-meta">{ item_kind(k, item) }</span>
                        </button>
                    </li>
                }) }
            </ol>
            if self.copied {
                <p class="hint" role="status">{ k.ws_copied }</p>
            }
            <div class="challenge-actions">
                <button id="workshop-copy" class="action" onclick={ctx.link().callback(|_| Msg::Copy)}>{ k.ws_copy }</button>
                <button id="workshop-close" class="action" onclick={ctx.props().on_close.reform(|_| ())}>{ k.ws_close }</button>
            </div>
        </> }
    }

    fn lesson_view(&self, ctx: &Context<Self>, k: &KitWords, w: &Workshop, index: usize) -> Html {
        let Item::Lesson(lesson) = &w.items[index] else {
            return html! {};
        };
        let lang = ctx.props().lang;
        let Some(words) = lesson.words(lang.code()) else {
            return html! {};
        };
        let part = |name: &str, text: &str, id: &str| {
            (!text.is_empty()).then(|| html! {
                <p id={id.to_string()}><strong>{ format!("{name}: ") }</strong>{ text.to_string() }</p>
            })
        };
        let next = index + 1 < w.items.len();
        html! {
            <div class="workshop-lesson" id="workshop-lesson">
                <h2>{ format!("{}. {}", index + 1, words.title) }</h2>
                { for part(k.try_it, &words.try_it, "workshop-try") }
                { for part(k.watch, &words.watch, "workshop-watch") }
                { for part(k.question, &words.question, "workshop-question") }
                if let Some(at) = self.changed_at {
                    <p class="hint" id="workshop-changed" role="status">{ fill(k.changed, &[("s", &fixed(at, 1))]) }</p>
                }
                if let Some(why) = &self.change_error {
                    <p class="training-error" role="alert">{ why.clone() }</p>
                }
                if self.revealed {
                    <p id="workshop-explanation">{ words.explanation.clone() }</p>
                }
                <div class="challenge-actions">
                    <button id="workshop-change" class="action primary" onclick={ctx.link().callback(|_| Msg::Change)}>{ k.make_change }</button>
                    if !words.explanation.is_empty() && !self.revealed {
                        <button id="workshop-reveal" class="action" onclick={ctx.link().callback(|_| Msg::Reveal)}>{ k.reveal }</button>
                    }
                    <button id="workshop-restart" class="action" onclick={ctx.link().callback(|_| Msg::Restart)}>{ k.restart }</button>
                    if next {
                        <button id="workshop-next" class="action" onclick={ctx.link().callback(move |_| Msg::Pick(index + 1))}>{ k.next }</button>
                    }
                    <button id="workshop-back" class="action" onclick={ctx.link().callback(|_| Msg::Back)}>{ k.back }</button>
                </div>
            </div>
        }
    }
}

/// An item's title in `lang`: a trainer's from its words, a built-in one's from the
/// page's lessons or the challenge file.
fn item_title(item: &Item, lang: Lang) -> String {
    match item {
        Item::BuiltInLesson(id) => crate::lesson_text::title(id, lang)
            .unwrap_or(id)
            .to_string(),
        Item::BuiltInChallenge(id) => Challenges::built_in()
            .get(id)
            .and_then(|c| c.words(lang.code()).map(|w| w.title.clone()))
            .unwrap_or_else(|| id.clone()),
        Item::Lesson(_) | Item::Challenge(_) => {
            item.title(lang.code()).unwrap_or_default().to_string()
        }
    }
}

fn item_kind(k: &KitWords, item: &Item) -> String {
    match item {
        Item::BuiltInLesson(_) => format!("{} · {}", k.kind_lesson, k.built_in),
        Item::BuiltInChallenge(_) => format!("{} · {}", k.kind_challenge, k.built_in),
        Item::Lesson(_) => k.kind_lesson.to_string(),
        Item::Challenge(_) => k.kind_challenge.to_string(),
    }
}

/// Reads the chosen file's text and hands it on, or why not; a file over the workshop
/// limit is refused without being read.
fn read_file(e: Event, lang: Lang, on_file: Callback<Result<String, String>>) {
    let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    if file.size() > workshop::MAX_FILE_BYTES as f64 {
        on_file.emit(Err(error_text(lang.strings(), &workshop::too_large())));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        let unreadable = || kit_words(lang).ws_file_unreadable.to_string();
        on_file.emit(text.ok().and_then(|t| t.as_string()).ok_or_else(unreadable));
    });
}

/// The workshop's link on this page.
pub fn link(fragment: &str) -> String {
    format!("{}#{fragment}", crate::address::page_address())
}

/// Reads a workshop file's text, and makes its link; the error in the reader's words.
pub async fn open_text(text: String, lang: Lang) -> Result<Opened, String> {
    let t = lang.strings();
    let workshop = Workshop::from_json(&text).map_err(|e| error_text(t, &e))?;
    let json = workshop::compact(&text).unwrap_or_default();
    let deflated = crate::deflate::deflate(&json)
        .await
        .map_err(|_| kit_words(lang).ws_no_link.to_string())?;
    keep(&text);
    Ok(Opened {
        workshop,
        fragment: workshop::link_fragment(&deflated),
    })
}

/// Reads a workshop link's fragment (`workshop=1.…`).
pub async fn open_link(fragment: String, lang: Lang) -> Result<Opened, String> {
    let t = lang.strings();
    let deflated = workshop::unpack_link(&fragment).map_err(|e| error_text(t, &e))?;
    let json = crate::deflate::inflate(&deflated, workshop::MAX_FILE_BYTES)
        .await
        .map_err(|e| {
            let problem = match e {
                crate::deflate::InflateError::TooLarge => Problem::LinkTooLarge,
                crate::deflate::InflateError::NotDeflate => Problem::LinkNotDeflate,
            };
            error_text(t, &loadlab_sim::share::broken(problem))
        })?;
    let workshop = workshop::read_link(&json).map_err(|e| error_text(t, &e))?;
    keep(std::str::from_utf8(&json).unwrap_or_default());
    Ok(Opened { workshop, fragment })
}

/// The workshop this browser kept, if any; `Err` if it could not be read (it is then
/// set aside, not deleted).
pub fn kept() -> Result<Option<String>, ()> {
    let Some(storage) = storage() else {
        return Ok(None);
    };
    let Ok(Some(text)) = storage.get_item(KEPT) else {
        return Ok(None);
    };
    if Workshop::from_json(&text).is_ok() {
        return Ok(Some(text));
    }
    let _ = storage.set_item(KEPT_UNREADABLE, &text);
    let _ = storage.remove_item(KEPT);
    Err(())
}

/// Keeps the workshop's text in this browser, to open it again next time.
fn keep(text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(KEPT, text);
    }
}

/// Forgets the kept workshop (it was closed).
pub fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEPT);
    }
}

fn storage() -> Option<web_sys::Storage> {
    gloo_utils::window().local_storage().ok().flatten()
}
