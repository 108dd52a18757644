//! A curve as SVG: the simulated mean of each point joined by a line inside its 95 %
//! band, theory's line (dashed) where the points have one, the running system's
//! setting ("now") and the knee as labelled verticals. Each point carries its value
//! (`data-value`) and a tooltip; the page sets the scenario to a point clicked.
//!
//! Drawn in a fixed coordinate box that the page scales to its width, so the type
//! stays in proportion from a phone to a projector; the text takes the page's font.

use loadlab_sim::curves::{ChartWords, Measure, Point, Unit};
use std::fmt::Write;

/// The smallest box drawn in, in CSS pixels (a phone's chart, a collapsed area).
const MIN_SIZE: (f64, f64) = (320.0, 180.0);
/// The type size the margins below are laid out for.
const BASE_FONT: f64 = 14.0;
/// Room for the axes' labels and the legend, at the base type size.
const MARGINS: Margins = Margins {
    left: 74.0,
    right: 24.0,
    top: 48.0,
    bottom: 58.0,
};

/// Okabe–Ito blue (simulated), vermillion (theory), ink and grid, as the page's charts.
const BLUE: &str = "#0072b2";
const VERMILLION: &str = "#d55e00";
const INK: &str = "#222";
const GRID: &str = "#ccc";

/// Room around the plot.
#[derive(Clone, Copy)]
struct Margins {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

/// What one chart shows.
pub struct Chart<'a> {
    pub points: &'a [Point],
    pub measure: Measure,
    pub words: &'a ChartWords,
    /// The setting's value now.
    pub current: Option<f64>,
    pub knee: Option<f64>,
}

/// The factor from the figure's own unit to the one shown (ms, %).
fn shown(unit: Unit) -> f64 {
    match unit {
        Unit::Seconds => 1e3,
        Unit::Share => 100.0,
        Unit::PerSecond => 1.0,
    }
}

