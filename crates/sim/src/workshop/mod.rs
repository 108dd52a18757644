//! Workshops: a trainer's own course for a session, as one JSON file or link. A
//! workshop is an ordered list of items, each a lesson or a challenge: one that ships,
//! named by its id, or the trainer's own, written in full. A trainer's lesson is a
//! preset and a change, as in `lessons/course.json`, with its words in English and/or
//! Chinese beside them (the built-in lessons' words live in the page; a trainer's must
//! travel with it); a trainer's challenge is written as in `challenges/challenges.json`.
//! A file holding just `{"lesson": {...}}` or `{"challenge": {...}}` is a workshop of one.
//!
//! Everything is checked when the file is read, with the path of what is wrong
//! (`items[2].lesson.preset.servers.workers: ...`), and bounded in size, so a file or
//! link from anyone can be opened without risk to what the reader had.

mod link;

pub use link::{
    compact, decode, encode, link_fragment, read_link, unpack_link, LINK_PREFIX, MAX_LINK_CHARS,
};

use crate::challenges::{Challenge, Challenges, Scripted};
use crate::engine::Change;
use crate::lessons::{self, join, only_keys, wrong, LessonData};
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Largest workshop file read, in bytes (a workshop of forty items with words in two
/// languages is well under a tenth of it).
pub const MAX_FILE_BYTES: usize = 256 * 1024;
/// Most items a workshop may hold.
pub const MAX_ITEMS: usize = 40;
/// Longest text of any one word field, in characters.
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The languages the page speaks, by code: words in any other could never be shown.
pub const LANGUAGES: [&str; 2] = ["en", "zh-CN"];

/// A workshop, read and checked.
#[derive(Debug, Clone)]
pub struct Workshop {
    /// Its title by language code; may be empty.
    pub title: BTreeMap<String, String>,
    /// Its lessons and challenges, in the order they are taught.
    pub items: Vec<Item>,
}

/// One step of a workshop.
#[derive(Debug, Clone)]
pub enum Item {
    /// A lesson that ships, by id (its words are the page's).
    BuiltInLesson(String),
    /// A trainer's lesson.
    Lesson(Box<CustomLesson>),
    /// A challenge that ships, by id.
    BuiltInChallenge(String),
    /// A trainer's challenge.
    Challenge(Box<Challenge>),
}

/// A trainer's lesson: the model as the course file writes it, and its words.
#[derive(Debug, Clone)]
pub struct CustomLesson {
    model: LessonData,
    /// Its words by language code: at least one of [`LANGUAGES`].
    pub text: BTreeMap<String, LessonWords>,
}

/// A lesson's words in one language: what the page shows beside the stage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonWords {
    /// A few words: "Sizing a thread pool".
    pub title: String,
    /// What to do: the change to make and how.
    #[serde(rename = "try")]
    pub try_it: String,
    /// What to watch on the stage and the charts.
    #[serde(default)]
    pub watch: String,
    /// A question for the room.
    #[serde(default)]
    pub question: String,
    /// Its answer, shown when asked for.
    #[serde(default)]
    pub explanation: String,
}

