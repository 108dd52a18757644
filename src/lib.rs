//! Loadlab's playground page: a thin Yew view over the simulation core.
//!
//! The page advances the core by a simulated-time budget each animation frame and draws
//! what the core reports; it never computes the model itself.

pub mod address;
pub mod app;
pub mod chrome;
pub mod components;
pub mod crash;
pub mod curves;
pub mod deflate;
pub mod i18n;
pub mod ids;
pub mod keep;
pub mod lesson_text;
pub mod number;
pub mod panels;
pub mod run;
pub mod stage;
pub mod training;
pub mod view;

/// Mounts the playground on the page's body, once its start scenario is read (a link
/// is inflated by the browser, which answers asynchronously).
pub fn start() {
    crash::install();
    wasm_bindgen_futures::spawn_local(async {
        let start = keep::start().await;
        let props = app::AppProps::new(start);
        yew::Renderer::<app::App>::with_props(props).render();
    });
}
