//! The lessons' words: what to try, what to watch, the question, and the explanation
//! revealed on demand, in each language; and their models (preset and change), fetched
//! with the English words ([`course`]). The models are the core's course file, where
//! tests check that what these words promise holds.

mod course;
mod english;

pub use course::{install as install_course, lesson};
pub use english::{install as install_english, ADDRESS as ENGLISH_ADDRESS};

use crate::i18n::{chinese_word, Lang};
use crate::ids::{Groups, PanelId};
use loadlab_sim::lessons::LessonData;

/// One lesson's words.
#[derive(Clone, Copy)]
pub struct LessonText {
    pub title: &'static str,
    pub try_it: &'static str,
    /// The label of the button that makes the lesson's change.
    pub button: &'static str,
    pub watch: &'static str,
    pub question: &'static str,
    pub explanation: &'static str,
}

/// Whether the English words and the course are here: a lesson can be shown and run.
pub fn ready() -> bool {
    english::ready() && course::ready()
}

/// The words of lesson `id` in `lang` (every id of `loadlab_sim::lessons::ALL` has them
/// in every language; a test checks), once the lesson can run ([`ready`]). Chinese
/// reads as English until its words are here (`i18n::install_chinese`), as the rest of
/// the page does.
pub fn text(id: &str, lang: Lang) -> Option<LessonText> {
    if !course::ready() {
        return None;
    }
    match lang {
        Lang::Zh if lang.ready() => chinese(id),
        _ => english(id),
    }
}

/// Lesson `id`'s title in `lang`, which the page always has in English.
pub fn title(id: &str, lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Zh if lang.ready() => chinese_word(&format!("lesson.{id}.title")),
        _ => loadlab_sim::lessons::by_id(id).map(|l| l.title),
    }
}

/// Lesson `id`'s English words: its title and the fetched file's parts.
fn english(id: &str) -> Option<LessonText> {
    let part = |part: &str| english::word(&format!("lesson.{id}.{part}"));
    Some(LessonText {
        title: title(id, Lang::En)?,
        try_it: part("try")?,
        button: part("button")?,
        watch: part("watch")?,
        question: part("question")?,
        explanation: part("explanation")?,
    })
}

/// Lesson `id`'s words in the Chinese file (`lesson.<id>.<part>`).
fn chinese(id: &str) -> Option<LessonText> {
    let part = |part: &str| chinese_word(&format!("lesson.{id}.{part}"));
    Some(LessonText {
        title: part("title")?,
        try_it: part("try")?,
        button: part("button")?,
        watch: part("watch")?,
        question: part("question")?,
        explanation: part("explanation")?,
    })
}

/// The control groups lesson `id` works with: presenter mode shows only these, beside
/// the lesson, time and compare. None until the course is here.
pub fn groups(id: &str) -> Groups {
    let names = lesson(id).into_iter().flat_map(LessonData::groups);
    Groups::of(names.filter_map(PanelId::by_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(t: LessonText) -> [&'static str; 6] {
        [
            t.title,
            t.try_it,
            t.button,
            t.watch,
            t.question,
            t.explanation,
        ]
    }

    /// Every lesson has every part of its words in both languages, and works with
    /// groups the page has.
    #[test]
    fn every_lesson_has_its_words_in_every_language() {
        for lang in Lang::ALL {
            for lesson in &loadlab_sim::lessons::ALL {
                let t = text(lesson.id, lang)
                    .unwrap_or_else(|| panic!("{} has no {lang:?} text", lesson.id));
                for part in parts(t) {
                    assert!(
                        !part.trim().is_empty(),
                        "{} ({lang:?}) has an empty part",
                        lesson.id
                    );
                }
                let data = super::lesson(lesson.id).unwrap();
                let shown = PanelId::LESSON_GROUPS.into_iter();
                let shown = shown.filter(|&g| groups(lesson.id).contains(g));
                assert_eq!(shown.count(), data.groups().count(), "{}", lesson.id);
                assert!(data.groups().count() > 0, "{} has no groups", lesson.id);
            }
        }
    }

    /// Latin words the Chinese lessons may use: names, units, formulas, and the English
    /// terms given once in brackets beside their Chinese ones.
    const LATIN_IN_CHINESE: [&str; 22] = [
        "CPU", "FIFO", "I/O", "LFU", "LRU", "M/M/1", "M/M/2", "S3-FIFO", "SIEVE", "TTL", "Zipf",
        "p99", "req/s", "log", "Power", "Two", "Choices", "P2C", "Little", "law", "single",
        "flight",
    ];

    /// The Chinese words are Chinese: each part has Han characters, and every Latin
    /// word of three letters or more is a listed name, so an English phrase left
    /// untranslated fails.
    #[test]
    fn chinese_lessons_are_in_chinese() {
        let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for lesson in &loadlab_sim::lessons::ALL {
            let (id, t) = (lesson.id, text(lesson.id, Lang::Zh).unwrap());
            for part in parts(t) {
                assert!(han(part), "{id}: {part}");
                let words = part
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '-'))
                    .filter(|w| w.len() >= 3 && w.starts_with(|c: char| c.is_ascii_alphabetic()));
                for word in words {
                    assert!(LATIN_IN_CHINESE.contains(&word), "{id}: “{word}” in {part}");
                }
            }
        }
    }
}
