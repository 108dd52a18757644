//! What the stage tells tests that read the page: where each part is (`data-parts`,
//! always, written when the layout changes), and, when the page is opened with
//! `?scene`, what was drawn this frame beside what the core says (`data-scene`): each
//! server's queue drawn and counted against its queue length, busy slots against busy
//! workers, every label's box, every drawn request's box, the refusal marks. Browser
//! tests compare them; a user's page never builds the second.

use super::marks::{At, Marks};
use super::place::Placed;
use super::scene::{PartBox, Scene};
use loadlab_sim::{Part, Simulation};
use std::fmt::Write;

/// The key a part goes by in `data-parts`.
fn key(part: Part) -> String {
    match part {
        Part::Clients => "clients".into(),
        Part::Limiter => "limiter".into(),
        Part::Balancer => "balancer".into(),
        Part::Server(i) => format!("server-{i}"),
        Part::Cache => "cache".into(),
        Part::WriteQueue => "write-queue".into(),
        Part::Database => "database".into(),
        Part::DbNode { position, .. } => format!("db-node-{position}"),
    }
}

/// Every part's box, in CSS pixels: `{"balancer":[x,y,w,h],...}`.
pub fn parts(scene: &Scene, scale: f64) -> String {
    let entries: Vec<String> = (scene.boxes())
        .map(|b: &PartBox| format!("\"{}\":{}", key(b.part), b.outer.json(scale)))
        .collect();
    format!("{{{}}}", entries.join(","))
}

/// This frame's drawing beside the core's state, in CSS pixels.
pub fn scene(
    sim: &Simulation,
    scene: &Scene,
    placed: &Placed,
    marks: &Marks,
    flows: bool,
    scale: f64,
) -> String {
    let mut out = String::with_capacity(4096 + 40 * placed.items.len());
    let _ = write!(
        out,
        "{{\"t\":{},\"flows\":{flows},\"inFlight\":{},",
        sim.now(),
        sim.in_flight()
    );
    out.push_str("\"servers\":[");
    for (i, c) in placed.counts.iter().enumerate() {
        let sep = if i == 0 { "" } else { "," };
        let _ = write!(
            out,
            "{sep}{{\"index\":{},\"queueDrawn\":{},\"queueCells\":{},\"queueCounted\":{},\"queueCore\":{},\"busyDrawn\":{},\"busyCore\":{}}}",
            c.index, c.queue_drawn, c.queue_cells, c.queue_counted, c.queue_core, c.busy_drawn, c.busy_core
        );
    }
    out.push_str("],\"labels\":[");
    let labels: Vec<String> = scene.labels().map(|r| r.json(scale)).collect();
    out.push_str(&labels.join(","));
    out.push_str("],\"items\":[");
    let items: Vec<String> = placed.items.iter().map(|i| i.rect.json(scale)).collect();
    out.push_str(&items.join(","));
    out.push_str("],\"marks\":[");
    let marks: Vec<String> = (marks.placed(scene))
        .map(|(m, (x, y))| {
            let at = match m.at {
                At::GaveUp => "clients".to_string(),
                At::Part(p) => key(p),
            };
            let reason = m.reason.map_or("gave-up".to_string(), |r| format!("{r:?}"));
            format!(
                "{{\"part\":\"{at}\",\"reason\":\"{reason}\",\"x\":{:.1},\"y\":{:.1}}}",
                x * scale,
                y * scale
            )
        })
        .collect();
    out.push_str(&marks.join(","));
    out.push_str("]}");
    out
}

/// A chart's change badges as drawn (`data-marks`, with `?scene`): `[x, y, w, h,
/// "text"]` each, canvas pixels.
pub fn badges(found: &[crate::view::chart::Badge]) -> String {
    let each: Vec<String> = found
        .iter()
        .map(|b| {
            format!(
                "[{:.1},{:.1},{:.1},{:.1},\"{}\"]",
                b.x, b.y, b.w, b.h, b.text
            )
        })
        .collect();
    format!("[{}]", each.join(","))
}
