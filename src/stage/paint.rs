//! Painting the stage on its canvas: lanes, parts and their labels, the cells requests
//! wait in, the requests themselves (batched by colour: one path per colour and shape,
//! so thousands cost little), the legend.

use super::geometry::{Cells, Rect};
use super::place::{Fill, Item, Look};
use super::scene::{ServerBox, LABEL_LINE};
use crate::view::fonts::FONT_STACK;
use crate::view::palette::{css, BLUE, DEAD, GREEN, INK, MUTED, ORANGE, PURPLE, SKY, VERMILLION};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Grey of the requests whose client has given up.
const WASTED: (u8, u8, u8) = (150, 150, 150);

pub use crate::view::context;

/// A clear canvas scaled to logical units.
pub fn begin(ctx: &CanvasRenderingContext2d, canvas: &HtmlCanvasElement, scale: f64) {
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let (w, h) = (f64::from(canvas.width()), f64::from(canvas.height()));
    ctx.clear_rect(0.0, 0.0, w, h);
    let _ = ctx.scale(scale, scale);
    ctx.set_font(&format!("12px {FONT_STACK}"));
    ctx.set_line_width(1.0);
}

/// The colour of a look.
pub fn colour(look: Look) -> (u8, u8, u8) {
    match look {
        Look::Read => BLUE,
        Look::Write => ORANGE,
        Look::Hit => GREEN,
        Look::Miss => SKY,
        Look::Stale => PURPLE,
        Look::Abandoned => WASTED,
    }
}

/// A lane: a thin line in the gutters, dashed when the balancer no longer uses it, as
/// wide as `width` (flows).
pub fn lane(ctx: &CanvasRenderingContext2d, points: &[(f64, f64)], dashed: bool, width: f64) {
    ctx.set_stroke_style_str(&css(MUTED));
    ctx.set_line_width(width);
    let _ = ctx.set_line_dash(&dash(dashed));
    ctx.begin_path();
    for (i, &(x, y)) in points.iter().enumerate() {
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.stroke();
    let _ = ctx.set_line_dash(&dash(false));
    ctx.set_line_width(1.0);
}

fn dash(on: bool) -> js_sys::Array {
    if on {
        js_sys::Array::of2(&5.0.into(), &4.0.into())
    } else {
        js_sys::Array::new()
    }
}

/// A part's outline: white (grey when `dead`), dashed when `dashed`.
pub fn outline(ctx: &CanvasRenderingContext2d, r: Rect, dead: bool, dashed: bool) {
    ctx.set_fill_style_str(&css(if dead { DEAD } else { (255, 255, 255) }));
    ctx.fill_rect(r.x, r.y, r.w, r.h);
    let _ = ctx.set_line_dash(&dash(dashed));
    ctx.set_stroke_style_str(&css(if dead { MUTED } else { INK }));
    ctx.stroke_rect(r.x + 0.5, r.y + 0.5, r.w - 1.0, r.h - 1.0);
    let _ = ctx.set_line_dash(&dash(false));
}

/// `segments` joined with " · " in `area`, as many as fit, the first cut with an
/// ellipsis if even it does not: a label never runs out of its part.
pub fn label(ctx: &CanvasRenderingContext2d, area: Rect, segments: &[String]) {
    if area.h < 8.0 || area.w < 8.0 {
        return;
    }
    let width = |s: &str| ctx.measure_text(s).map_or(f64::INFINITY, |m| m.width());
    let room = area.w - 4.0;
    let fit = |s: &String| {
        if width(s) <= room {
            s.clone()
        } else {
            cut(s, room, &width)
        }
    };
    let most = ((area.h / LABEL_LINE).floor() as usize).max(1);
    let mut lines = vec![String::new()];
    for segment in segments.iter().filter(|s| !s.is_empty()) {
        let line = lines.last_mut().expect("a line");
        let joined = if line.is_empty() {
            segment.clone()
        } else {
            format!("{line} · {segment}")
        };
        if width(&joined) <= room {
            *line = joined;
        } else if line.is_empty() {
            *line = fit(segment);
        } else if lines.len() < most {
            lines.push(fit(segment));
        } else {
            break;
        }
    }
    ctx.set_fill_style_str(&css(INK));
    for (i, line) in lines.iter().enumerate() {
        let baseline = area.y + LABEL_LINE * (i + 1) as f64 - 3.0;
        let _ = ctx.fill_text(line, area.x + 2.0, baseline);
    }
}

/// `s` cut to fit `room`, with an ellipsis.
fn cut(s: &str, room: f64, width: &dyn Fn(&str) -> f64) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    while !chars.is_empty() {
        let text: String = chars.iter().collect::<String>() + "…";
        if width(&text) <= room {
            return text;
        }
        chars.pop();
    }
    String::new()
}

