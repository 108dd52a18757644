//! Colours from the Okabe–Ito palette, which colour-blind viewers can tell apart.

/// Sky blue.
pub const BLUE: (u8, u8, u8) = (0, 114, 178);
/// Vermillion.
pub const VERMILLION: (u8, u8, u8) = (213, 94, 0);
/// Bluish green.
pub const GREEN: (u8, u8, u8) = (0, 158, 115);
/// Orange.
pub const ORANGE: (u8, u8, u8) = (230, 159, 0);
/// Sky blue, lighter: served without a cache.
pub const SKY: (u8, u8, u8) = (86, 180, 233);
/// Reddish purple.
pub const PURPLE: (u8, u8, u8) = (204, 121, 167);
/// Yellow.
pub const YELLOW: (u8, u8, u8) = (240, 228, 66);
/// Text and outlines.
pub const INK: (u8, u8, u8) = (34, 34, 34);
/// Idle slots and grid.
pub const MUTED: (u8, u8, u8) = (200, 200, 200);
/// A dead server's fill.
pub const DEAD: (u8, u8, u8) = (225, 225, 225);

/// One colour per series (servers in per-server charts), cycling; charts also label
/// every series, so colour is never the only cue.
pub const SERIES: [(u8, u8, u8); 8] = [BLUE, VERMILLION, GREEN, ORANGE, PURPLE, SKY, INK, YELLOW];

/// A CSS colour string for a canvas 2D context.
pub fn css((r, g, b): (u8, u8, u8)) -> String {
    format!("rgb({r},{g},{b})")
}
