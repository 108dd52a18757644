//! One line chart, drawn with plotters on a canvas: labelled axes with units, a legend
//! in its own strip (never over the data), and a labelled line at each live change.
//!
//! Every size is multiplied by `scale` (the page's root font size over 13 px), so the
//! chart stays legible on a 4K projector as the rest of the page does.

use super::fonts::FONT_STACK;
use super::palette::{INK, MUTED};
use crate::i18n::{fill, Strings};
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

/// A live change at a simulated time, with its label in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// Simulated time of the change, in seconds.
    pub time: f64,
    /// What changed.
    pub label: String,
}

/// Longest change label drawn, in Latin character widths (a Chinese character counts
/// two); longer ones are cut with an ellipsis.
const MARK_LABEL_CHARS: usize = 30;
/// Rows the change labels are spread over, so close changes do not overprint.
const MARK_ROWS: usize = 3;

/// Draws `spec` and the `marks` that fall in its time range, sizes times `scale`, the
/// axis and grouped labels in the words of `t`.
pub fn draw(
    canvas: &HtmlCanvasElement,
    spec: &ChartSpec,
    marks: &[Mark],
    scale: f64,
    t: &'static Strings,
) {
    let Some(backend) = CanvasBackend::with_canvas_object(canvas.clone()) else {
        return;
    };
    // Drawing errors only come from a detached canvas; the next redraw tries again.
    let _ = plot(backend.into_drawing_area(), spec, marks, scale, t);
}

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;
type DrawResult = Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

fn px(size: f64, scale: f64) -> u32 {
    (size * scale).round() as u32
}

fn plot(
    area: Area,
    spec: &ChartSpec,
    marks: &[Mark],
    scale: f64,
    t: &'static Strings,
) -> DrawResult {
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
    let (plot_area, legend_area) = body.split_horizontally(width.saturating_sub(px(84.0, scale)));
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
    let plot_width = f64::from(chart.plotting_area().dim_in_pixel().0);
    let char_width = 6.5 * scale;
    for mark in &visible {
        let line = ink.stroke_width(px(1.0, scale).max(1));
        chart.draw_series(std::iter::once(PathElement::new(
            [(mark.time, y0), (mark.time, y1)],
            line,
        )))?;
    }
    // Changes closer than a few characters apart share one label.
    let min_gap = 4.0 * char_width / plot_width * (x1 - x0);
    for (i, (time, label)) in label_groups(t, &visible, min_gap).into_iter().enumerate() {
        let mark = Mark { time, label };
        let row = (i % MARK_ROWS) as f64;
        let at = (mark.time, y1 - (y1 - y0) * (0.02 + 0.09 * row));
        // The label goes on the side of its line with more room, cut to fit it, so it
        // never runs off the plot into the legend.
        let right_room = (x1 - mark.time) / (x1 - x0) * plot_width;
        let left_room = plot_width - right_room;
        let (anchor, room) = if right_room >= left_room {
            (HPos::Left, right_room)
        } else {
            (HPos::Right, left_room)
        };
        let fits = ((room - 4.0) / char_width).max(0.0) as usize;
        let style = font.clone().pos(Pos::new(anchor, VPos::Top));
        chart.draw_series(std::iter::once(Text::new(
            short(&mark.label, fits),
            at,
            style,
        )))?;
    }
    area.present()
}

/// The legend: a sample of each line (colour and width) beside its label, and one
/// dashed sample for run A's lines while comparing.
fn draw_legend(area: &Area, spec: &ChartSpec, scale: f64, t: &Strings) -> DrawResult {
    let ink = RGBColor(INK.0, INK.1, INK.2);
    let font = (FONT_STACK, 12.0 * scale).into_font().color(&ink);
    let s = |v: f64| (v * scale).round() as i32;
    for (i, series) in spec.series.iter().enumerate() {
        let y = s(34.0 + 17.0 * i as f64);
        let colour = RGBColor(series.colour.0, series.colour.1, series.colour.2);
        area.draw(&PathElement::new(
            [(s(2.0), y), (s(18.0), y)],
            colour.stroke_width(px(f64::from(series.width), scale)),
        ))?;
        area.draw(&Text::new(
            series.label.clone(),
            (s(22.0), y - s(6.0)),
            font.clone(),
        ))?;
    }
    if !spec.ghost.is_empty() {
        let y = s(34.0 + 17.0 * spec.series.len() as f64);
        area.draw(&PathElement::new(
            [(s(2.0), y), (s(7.0), y)],
            ink.stroke_width(px(2.0, scale)),
        ))?;
        area.draw(&PathElement::new(
            [(s(11.0), y), (s(18.0), y)],
            ink.stroke_width(px(2.0, scale)),
        ))?;
        area.draw(&Text::new(t.compare_ghost, (s(22.0), y - s(6.0)), font))?;
    }
    Ok(())
}

/// Marks in time order, grouped when each is within `min_gap` of the previous: one label
/// per group, at its first mark, naming the latest change and how many came with it.
fn label_groups(t: &Strings, marks: &[&Mark], min_gap: f64) -> Vec<(f64, String)> {
    let mut groups: Vec<(f64, f64, Vec<&str>)> = Vec::new();
    for mark in marks {
        match groups.last_mut() {
            Some((_, last, labels)) if mark.time - *last < min_gap => {
                *last = mark.time;
                labels.push(&mark.label);
            }
            _ => groups.push((mark.time, mark.time, vec![&mark.label])),
        }
    }
    groups
        .into_iter()
        .map(|(first, _, labels)| {
            let latest = labels.last().copied().unwrap_or_default();
            match labels.len() {
                1 => (first, latest.to_string()),
                n => (
                    first,
                    fill(t.marks_more, &[("label", &latest), ("n", &(n - 1))]),
                ),
            }
        })
        .collect()
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

/// `label` cut to `room` Latin character widths (and never more than
/// [`MARK_LABEL_CHARS`]), ending in an ellipsis when cut.
fn short(label: &str, room: usize) -> String {
    let most = room.min(MARK_LABEL_CHARS);
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

    fn mark(time: f64, label: &str) -> Mark {
        Mark {
            time,
            label: label.into(),
        }
    }

    #[test]
    fn value_labels_have_the_decimals_their_step_needs() {
        assert_eq!(value_label(400.0, 100.0), "400");
        assert_eq!(value_label(1.5, 0.5), "1.5");
        assert_eq!(value_label(0.25, 0.25), "0.25");
    }

    #[test]
    fn close_marks_share_a_label_and_far_ones_keep_their_own() {
        let marks = [
            mark(1.0, "a"),
            mark(1.2, "b"),
            mark(1.3, "c"),
            mark(5.0, "d"),
        ];
        let refs: Vec<&Mark> = marks.iter().collect();
        let en = crate::i18n::Lang::En.strings();
        assert_eq!(
            label_groups(en, &refs, 0.5),
            [(1.0, "c (+2)".to_string()), (5.0, "d".to_string())]
        );
        assert_eq!(label_groups(en, &refs, 0.05).len(), 4);
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
