//! Colours from the Okabe–Ito palette, which colour-blind viewers can tell apart.

/// Sky blue.
pub const BLUE: (u8, u8, u8) = (0, 114, 178);
/// Vermillion.
pub const VERMILLION: (u8, u8, u8) = (213, 94, 0);
/// Bluish green.
pub const GREEN: (u8, u8, u8) = (0, 158, 115);
/// Orange.
pub const ORANGE: (u8, u8, u8) = (230, 159, 0);
/// Text and outlines.
pub const INK: (u8, u8, u8) = (34, 34, 34);
/// Idle slots and grid.
pub const MUTED: (u8, u8, u8) = (200, 200, 200);

/// A CSS colour string for a canvas 2D context.
pub fn css((r, g, b): (u8, u8, u8)) -> String {
    format!("rgb({r},{g},{b})")
}
