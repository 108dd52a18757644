//! Loadlab's playground page: a thin Yew view over the simulation core.
//!
//! The page advances the core by a simulated-time budget each animation frame and draws
//! what the core reports; it never computes the model itself.

pub mod address;
pub mod app;
pub mod chrome;
pub mod components;
pub mod crash;
pub mod i18n;
pub mod ids;
pub mod keep;
pub mod lesson_text;
pub mod panels;
pub mod run;
pub mod stage;
pub mod view;

/// Mounts the playground on the page's body.
pub fn start() {
    crash::install();
    yew::Renderer::<app::App>::new().render();
}
