//! Keeping and sharing: the scenario in the link and in local storage, downloads, the
//! clipboard. Every read of outside text (a link, storage, a file) goes through the core's
//! decoders, and a failure becomes a message; nothing the user had is replaced by it.

use crate::address;
use crate::deflate::{self, InflateError};
use crate::i18n::{error_text, fill, Lang, Strings};
use gloo_utils::window;
use loadlab_sim::problem::Problem;
use loadlab_sim::share;
use loadlab_sim::{Scenario, ScenarioError};
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlCanvasElement};

/// Where the scenario is saved.
const SAVED: &str = "loadlab.scenario";
/// Where an unreadable saved scenario is moved, so it is never silently lost.
const UNREADABLE: &str = "loadlab.scenario.unreadable";
/// Where the learner's own scenario waits while a lesson runs.
const MINE: &str = "loadlab.scenario.mine";
/// Where the lessons marked done are kept (a JSON list of lesson ids).
const DONE: &str = "loadlab.lessons.done";
/// Where the saved scenario goes when the user starts from the default after a crash.
const SET_ASIDE: &str = "loadlab.scenario.set-aside";
/// Where the chosen language is kept (its tag).
const LANGUAGE: &str = "loadlab.language";
/// Largest file accepted for import.
pub const MAX_IMPORT_BYTES: f64 = 1024.0 * 1024.0;

/// What the page starts from, and what to tell the user about it.
pub struct Start {
    /// The scenario to run.
    pub scenario: Scenario,
    /// The lesson the link belongs to, if it names one of ours.
    pub lesson: Option<&'static str>,
    /// Said once at the top of the page (a broken link, unreadable storage).
    pub notice: Option<Notice>,
}

/// Something said at the top of the page. Kept as what happened, not as words, so it
/// reads in whichever language is in force.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The link could not be read; the last scenario runs instead.
    LinkBroken(ScenarioError),
    /// The saved scenario could not be read; it was moved to [`UNREADABLE`].
    SavedUnreadable(ScenarioError),
    /// The lessons' progress could not be read.
    ProgressUnreadable,
    /// The start scenario decoded but would not run; the default runs instead.
    StartFailed(ScenarioError),
    /// Started from the default after a crash; the saved scenario is in [`SET_ASIDE`].
    SetAside,
    /// The Chinese words could not be fetched (why, in the browser's words).
    WordsUnavailable(String),
    /// The lessons' words or the course could not be fetched or read.
    LessonsUnavailable(String),
}

impl Notice {
    /// The notice in the words of `t`.
    pub fn text(&self, t: &'static Strings) -> String {
        match self {
            Notice::LinkBroken(e) => fill(t.link_broken, &[("why", &error_text(t, e))]),
            Notice::SavedUnreadable(e) => fill(
                t.storage_unreadable,
                &[("why", &error_text(t, e)), ("key", &UNREADABLE)],
            ),
            Notice::ProgressUnreadable => t.progress_unreadable.to_string(),
            Notice::StartFailed(e) => fill(t.start_failed, &[("why", &error_text(t, e))]),
            Notice::SetAside => fill(t.set_aside, &[("key", &SET_ASIDE)]),
            Notice::WordsUnavailable(why) => fill(t.words_unavailable, &[("why", why)]),
            Notice::LessonsUnavailable(why) => fill(t.lessons_unavailable, &[("why", why)]),
        }
    }
}

/// The link's scenario if the address holds one; else the saved one; else the default.
/// After a crash, `?fresh` asks for the default, with the saved one set aside.
pub async fn start() -> Start {
    if address::fresh_asked() {
        return start_fresh();
    }
    let saved = load_saved();
    let (fallback, saved_notice) = match saved {
        Ok(Some(s)) => (s, None),
        Ok(None) => (Scenario::default(), None),
        Err(e) => (Scenario::default(), Some(Notice::SavedUnreadable(e))),
    };
    let hash = window().location().hash().unwrap_or_default();
    if !share::is_link(&hash) {
        return Start {
            scenario: fallback,
            lesson: None,
            notice: saved_notice,
        };
    }
    match decode_link(&hash).await {
        Ok(shared) => Start {
            scenario: shared.scenario,
            lesson: shared
                .lesson
                .and_then(|id| loadlab_sim::lessons::by_id(&id))
                .map(|l| l.id),
            notice: None,
        },
        Err(e) => Start {
            scenario: fallback,
            lesson: None,
            notice: Some(Notice::LinkBroken(e)),
        },
    }
}

/// The scenario (and lesson) in a link, inflated by the browser.
async fn decode_link(fragment: &str) -> Result<share::Shared, ScenarioError> {
    let packed = share::unpack(fragment)?;
    let json = deflate::inflate(&packed.deflated, share::MAX_SCENARIO_BYTES)
        .await
        .map_err(|e| {
            share::broken(match e {
                InflateError::TooLarge => Problem::LinkTooLarge,
                InflateError::NotDeflate => Problem::LinkNotDeflate,
            })
        })?;
    share::read(&json, packed.lesson)
}

