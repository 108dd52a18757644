//! The page's side of the Curves view ([`host`](super::host) is the other): the empty
//! element the view mounts in, the fetch of the view's own wasm when Curves is first
//! opened, the scenario and language sent to it, and what it sends back.

use super::ROOT_ID;
use gloo_events::EventListener;
use loadlab_sim::Scenario;
use wasm_bindgen::JsCast;
use web_sys::CustomEvent;

/// The view's wasm-bindgen script (Trunk: index.html, no hash in the name) and the
/// page's own loader, which starts it (static/curves-ui-loader.js).
const SCRIPTS: [&str; 2] = ["./loadlab-curves-ui.js", "./curves-ui-loader.js"];

/// What the view sends the page.
pub enum FromView {
    /// It has started: send it the state.
    Ready,
    /// The curve's settings changed: this scenario carries them.
    Edit(Box<Scenario>),
    /// A point was clicked: run this scenario.
    Apply(Box<Scenario>),
}

/// Fetches and starts the view's wasm, and passes what it says to `on`; the listeners
/// live as long as the value returned.
pub fn load(on: yew::Callback<FromView>) -> Vec<EventListener> {
    let document = gloo_utils::document();
    let Some(root) = document.get_element_by_id(ROOT_ID) else {
        return Vec::new();
    };
    let listen = |kind: &'static str, read: fn(Option<Box<Scenario>>) -> Option<FromView>| {
        let on = on.clone();
        EventListener::new(&root, kind, move |e| {
            let scenario = e
                .dyn_ref::<CustomEvent>()
                .and_then(|e| e.detail().as_string())
                .and_then(|json| Scenario::from_json(&json).ok())
                .map(Box::new);
            if let Some(msg) = read(scenario) {
                on.emit(msg);
            }
        })
    };
    let listeners = vec![
        listen("curves-ready", |_| Some(FromView::Ready)),
        listen("curve-edit", |s| s.map(FromView::Edit)),
        listen("curve-apply", |s| s.map(FromView::Apply)),
    ];
    crate::components::lazy_view::load_scripts(&SCRIPTS);
    listeners
}

/// Sends the view the scenario and the language (by its code).
pub fn send(scenario: &Scenario, lang: &str) {
    let window = gloo_utils::window();
    let Ok(function) = js_sys::Reflect::get(&window, &"loadlabCurves".into()) else {
        return;
    };
    if let Some(function) = function.dyn_ref::<js_sys::Function>() {
        let json = crate::keep::scenario_json(scenario);
        let _ = function.call2(&window, &json.into(), &lang.into());
    }
}
