//! Tests that run in headless Chromium (`cargo test --target wasm32-unknown-unknown`).
#![cfg(target_arch = "wasm32")]

use loadlab_sim::metrics::{CacheWindow, Percentiles, Rejections, WindowStats};
use loadlab_sim::{Scenario, Simulation};
use loadlab_web::components::{Slider, SliderProps};
use loadlab_web::view::{chart, charts};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlInputElement};
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

/// Same file the native golden test pins: equal means native and wasm agree byte for byte.
const NATIVE_SUMMARY: &str = include_str!("../crates/sim/tests/golden/default-seed42-20k.json");

#[wasm_bindgen_test]
fn wasm_run_is_byte_identical_to_the_native_golden() {
    let scenario = Scenario {
        seed: 42,
        ..Scenario::default()
    };
    let mut sim = Simulation::new(scenario).unwrap();
    sim.run_arrivals(20_000);
    let summary = serde_json::to_string_pretty(&sim.summary()).unwrap() + "\n";
    assert_eq!(summary, NATIVE_SUMMARY);
}

/// The determinism set: (name, scenario, the summary the native CLI prints for it).
macro_rules! determinism_set {
    ($($name:literal,)*) => {
        [$((
            $name,
            include_str!(concat!("../crates/sim/tests/golden/determinism/", $name, ".json")),
            include_str!(concat!("../crates/sim/tests/golden/determinism/", $name, ".summary.json")),
        )),*]
    };
}

const DETERMINISM_SET: [(&str, &str, &str); 25] = determinism_set!(
    "01-round-robin-vs-least-connections",
    "02-smooth-weighted-shares",
    "03-power-of-two-choices",
    "04-thread-pool-sizing",
    "05-sync-vs-async-io",
    "06-bounded-queues-and-shedding",
    "07-rate-limiting",
    "08-cache-eviction",
    "09-stampede-and-coalescing",
    "10-hashing-when-a-server-dies",
    "11-replicas-and-stale-reads",
    "12-sharding-and-indexes",
    "13-optimistic-vs-pessimistic",
    "14-retry-storm",
    "15-the-knee",
    "16-littles-law",
    "17-timeouts-and-wasted-work",
    "18-scale-up-or-out",
    "19-connection-pool-sizing",
    "20-circuit-breaker",
    "21-message-queue-smoothing",
    "22-autoscaling-lag",
    "everything-else",
    "rate-schedule",
    "autoscaling",
);

/// Scenarios that between them use every mechanism give, in Chromium, the
/// summary the native CLI prints (`tests/cli.rs` checks the CLI against the same files),
/// byte for byte.
#[wasm_bindgen_test]
fn every_scenario_of_the_determinism_set_matches_the_native_cli() {
    for (name, scenario, native) in DETERMINISM_SET {
        let mut sim = Simulation::new(Scenario::from_json(scenario).unwrap()).unwrap();
        sim.run_arrivals(10_000);
        let summary = serde_json::to_string_pretty(&sim.summary()).unwrap() + "\n";
        assert_eq!(summary, native, "{name}");
    }
}

/// The native golden test's challenge scores: every challenge's start and answer.
const NATIVE_CHALLENGES: &str = include_str!("../crates/sim/tests/golden/challenges.txt");

#[wasm_bindgen_test]
fn every_challenges_score_is_the_native_one() {
    assert_eq!(
        loadlab_sim::challenges::reference_scores(),
        NATIVE_CHALLENGES
    );
}

/// The native golden test's lesson fingerprints: every mechanism, and a live change of
/// each, run bit for bit alike in the browser.
const NATIVE_LESSONS: &str = include_str!("../crates/sim/tests/golden/lessons.txt");

#[wasm_bindgen_test]
fn every_lessons_run_is_identical_to_the_native_one() {
    let lines: String = loadlab_sim::lessons::course()
        .lessons()
        .iter()
        .map(|l| l.reference_fingerprint() + "\n")
        .collect();
    assert_eq!(lines, NATIVE_LESSONS);
}