/// The link's fragment (without `#`) for `scenario` in `lesson`, deflated by the browser.
async fn encode_link(scenario: &Scenario, lesson: Option<&str>) -> Option<String> {
    let deflated = deflate::deflate(&share::json(scenario)).await.ok()?;
    Some(share::fragment(&deflated, lesson))
}

/// The default scenario, the saved one moved to [`SET_ASIDE`]; the address drops its
/// query, so a reload does not set aside again.
fn start_fresh() -> Start {
    let saved = local_storage().and_then(|s| Some((s.get_item(SAVED).ok().flatten()?, s)));
    let set_aside = saved.is_some_and(|(text, storage)| {
        storage.set_item(SET_ASIDE, &text).is_ok() && storage.remove_item(SAVED).is_ok()
    });
    let path = window().location().pathname().unwrap_or_default();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    Start {
        scenario: Scenario::default(),
        lesson: None,
        notice: set_aside.then_some(Notice::SetAside),
    }
}

/// The browser's storage; none for an embedded page, which neither reads the learner's
/// own scenario, progress and language nor writes over them (docs/embed.md).
fn local_storage() -> Option<web_sys::Storage> {
    let embedded = address::embed_asked();
    window()
        .local_storage()
        .ok()
        .flatten()
        .filter(|_| !embedded)
}

/// The saved scenario: `Ok(None)` if there is none, `Err` (and the copy moved aside) if
/// it cannot be read.
fn load_saved() -> Result<Option<Scenario>, ScenarioError> {
    let Some(storage) = local_storage() else {
        return Ok(None);
    };
    let Some(text) = storage.get_item(SAVED).ok().flatten() else {
        return Ok(None);
    };
    Scenario::from_json(&text).map(Some).inspect_err(|_| {
        let _ = storage.set_item(UNREADABLE, &text);
        let _ = storage.remove_item(SAVED);
    })
}

/// Saves `scenario` (valid: it runs) and puts its link (with `lesson`) in the address
/// bar, replacing the current history entry so Back still leaves the page. The link is
/// written when the browser has deflated it; a later save's link wins over an earlier
/// one still on its way. An embedded page keeps nothing: its address is its author's.
pub fn save(scenario: &Scenario, lesson: Option<&str>) {
    if address::embed_asked() {
        return;
    }
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(SAVED, &scenario_json(scenario));
    }
    thread_local! {
        static LATEST: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    let this = LATEST.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    let (scenario, lesson) = (scenario.clone(), lesson.map(str::to_string));
    wasm_bindgen_futures::spawn_local(async move {
        let Some(fragment) = encode_link(&scenario, lesson.as_deref()).await else {
            return;
        };
        let history = window().history();
        if let (true, Ok(history)) = (LATEST.with(|l| l.get()) == this, history) {
            let url = format!("#{fragment}");
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    });
}

/// The scenario as pretty JSON (the CLI's format), keys in alphabetical order: written
/// through the scenario's `Value`, whose serialiser the page holds anyway (decoding
/// checks keys with it), because a second, pretty serialiser of the whole scenario
/// would cost 3 KB of download (docs/performance.md, page size).
pub fn scenario_json(scenario: &Scenario) -> String {
    let value = serde_json::to_value(scenario).expect("a scenario always serialises");
    serde_json::to_string_pretty(&value).expect("a value always serialises")
}

/// The full address that reproduces `scenario` (in `lesson`, if any), once the browser
/// has deflated it.
pub async fn link(scenario: Scenario, lesson: Option<&'static str>) -> Option<String> {
    let fragment = encode_link(&scenario, lesson).await?;
    Some(format!("{}#{fragment}", address::page_address()))
}

/// The lessons marked done. Unreadable progress counts as none (and is said once).
pub fn lessons_done() -> (std::collections::BTreeSet<String>, Option<Notice>) {
    let Some(text) = local_storage().and_then(|s| s.get_item(DONE).ok().flatten()) else {
        return (Default::default(), None);
    };
    match serde_json::from_str::<Vec<String>>(&text) {
        Ok(ids) => (
            ids.into_iter()
                .filter(|id| loadlab_sim::lessons::by_id(id).is_some())
                .collect(),
            None,
        ),
        Err(_) => (Default::default(), Some(Notice::ProgressUnreadable)),
    }
}

/// The language to speak: the one the address asks for (`?lang=zh-CN`; the browser's if
/// it names none of ours), else the one chosen before, else the browser's first Chinese
/// or English preference, else English.
pub fn language() -> Lang {
    let stored = || local_storage().and_then(|s| s.get_item(LANGUAGE).ok().flatten());
    let asked = address::lang_asked().or_else(stored);
    if let Some(lang) = asked.as_deref().and_then(Lang::from_code) {
        return lang;
    }
    let navigator = window().navigator();
    let preferred = navigator.languages();
    preferred
        .iter()
        .filter_map(|v| v.as_string())
        .chain(navigator.language())
        .find_map(|tag| Lang::from_code(&tag))
        .unwrap_or_default()
}

/// Remembers the chosen language.
pub fn save_language(lang: Lang) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LANGUAGE, lang.code());
    }
}

