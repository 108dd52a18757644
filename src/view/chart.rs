//! One line chart, drawn with plotters on a canvas: labelled axes with units, a legend
//! in its own strip (never over the data), and a labelled line at each live change.
//!
//! Every size is multiplied by `scale` (the page's root font size over 13 px), so the
//! chart stays legible on a 4K projector as the rest of the page does.

use super::fonts::FONT_STACK;
use super::palette::{INK, MUTED};
use crate::i18n::Strings;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// One line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Line colour.
    pub colour: (u8, u8, u8),
    /// Line width, so series differ by more than colour.
    pub width: u32,
    /// (simulated time, value) points.
    pub points: Vec<(f64, f64)>,
}

/// Everything one chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Title, drawn at the top.
    pub title: String,
    /// Y axis description with its unit.
    pub y_label: String,
    /// Fixed y range; from the data when `None`.
    pub y_range: Option<(f64, f64)>,
    /// The lines.
    pub series: Vec<Series>,
    /// While comparing, run A's lines: drawn dashed under B's, one legend entry for all.
    pub ghost: Vec<Series>,
}

/// A live change at a simulated time, by its number (the list under the charts says
/// what each number changed, in words).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    /// Its number, 1 for the run's first change.
    pub number: u64,
    /// Simulated time of the change, in seconds.
    pub time: f64,
}

/// A change's numbered badge where a chart drew it, in canvas pixels: published for
/// the tests (`data-marks`), which check that no two overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Badge {
    /// The number, or the first and last of a crowd ("3–7").
    pub text: String,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Longest title drawn, in Latin character widths (a Chinese character counts two);
/// longer ones are cut with an ellipsis.
const TITLE_CHARS: usize = 60;
/// Rows the badges are spread over before close changes share one.
const MARK_ROWS: usize = 3;

/// Draws `spec` and the `marks` that fall in its time range, sizes times `scale`, the
/// axis in the words of `t`; returns the marks' badges as drawn.
pub fn draw(
    canvas: &HtmlCanvasElement,
    spec: &ChartSpec,
    marks: &[Mark],
    scale: f64,
    t: &'static Strings,
) -> Vec<Badge> {
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return Vec::new();
    };
    // Drawing errors only come from a detached canvas; the next redraw tries again.
    plot(backend.into_drawing_area(), spec, marks, scale, t).unwrap_or_default()
}

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;
type DrawError = DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>;
type DrawResult = Result<(), DrawError>;

fn px(size: f64, scale: f64) -> u32 {
    (size * scale).round() as u32
}

