//! Drawing the core's state: canvases, dots, the headline strip and hover details.

pub mod chart;
pub mod charts;
pub mod details;
pub mod dots;
pub mod fonts;
pub mod headline;
pub mod layout;
pub mod palette;
pub mod topology;

/// `x` for display, to `decimals` places: one formatting call for the figures the page
/// shows, rather than one per figure (smaller code).
pub fn fixed(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

/// A fraction for display as a percentage, to `decimals` places.
pub fn percent(fraction: f64, decimals: usize) -> String {
    fixed(fraction * 100.0, decimals) + " %"
}
