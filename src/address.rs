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
/// Opens the page for another page's iframe: the stage, the lesson's controls and the
/// charts, and nothing written to the browser's storage or the address bar
/// (docs/embed.md).
pub const EMBED: &str = "embed";
/// `?lang=zh-CN`: the language to start in, over the one chosen before (an embedded
/// page's author picks its language this way).
const LANG: &str = "lang=";
/// How a challenge's result link's fragment starts (`#challenge=first-spike&...`); the
/// Training view reads the rest.
pub const CHALLENGE_LINK: &str = "#challenge=";
/// How a workshop's link's fragment starts (`#workshop=1.…`); the Training view reads it.
pub const WORKSHOP_LINK: &str = "#workshop=";

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

/// Whether the page was opened for another page's iframe (`?embed`).
pub fn embed_asked() -> bool {
    query_has(EMBED)
}

/// The language tag the address asks for (`?lang=zh-CN`), if any.
pub fn lang_asked() -> Option<String> {
    lang_in(&search()).map(str::to_string)
}

/// The address an embedded page links to: this one with its fragment (the scenario and
/// lesson), without the query, so the full page opens as the learner's own (their
/// language, the address bar and storage theirs).
pub fn full_page() -> String {
    format!("{}{}", page_address(), hash())
}

/// Whether the page was opened with a challenge's result link or a workshop's link,
/// which the Training view opens.
pub fn challenge_link() -> bool {
    let hash = hash();
    hash.starts_with(CHALLENGE_LINK) || hash.starts_with(WORKSHOP_LINK)
}

/// Whether the address's query holds `word` (as in `?fresh`).
fn query_has(word: &str) -> bool {
    words(&search()).any(|w| w == word)
}

/// The address's query, `?` included (empty if it has none).
fn search() -> String {
    window().location().search().unwrap_or_default()
}

/// The address's fragment, `#` included (empty if it has none).
fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The words of a query (`?embed&lang=zh-CN`: `embed`, `lang=zh-CN`).
fn words(search: &str) -> impl Iterator<Item = &str> {
    search.trim_start_matches('?').split('&')
}

/// The language tag in `search`, if it names one.
fn lang_in(search: &str) -> Option<&str> {
    words(search).find_map(|w| w.strip_prefix(LANG))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_value_of_lang() {
        assert_eq!(lang_in("?embed&lang=zh-CN"), Some("zh-CN"));
        assert_eq!(lang_in("?lang=en&embed"), Some("en"));
        assert_eq!(lang_in("?&embed&&lang=zh&"), Some("zh"));
        assert_eq!(lang_in("?embed&language=zh"), None);
        assert_eq!(lang_in(""), None);
    }
}