fn plot(
    area: Area,
    spec: &ChartSpec,
    marks: &[Mark],
    scale: f64,
    t: &'static Strings,
) -> Result<Vec<Badge>, DrawError> {
    area.fill(&WHITE)?;
    let (width, height) = area.dim_in_pixel();
    let ink = RGBColor(INK.0, INK.1, INK.2);
    // The title across the whole width, left-aligned, so a narrow chart does not cut it.
    // A short chart (a presenter's column, a phone) names the unit there instead of
    // beside the y axis, where the description would not fit.
    let roomy = f64::from(height) >= 190.0 * scale;
    let title = if roomy {
        spec.title.clone()
    } else {
        format!("{} ({})", spec.title, spec.y_label)
    };
    let title_font = (FONT_STACK, 14.0 * scale).into_font().color(&ink);
    area.draw(&Text::new(
        short(&title, (f64::from(width) / (7.5 * scale)) as usize),
        (px(6.0, scale) as i32, px(4.0, scale) as i32),
        title_font,
    ))?;
    let (_, body) = area.split_vertically(px(22.0, scale));
    let legend_width = legend_width(spec, t, scale, width);
    let (plot_area, legend_area) = body.split_horizontally(width.saturating_sub(legend_width));
    draw_legend(&legend_area, spec, scale, t)?;
    let (x0, x1) = time_range(spec);
    let (y0, y1) = spec.y_range.unwrap_or_else(|| {
        let top = points(spec).map(|p| p.1).fold(0.0, f64::max);
        (0.0, if top > 0.0 { top * 1.15 } else { 1.0 })
    });
    let font = (FONT_STACK, 12.0 * scale).into_font().color(&ink);
    let (x_area, y_area) = if roomy { (30.0, 50.0) } else { (18.0, 38.0) };
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(px(6.0, scale))
        .x_label_area_size(px(x_area, scale))
        .y_label_area_size(px(y_area, scale))
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let plot_height = f64::from(chart.plotting_area().dim_in_pixel().1);
    let y_step = (y1 - y0) / 4.0;
    let y_format = |y: &f64| value_label(*y, y_step);
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(MUTED.0, MUTED.1, MUTED.2).mix(0.5))
        // One time label per 70 (scaled) pixels at most, whole seconds: no crowding.
        .x_labels(x_label_count(width, scale))
        .x_label_formatter(&|x| format!("{x:.0}"))
        // One value label per 22 (scaled) pixels at most, with no more digits than the
        // range needs.
        .y_labels(((plot_height / (22.0 * scale)) as usize).clamp(2, 5))
        .y_label_formatter(&y_format)
        .label_style(font.clone())
        .axis_desc_style(font.clone());
    if roomy {
        mesh.x_desc(t.x_time).y_desc(spec.y_label.as_str());
    }
    mesh.draw()?;
    for s in &spec.ghost {
        let colour = RGBColor(s.colour.0, s.colour.1, s.colour.2);
        chart.draw_series(DashedLineSeries::new(
            s.points.iter().copied(),
            px(6.0, scale),
            px(4.0, scale),
            colour.mix(0.8).stroke_width(px(f64::from(s.width), scale)),
        ))?;
    }
    for s in &spec.series {
        let colour = RGBColor(s.colour.0, s.colour.1, s.colour.2);
        chart.draw_series(LineSeries::new(
            s.points.iter().copied(),
            colour.stroke_width(px(f64::from(s.width), scale)),
        ))?;
    }
    let visible: Vec<&Mark> = marks
        .iter()
        .filter(|m| m.time >= x0 && m.time <= x1)
        .collect();
    for mark in &visible {
        let line = ink.stroke_width(px(1.0, scale).max(1));
        chart.draw_series(std::iter::once(PathElement::new(
            [(mark.time, y0), (mark.time, y1)],
            line,
        )))?;
    }
    // Badges in the canvas's own pixels, over the plot's top edge.
    let (left, top) = plot_area.get_base_pixel();
    let at = |time: f64| f64::from(chart.backend_coord(&(time, y1)).0 - left);
    let numbered: Vec<(u64, f64)> = visible.iter().map(|m| (m.number, at(m.time))).collect();
    let top_y = f64::from(chart.backend_coord(&(x0, y1)).1 - top) + 2.0 * scale;
    let found = badges(&numbered, top_y, 7.0 * scale, 14.0 * scale);
    let badge_font = (FONT_STACK, 11.0 * scale).into_font().color(&ink);
    for b in &found {
        let corner = |x: f64, y: f64| ((x + f64::from(left)) as i32, (y + f64::from(top)) as i32);
        let (a, z) = (corner(b.x, b.y), corner(b.x + b.w, b.y + b.h));
        area.draw(&Rectangle::new([a, z], WHITE.filled()))?;
        area.draw(&Rectangle::new([a, z], ink.stroke_width(1)))?;
        let centre = corner(b.x + b.w / 2.0, b.y + b.h / 2.0);
        let style = badge_font.clone().pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(b.text.clone(), centre, style))?;
    }
    area.present()?;
    let shift = |b: Badge| Badge {
        x: b.x + f64::from(left),
        y: b.y + f64::from(top),
        ..b
    };
    Ok(found.into_iter().map(shift).collect())
}

