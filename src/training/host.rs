//! The Challenges view's own small app, in its own wasm (`src/bin/training_ui.rs`),
//! fetched only when the reader first opens Challenges (or a result link), so none of
//! it weighs on the first load. It mounts in the page's `#training-root` and talks with
//! the page through that element and one function ([`slot`](super::slot) is the page's
//! side):
//!
//! - the page calls `window.loadlabTraining(scenarioJson, languageCode, inChallenge)`
//!   whenever one of them changes (and once this app says `training-ready`);
//! - this app dispatches `challenge-run` (a challenge's run to show, as JSON),
//!   `challenge-finish` and `challenge-leave` on the element.

use super::{ChallengesView, ROOT_ID};
use crate::curves::host::{shown_language, wanted_language};
use crate::i18n::Lang;
use loadlab_sim::Scenario;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// Tree numbers this app skips before it mounts, past the page's and the Curves view's
/// (64): see `components::lazy_view::mount_past`.
const TREES_SKIPPED: usize = 128;

/// Mounts the view in the page's slot, or does nothing if the page has none.
pub fn start() {
    crate::components::lazy_view::mount_past::<Host>(ROOT_ID, TREES_SKIPPED);
}

pub enum HostMsg {
    /// The page's scenario (JSON), language, and whether a challenge is on the stage.
    State(String, String, bool),
    /// The Chinese words arrived (or could not).
    Words,
}

/// Holds what the page last said and renders the view with it.
pub struct Host {
    scenario: Option<Rc<Scenario>>,
    lang: Lang,
    in_challenge: bool,
    /// Kept alive while the page may call it.
    _listener: Closure<dyn FnMut(String, String, bool)>,
}

impl Component for Host {
    type Message = HostMsg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let listener = Closure::<dyn FnMut(String, String, bool)>::new(move |json, code, on| {
            link.send_message(HostMsg::State(json, code, on));
        });
        let window = gloo_utils::window();
        let _ = js_sys::Reflect::set(&window, &"loadlabTraining".into(), listener.as_ref());
        dispatch("training-ready", None);
        Self {
            scenario: None,
            lang: Lang::En,
            in_challenge: false,
            _listener: listener,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: HostMsg) -> bool {
        match msg {
            HostMsg::State(json, code, on) => {
                // The page sends only scenarios it runs: valid ones.
                if let Ok(scenario) = Scenario::from_json(&json) {
                    self.scenario = Some(Rc::new(scenario));
                }
                self.in_challenge = on;
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
        html! {
            <ChallengesView {lang} scenario={scenario.clone()} in_challenge={self.in_challenge} />
        }
    }
}

/// Dispatches `kind` on the page's slot, with `detail` if any.
pub(super) fn dispatch(kind: &str, detail: Option<&str>) {
    crate::components::lazy_view::dispatch(ROOT_ID, kind, detail);
}
