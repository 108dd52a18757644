//! The worker's side of the page's messages: a [`Job`] read from the plain object the
//! page posts, a [`Report`] written as one (the page's `curves::bridge` is the other
//! side; field names must agree).

use js_sys::{Object, Reflect};
use loadlab_sim::curves::{ChartWords, Job, Report};
use loadlab_sim::Scenario;
use wasm_bindgen::JsValue;

/// The string at `key` of `object` (empty if absent).
fn text(object: &JsValue, key: &str) -> String {
    Reflect::get(object, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The number at `key` of `object` (0 if absent).
fn number(object: &JsValue, key: &str) -> f64 {
    Reflect::get(object, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// The job the page posted, or why it cannot be read.
pub fn read_job(data: &JsValue) -> Result<Job, String> {
    let scenario = Scenario::from_json(&text(data, "scenario")).map_err(|e| e.to_string())?;
    let words = ChartWords {
        x_title: text(data, "x_title"),
        y_title: text(data, "y_title"),
        simulated: text(data, "simulated"),
        theory: text(data, "theory"),
        now: text(data, "now"),
        knee: text(data, "knee"),
        width: number(data, "width"),
        height: number(data, "height"),
        font: number(data, "font"),
    };
    let current = Reflect::get(data, &"current".into())
        .ok()
        .and_then(|v| v.as_f64());
    let points = Some(text(data, "points")).filter(|p| !p.is_empty());
    Ok(Job {
        scenario,
        words,
        current,
        points,
    })
}

/// `report` as the plain object the page reads.
pub fn write_report(report: &Report) -> JsValue {
    let object = Object::new();
    let set = |key: &str, value: JsValue| {
        // Setting a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&object, &key.into(), &value);
    };
    let number = |v: Option<f64>| v.map_or(JsValue::UNDEFINED, JsValue::from_f64);
    set("done", report.done.into());
    set("total", report.total.into());
    set("svg", report.svg.as_str().into());
    set("csv", report.csv.as_str().into());
    set("points", report.points.as_str().into());
    set("knee", number(report.knee));
    set("widest_band", number(report.widest_band));
    set(
        "unsolved",
        report
            .unsolved
            .map_or(JsValue::UNDEFINED, |u| u.name().into()),
    );
    set(
        "error",
        report
            .error
            .as_deref()
            .map_or(JsValue::UNDEFINED, JsValue::from_str),
    );
    set("finished", report.finished.into());
    object.into()
}
