//! The English lessons' words besides their titles, kept out of the page's wasm.
//!
//! Why: they are about 4 KB of the first load, gzipped, and a visitor who never opens a
//! lesson never needs them. They live in `static/i18n/lessons-en.txt` (`name = text`
//! lines, as the Chinese file); the page fetches the file when a lesson is first shown
//! and installs it here. Native builds read it at compile time, so the tests check it.

use crate::i18n::{find_word, word_entries};
use std::sync::OnceLock;

/// Where the page fetches the file, relative to the page.
pub const ADDRESS: &str = "i18n/lessons-en.txt";

static WORDS: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();

/// Keeps the file's words for the rest of the page's life (a second install is
/// ignored). Err names the first line that is no entry.
pub fn install(text: String) -> Result<(), String> {
    if WORDS.get().is_none() {
        // Leaked once: the words last as long as the page, as the titles do.
        let entries = word_entries(Box::leak(text.into_boxed_str()))?;
        let _ = WORDS.set(entries);
    }
    Ok(())
}

/// Whether the words are here.
pub fn ready() -> bool {
    words().is_some()
}

/// The entry called `name` (`lesson.<id>.<part>`), if the words are here.
pub fn word(name: &str) -> Option<&'static str> {
    find_word(words()?, name)
}

#[cfg(target_arch = "wasm32")]
fn words() -> Option<&'static Vec<(&'static str, &'static str)>> {
    WORDS.get()
}

/// Natively the file is part of the program, so the tests see what the page will fetch.
#[cfg(not(target_arch = "wasm32"))]
fn words() -> Option<&'static Vec<(&'static str, &'static str)>> {
    const FILE: &str = include_str!("../../static/i18n/lessons-en.txt");
    Some(WORDS.get_or_init(|| word_entries(FILE).unwrap_or_else(|e| panic!("lessons-en.txt: {e}"))))
}
