//! The page's side of the Training view ([`host`](super::host) is the other): the
//! element the view mounts in, the fetch of the view's own wasm when Training is first
//! opened, what the page tells it and what it asks of the page.

use super::ROOT_ID;
use gloo_events::EventListener;
use loadlab_sim::{Change, Scenario};
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::CustomEvent;

/// The view's wasm-bindgen script (Trunk: index.html) and its loader
/// (static/training-ui-loader.js), which starts it.
const SCRIPTS: [&str; 2] = ["./loadlab-training-ui.js", "./training-ui-loader.js"];

/// A challenge's run as the view asks the page to show it.
pub struct ChallengeRun {
    /// The learner's scenario: the challenge's start with their settings.
    pub scenario: Box<Scenario>,
    /// The script's end, once the learner pressed Play; `None` while they set up (the
    /// run waits at time zero, and the controls change it).
    pub seconds: Option<f64>,
    /// What happens when, for the core to schedule.
    pub script: Vec<(f64, Change)>,
}

/// What the view asks of the page.
pub enum FromView {
    /// It has started: send it the state.
    Ready,
    /// Show this challenge run.
    Run(ChallengeRun),
    /// Play the rest of the script at once.
    Finish,
    /// Leave the challenge for the learner's own scenario.
    Leave,
    /// A workshop's built-in lesson to open, by id.
    Lesson(String),
    /// A workshop's own lesson: its preset as a new run.
    Load(Box<Scenario>),
    /// A workshop's own lesson's change, made live.
    Change(Change),
}

/// Fetches and starts the view's wasm, and passes what it asks to `on`; the listeners
/// live as long as the value returned.
pub fn load(on: yew::Callback<FromView>) -> Vec<EventListener> {
    let document = gloo_utils::document();
    let Some(root) = document.get_element_by_id(ROOT_ID) else {
        return Vec::new();
    };
    let listen = |kind: &'static str, read: fn(Option<String>) -> Option<FromView>| {
        let on = on.clone();
        EventListener::new(&root, kind, move |e| {
            let detail = e
                .dyn_ref::<CustomEvent>()
                .and_then(|e| e.detail().as_string());
            if let Some(msg) = read(detail) {
                on.emit(msg);
            }
        })
    };
    let listeners = vec![
        listen("training-ready", |_| Some(FromView::Ready)),
        listen("challenge-run", |json| read_run(&json?).map(FromView::Run)),
        listen("challenge-finish", |_| Some(FromView::Finish)),
        listen("challenge-leave", |_| Some(FromView::Leave)),
        listen("workshop", |json| read_workshop(&json?)),
    ];
    crate::components::lazy_view::load_scripts(&SCRIPTS);
    listeners
}

/// `{"scenario": {...}, "seconds": 60 | null, "script": [entries as the challenge file
/// writes them]}`; the view made it from a checked challenge.
fn read_run(json: &str) -> Option<ChallengeRun> {
    let value: Value = serde_json::from_str(json).ok()?;
    let scenario = Scenario::from_json(&value.get("scenario")?.to_string()).ok()?;
    let script = value
        .get("script")?
        .as_array()?
        .iter()
        .map(loadlab_sim::challenges::scripted)
        .collect::<Option<Vec<_>>>()?;
    Some(ChallengeRun {
        scenario: Box::new(scenario),
        seconds: value.get("seconds").and_then(Value::as_f64),
        script,
    })
}

/// `{"lesson": id}`, `{"scenario": {...}}` or `{"change": a script entry}`.
fn read_workshop(json: &str) -> Option<FromView> {
    let value: Value = serde_json::from_str(json).ok()?;
    if let Some(id) = value.get("lesson").and_then(Value::as_str) {
        return Some(FromView::Lesson(id.to_string()));
    }
    if let Some(scenario) = value.get("scenario") {
        let scenario = Scenario::from_json(&scenario.to_string()).ok()?;
        return Some(FromView::Load(Box::new(scenario)));
    }
    let (_, change) = loadlab_sim::challenges::scripted(value.get("change")?)?;
    Some(FromView::Change(change))
}

/// Tells the view the scenario, the language (by its code) and whether a challenge is
/// on the stage.
pub fn send(scenario: &Scenario, lang: &str, in_challenge: bool) {
    let window = gloo_utils::window();
    let Ok(function) = js_sys::Reflect::get(&window, &"loadlabTraining".into()) else {
        return;
    };
    if let Some(function) = function.dyn_ref::<js_sys::Function>() {
        let json = crate::keep::scenario_json(scenario);
        let _ = function.call3(&window, &json.into(), &lang.into(), &in_challenge.into());
    }
}
