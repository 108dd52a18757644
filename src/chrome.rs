//! The page's chrome: the header (title, language switch, presenter mode), the notice at
//! the top, keyboard shortcuts, and the user's preference for reduced motion. Presenter
//! mode's rules (which groups and charts a lesson keeps) live here too, and embed mode
//! (`?embed`), which keeps what they keep, the header only linking to the full page.

use crate::address;
use crate::i18n::{self, Lang};
use crate::ids::{ChartId, Groups, PanelId};
use crate::keep::{self, Notice};
use crate::view::fonts;
use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// What the chrome's controls ask.
pub enum PageMsg {
    /// Speak this language from now on.
    Language(Lang),
    /// Presenter mode on or off.
    TogglePresenter,
    /// Hide the notice at the top.
    DismissNotice,
    /// Open or close the controls' drawer (on a narrow screen).
    ToggleDrawer,
    /// The Chinese glyphs the canvases draw with have loaded.
    ChineseFontReady,
    /// The fetch of a language's words ended: installed, or why not.
    WordsArrived(Lang, Result<(), String>),
    /// Show the what-if curves where the live charts are, or the charts again.
    ToggleCurves,
    /// Show the Training view above the stage, or hide it.
    ToggleChallenges,
}

/// What a keyboard shortcut asks, for the app to route.
pub enum Shortcut {
    /// Space: play or pause.
    PlayPause,
    /// →: one step.
    Step,
    /// P: presenter mode on or off.
    Presenter,
}

/// The chrome's state.
pub struct Chrome {
    /// The language the page speaks.
    lang: Lang,
    /// A language asked for whose words are being fetched (or will be, once the page is
    /// on screen); the page speaks it when they arrive.
    wanted: Option<Lang>,
    /// Presenter mode: large type, the current lesson's controls only.
    presenter: bool,
    /// Embedded in another page (`?embed`): the full page's address, which the header
    /// links to instead of its own controls.
    full_page: Option<String>,
    /// The Curves view: `None` until first opened (its worker is fetched then), then
    /// whether it is shown.
    curves: Option<bool>,
    /// The Training view, likewise: `None` until first opened (or a challenge's result
    /// link opened the page), then whether it is shown.
    challenges: Option<bool>,
    /// On a narrow screen the controls are a drawer over the stage: whether it is open.
    drawer: bool,
    /// The user prefers reduced motion: no request dots.
    reduced_motion: bool,
    /// Said at the top of the page: a broken link, an unreadable saved scenario.
    notice: Option<Notice>,
    _keys: Option<EventListener>,
    /// Where the chrome tells itself that the Chinese glyphs have loaded (set by
    /// [`Chrome::listen`], when the page is on screen).
    on_page: Option<Callback<PageMsg>>,
}

impl Chrome {
    /// The chrome in the language chosen before (or the browser's), saying `notice`.
    pub fn new(notice: Option<Notice>) -> Self {
        let wanted = keep::language();
        let lang = if wanted.ready() { wanted } else { Lang::En };
        show_language(lang);
        let full_page = address::embed_asked().then(address::full_page);
        // The style sheet hides the rest of the chrome under this class.
        set_root_class(address::EMBED, full_page.is_some());
        // A challenge would keep its progress, which an embedded page must not.
        let challenge = address::challenge_link() && full_page.is_none();
        Self {
            lang,
            wanted: (wanted != lang).then_some(wanted),
            presenter: false,
            full_page,
            curves: None,
            challenges: challenge.then_some(true),
            drawer: false,
            reduced_motion: prefers_reduced_motion(),
            notice,
            _keys: None,
            on_page: None,
        }
    }

    /// The language the page speaks.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether the request dots are off.
    pub fn reduced_motion(&self) -> bool {
        self.reduced_motion
    }

    /// The Curves view: `None` until first opened, then whether it is shown.
    pub fn curves(&self) -> Option<bool> {
        self.curves
    }

    /// The Training view: `None` until first opened, then whether it is shown.
    pub fn challenges(&self) -> Option<bool> {
        self.challenges
    }

    /// What presenter mode (or an embedded page) shows while lesson `lesson` is in
    /// progress.
    pub fn shown(&self, lesson: Option<&str>) -> Shown {
        Shown(
            lesson
                .filter(|_| self.presenter || self.full_page.is_some())
                .map(crate::lesson_text::groups),
        )
    }

