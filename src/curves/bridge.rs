//! The page's side of the curves worker: starts it (its wasm is fetched then, never on
//! the first load), posts it a job and hands each report it posts back to a callback.
//! Dropping the bridge terminates the worker: that is how a sweep is cancelled (a
//! running worker reads no messages).
//!
//! Jobs and reports cross as plain objects of strings and numbers, read and written
//! field by field (the worker's `bridge` is the other side; names must agree): a serde
//! decoder for them would cost the first load 7 KB.

use js_sys::{Object, Reflect};
use loadlab_sim::curves::{ChartWords, Report};
use loadlab_sim::theory::Unsolved;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker};

/// Trunk's loader for the worker's wasm (index.html, `data-loader-shim`).
const LOADER: &str = "./loadlab-curves_loader.js";

/// What the worker posts once it listens: a job posted before would be lost.
const READY: &str = "ready";

/// A running worker.
pub struct Bridge {
    worker: Worker,
    /// The job waiting for the worker to listen; `None` once it does.
    waiting: Rc<RefCell<Option<JsValue>>>,
    /// Kept alive while the worker may post.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

/// What a job asks: the scenario (JSON, its curve set), the chart's words, where the
/// system is on the curve, and the points to draw again (empty: run the curve).
pub struct Job<'a> {
    pub scenario: String,
    pub words: ChartWords,
    pub current: Option<f64>,
    pub points: &'a str,
}

impl Bridge {
    /// Starts a worker whose reports go to `on_report`; `None` if the browser refused.
    pub fn start(on_report: yew::Callback<Report>) -> Option<Self> {
        let worker = Worker::new(LOADER).ok()?;
        let waiting = Rc::new(RefCell::new(Some(JsValue::UNDEFINED)));
        let on_message = {
            let (worker, waiting) = (worker.clone(), waiting.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let data = e.data();
                if data.as_string().as_deref() == Some(READY) {
                    let job = waiting.borrow_mut().take();
                    if let Some(job) = job.filter(|j| !j.is_undefined()) {
                        let _ = worker.post_message(&job);
                    }
                } else {
                    on_report.emit(read_report(&data));
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self {
            worker,
            waiting,
            _on_message: on_message,
        })
    }

    /// Posts `job` to the worker.
    pub fn post(&self, job: &Job) {
        let object = Object::new();
        let set = |key: &str, value: JsValue| {
            // Setting a property of a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &key.into(), &value);
        };
        let w = &job.words;
        for (key, value) in [
            ("scenario", job.scenario.as_str()),
            ("x_title", &w.x_title),
            ("y_title", &w.y_title),
            ("simulated", &w.simulated),
            ("theory", &w.theory),
            ("now", &w.now),
            ("knee", &w.knee),
            ("points", job.points),
        ] {
            set(key, value.into());
        }
        for (key, value) in [("width", w.width), ("height", w.height), ("font", w.font)] {
            set(key, value.into());
        }
        if let Some(current) = job.current {
            set("current", current.into());
        }
        let mut waiting = self.waiting.borrow_mut();
        match waiting.as_mut() {
            // Not listening yet: posted when it says it is.
            Some(slot) => *slot = object.into(),
            None => {
                let _ = self.worker.post_message(&object);
            }
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The report in a message from the worker.
fn read_report(data: &JsValue) -> Report {
    let get = |key: &str| Reflect::get(data, &key.into()).unwrap_or(JsValue::UNDEFINED);
    let text = |key: &str| get(key).as_string().unwrap_or_default();
    let whole = |key: &str| get(key).as_f64().unwrap_or(0.0) as u32;
    Report {
        done: whole("done"),
        total: whole("total"),
        svg: text("svg"),
        csv: text("csv"),
        points: text("points"),
        knee: get("knee").as_f64(),
        widest_band: get("widest_band").as_f64(),
        unsolved: Unsolved::from_name(&text("unsolved")),
        error: get("error").as_string(),
        finished: get("finished").is_truthy(),
    }
}
