//! A course as data: each lesson's preset and change written in JSON, in the scenario
//! file's own terms, so adding a lesson is adding an entry to `lessons/course.json`
//! (no code), the page fetches the course only when a lesson is first shown (its
//! download stays out of the first load), and a trainer can write one the same way.
//!
//! Both the preset and the change are JSON merge patches (RFC 7386): objects merge key
//! by key, `null` turns an optional part off (the cache, a timeout), any other value
//! replaces. One rule is ours: an object whose `kind` (or `mode`) differs from the one
//! it patches replaces it whole, so `{"kind": "token_bucket", ...}` over a fixed window
//! does not keep the window's fields. The preset patches the walk-through default (a
//! complete scenario is a patch too: it replaces everything), the change patches the
//! scenario as it stands when the learner makes it.

use crate::engine::Change;
use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use serde_json::{Map, Value};

pub(crate) use crate::patch::patched;

/// A course: its lessons in order.
#[derive(Debug, Clone)]
pub struct Course {
    lessons: Vec<LessonData>,
}

/// One lesson's model: where it starts and what it asks the learner to change, as the
/// file has it (`{"id", "groups", "preset", "change"}`). Its words (what to try, to
/// watch, the question) belong to the page's languages.
///
/// Kept as the file's JSON value and read when asked rather than decoded into fields:
/// the page holds the value's decoder anyway (scenarios are checked with it), and a
/// decoder of its own for the course cost the page 1.7 KB of download (measured, twiggy).
/// [`Course::check`] reads every part once, as the tests and the CLI do.
#[derive(Debug, Clone)]
pub struct LessonData {
    value: Value,
    /// Where the lesson is in its file, for error paths: `lessons[3]`.
    path: String,
}

// Readers: each part where the file has it, or what is wrong with it at its path.
impl Course {
    /// Reads a course: a JSON object whose `lessons` is a list. Each lesson is read
    /// when used, or all at once by [`Course::check`].
    pub fn from_json(text: &str) -> Result<Self, ScenarioError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc: Value =
            serde_json::from_str(text).map_err(|e| ScenarioError::new("", Problem::syntax(e)))?;
        let Some(Value::Array(lessons)) = doc.get("lessons") else {
            return Err(wrong("lessons", "a list of lessons"));
        };
        let lessons = lessons
            .iter()
            .enumerate()
            .map(|(i, value)| LessonData {
                value: value.clone(),
                path: format!("lessons[{i}]"),
            })
            .collect();
        Ok(Course { lessons })
    }

    /// Every part of every lesson read once: the keys known, ids strings and unique,
    /// groups a list of names, the change one of its two forms, each preset a valid
    /// scenario and each change applicable to it.
    pub fn check(&self) -> Result<(), ScenarioError> {
        for (i, lesson) in self.lessons.iter().enumerate() {
            only_keys(
                &lesson.value,
                &lesson.path,
                &["id", "groups", "preset", "change"],
            )?;
            let id = lesson.id();
            if id.is_empty() || self.lessons[..i].iter().any(|l| l.id() == id) {
                return Err(wrong(
                    &join(&lesson.path, "id"),
                    "a string, each lesson's own",
                ));
            }
            let groups = lesson.value.get("groups").and_then(Value::as_array);
            if !groups.is_some_and(|g| g.iter().all(Value::is_string)) {
                return Err(wrong(
                    &join(&lesson.path, "groups"),
                    "a list of group names",
                ));
            }
            lesson.check_model()?;
        }
        Ok(())
    }

    /// The lessons, in the order they are taught.
    pub fn lessons(&self) -> &[LessonData] {
        &self.lessons
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&LessonData> {
        self.lessons.iter().find(|l| l.id() == id)
    }
}

impl LessonData {
    /// A lesson written elsewhere (a trainer's, in a workshop at `path`) with just its
    /// model, `{"id", "preset", "change"}`, read and checked.
    pub(crate) fn read(value: Value, path: String) -> Result<Self, ScenarioError> {
        only_keys(&value, &path, &["id", "preset", "change"])?;
        if !value.get("id").is_some_and(Value::is_string) {
            return Err(wrong(&join(&path, "id"), "a string"));
        }
        let lesson = LessonData { value, path };
        lesson.check_model()?;
        Ok(lesson)
    }

    /// The change is one of its two forms, the preset a valid scenario and the change
    /// applicable to it.
    fn check_model(&self) -> Result<(), ScenarioError> {
        let change_path = join(&self.path, "change");
        let change = self
            .value
            .get("change")
            .ok_or_else(|| missing(&self.path, "change"))?;
        only_keys(change, &change_path, &["settings", "kill_server"])?;
        if change.as_object().map_or(0, Map::len) != 1 {
            return Err(wrong(&change_path, "one change"));
        }
        let preset = self.preset()?;
        self.try_it(&preset).map(|_| ())
    }

    /// The change as the file writes it (`Value::Null` if it has none).
    pub(crate) fn change(&self) -> &Value {
        self.value.get("change").unwrap_or(&Value::Null)
    }

    /// Stable id, used in links and saved progress ("" if the file gives none).
    pub fn id(&self) -> &str {
        self.value.get("id").and_then(Value::as_str).unwrap_or("")
    }

    /// The settings groups the lesson works with (the page's names: `traffic`,
    /// `balancer`, `servers`, `cache`, `database`, `protection`, `theory`): presenter
    /// mode shows these beside the lesson.
    pub fn groups(&self) -> impl Iterator<Item = &str> {
        let groups = self.value.get("groups").and_then(Value::as_array);
        groups
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(Value::as_str)
    }