/// The numbered badges of marks at pixel x positions (`marks`: number and x, in time
/// order), each centred on its line, in up to [`MARK_ROWS`] rows from `top`: a badge
/// that would touch one before it takes the next row, and one that fits no row joins
/// the last badge drawn, which then reads as a range ("3–7").
fn badges(marks: &[(u64, f64)], top: f64, char_w: f64, h: f64) -> Vec<Badge> {
    let width = |text: &str| text.len() as f64 * char_w + 6.0;
    let mut out: Vec<Badge> = Vec::new();
    let mut first_of_last = 0;
    let mut row_ends = [f64::NEG_INFINITY; MARK_ROWS];
    let mut last_row = 0;
    for &(number, x) in marks {
        let text = number.to_string();
        let w = width(&text);
        let left = x - w / 2.0;
        match row_ends.iter().position(|end| left >= end + 2.0) {
            Some(row) => {
                row_ends[row] = left + w;
                last_row = row;
                first_of_last = number;
                out.push(Badge {
                    text,
                    x: left,
                    y: top + row as f64 * (h + 2.0),
                    w,
                    h,
                });
            }
            None => {
                if let Some(last) = out.last_mut() {
                    last.text = format!("{first_of_last}–{number}");
                    last.w = width(&last.text);
                    row_ends[last_row] = last.x + last.w;
                }
            }
        }
    }
    out
}

/// Width of a Latin character in the legend's 12-pixel type, generously (the legend
/// must never cut a label).
const LEGEND_CHAR: f64 = 7.6;

/// The legend's widest label, in Latin character widths (a Chinese character counts two).
fn widest_label(spec: &ChartSpec, t: &Strings) -> usize {
    let labels = spec.series.iter().map(|s| s.label.as_str());
    let ghost = (!spec.ghost.is_empty()).then_some(t.compare_ghost);
    labels
        .chain(ghost)
        .map(|l| l.chars().map(char_widths).sum::<usize>())
        .max()
        .unwrap_or(0)
}

/// The legend's width: its widest label and its sample, at least 84 scaled pixels and
/// at most 40 % of the chart (where the type then shrinks to fit).
fn legend_width(spec: &ChartSpec, t: &Strings, scale: f64, width: u32) -> u32 {
    let wanted = (26.0 + LEGEND_CHAR * widest_label(spec, t) as f64) * scale;
    (wanted.max(84.0 * scale) as u32).min(width * 2 / 5)
}

/// The legend: a sample of each line (colour and width) beside its label, and one
/// dashed sample for run A's lines while comparing.
fn draw_legend(area: &Area, spec: &ChartSpec, scale: f64, t: &Strings) -> DrawResult {
    let ink = RGBColor(INK.0, INK.1, INK.2);
    // Every entry fits the height: closer lines and smaller type in a short chart.
    let entries = spec.series.len() + usize::from(!spec.ghost.is_empty());
    let room = f64::from(area.dim_in_pixel().1) / scale - 28.0;
    let step = (room / entries.max(1) as f64).clamp(9.0, 17.0);
    // And every label fits the width: smaller type when the widest would not.
    let across = f64::from(area.dim_in_pixel().0) / scale - 24.0;
    let fit = (across / (LEGEND_CHAR * widest_label(spec, t) as f64)).min(1.0);
    let size = step.min(12.0) * fit;
    let font = (FONT_STACK, size * scale).into_font().color(&ink);
    let s = |v: f64| (v * scale).round() as i32;
    for (i, series) in spec.series.iter().enumerate() {
        let y = s(28.0 + step * (i as f64 + 0.35));
        let colour = RGBColor(series.colour.0, series.colour.1, series.colour.2);
        area.draw(&PathElement::new(
            [(s(2.0), y), (s(18.0), y)],
            colour.stroke_width(px(f64::from(series.width), scale)),
        ))?;
        area.draw(&Text::new(
            series.label.clone(),
            (s(22.0), y - s(size / 2.0)),
            font.clone(),
        ))?;
    }
    if !spec.ghost.is_empty() {
        let y = s(28.0 + step * (spec.series.len() as f64 + 0.35));
        area.draw(&PathElement::new(
            [(s(2.0), y), (s(7.0), y)],
            ink.stroke_width(px(2.0, scale)),
        ))?;
        area.draw(&PathElement::new(
            [(s(11.0), y), (s(18.0), y)],
            ink.stroke_width(px(2.0, scale)),
        ))?;
        area.draw(&Text::new(
            t.compare_ghost,
            (s(22.0), y - s(size / 2.0)),
            font,
        ))?;
    }
    Ok(())
}

