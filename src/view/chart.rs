//! The live chart: latency p50 and p99 (left axis) and throughput (right axis) per
//! window of simulated time, with a labelled line at each live change.

use super::palette::{BLUE, GREEN, INK, MUTED, VERMILLION};
use loadlab_sim::metrics::WindowStats;
use loadlab_sim::ChangeMark;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// How many of the latest windows the chart shows.
pub const WINDOWS_SHOWN: usize = 60;

/// Draws the latest windows and the change marks that fall among them.
pub fn draw(canvas: &HtmlCanvasElement, windows: &[&WindowStats], marks: &[ChangeMark]) {
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    // Drawing errors only come from a detached canvas; the next frame redraws anyway.
    let _ = plot(backend.into_drawing_area(), windows, marks);
}

type DrawResult = Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

fn plot(
    area: DrawingArea<CanvasBackend, plotters::coord::Shift>,
    windows: &[&WindowStats],
    marks: &[ChangeMark],
) -> DrawResult {
    area.fill(&WHITE)?;
    let (x0, x1) = time_range(windows);
    let latency_top = windows
        .iter()
        .map(|w| w.latency.p99 * 1e3)
        .fold(1.0, f64::max)
        * 1.15;
    let throughput_top = windows.iter().map(|w| w.throughput).fold(1.0, f64::max) * 1.15;

    let ink = rgb(INK);
    let mut chart = ChartBuilder::on(&area)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .right_y_label_area_size(64)
        .build_cartesian_2d(x0..x1, 0.0..latency_top)?
        .set_secondary_coord(x0..x1, 0.0..throughput_top);
    let axis_font = ("sans-serif", 14).into_font().color(&ink);
    chart
        .configure_mesh()
        // Only the labelled grid lines: the fine grid is noise on a projector.
        .light_line_style(TRANSPARENT)
        .bold_line_style(rgb(MUTED).mix(0.5))
        .x_desc("simulated time (s)")
        .y_desc("latency (ms)")
        .label_style(axis_font.clone())
        .axis_desc_style(axis_font.clone())
        .draw()?;
    chart
        .configure_secondary_axes()
        .y_desc("throughput (req/s)")
        .label_style(axis_font.clone())
        .axis_desc_style(axis_font.clone())
        .draw()?;

    let series = |f: fn(&WindowStats) -> f64| windows.iter().map(move |w| (w.end, f(w)));
    let p50 = rgb(BLUE);
    let p99 = rgb(VERMILLION);
    let tput = rgb(GREEN);
    chart
        .draw_series(LineSeries::new(
            series(|w| w.latency.p50 * 1e3),
            p50.stroke_width(2),
        ))?
        .label("p50 latency")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], p50.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            series(|w| w.latency.p99 * 1e3),
            p99.stroke_width(3),
        ))?
        .label("p99 latency")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], p99.stroke_width(3)));
    chart
        .draw_secondary_series(LineSeries::new(
            series(|w| w.throughput),
            tput.stroke_width(2),
        ))?
        .label("throughput")
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], tput.stroke_width(2)));

    for mark in marks.iter().filter(|m| m.time >= x0 && m.time <= x1) {
        chart.draw_series(std::iter::once(PathElement::new(
            [(mark.time, 0.0), (mark.time, latency_top)],
            ink.stroke_width(1),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            mark.label.clone(),
            (mark.time, latency_top * 0.97),
            ("sans-serif", 13).into_font().color(&ink),
        )))?;
    }

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(ink)
        .label_font(axis_font)
        .draw()?;
    area.present()
}

/// The x range: the shown windows, or the first minute before any has closed.
fn time_range(windows: &[&WindowStats]) -> (f64, f64) {
    match (windows.first(), windows.last()) {
        (Some(first), Some(last)) if last.end > first.start => (first.start, last.end),
        _ => (0.0, WINDOWS_SHOWN as f64),
    }
}

fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}
