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
use web_sys::{CustomEvent, CustomEventInit, Element};
use yew::prelude::*;

/// How many tree numbers this app skips before it mounts. Yew marks each element it
/// renders with its tree's number, counted from 0 in each wasm instance, and finds the
/// handler of an event by the mark of the element the event came from. The page's Yew
/// (the other wasm) sees every click in this view on its way down, and would take a
/// mark of this app's tree 0 for its own tree 0, and run one of its own handlers (a
/// click on "Download CSV" exported the scenario too: found by the e2e test). With this
/// app's trees numbered past any the page makes (its app and its portals), each Yew
/// handles only its own elements.
const TREES_SKIPPED: usize = 64;

/// Mounts the view in the page's slot, or does nothing if the page has none.
pub fn start() {
    let document = gloo_utils::document();
    let Some(root) = document.get_element_by_id(ROOT_ID) else {
        return;
    };
    for _ in 0..TREES_SKIPPED {
        if let Ok(detached) = document.create_element("div") {
            yew::Renderer::<Skipped>::with_root(detached)
                .render()
                .destroy();
        }
    }
    yew::Renderer::<Host>::with_root_and_props(root, HostProps {}).render();
}

/// An app of nothing, mounted and destroyed only to use up a tree number.
#[function_component(Skipped)]
fn skipped() -> Html {
    html! {}
}

#[derive(Properties, PartialEq)]
pub struct HostProps {}

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
    type Properties = HostProps;

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
                self.lang = Lang::from_code(&code).unwrap_or_default();
                if !self.lang.ready() {
                    let done = ctx.link().callback(|_: ()| HostMsg::Words);
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(text) = crate::chrome::fetch_text(i18n::CHINESE_ADDRESS).await {
                            let _ = i18n::install_chinese(text);
                        }
                        done.emit(());
                    });
                }
                true
            }
            HostMsg::Words => true,
        }
    }

    fn view(&self, _: &Context<Self>) -> Html {
        let Some(scenario) = &self.scenario else {
            return html! {};
        };
        // English until the Chinese words have come.
        let lang = if self.lang.ready() {
            self.lang
        } else {
            Lang::En
        };
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

/// Dispatches `kind` on the page's slot, with `detail` if any.
fn dispatch(kind: &str, detail: Option<&str>) {
    let Some(root): Option<Element> = gloo_utils::document().get_element_by_id(ROOT_ID) else {
        return;
    };
    let init = CustomEventInit::new();
    if let Some(detail) = detail {
        init.set_detail(&detail.into());
    }
    if let Ok(event) = CustomEvent::new_with_event_init_dict(kind, &init) {
        let _ = root.dispatch_event(&event);
    }
}
