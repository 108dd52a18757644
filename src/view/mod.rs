//! Drawing the core's state: canvases, dots, the headline strip and hover details.

pub mod chart;
pub mod charts;
pub mod details;
pub mod fonts;
pub mod headline;
pub mod palette;

/// `x` for display, to `decimals` places: one formatting call for the figures the page
/// shows, rather than one per figure (smaller code).
pub fn fixed(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

/// A fraction for display as a percentage, to `decimals` places.
pub fn percent(fraction: f64, decimals: usize) -> String {
    fixed(fraction * 100.0, decimals) + " %"
}

/// The 2D context of `canvas`, if the browser gives one.
pub fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}
