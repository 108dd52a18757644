//! Reusable form components (each shows its label and value, and reports changes), and
//! what the lazily loaded views share (`lazy_view`).

pub mod lazy_view;
mod list_field;
mod select;
mod slider;
mod toggle;

pub use list_field::{parse_list, ListField, ListFieldProps, Numbers};
pub use select::{Select, SelectProps};
pub use slider::{Slider, SliderProps};
pub use toggle::{Toggle, ToggleProps};
