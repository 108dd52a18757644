//! The lessons' words: what to try, what to watch, the question, and the explanation
//! revealed on demand, in each language. The model of each lesson (its preset and its
//! change) lives in the core (`loadlab_sim::lessons`), where tests check that what these
//! words promise holds.

mod english;

pub use english::{install as install_english, ready as english_ready, ADDRESS as ENGLISH_ADDRESS};

use crate::i18n::{chinese_word, Lang};
use crate::ids::PanelId;
use PanelId::{Balancer, Cache, Database, Protection, Servers, Theory, Traffic};

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

/// The words of lesson `id` in `lang` (every id of `loadlab_sim::lessons::ALL` has them
/// in every language; a test checks). Chinese reads as English until its words are
/// here (`i18n::install_chinese`), as the rest of the page does; English has only its
/// title until its file is here ([`install_english`]).
pub fn text(id: &str, lang: Lang) -> Option<LessonText> {
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
/// the lesson, time and compare.
pub fn groups(id: &str) -> &'static [PanelId] {
    GROUPS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(&[], |(_, g)| g)
}

const GROUPS: [(&str, &[PanelId]); 14] = [
    ("round-robin-vs-least-connections", &[Balancer, Servers]),
    ("smooth-weighted-shares", &[Balancer, Servers, Theory]),
    ("power-of-two-choices", &[Balancer, Theory]),
    ("thread-pool-sizing", &[Servers, Theory]),
    ("sync-vs-async-io", &[Servers, Database]),
    (
        "bounded-queues-and-shedding",
        &[Servers, Protection, Theory],
    ),
    ("rate-limiting", &[Protection, Traffic]),
    ("cache-eviction", &[Cache]),
    ("stampede-and-coalescing", &[Cache, Database]),
    ("hashing-when-a-server-dies", &[Balancer, Servers, Cache]),
    ("replicas-and-stale-reads", &[Database, Cache]),
    ("sharding-and-indexes", &[Database]),
    ("optimistic-vs-pessimistic", &[Database]),
    ("retry-storm", &[Protection, Traffic]),
];

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

    /// Every lesson has every part of its words in both languages, and only lessons
    /// the core knows have words.
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
                assert!(!groups(lesson.id).is_empty(), "{} has no groups", lesson.id);
            }
        }
        assert_eq!(GROUPS.len(), loadlab_sim::lessons::ALL.len());
    }

    /// Latin words the Chinese lessons may use: names, units, formulas, and the English
    /// terms given once in brackets beside their Chinese ones.
    const LATIN_IN_CHINESE: [&str; 21] = [
        "CPU", "FIFO", "I/O", "LFU", "LRU", "M/M/1", "S3-FIFO", "SIEVE", "TTL", "Zipf", "p99",
        "req/s", "log", "Power", "Two", "Choices", "P2C", "Little", "law", "single", "flight",
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