impl Workshop {
    /// Reads a workshop file (a BOM at the start is allowed), checking every item.
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        if text.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc: Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::new("", Problem::syntax(e)))?;
        let object = doc.as_object().ok_or_else(|| wrong("", "an object"))?;
        if object.contains_key("lesson") || object.contains_key("challenge") {
            let item = read_item(&doc, "")?;
            return Ok(Workshop {
                title: BTreeMap::new(),
                items: vec![item],
            });
        }
        only_keys(&doc, "", &["title", "items"])?;
        let title = match doc.get("title") {
            None => BTreeMap::new(),
            Some(title) => words_by_language::<String>(title, "title")?,
        };
        let Some(Value::Array(items)) = doc.get("items") else {
            return Err(wrong("items", "a list of lessons and challenges"));
        };
        if items.is_empty() || items.len() > MAX_ITEMS {
            return Err(wrong("items", "from 1 to 40 lessons and challenges"));
        }
        let items = items
            .iter()
            .enumerate()
            .map(|(i, item)| read_item(item, &format!("items[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let workshop = Workshop { title, items };
        workshop.check_ids()?;
        Ok(workshop)
    }

    /// Its title in the language `code`, else in English, else in any it has.
    pub fn title(&self, code: &str) -> Option<&str> {
        in_language(&self.title, code).map(String::as_str)
    }

    /// The trainer's own challenges, in order (the Challenges view lists them after the
    /// built-in ones).
    pub fn challenges(&self) -> impl Iterator<Item = &Challenge> {
        self.items.iter().filter_map(|item| match item {
            Item::Challenge(c) => Some(&**c),
            _ => None,
        })
    }

    /// A trainer's lessons and challenges each have an id of their own, and a trainer's
    /// challenge is not named like one that ships (progress and result links go by id).
    fn check_ids(&self) -> Result<(), ScenarioError> {
        let built_in = Challenges::built_in();
        let mut seen = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let (id, kind) = match item {
                Item::Lesson(lesson) => (lesson.id(), "lesson"),
                Item::Challenge(challenge) => (challenge.id.as_str(), "challenge"),
                _ => continue,
            };
            let taken = seen.contains(&id)
                || (kind == "challenge" && built_in.get(id).is_some())
                || (kind == "lesson" && lessons::by_id(id).is_some());
            if taken || !valid_id(id) {
                let path = format!("items[{i}].{kind}.id");
                return Err(wrong(&path, "an id of its own: letters, digits and -"));
            }
            seen.push(id);
        }
        Ok(())
    }
}

impl Item {
    /// Its title in the language `code` (a built-in item's is the page's: `None`).
    pub fn title(&self, code: &str) -> Option<&str> {
        match self {
            Item::Lesson(lesson) => lesson.words(code).map(|w| w.title.as_str()),
            Item::Challenge(challenge) => challenge.words(code).map(|w| w.title.as_str()),
            Item::BuiltInLesson(_) | Item::BuiltInChallenge(_) => None,
        }
    }
}

impl CustomLesson {
    /// Its id, unique in its workshop.
    pub fn id(&self) -> &str {
        self.model.id()
    }

    /// The scenario it starts from.
    pub fn preset(&self) -> Result<Scenario, ScenarioError> {
        self.model.preset()
    }

    /// Its change, made on `current` (the scenario as it stands).
    pub fn try_it(&self, current: &Scenario) -> Result<Change, ScenarioError> {
        self.model.try_it(current)
    }

    /// Its change as a script entry to make now: a merge patch of the scenario as it
    /// stands (`{"settings": ...}`), or a server to kill, as the page applies either.
    pub fn change_now(&self) -> Scripted {
        let change = self.model.change();
        let kill = change.get("kill_server").and_then(Value::as_u64);
        Scripted {
            at: 0.0,
            kill_server: kill.map(|i| i.min(u64::from(u32::MAX)) as u32),
            revive_server: None,
            database: None,
            patch: change.get("settings").cloned(),
        }
    }

    /// Its words in the language `code`, else in English, else in any it has.
    pub fn words(&self, code: &str) -> Option<&LessonWords> {
        in_language(&self.text, code)
    }
}