/// Keeps the lessons marked done.
pub fn save_lessons_done(done: &std::collections::BTreeSet<String>) {
    if let (Some(storage), Ok(json)) = (local_storage(), serde_json::to_string(done)) {
        let _ = storage.set_item(DONE, &json);
    }
}

/// Keeps the learner's own scenario aside while a lesson runs (`None`: forget it).
pub fn save_mine(mine: Option<&Scenario>) {
    if let Some(storage) = local_storage() {
        let _ = match mine {
            Some(s) => storage.set_item(MINE, &scenario_json(s)),
            None => storage.remove_item(MINE),
        };
    }
}

/// The learner's own scenario set aside while a lesson runs, if any (an unreadable copy
/// counts as none: the lesson itself still runs).
pub fn load_mine() -> Option<Scenario> {
    let text = local_storage()?.get_item(MINE).ok().flatten()?;
    Scenario::from_json(&text).ok()
}

/// Puts `text` on the clipboard if the browser allows (the page also shows it).
pub fn copy(text: &str) {
    let _ = window().navigator().clipboard().write_text(text);
}

/// Offers `text` as a file download named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
        download_url(name, &url);
        let _ = web_sys::Url::revoke_object_url(&url);
    }
}

/// Offers the resource at `url` as a download named `name`.
pub fn download_url(name: &str, url: &str) {
    let Some(document) = window().document() else {
        return;
    };
    let Ok(anchor) = document.create_element("a") else {
        return;
    };
    let anchor: HtmlAnchorElement = anchor.unchecked_into();
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
}

/// The charts tiled in one PNG (as a data URL), in page order, `columns` across.
pub fn charts_png(charts: &[HtmlCanvasElement], columns: u32, header: &[String]) -> Option<String> {
    let first = charts.first()?;
    let (w, h) = (first.width(), first.height());
    let rows = (charts.len() as u32).div_ceil(columns);
    let canvas: HtmlCanvasElement = window()
        .document()?
        .create_element("canvas")
        .ok()?
        .unchecked_into();
    let width = f64::from(w * columns);
    // The header's type follows the picture's size, as the charts' own does.
    let line = (width / 90.0).clamp(14.0, 28.0);
    let ctx = crate::view::context(&canvas)?;
    ctx.set_font(&format!(
        "{}px {}",
        line * 0.8,
        crate::view::fonts::FONT_STACK
    ));
    let lines = wrapped(&ctx, header, width - line);
    let top = line * (lines.len() as f64 + 0.6);
    canvas.set_width(w * columns);
    canvas.set_height(h * rows + top as u32);
    // Resizing the canvas reset its state.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, width, f64::from(h * rows) + top);
    ctx.set_fill_style_str("#222");
    ctx.set_font(&format!(
        "{}px {}",
        line * 0.8,
        crate::view::fonts::FONT_STACK
    ));
    for (i, text) in lines.iter().enumerate() {
        let _ = ctx.fill_text(text, line / 2.0, line * (i as f64 + 1.0));
    }
    for (i, chart) in charts.iter().enumerate() {
        let (col, row) = (f64::from(i as u32 % columns), f64::from(i as u32 / columns));
        let (x, y) = (col * f64::from(w), top + row * f64::from(h));
        let _ = ctx.draw_image_with_html_canvas_element(chart, x, y);
    }
    canvas.to_data_url_with_type("image/png").ok()
}

/// `lines` broken at their " · " separators so that none is wider than `room` pixels.
fn wrapped(ctx: &web_sys::CanvasRenderingContext2d, lines: &[String], room: f64) -> Vec<String> {
    let fits = |s: &str| ctx.measure_text(s).map_or(true, |m| m.width() <= room);
    let mut out = Vec::new();
    for text in lines {
        let mut current = String::new();
        for part in text.split(" · ") {
            let longer = if current.is_empty() {
                part.to_string()
            } else {
                format!("{current} · {part}")
            };
            if fits(&longer) || current.is_empty() {
                current = longer;
            } else {
                out.push(std::mem::replace(&mut current, part.to_string()));
            }
        }
        out.push(current);
    }
    out
}

/// The wall-clock time now, as a picture's caption gives it ("2026-12-05 22:58 UTC").
pub fn now_utc() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    format!(
        "{} UTC",
        iso.get(..16).unwrap_or_default().replace('T', " ")
    )
}