impl Chart<'_> {
    /// The SVG text, in a box of the chart's size on screen with the page's type size.
    pub fn svg(&self) -> String {
        let scale = shown(self.measure.unit());
        let xs: Vec<f64> = self.points.iter().map(|p| p.value).collect();
        let (x0, x1) = span(xs.iter().copied().chain(self.current).chain(self.knee));
        let tops = self.points.iter().flat_map(|p| {
            let e = p.figure(self.measure);
            [
                e.mean + e.half_width,
                p.theory_of(self.measure).unwrap_or(0.0),
            ]
        });
        let top = tops.map(|v| v * scale).fold(0.0, f64::max);
        let (y0, y1) = (0.0, if top > 0.0 { nice_top(top * 1.08) } else { 1.0 });
        let w = self.words;
        let font = if w.font > 0.0 { w.font } else { BASE_FONT };
        let k = font / BASE_FONT;
        let f = Frame {
            x0,
            x1,
            y0,
            y1,
            w: w.width.max(MIN_SIZE.0),
            h: w.height.max(MIN_SIZE.1),
            k,
            m: Margins {
                left: MARGINS.left * k,
                right: MARGINS.right * k,
                top: MARGINS.top * k,
                bottom: MARGINS.bottom * k,
            },
        };
        let mut out = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {:.0} {:.0}" class="curve-svg" font-size="{font:.1}" fill="{INK}">"#,
            f.w, f.h
        );
        out += r#"<rect width="100%" height="100%" fill="white"/>"#;
        self.axes(&mut out, &f);
        self.band_and_lines(&mut out, &f, scale);
        self.verticals(&mut out, &f);
        self.dots(&mut out, &f, scale);
        self.legend(&mut out, &f);
        out += "</svg>";
        out
    }

    fn axes(&self, out: &mut String, f: &Frame) {
        let (m, k) = (f.m, f.k);
        let bottom = f.h - m.bottom;
        let y_ticks = ((bottom - m.top) / (28.0 * k)).clamp(2.0, 6.0) as usize;
        for y in ticks(f.y0, f.y1, y_ticks) {
            let py = f.y(y);
            let _ = write!(
                out,
                r#"<line x1="{:.1}" x2="{:.1}" y1="{py:.1}" y2="{py:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                m.left,
                f.w - m.right,
                m.left - 6.0 * k,
                py + 5.0 * k,
                number(y, f.y1 - f.y0)
            );
        }
        let x_ticks = ((f.w - m.left - m.right) / (70.0 * k)).clamp(2.0, 8.0) as usize;
        for x in ticks(f.x0, f.x1, x_ticks) {
            let px = f.x(x);
            let _ = write!(
                out,
                r#"<line x1="{px:.1}" x2="{px:.1}" y1="{bottom:.1}" y2="{:.1}" stroke="{INK}"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                bottom + 5.0 * k,
                bottom + 21.0 * k,
                number(x, f.x1 - f.x0)
            );
        }
        let _ = write!(
            out,
            r#"<line x1="{:.1}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}" stroke="{INK}"/><text class="x-title" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text><text class="y-title" transform="translate({:.1} {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
            m.left,
            f.w - m.right,
            (m.left + f.w - m.right) / 2.0,
            f.h - 12.0 * k,
            escape(&self.words.x_title),
            16.0 * k,
            (m.top + bottom) / 2.0,
            escape(&self.words.y_title),
        );
    }

    fn band_and_lines(&self, out: &mut String, f: &Frame, scale: f64) {
        let at = |p: &Point, v: f64| format!("{:.1},{:.1}", f.x(p.value), f.y(v * scale));
        let estimate = |p: &Point| p.figure(self.measure);
        let upper = self
            .points
            .iter()
            .map(|p| at(p, estimate(p).mean + estimate(p).half_width));
        let lower = self
            .points
            .iter()
            .rev()
            .map(|p| at(p, (estimate(p).mean - estimate(p).half_width).max(0.0)));
        let band: Vec<String> = upper.chain(lower).collect();
        let _ = write!(
            out,
            r#"<polygon class="band" points="{}" fill="{BLUE}" fill-opacity="0.2"/>"#,
            band.join(" ")
        );
        let means: Vec<String> = self
            .points
            .iter()
            .map(|p| at(p, estimate(p).mean))
            .collect();
        let _ = write!(
            out,
            r#"<polyline class="mean" points="{}" fill="none" stroke="{BLUE}" stroke-width="{:.1}"/>"#,
            means.join(" "),
            2.5 * f.k
        );
        // Theory where points have it, in runs of consecutive points.
        for run in self
            .points
            .split(|p| p.theory_of(self.measure).is_none())
            .filter(|run| !run.is_empty())
        {
            let line: Vec<String> = run
                .iter()
                .map(|p| at(p, p.theory_of(self.measure).unwrap_or(0.0)))
                .collect();
            let _ = write!(
                out,
                r#"<polyline class="theory" points="{}" fill="none" stroke="{VERMILLION}" stroke-width="{:.1}" stroke-dasharray="7 5"/>"#,
                line.join(" "),
                2.0 * f.k
            );
        }
    }

    fn verticals(&self, out: &mut String, f: &Frame) {
        let marks = [
            (self.current, self.words.now.as_str(), "now", "none"),
            (self.knee, self.words.knee.as_str(), "knee", "4 4"),
        ];
        let (m, k) = (f.m, f.k);
        for (row, (at, label, class, dash)) in marks.into_iter().enumerate() {
            let Some(x) = at else { continue };
            let px = f.x(x);
            // Labels sit inside the plot, on the side with room, a row apart.
            let right = px < (m.left + f.w - m.right) / 2.0;
            let (lx, anchor) = if right {
                (px + 5.0 * k, "start")
            } else {
                (px - 5.0 * k, "end")
            };
            let _ = write!(
                out,
                r#"<g class="{class}" data-value="{x}"><line x1="{px:.1}" x2="{px:.1}" y1="{:.1}" y2="{:.1}" stroke="{INK}" stroke-dasharray="{dash}"/><text x="{lx:.1}" y="{:.1}" text-anchor="{anchor}">{} {}</text></g>"#,
                m.top,
                f.h - m.bottom,
                m.top + (16.0 + 18.0 * row as f64) * k,
                escape(label),
                number(x, f.x1 - f.x0),
            );
        }
    }

    fn dots(&self, out: &mut String, f: &Frame, scale: f64) {
        // Each point is a dot and, under it, a column from halfway to the point before
        // to halfway to the one after, so a click anywhere above a value picks it and
        // no two columns overlap.
        let xs: Vec<f64> = self.points.iter().map(|p| f.x(p.value)).collect();
        let (m, k) = (f.m, f.k);
        for (i, p) in self.points.iter().enumerate() {
            let before = if i > 0 {
                (xs[i] - xs[i - 1]) / 2.0
            } else {
                f64::INFINITY
            };
            let after = xs
                .get(i + 1)
                .map_or(f64::INFINITY, |next| (next - xs[i]) / 2.0);
            let (before, after) = match (before.is_finite(), after.is_finite()) {
                (true, true) => (before, after),
                (true, false) => (before, before),
                (false, true) => (after, after),
                (false, false) => (20.0 * k, 20.0 * k),
            };
            let gap = before + after;
            let e = p.figure(self.measure);
            let (px, py) = (f.x(p.value), f.y(e.mean * scale));
            let tip = format!(
                "{} → {} ± {}",
                number(p.value, f.x1 - f.x0),
                number(e.mean * scale, f.y1 - f.y0),
                number(e.half_width * scale, (f.y1 - f.y0) / 10.0)
            );
            let _ = write!(
                out,
                r#"<g class="point" data-index="{i}" data-value="{}" data-mean="{}" data-half-width="{}" data-theory="{}"><title>{tip}</title><rect x="{:.1}" y="{:.1}" width="{gap:.1}" height="{:.1}" fill="transparent"/><circle cx="{px:.1}" cy="{py:.1}" r="{:.1}" fill="{BLUE}" stroke="white" stroke-width="1.5"/></g>"#,
                p.value,
                e.mean * scale,
                e.half_width * scale,
                p.theory_of(self.measure)
                    .map_or(String::new(), |t| (t * scale).to_string()),
                px - before,
                m.top,
                f.h - m.bottom - m.top,
                5.0 * k,
            );
        }
    }

    fn legend(&self, out: &mut String, f: &Frame) {
        let (x, k) = (f.m.left, f.k);
        let _ = write!(
            out,
            r#"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{BLUE}" fill-opacity="0.2"/><line x1="{x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{BLUE}" stroke-width="{:.1}"/><text x="{:.1}" y="{:.1}">{}</text>"#,
            12.0 * k,
            22.0 * k,
            12.0 * k,
            x + 22.0 * k,
            18.0 * k,
            18.0 * k,
            2.5 * k,
            x + 28.0 * k,
            23.0 * k,
            escape(&self.words.simulated)
        );
        if self
            .points
            .iter()
            .any(|p| p.theory_of(self.measure).is_some())
        {
            // After the first entry (its text at about 0.6 of the type size a character),
            // or under it when the chart is too narrow for both on one row.
            let beside = x + (40.0 + 0.6 * BASE_FONT * text_width(&self.words.simulated)) * k;
            let needs = (28.0 + 0.6 * BASE_FONT * text_width(&self.words.theory)) * k;
            let (x, dy) = if beside + needs <= f.w - f.m.right {
                (beside, 0.0)
            } else {
                (x, 17.0 * k)
            };
            let _ = write!(
                out,
                r#"<line class="theory-key" x1="{x:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{VERMILLION}" stroke-width="{:.1}" stroke-dasharray="7 5"/><text x="{:.1}" y="{:.1}">{}</text>"#,
                x + 22.0 * k,
                18.0 * k + dy,
                18.0 * k + dy,
                2.0 * k,
                x + 28.0 * k,
                23.0 * k + dy,
                escape(&self.words.theory)
            );
        }
    }
}