fn mount_point() -> Element {
    let document = gloo_utils::document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn slider_shows_its_value_and_reports_input() {
    let root = mount_point();
    let seen = Rc::new(Cell::new(f64::NAN));
    let sink = seen.clone();
    let props = SliderProps {
        id: "rate".into(),
        label: "Rate".into(),
        unit: "req/s".into(),
        min: 0.0,
        max: 100.0,
        step: 5.0,
        value: 40.0,
        onchange: Callback::from(move |v| sink.set(v)),
        scale: 1.0,
        display: None,
        disabled: None,
    };
    yew::Renderer::<Slider>::with_root_and_props(root.clone(), props).render();
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;

    let typed: HtmlInputElement = root
        .query_selector("#rate-typed")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(typed.value(), "40");
    // A typed value in range applies, snapped to the step; one outside it is explained.
    typed.set_value("72");
    typed
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    assert_eq!(seen.get(), 70.0);
    typed.set_value("250");
    typed
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    yew::platform::time::sleep(std::time::Duration::from_millis(10)).await;
    assert_eq!(seen.get(), 70.0, "nothing applied");
    let problem = root.query_selector("#rate-problem").unwrap().unwrap();
    assert!(problem
        .text_content()
        .unwrap()
        .contains("from 0 to 100 req/s"));
    let input: HtmlInputElement = root
        .query_selector("#rate")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value("65");
    let event = web_sys::InputEvent::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
    assert_eq!(seen.get(), 65.0);
}

fn window(i: u32, throughput: f64, p99: f64) -> WindowStats {
    WindowStats {
        start: f64::from(i),
        end: f64::from(i + 1),
        arrivals: throughput as u64,
        completions: throughput as u64,
        timed_out: 0,
        failed: 0,
        gave_up: 0,
        rejections: Rejections::default(),
        retries: 0,
        circuit_open_seconds: 0.0,
        throughput,
        goodput: throughput,
        latency: Percentiles {
            p50: p99 / 3.0,
            p99,
            ..Percentiles::default()
        },
        mean_in_system: 1.0,
        throughput_times_latency: 1.0,
        cache: CacheWindow::default(),
        servers: Vec::new(),
        database: Some(loadlab_sim::db::DbWindow::default()),
    }
}

/// Fraction of the canvas's pixels that are not white.
fn inked_fraction(canvas: &HtmlCanvasElement) -> f64 {
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    let data = ctx
        .get_image_data(0.0, 0.0, w.into(), h.into())
        .unwrap()
        .data();
    let inked = data
        .chunks(4)
        .filter(|p| p[0] < 250 || p[1] < 250 || p[2] < 250)
        .count();
    inked as f64 / f64::from(w * h)
}

#[wasm_bindgen_test]
fn charts_draw_series_onto_the_canvas() {
    let canvas: HtmlCanvasElement = gloo_utils::document()
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(400);
    canvas.set_height(240);
    let en = loadlab_web::i18n::Lang::En.strings();
    let empty: Vec<&WindowStats> = Vec::new();
    let spec = &charts::specs(en, &empty, true, true)[1];
    chart::draw(&canvas, spec, &[], 1.0, en);
    let axes_only = inked_fraction(&canvas);
    let windows: Vec<WindowStats> = (0..30)
        .map(|i| window(i, 500.0 + f64::from(i) * 10.0, 0.05))
        .collect();
    let shown: Vec<&WindowStats> = windows.iter().collect();
    for spec in charts::specs(en, &shown, true, true) {
        assert!(
            spec.series.iter().all(|s| s.points.len() == 30),
            "{}",
            spec.title
        );
    }
    chart::draw(
        &canvas,
        &charts::specs(en, &shown, true, true)[1],
        &[],
        1.0,
        en,
    );
    let with_series = inked_fraction(&canvas);
    assert!(axes_only > 0.0, "axes and labels draw something");
    assert!(
        with_series > axes_only,
        "series add ink: {with_series} vs {axes_only}"
    );
}

#[wasm_bindgen_test]
fn list_fields_parse_numbers_and_name_what_is_not_one() {
    use loadlab_web::components::{parse_list, Numbers};
    use loadlab_web::i18n::Lang;
    let en = Lang::En.strings();
    let whole = |text| parse_list(en, text, Numbers::Whole);
    assert_eq!(whole(" 5, 1 ,1 "), Ok(vec![5.0, 1.0, 1.0]));
    assert_eq!(whole(""), Ok(vec![]));
    assert_eq!(whole("5, x"), Err("“x” is not a number".to_string()));
    // The Chinese words are fetched by the page; here they are installed from the file.
    loadlab_web::i18n::install_chinese(include_str!("../static/i18n/zh-CN.txt").to_string())
        .unwrap();
    assert_eq!(
        parse_list(Lang::Zh.strings(), "5, x", Numbers::Whole),
        Err("“x”不是数字".to_string())
    );
    assert!(whole("1, NaN").is_err());
    assert_eq!(
        whole("2, -1"),
        Err("“-1” is not a whole number from 0".to_string())
    );
    assert!(whole("1.5").is_err());
    assert_eq!(whole("0, 3"), Ok(vec![0.0, 3.0]));
    let speeds = |text| parse_list(en, text, Numbers::Positive);
    assert_eq!(speeds("0.5, 2"), Ok(vec![0.5, 2.0]));
    assert_eq!(
        speeds("1, 0"),
        Err("“0” is not a number above 0".to_string())
    );
}

/// On wasm32 a usize is 32 bits: a key above 2^32 must not land on a small key's slot.
#[wasm_bindgen_test]
fn cache_keys_above_two_to_the_32_stay_distinct_in_wasm() {
    use loadlab_sim::cache::{Cache, PolicyKind};
    use loadlab_sim::rng::{stream, Stream};
    for kind in PolicyKind::ALL {
        let mut cache = Cache::new(kind, 10, None, stream(1, Stream::Cache(0)));
        cache.put(3, 0.0);
        assert!(!cache.get((1 << 32) + 3, 0.0), "{kind:?}: false hit");
        cache.invalidate((1 << 32) + 3);
        assert!(cache.get(3, 0.0), "{kind:?}: the wrong key was invalidated");
    }
}
