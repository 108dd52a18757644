//! Reusable form components.

mod slider;

pub use slider::{Slider, SliderProps};
