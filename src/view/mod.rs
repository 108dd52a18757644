//! Drawing the core's state: canvases, dots, the headline strip and hover details.

pub mod chart;
pub mod charts;
pub mod details;
pub mod export;
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

/// A count with its thousands grouped (`1,234,567`), as both languages write them.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Simulated seconds as a clock reads them: `m:ss.s` under an hour (`4:05.3`), then
/// `h:mm:ss` (`6:11:41`), so a long run reads at a glance.
pub fn clock_time(seconds: f64) -> String {
    let seconds = seconds.max(0.0);
    if seconds < 3600.0 {
        let tenths = (seconds * 10.0).floor() as u64;
        let (minutes, tenths) = (tenths / 600, tenths % 600);
        format!("{minutes}:{:02}.{}", tenths / 10, tenths % 10)
    } else {
        let whole = seconds.floor() as u64;
        let (h, m, s) = (whole / 3600, whole / 60 % 60, whole % 60);
        format!("{h}:{m:02}:{s:02}")
    }
}

/// While a spike runs: its multiplier, the rate offered now and the whole seconds left
/// ("spike ×3: 1800 req/s, 7 s left"), for the clients on the stage and the Traffic group.
pub fn spike_status(t: &crate::i18n::Strings, sim: &loadlab_sim::Simulation) -> Option<String> {
    let (multiplier, left) = sim.spike_now()?;
    let rate = sim.offered_rate().unwrap_or(0.0);
    Some(crate::i18n::fill(
        t.spike_status,
        &[
            (
                "x",
                &fixed(multiplier, if multiplier.fract() == 0.0 { 0 } else { 1 }),
            ),
            ("rate", &fixed(rate, 0)),
            ("left", &left.ceil()),
        ],
    ))
}

/// The 2D context of `canvas`, if the browser gives one.
pub fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    use wasm_bindgen::JsCast;
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_minutes_then_hours() {
        assert_eq!(clock_time(0.0), "0:00.0");
        assert_eq!(clock_time(12.34), "0:12.3");
        assert_eq!(clock_time(245.3), "4:05.3");
        assert_eq!(clock_time(3599.99), "59:59.9");
        assert_eq!(clock_time(22301.3), "6:11:41");
    }

    #[test]
    fn counts_group_their_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(10_000_000), "10,000,000");
    }
}
