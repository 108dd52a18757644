//! The lessons' models (presets and changes), kept out of the page's wasm like the
//! English words: the page fetches the course file (`loadlab_sim::lessons::COURSE_ADDRESS`)
//! with them when a lesson is first shown, and installs it here.

use loadlab_sim::lessons::{Course, LessonData};
use std::sync::OnceLock;

static COURSE: OnceLock<Course> = OnceLock::new();

/// Keeps the fetched course for the rest of the page's life (a second install is
/// ignored). Err says why the file is no course.
pub fn install(text: String) -> Result<(), String> {
    if COURSE.get().is_none() {
        // Worded as the page words a scenario's problems (the core's English words
        // would add their own code to the page).
        let course = Course::from_json(&text)
            .map_err(|e| crate::i18n::error_text(crate::i18n::Lang::En.strings(), &e))?;
        let _ = COURSE.set(course);
    }
    Ok(())
}

/// Whether the course is here.
pub fn ready() -> bool {
    course().is_some()
}

/// Lesson `id`'s model, once the course is here.
pub fn lesson(id: &str) -> Option<&'static LessonData> {
    course()?.lesson(id)
}

#[cfg(target_arch = "wasm32")]
fn course() -> Option<&'static Course> {
    COURSE.get()
}

/// Natively the course is the core's built-in one, so the tests see what the page
/// will fetch.
#[cfg(not(target_arch = "wasm32"))]
fn course() -> Option<&'static Course> {
    Some(loadlab_sim::lessons::course())
}