/// A thin bar filled to `share` (red when full), under a label.
pub fn bar(ctx: &CanvasRenderingContext2d, r: Rect, share: f64, colour: (u8, u8, u8)) {
    if r.w <= 0.0 || r.h <= 0.0 {
        return;
    }
    ctx.set_stroke_style_str(&css(MUTED));
    ctx.stroke_rect(r.x, r.y, r.w, r.h);
    ctx.set_fill_style_str(&css(if share >= 1.0 { VERMILLION } else { colour }));
    ctx.fill_rect(r.x, r.y, r.w * share.clamp(0.0, 1.0), r.h);
}

/// A queue's cells: tinted from white to red as its head's wait nears `too_long`.
pub fn queue_ground(ctx: &CanvasRenderingContext2d, cells: &Cells, head_wait: f64, too_long: f64) {
    let a = cells.area;
    let share = (head_wait / too_long).clamp(0.0, 1.0);
    ctx.set_fill_style_str(&format!("rgba(213,94,0,{:.3})", 0.06 + 0.34 * share));
    ctx.fill_rect(a.x, a.y, a.w, a.h);
}

/// A server's idle worker slots (outlined), or its workers as one bar when too many to
/// draw one by one.
pub fn slots(ctx: &CanvasRenderingContext2d, s: &ServerBox, workers: u32, busy: u32) {
    if !s.each_slot {
        bar(
            ctx,
            s.slots.area,
            f64::from(busy) / f64::from(workers.max(1)),
            BLUE,
        );
        return;
    }
    ctx.set_stroke_style_str(&css(MUTED));
    ctx.begin_path();
    for i in 0..workers.min(s.slots.capacity()) {
        let c = s.slots.cell(i);
        ctx.rect(c.x + 0.5, c.y + 0.5, c.w - 1.0, c.h - 1.0);
    }
    ctx.stroke();
}

/// Every request, a path per colour and kind of mark.
pub fn items(ctx: &CanvasRenderingContext2d, items: &[Item]) {
    for look in [
        Look::Read,
        Look::Write,
        Look::Hit,
        Look::Miss,
        Look::Stale,
        Look::Abandoned,
    ] {
        let mine = || items.iter().filter(move |i| i.look == look);
        let c = colour(look);
        // Solid: waiting, travelling; done share of working.
        ctx.set_fill_style_str(&css(c));
        ctx.begin_path();
        for i in mine() {
            let r = i.rect;
            match i.fill {
                Fill::Waiting | Fill::Travelling => shape(ctx, r, look),
                Fill::Working(done) => {
                    let h = (r.h * done.max(0.15)).min(r.h);
                    ctx.rect(r.x, r.bottom() - h, r.w, h);
                }
                Fill::WaitingForCore | Fill::Blocked => {}
            }
        }
        ctx.fill();
        // Faint: a worker blocked on its request's I/O.
        ctx.set_fill_style_str(&format!("rgba({},{},{},0.35)", c.0, c.1, c.2));
        ctx.begin_path();
        for i in mine().filter(|i| i.fill == Fill::Blocked) {
            ctx.rect(i.rect.x, i.rect.y, i.rect.w, i.rect.h);
        }
        ctx.fill();
        // Outlined: working (the whole cell), waiting for a core.
        ctx.set_stroke_style_str(&css(c));
        ctx.begin_path();
        for i in mine().filter(|i| matches!(i.fill, Fill::Working(_) | Fill::WaitingForCore)) {
            let r = i.rect;
            ctx.rect(r.x + 0.5, r.y + 0.5, r.w - 1.0, r.h - 1.0);
        }
        ctx.stroke();
    }
    // Retries and requests whose client left wear a dark or red rim.
    for (rim, pick) in [
        (INK, &(|i: &Item| i.retry) as &dyn Fn(&Item) -> bool),
        (VERMILLION, &|i: &Item| i.look == Look::Abandoned),
    ] {
        ctx.set_stroke_style_str(&css(rim));
        ctx.begin_path();
        for i in items.iter().filter(|i| pick(i)) {
            let r = i.rect;
            ctx.rect(r.x - 0.5, r.y - 0.5, r.w + 1.0, r.h + 1.0);
        }
        ctx.stroke();
    }
}