    /// The scenario the lesson starts from: its `preset`, a merge patch over the
    /// walk-through default.
    pub fn preset(&self) -> Result<Scenario, ScenarioError> {
        let patch = self
            .value
            .get("preset")
            .ok_or_else(|| missing(&self.path, "preset"))?;
        patched(&Scenario::default(), patch).map_err(|e| within(&self.path, "preset", e))
    }

    /// The lesson's change, made on `current` (the scenario as it stands): its `change`
    /// is `{"settings": patch}`, a merge patch over `current`, or `{"kill_server": N}`.
    pub fn try_it(&self, current: &Scenario) -> Result<Change, ScenarioError> {
        let change = self
            .value
            .get("change")
            .ok_or_else(|| missing(&self.path, "change"))?;
        if let Some(patch) = change.get("settings") {
            let next =
                patched(current, patch).map_err(|e| within(&self.path, "change.settings", e))?;
            return Ok(Change::Scenario(Box::new(next)));
        }
        match change.get("kill_server").and_then(Value::as_u64) {
            Some(index) => Ok(Change::KillServer(index.min(u64::from(u32::MAX)) as u32)),
            None => Err(wrong(
                &join(&self.path, "change"),
                r#"{"settings": {...}} or {"kill_server": N}"#,
            )),
        }
    }
}

/// Serde's words for a missing field `name` of the object at `path`.
fn missing(path: &str, name: &str) -> ScenarioError {
    ScenarioError::new(path, Problem::Syntax(format!("missing field `{name}`")))
}

/// Refuses an object with a key beyond `known`, at the key's path.
pub(crate) fn only_keys(value: &Value, path: &str, known: &[&str]) -> Result<(), ScenarioError> {
    let object = value.as_object().ok_or_else(|| wrong(path, "an object"))?;
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(ScenarioError::new(join(path, key), Problem::UnknownField)),
        None => Ok(()),
    }
}

/// The problem of a value that is not `what`.
pub(crate) fn wrong(path: &str, what: &str) -> ScenarioError {
    ScenarioError::new(path, Problem::Syntax(format!("expected {what}")))
}

/// The path of `key` inside `path` (either may be the document itself, "").
pub(crate) fn join(path: &str, key: &str) -> String {
    match (path, key) {
        ("", key) => key.to_string(),
        (path, "") => path.to_string(),
        _ => format!("{path}.{key}"),
    }
}

/// `error`, found in the part `key` of the object at `path`, said of the whole file.
fn within(path: &str, key: &str, error: ScenarioError) -> ScenarioError {
    ScenarioError::new(join(&join(path, key), &error.path), error.problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn course(lessons: Value) -> Course {
        Course::from_json(&json!({ "lessons": lessons }).to_string()).unwrap()
    }

    fn problem(lesson: Value) -> String {
        course(json!([lesson])).check().unwrap_err().to_string()
    }

    /// A preset patches the default; a change patches the scenario as it stands, so
    /// what the learner changed before is kept.
    #[test]
    fn the_preset_patches_the_default_and_the_change_the_scenario_as_it_stands() {
        let c = course(json!([{"id": "x", "groups": ["servers"],
            "preset": {"cache": null, "servers": {"workers": 7}},
            "change": {"settings": {"servers": {"cores": 2}}}}]));
        c.check().unwrap();
        let lesson = c.lesson("x").unwrap();
        let preset = lesson.preset().unwrap();
        assert_eq!((preset.servers.workers, preset.cache.is_none()), (7, true));
        let mut mine = preset.clone();
        mine.servers.count = 9;
        let Change::Scenario(next) = lesson.try_it(&mine).unwrap() else {
            panic!("a settings change");
        };
        assert_eq!(
            (next.servers.count, next.servers.cores, next.servers.workers),
            (9, 2, 7)
        );
        assert_eq!(lesson.groups().collect::<Vec<_>>(), ["servers"]);
    }

    /// What is wrong is said with its path in the course file.
    #[test]
    fn problems_are_named_by_their_path_in_the_file() {
        let ok = json!({"id": "x", "groups": [], "preset": {}, "change": {"kill_server": 1}});
        let with = |key: &str, value: Value| {
            let mut lesson = ok.clone();
            lesson[key] = value;
            problem(lesson)
        };
        assert!(with("preset", json!({"servers": {"workers": 0}}))
            .starts_with("lessons[0].preset.servers.workers: "));
        assert!(with("preset", json!({"servers": {"wrokers": 3}}))
            .starts_with("lessons[0].preset.servers.wrokers"));
        assert!(with("change", json!({"settings": {"seed": "one"}}))
            .starts_with("lessons[0].change.settings.seed"));
        assert!(with("change", json!({"kill": 1})).starts_with("lessons[0].change.kill:"));
        assert!(with("change", json!({})).starts_with("lessons[0].change: expected one change"));
        assert!(with("groups", json!("servers")).starts_with("lessons[0].groups: expected"));
        assert!(with("title", json!("t")).starts_with("lessons[0].title: unknown field"));
        assert!(with("id", json!(3)).starts_with("lessons[0].id: expected"));
        let twice = course(json!([ok.clone(), ok])).check().unwrap_err();
        assert_eq!(twice.path, "lessons[1].id");
        let no_list = Course::from_json(r#"{"lessons": 3}"#).unwrap_err();
        assert_eq!(no_list.path, "lessons");
        assert!(Course::from_json(r#"{"lessons": ["#).is_err());
    }
}
