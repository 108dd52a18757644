//! The Curves view's own small app, in its own wasm (`src/bin/curves_ui.rs`), fetched
//! only when the reader first opens Curves, so none of the view weighs on the first
//! load. It mounts in the page's `#curves-root` and talks with the page through that
//! element and one function ([`slot`](super::slot) is the page's side):
//!
//! - the page calls `window.loadlabCurves(scenarioJson, languageCode)` whenever the
//!   scenario or the language changes (and once this app says `curves-ready`);
//! - this app dispatches `curve-edit` (the curve's settings changed) and `curve-apply`
//!   (a point was clicked) on the element, each with the whole scenario as JSON.

use super::{CurvesView, ROOT_ID};
use crate::i18n::{self, Lang};
use loadlab_sim::Scenario;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Tree numbers this app skips before it mounts, past the page's: see
/// `components::lazy_view::mount_past`.
const TREES_SKIPPED: usize = 64;

/// Mounts the view in the page's slot, or does nothing if the page has none.
pub fn start() {
    crate::components::lazy_view::mount_past::<Host>(ROOT_ID, TREES_SKIPPED);
}

pub enum HostMsg {
    /// The page's scenario (JSON) and language.
    State(String, String),
    /// The Chinese words arrived (or could not).
    Words,
}

/// Holds what the page last said and renders the view with it.
pub struct Host {
    scenario: Option<Rc<Scenario>>,
    lang: Lang,
    /// Kept alive while the page may call it.
    _listener: Closure<dyn FnMut(String, String)>,
}

impl Component for Host {
    type Message = HostMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let listener = Closure::<dyn FnMut(String, String)>::new(move |json, code| {
            link.send_message(HostMsg::State(json, code));
        });
        let window = gloo_utils::window();
        let _ = js_sys::Reflect::set(&window, &"loadlabCurves".into(), listener.as_ref());
        dispatch("curves-ready", None);
        Self {
            scenario: None,
            lang: Lang::En,
            _listener: listener,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: HostMsg) -> bool {
        match msg {
            HostMsg::State(json, code) => {
                // The page sends only scenarios it runs: valid ones.
                if let Ok(scenario) = Scenario::from_json(&json) {
                    self.scenario = Some(Rc::new(scenario));
                }
                self.lang = wanted_language(&code, ctx.link().callback(|_: ()| HostMsg::Words));
                true
            }
            HostMsg::Words => true,
        }
    }

    fn view(&self, _: &Context<Self>) -> Html {
        let Some(scenario) = &self.scenario else {
            return html! {};
        };
        let lang = shown_language(self.lang);
        let send = |kind: &'static str| {
            Callback::from(move |s: Scenario| dispatch(kind, Some(&crate::keep::scenario_json(&s))))
        };
        let on_curve = {
            let scenario = scenario.clone();
            Callback::from(move |curve| {
                let next = Scenario {
                    curve: Some(curve),
                    ..(*scenario).clone()
                };
                dispatch("curve-edit", Some(&crate::keep::scenario_json(&next)));
            })
        };
        html! {
            <CurvesView {lang} scenario={scenario.clone()} {on_curve} on_apply={send("curve-apply")} />
        }
    }
}

/// The language the page asked for by `code`; its words are fetched if they are not
/// here yet, and `arrived` called when they are (or could not be).
pub(crate) fn wanted_language(code: &str, arrived: Callback<()>) -> Lang {
    let lang = Lang::from_code(code).unwrap_or_default();
    if !lang.ready() {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(text) = crate::chrome::fetch_text(i18n::CHINESE_ADDRESS).await {
                let _ = i18n::install_chinese(text);
            }
            arrived.emit(());
        });
    }
    lang
}

/// `lang` if its words are here, else English until they come.
pub(crate) fn shown_language(lang: Lang) -> Lang {
    if lang.ready() {
        lang
    } else {
        Lang::En
    }
}

/// Dispatches `kind` on the page's slot, with `detail` if any.
fn dispatch(kind: &str, detail: Option<&str>) {
    crate::components::lazy_view::dispatch(ROOT_ID, kind, detail);
}