/// An item: `{"lesson": "id" | {...}}` or `{"challenge": "id" | {...}}`, at `path`.
fn read_item(item: &Value, path: &str) -> Result<Item, ScenarioError> {
    only_keys(item, path, &["lesson", "challenge"])?;
    let object = item.as_object().map_or(0, serde_json::Map::len);
    if object != 1 {
        return Err(wrong(path, r#"{"lesson": ...} or {"challenge": ...}"#));
    }
    if let Some(lesson) = item.get("lesson") {
        let path = join(path, "lesson");
        return match lesson.as_str() {
            Some(id) if lessons::by_id(id).is_some() => Ok(Item::BuiltInLesson(id.to_string())),
            Some(_) => Err(wrong(&path, "the id of a lesson that ships, or a lesson")),
            None => read_lesson(lesson, &path).map(|l| Item::Lesson(Box::new(l))),
        };
    }
    let challenge = &item["challenge"];
    let path = join(path, "challenge");
    match challenge.as_str() {
        Some(id) if Challenges::built_in().get(id).is_some() => {
            Ok(Item::BuiltInChallenge(id.to_string()))
        }
        Some(_) => Err(wrong(
            &path,
            "the id of a challenge that ships, or a challenge",
        )),
        None => read_challenge(challenge, &path).map(|c| Item::Challenge(Box::new(c))),
    }
}

/// A file over [`MAX_FILE_BYTES`], refused before it is read.
pub fn too_large() -> ScenarioError {
    wrong("", "a file of at most 256 KB")
}

/// A trainer's lesson: `{"id", "preset", "change", "text"}`.
fn read_lesson(value: &Value, path: &str) -> Result<CustomLesson, ScenarioError> {
    only_keys(value, path, &["id", "preset", "change", "text"])?;
    let text = value
        .get("text")
        .ok_or_else(|| wrong(&join(path, "text"), "words in en and/or zh-CN"))?;
    let text = words_by_language::<LessonWords>(text, &join(path, "text"))?;
    let mut model = value.clone();
    if let Some(object) = model.as_object_mut() {
        object.remove("text");
    }
    let model = LessonData::read(model, path.to_string())?;
    Ok(CustomLesson { model, text })
}

/// A trainer's challenge, as the challenges file writes one, with words.
fn read_challenge(value: &Value, path: &str) -> Result<Challenge, ScenarioError> {
    let challenge: Challenge = serde_json::from_value(value.clone())
        .map_err(|e| ScenarioError::new(path, Problem::syntax(e)))?;
    challenge.check().map_err(|e| within(path, e))?;
    let text = join(path, "text");
    if challenge.text.is_empty() {
        return Err(wrong(&text, "words in en and/or zh-CN"));
    }
    for (code, words) in &challenge.text {
        let at = join(&text, code);
        known_language(code, &at)?;
        bounded(&words.title, &join(&at, "title"))?;
        bounded(&words.brief, &join(&at, "brief"))?;
    }
    Ok(challenge)
}

/// `{"en": ..., "zh-CN": ...}`: at least one language the page speaks, and no other,
/// each text within [`MAX_TEXT_CHARS`].
fn words_by_language<W>(value: &Value, path: &str) -> Result<BTreeMap<String, W>, ScenarioError>
where
    W: for<'de> Deserialize<'de> + Texts,
{
    let object = value
        .as_object()
        .filter(|o| !o.is_empty())
        .ok_or_else(|| wrong(path, "words in en and/or zh-CN"))?;
    let mut out = BTreeMap::new();
    for (code, words) in object {
        let at = join(path, code);
        known_language(code, &at)?;
        let words: W = serde_json::from_value(words.clone())
            .map_err(|e| ScenarioError::new(at.as_str(), Problem::syntax(e)))?;
        for (name, text) in words.texts() {
            bounded(text, &join(&at, name))?;
        }
        if words.texts()[0].1.trim().is_empty() {
            return Err(wrong(&join(&at, words.texts()[0].0), "some words"));
        }
        out.insert(code.clone(), words);
    }
    Ok(out)
}

/// The texts of a set of words, by field name, the one that must not be empty first.
trait Texts {
    fn texts(&self) -> Vec<(&'static str, &str)>;
}

impl Texts for String {
    fn texts(&self) -> Vec<(&'static str, &str)> {
        vec![("", self)]
    }
}

impl Texts for LessonWords {
    fn texts(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("title", &self.title),
            ("try", &self.try_it),
            ("watch", &self.watch),
            ("question", &self.question),
            ("explanation", &self.explanation),
        ]
    }
}

fn known_language(code: &str, path: &str) -> Result<(), ScenarioError> {
    if LANGUAGES.contains(&code) {
        Ok(())
    } else {
        Err(ScenarioError::new(path, Problem::UnknownField))
    }
}

fn bounded(text: &str, path: &str) -> Result<(), ScenarioError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(wrong(path, "at most 4,000 characters"));
    }
    Ok(())
}

/// Ids that read well in a link: letters, digits and `-`, 1 to 64 of them.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// `map`'s entry for `code`, else English, else any.
fn in_language<'a, T>(map: &'a BTreeMap<String, T>, code: &str) -> Option<&'a T> {
    map.get(code)
        .or_else(|| map.get("en"))
        .or_else(|| map.values().next())
}

/// `error`, found inside the part at `path`, said of the whole file.
fn within(path: &str, error: ScenarioError) -> ScenarioError {
    ScenarioError::new(join(path, &error.path), error.problem)
}

#[cfg(test)]
mod tests;