/// A square for reads, a diamond for writes: shape as well as colour.
fn shape(ctx: &CanvasRenderingContext2d, r: Rect, look: Look) {
    if look == Look::Write {
        let (cx, cy) = r.centre();
        let d = r.w / 2.0 + 0.5;
        ctx.move_to(cx, cy - d);
        ctx.line_to(cx + d, cy);
        ctx.line_to(cx, cy + d);
        ctx.line_to(cx - d, cy);
        ctx.close_path();
    } else {
        ctx.rect(r.x, r.y, r.w, r.h);
    }
}

/// A ring around the followed request.
pub fn follow_ring(ctx: &CanvasRenderingContext2d, r: Rect) {
    let (cx, cy) = r.centre();
    ctx.set_stroke_style_str(&css(INK));
    ctx.set_line_width(2.0);
    ctx.begin_path();
    let _ = ctx.arc(cx, cy, r.w.max(6.0) + 3.0, 0.0, std::f64::consts::TAU);
    ctx.stroke();
    ctx.set_line_width(1.0);
}

/// A refusal's mark: a red cross that fades over its `life` (1 new, 0 gone).
pub fn cross(ctx: &CanvasRenderingContext2d, (x, y): (f64, f64), life: f64) {
    ctx.set_stroke_style_str(&format!("rgba(213,94,0,{:.3})", life.clamp(0.0, 1.0)));
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(x - 4.0, y - 4.0);
    ctx.line_to(x + 4.0, y + 4.0);
    ctx.move_to(x + 4.0, y - 4.0);
    ctx.line_to(x - 4.0, y + 4.0);
    ctx.stroke();
    ctx.set_line_width(1.0);
}

/// The legend: a swatch and a word per look and state, as many as fit, and a note
/// (paused, or what the flow view shows) at the right.
pub fn legend(
    ctx: &CanvasRenderingContext2d,
    area: Rect,
    entries: &[(Look, Fill, bool, &str)],
    note: &str,
) {
    let width = |s: &str| ctx.measure_text(s).map_or(0.0, |m| m.width());
    let note_w = if note.is_empty() {
        0.0
    } else {
        width(note) + 8.0
    };
    let y = area.y + area.h / 2.0;
    let mut x = area.x + 6.0;
    for &(look, fill, retry, word) in entries {
        let w = 12.0 + width(word) + 10.0;
        if x + w > area.right() - note_w {
            break;
        }
        let r = Rect::new(x, y - 4.0, 8.0, 8.0);
        items(
            ctx,
            &[super::place::Item {
                rect: r,
                look,
                fill,
                retry,
                id: 0,
                attempt_id: 0,
                at: None,
                arrived_at: 0.0,
            }],
        );
        ctx.set_fill_style_str(&css(INK));
        let _ = ctx.fill_text(word, x + 12.0, y + 4.0);
        x += w;
    }
    if !note.is_empty() {
        ctx.set_fill_style_str(&css(INK));
        let _ = ctx.fill_text(note, area.right() - note_w, y + 4.0);
    }
}

/// A hop's dot: a small, fading disc of `look`'s colour at `at`.
pub fn hop(ctx: &CanvasRenderingContext2d, at: (f64, f64), look: Look, fade: f64) {
    ctx.set_global_alpha((1.0 - fade).clamp(0.0, 1.0) * 0.8);
    ctx.set_fill_style_str(&css(colour(look)));
    ctx.begin_path();
    let _ = ctx.arc(at.0, at.1, 2.5, 0.0, std::f64::consts::TAU);
    ctx.fill();
    ctx.set_global_alpha(1.0);
}
