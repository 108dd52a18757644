//! Drawing the core's state: canvases and the headline strip.

pub mod chart;
pub mod headline;
pub mod palette;
pub mod topology;
