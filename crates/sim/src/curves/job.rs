//! What the page and its curves worker say to each other: the page sends a [`Job`] (a
//! scenario with its curve, the chart's words in the reader's language); the worker
//! answers with [`Report`]s. Both cross as plain JavaScript objects of strings and
//! numbers (the worker's and the page's `bridge` modules), not as serde documents,
//! whose decoder would cost the page's first load 7 KB. The points travel as JSON text
//! the page keeps and never decodes, and sends back to have them drawn again (in
//! another language, another figure) without running anything.

use super::Point;
use crate::scenario::Scenario;
use crate::theory::Unsolved;

/// A curve to run, or points to draw again.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The scenario, its `curve` set.
    pub scenario: Scenario,
    /// The chart's words, in the reader's language.
    pub words: ChartWords,
    /// Where the running system is on the curve (the setting's value now).
    pub current: Option<f64>,
    /// Points already run (a report's `points`): draw them, run nothing.
    pub points: Option<String>,
}

/// The chart's words, which the page words in its language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChartWords {
    /// Under the x axis: the setting, with its unit.
    pub x_title: String,
    /// Beside the y axis: the figure, with its unit.
    pub y_title: String,
    /// The simulated series' legend ("simulated: mean and 95 % band").
    pub simulated: String,
    /// The theory line's legend.
    pub theory: String,
    /// The running system's mark ("now").
    pub now: String,
    /// The knee's mark ("knee: 2× light load").
    pub knee: String,
    /// The chart's size on screen and the page's type size, in CSS pixels, so its text
    /// is drawn at the page's size whatever the chart's shape.
    pub width: f64,
    pub height: f64,
    pub font: f64,
}

/// What the worker says: progress, the chart so far, or why it stopped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Replications run so far.
    pub done: u32,
    /// Replications the curve has in all.
    pub total: u32,
    /// The chart of the points so far, as SVG (empty in a progress-only report).
    pub svg: String,
    /// The points so far as CSV, bands and theory included (empty likewise).
    pub csv: String,
    /// The points so far as JSON, to send back for drawing again (empty likewise).
    pub points: String,
    /// The setting's value where the figure reaches twice its light-load value.
    pub knee: Option<f64>,
    /// The widest 95 % band so far, as a share of its point's value (half-width over
    /// mean), so the page can say how narrow the bands are.
    pub widest_band: Option<f64>,
    /// Why theory draws no line, where it has none (the first point's reason).
    pub unsolved: Option<Unsolved>,
    /// Why the sweep stopped early (in English: the worker has no words).
    pub error: Option<String>,
    /// Every point is done.
    pub finished: bool,
}

impl Report {
    /// `done` of `total` replications run.
    pub fn progress(done: u32, total: u32) -> Self {
        Self {
            done,
            total,
            ..Self::default()
        }
    }

    /// The sweep stopped for `error`.
    pub fn failed(error: String) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }
}

/// The points as the report carries them.
pub fn points_json(points: &[Point]) -> String {
    serde_json::to_string(points).expect("points always serialise")
}

/// Points from a report's `points`.
pub fn points_from_json(text: &str) -> Result<Vec<Point>, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}