/// A value on the y axis, with the decimals a step of `step` between labels needs
/// (`400`, `0.25`), and no more.
fn value_label(y: f64, step: f64) -> String {
    let decimals = if step >= 5.0 {
        0
    } else if step >= 0.5 {
        1
    } else {
        2
    };
    format!("{y:.decimals$}")
}

/// How many time labels fit along a plot `width` pixels wide.
fn x_label_count(width: u32, scale: f64) -> usize {
    ((f64::from(width) / (70.0 * scale)) as usize).clamp(2, 6)
}

/// How many Latin character widths `c` takes: two for Chinese (and other wide script).
fn char_widths(c: char) -> usize {
    if c >= '\u{2e80}' {
        2
    } else {
        1
    }
}

/// `label` cut to `room` Latin character widths (and never more than [`TITLE_CHARS`]),
/// ending in an ellipsis when cut.
fn short(label: &str, room: usize) -> String {
    let most = room.min(TITLE_CHARS);
    if label.chars().map(char_widths).sum::<usize>() <= most {
        return label.to_string();
    }
    let mut used = 0;
    let mut out: String = label
        .chars()
        .take_while(|&c| {
            used += char_widths(c);
            used < most
        })
        .collect();
    if most > 0 {
        out.push('…');
    }
    out
}

/// Every point the chart draws, B's and A's.
fn points(spec: &ChartSpec) -> impl Iterator<Item = &(f64, f64)> {
    spec.series
        .iter()
        .chain(&spec.ghost)
        .flat_map(|s| &s.points)
}

/// The x range: the data's, or the first minute before any window has closed.
fn time_range(spec: &ChartSpec) -> (f64, f64) {
    let xs = points(spec).map(|p| p.0);
    let (lo, hi) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    if hi > lo {
        (lo, hi)
    } else {
        (0.0, 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_labels_have_the_decimals_their_step_needs() {
        assert_eq!(value_label(400.0, 100.0), "400");
        assert_eq!(value_label(1.5, 0.5), "1.5");
        assert_eq!(value_label(0.25, 0.25), "0.25");
    }

    /// Ten quick changes: badges never overlap; crowded ones stack in rows, then share a
    /// badge that names the range; far ones keep their own.
    #[test]
    fn badges_stack_then_merge_and_never_overlap() {
        let quick: Vec<(u64, f64)> = (1..=10).map(|n| (n, 100.0 + n as f64)).collect();
        let mut all = quick.clone();
        all.push((11, 400.0));
        let found = badges(&all, 0.0, 7.0, 14.0);
        let texts: Vec<&str> = found.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["1", "2", "3–10", "11"]);
        for (i, a) in found.iter().enumerate() {
            for b in &found[i + 1..] {
                let apart =
                    a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    /// A Chinese label is cut by its width on screen: each character takes two Latin
    /// widths, so 6 widths hold 2 characters and the ellipsis.
    #[test]
    fn labels_are_cut_by_width_not_by_characters() {
        assert_eq!(short("abcdefgh", 6), "abcde…");
        assert_eq!(short("负载均衡器切换", 6), "负载…");
        assert_eq!(short("负载", 6), "负载");
        assert_eq!(short("abc", 0), "");
    }
}
