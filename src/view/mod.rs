//! Drawing the core's state: canvases, dots, the headline strip and hover details.

pub mod chart;
pub mod charts;
pub mod details;
pub mod dots;
pub mod headline;
pub mod layout;
pub mod palette;
pub mod topology;