    /// Carries out `msg`; whether the canvases must be drawn anew (their words, the root
    /// font size or the glyphs they draw with changed).
    pub fn update(&mut self, msg: PageMsg) -> bool {
        match msg {
            PageMsg::Language(lang) if !lang.ready() => {
                self.fetch_words(lang);
                false
            }
            PageMsg::Language(lang) => {
                self.wanted = None;
                self.lang = lang;
                keep::save_language(lang);
                show_language(lang);
                self.await_font();
                true
            }
            PageMsg::TogglePresenter => {
                self.presenter = !self.presenter;
                set_root_class("presenter", self.presenter);
                true
            }
            PageMsg::ToggleCurves => {
                self.curves = Some(self.curves != Some(true));
                true
            }
            PageMsg::ToggleChallenges => {
                self.challenges = Some(self.challenges != Some(true));
                true
            }
            PageMsg::DismissNotice => {
                self.notice = None;
                false
            }
            PageMsg::ToggleDrawer => {
                self.drawer = !self.drawer;
                set_root_class("drawer-open", self.drawer);
                false
            }
            // Words drawn before it came are boxes.
            PageMsg::ChineseFontReady => true,
            PageMsg::WordsArrived(lang, Ok(())) => {
                let still_wanted = self.wanted == Some(lang);
                still_wanted && self.update(PageMsg::Language(lang))
            }
            PageMsg::WordsArrived(_, Err(why)) => {
                self.wanted = None;
                self.notice = Some(Notice::WordsUnavailable(why));
                true
            }
        }
    }

    /// Fetches `lang`'s words, once at a time; [`PageMsg::WordsArrived`] says how it went.
    /// Before the page is on screen, [`Chrome::listen`] starts it.
    fn fetch_words(&mut self, lang: Lang) {
        let already = self.wanted.is_some();
        self.wanted = Some(lang);
        let Some(on) = self.on_page.clone().filter(|_| !already) else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = fetch_text(i18n::CHINESE_ADDRESS)
                .await
                .and_then(i18n::install_chinese);
            on.emit(PageMsg::WordsArrived(lang, outcome));
        });
    }

    /// Listens for the keyboard shortcuts, and for the Chinese glyphs (`on_page`), from
    /// now on.
    pub fn listen(&mut self, on_key: Callback<Shortcut>, on_page: Callback<PageMsg>) {
        self._keys = Some(keyboard_shortcuts(on_key));
        self.on_page = Some(on_page);
        if let Some(lang) = self.wanted.take() {
            self.fetch_words(lang);
        }
        self.await_font();
    }

    /// In Chinese, asks for the glyphs the canvases draw with, to have them drawn again
    /// when the glyphs are there (a system font's at once, the page's own when fetched).
    fn await_font(&self) {
        if let (Lang::Zh, Some(on)) = (self.lang, &self.on_page) {
            let on = on.clone();
            fonts::when_chinese_ready(move || on.emit(PageMsg::ChineseFontReady));
        }
    }

    /// Says `notice` at the top of the page (replacing the one there).
    pub fn tell(&mut self, notice: Notice) {
        self.notice = Some(notice);
    }

    /// The header and, if there is one, the notice under it.
    pub fn view(&self, on: &Callback<PageMsg>) -> Html {
        let t = self.lang.strings();
        let presenter = on.reform(|_: MouseEvent| PageMsg::TogglePresenter);
        let dismiss = on.reform(|_: MouseEvent| PageMsg::DismissNotice);
        let drawer = on.reform(|_: MouseEvent| PageMsg::ToggleDrawer);
        html! { <>
            <header>
                <h1>{ "Loadlab" }</h1>
                <p class="tagline">{ t.tagline }</p>
                { self.language_switch(on) }
                <button id="curves-toggle" class="action" aria-controls="curves"
                    aria-pressed={(self.curves == Some(true)).to_string()}
                    onclick={on.reform(|_: MouseEvent| PageMsg::ToggleCurves)}>
                    { t.cv_title }
                </button>
                <button id="challenges-toggle" class="action" aria-controls="training-root"
                    aria-pressed={(self.challenges == Some(true)).to_string()}
                    onclick={on.reform(|_: MouseEvent| PageMsg::ToggleChallenges)}>
                    { t.ch_title }
                </button>
                <button id="presenter" class="action" aria-pressed={self.presenter.to_string()}
                    onclick={presenter}>
                    { if self.presenter { t.presenter_off } else { t.presenter_on } }
                </button>
                if let Some(href) = &self.full_page {
                    <a id="full-page" href={href.clone()} target="_blank">{ t.open_full }</a>
                }
            </header>
            // Shown only on a narrow screen (the style sheet), where the controls are a drawer.
            <button id="drawer-toggle" class="action drawer-toggle" aria-controls="controls"
                aria-expanded={self.drawer.to_string()} onclick={drawer}>
                { if self.drawer { t.drawer_close } else { t.drawer_open } }
            </button>
            if let Some(notice) = &self.notice {
                <p class="notice" id="notice" role="alert">
                    { notice.text(t) }
                    <button class="action" onclick={dismiss}>{ t.dismiss }</button>
                </p>
            }
        </> }
    }

    /// One button per language, each named in its own language so anyone can find theirs.
    fn language_switch(&self, on: &Callback<PageMsg>) -> Html {
        let t = self.lang.strings();
        html! {
            <div class="languages" role="group" aria-label={t.language}>
                { for Lang::ALL.into_iter().map(|lang| html! {
                    <button id={format!("lang-{}", lang.code())} class="action" lang={lang.code()}
                        aria-pressed={(lang == self.lang).to_string()}
                        onclick={on.reform(move |_: MouseEvent| PageMsg::Language(lang))}>
                        { lang.own_name() }
                    </button>
                }) }
            </div>
        }
    }
}

