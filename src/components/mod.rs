//! Reusable form components. Each shows its label and value, and reports changes.

mod select;
mod slider;
mod toggle;

pub use select::{Select, SelectProps};
pub use slider::{Slider, SliderProps};
pub use toggle::{Toggle, ToggleProps};