/// Width of `text` in Latin characters (a Chinese character counts two).
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

/// The plot's ranges, the box and its margins, and the type's scale.
struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    w: f64,
    h: f64,
    k: f64,
    m: Margins,
}

impl Frame {
    fn x(&self, v: f64) -> f64 {
        self.m.left + (v - self.x0) / (self.x1 - self.x0) * (self.w - self.m.left - self.m.right)
    }

    fn y(&self, v: f64) -> f64 {
        let bottom = self.h - self.m.bottom;
        bottom - (v - self.y0) / (self.y1 - self.y0) * (bottom - self.m.top)
    }
}

/// The smallest and largest of `values`, widened when they are one value.
fn span(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    match (lo.is_finite(), hi > lo) {
        (true, true) => (lo, hi),
        (true, false) => (lo - 1.0, hi + 1.0),
        _ => (0.0, 1.0),
    }
}

/// A step of 1, 2 or 5 times a power of ten that cuts `range` into about `count` parts.
fn step(range: f64, count: usize) -> f64 {
    let rough = range / count as f64;
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power)
}

/// The tick values within `lo..=hi`, on round numbers.
fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let s = step(hi - lo, count);
    let first = (lo / s).ceil() as i64;
    let last = (hi / s + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * s).collect()
}

/// `top` rounded up to a tick of its own scale, so the axis ends on a label.
fn nice_top(top: f64) -> f64 {
    let s = step(top, 5);
    (top / s).ceil() * s
}

/// `v` with as many decimals as a range of `range` needs (none from 100 up).
fn number(v: f64, range: f64) -> String {
    let decimals = if range >= 100.0 {
        0
    } else {
        (2.0 - range.log10().floor()).clamp(1.0, 6.0) as usize
    };
    format!("{v:.decimals$}")
}

/// Text safe inside SVG.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_numbers() {
        assert_eq!(ticks(150.0, 900.0, 7), [200.0, 400.0, 600.0, 800.0]);
        let shares: Vec<String> = ticks(0.0, 1.0, 5).iter().map(|v| number(*v, 1.0)).collect();
        assert_eq!(shares, ["0.00", "0.20", "0.40", "0.60", "0.80", "1.00"]);
        assert_eq!(nice_top(171.0), 200.0);
        assert_eq!(
            (number(600.0, 750.0), number(0.25, 1.0)),
            ("600".into(), "0.25".into())
        );
        assert_eq!(escape("a<b & c"), "a&lt;b &amp; c");
    }
}
