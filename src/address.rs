//! The page's address and the words its query may hold. The crash overlay links back to
//! the page with them, and the start-up reads them: one module both use, so neither has
//! to import the other.

use gloo_utils::window;

/// The query that starts from the default scenario and sets the saved one aside.
pub const FRESH: &str = "fresh";
/// Opens the page publishing what the stage draws, for browser tests.
pub const SCENE: &str = "scene";
/// The query that makes the page panic on its first frame: how the tests (or anyone
/// curious) see the overlay without a real bug.
pub const CRASH_TEST: &str = "crash-test";
/// How a challenge's result link's fragment starts (`#challenge=first-spike&...`); the
/// Challenges view reads the rest.
pub const CHALLENGE_LINK: &str = "#challenge=";

/// The page's address without query or fragment.
pub fn page_address() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Whether the page was opened to start afresh after a crash (`?fresh`).
pub fn fresh_asked() -> bool {
    query_has(FRESH)
}

/// Whether the page was opened to show the crash overlay (`?crash-test`).
pub fn crash_test_asked() -> bool {
    query_has(CRASH_TEST)
}

/// Whether the page was opened for tests that read what the stage drew (`?scene`).
pub fn scene_asked() -> bool {
    query_has(SCENE)
}

/// Whether the page was opened with a challenge's result link or a workshop's link,
/// which the Training view opens.
pub fn challenge_link() -> bool {
    let hash = window().location().hash().unwrap_or_default();
    hash.starts_with(CHALLENGE_LINK) || hash.starts_with("#workshop=")
}

/// Whether the address's query holds `word` (as in `?fresh`).
fn query_has(word: &str) -> bool {
    let search = window().location().search().unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|w| w == word)
}