/// What presenter mode shows. With a lesson: the lesson's groups beside the lesson, time
/// and compare, and the charts that show what they change; otherwise everything.
#[derive(Clone, Copy)]
pub struct Shown(Option<Groups>);

impl Shown {
    /// Whether only a lesson's groups and charts show.
    pub fn is_lesson(self) -> bool {
        self.0.is_some()
    }

    /// Whether `panel` shows.
    pub fn panel(self, panel: PanelId) -> bool {
        use PanelId::{Compare, Lessons, Time};
        let kept =
            |groups: Groups| matches!(panel, Lessons | Time | Compare) || groups.contains(panel);
        self.0.is_none_or(kept)
    }

    /// Whether `chart` shows.
    pub fn chart(self, chart: ChartId) -> bool {
        use ChartId::{Latency, Throughput};
        let kept = |groups: Groups| {
            matches!(chart, Latency | Throughput)
                || PanelId::LESSON_GROUPS
                    .into_iter()
                    .any(|g| groups.contains(g) && charts_of_group(g).contains(&chart))
        };
        self.0.is_none_or(kept)
    }
}

/// The charts that show what a control group changes.
fn charts_of_group(group: PanelId) -> &'static [ChartId] {
    match group {
        PanelId::Balancer => &[ChartId::Spread, ChartId::Queues],
        PanelId::Servers => &[ChartId::Queues],
        PanelId::Cache => &[ChartId::HitRate],
        PanelId::Database => &[ChartId::DbNodes, ChartId::DbTrouble],
        _ => &[],
    }
}

/// Tells the browser the page's language (it picks the fonts for Chinese by it) and
/// names the tab in it.
fn show_language(lang: Lang) {
    let document = gloo_utils::document();
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", lang.code());
    }
    document.set_title(lang.strings().page_title);
}

/// Presenter mode's larger type is the root font size, the open drawer keeps the page
/// behind it from scrolling, and an embedded page's layout differs throughout: all are
/// classes on `<html>`.
fn set_root_class(class: &str, on: bool) {
    if let Some(root) = gloo_utils::document().document_element() {
        let _ = root.class_list().toggle_with_force(class, on);
    }
}

/// Space plays or pauses, → steps, P toggles presenter mode; not while typing in a form
/// control.
fn keyboard_shortcuts(on_key: Callback<Shortcut>) -> EventListener {
    let window = web_sys::window().expect("a page has a window");
    // Not passive: the space bar's default (scrolling) is prevented.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(&window, "keydown", options, move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
            return;
        };
        if in_form(key) {
            return;
        }
        match key.key().as_str() {
            " " => {
                key.prevent_default();
                on_key.emit(Shortcut::PlayPause);
            }
            "ArrowRight" => on_key.emit(Shortcut::Step),
            "p" => on_key.emit(Shortcut::Presenter),
            _ => {}
        }
    })
}

/// Whether `key` was pressed in a form control (where it types, not commands).
fn in_form(key: &KeyboardEvent) -> bool {
    key.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(
                el.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            )
        })
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The text at `address` (relative to the page), or why not in the browser's words.
pub async fn fetch_text(address: &str) -> Result<String, String> {
    use wasm_bindgen_futures::JsFuture;
    let why = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let response: web_sys::Response = JsFuture::from(gloo_utils::window().fetch_with_str(address))
        .await
        .map_err(why)?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("{address}: HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(why)?)
        .await
        .map_err(why)?;
    Ok(text.as_string().unwrap_or_default())
}
