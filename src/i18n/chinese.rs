//! The Chinese words, kept out of the page's wasm.
//!
//! Why: the Chinese strings and lessons are about 10 KB of the first load, gzipped, and
//! a reader of English never needs them. They live in `static/i18n/zh-CN.txt`, one entry
//! a line (`name = text`): every field of [`Strings`] by name, and each lesson's parts as
//! `lesson.<id>.<part>`, the strings first, in the order of the fields (a test checks
//! by name, so the page need not carry the names). The page fetches the file when Chinese is first chosen (as it
//! fetches the Chinese glyphs) and installs it here; until then Chinese reads as English.
//! Native builds (the tests, which check the file is complete) read it at compile time.
//! A plain text rather than JSON: its reader is a few lines, where a JSON map's decoder
//! took back half of what moving the words out saved.

use super::{Strings, COUNT};
use std::sync::OnceLock;

/// Where the page fetches the file, relative to the page.
pub const ADDRESS: &str = "i18n/zh-CN.txt";

/// The installed words: the strings, and every entry as (name, text) (the lessons read
/// theirs).
struct Words {
    strings: Strings,
    entries: Vec<(&'static str, &'static str)>,
}

static WORDS: OnceLock<Words> = OnceLock::new();

/// Reads the file's text and keeps its words for the rest of the page's life (a second
/// install is ignored). Err names what is wrong: a line that is no entry, or the first
/// string missing.
pub fn install(text: String) -> Result<(), String> {
    if WORDS.get().is_none() {
        // Leaked once: the words last as long as the page, as the English ones do.
        let words = parse(Box::leak(text.into_boxed_str()))?;
        let _ = WORDS.set(words);
    }
    Ok(())
}

/// The Chinese strings, if they are here.
pub fn strings() -> Option<&'static Strings> {
    words().map(|w| &w.strings)
}

/// The entry called `name` (a lesson's part: `lesson.<id>.title`), if the words are here.
pub fn word(name: &str) -> Option<&'static str> {
    words().and_then(|w| find(&w.entries, name))
}

/// The text of the entry called `name` among `entries` (of a words file).
pub fn find(entries: &[(&'static str, &'static str)], name: &str) -> Option<&'static str> {
    entries
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

#[cfg(target_arch = "wasm32")]
fn words() -> Option<&'static Words> {
    WORDS.get()
}

/// Natively the file is part of the program, so the tests see what the page will fetch.
#[cfg(not(target_arch = "wasm32"))]
fn words() -> Option<&'static Words> {
    const FILE: &str = include_str!("../../static/i18n/zh-CN.txt");
    Some(WORDS.get_or_init(|| parse(FILE).unwrap_or_else(|e| panic!("zh-CN.json: {e}"))))
}

/// The entries of a words file: `name = text` lines, besides blank ones and `#`
/// comments. Err names the first line that is no entry.
pub fn entries(text: &'static str) -> Result<Vec<(&'static str, &'static str)>, String> {
    let lines = text.lines().enumerate();
    (lines.filter(|(_, l)| !(l.is_empty() || l.starts_with('#'))))
        .map(|(i, line)| {
            line.split_once(" = ")
                .ok_or_else(|| format!("line {} is no “name = text”", i + 1))
        })
        .collect()
}

/// The Chinese words in `text`: the strings by place, and every entry.
fn parse(text: &'static str) -> Result<Words, String> {
    let entries = entries(text)?;
    if entries.len() < COUNT {
        let n = entries.len();
        return Err(format!(
            "it has {n} entries, fewer than the {COUNT} strings"
        ));
    }
    let mut texts = [""; COUNT];
    for (text, (_, entry)) in texts.iter_mut().zip(&entries) {
        *text = entry;
    }
    Ok(Words {
        strings: Strings::from_texts(texts),
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    /// A broken or incomplete file is refused with what is wrong, not shown half English.
    #[test]
    fn a_file_with_a_line_that_is_no_entry_or_lacking_a_string_is_refused_by_name() {
        let refusal = |text| parse(text).err().expect("refused");
        assert_eq!(
            refusal("# words\n\n<!doctype html>"),
            "line 3 is no “name = text”"
        );
        let short = format!("it has 1 entries, fewer than the {} strings", super::COUNT);
        assert_eq!(refusal("page_title = 标题\n"), short);
    }

    /// Each name once, the strings first in the order of the fields (the page reads
    /// them by place), and no name the page does not know.
    #[test]
    fn the_file_names_each_string_in_order_and_each_lesson_part_once() {
        let words = super::words().expect("read natively");
        let strings: Vec<&str> = words
            .entries
            .iter()
            .map(|(n, _)| *n)
            .take(super::COUNT)
            .collect();
        assert_eq!(strings, super::super::NAMES);
        let mut names: Vec<&str> = words.entries.iter().map(|(n, _)| *n).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name is listed twice");
        let lessons = loadlab_sim::lessons::ALL.len() * 6;
        assert_eq!(count, super::super::NAMES.len() + lessons);
    }
}
