//! The learner's progress in this browser: each challenge's best stars (0: played, not
//! passed yet), kept in local storage as `{"first-spike": 2, ...}`.

use std::collections::BTreeMap;

/// Where the progress is kept.
const KEY: &str = "loadlab.challenges";
/// Where an unreadable record is moved, so nothing the learner had is lost.
const UNREADABLE: &str = "loadlab.challenges.unreadable";

/// Best stars by challenge id.
pub type Progress = BTreeMap<String, u8>;

fn storage() -> Option<web_sys::Storage> {
    gloo_utils::window().local_storage().ok().flatten()
}

/// The progress kept, and whether a record was there but unreadable (then moved aside).
pub fn load() -> (Progress, bool) {
    let Some(storage) = storage() else {
        return (Progress::new(), false);
    };
    let Some(text) = storage.get_item(KEY).ok().flatten() else {
        return (Progress::new(), false);
    };
    match read(&text) {
        Some(progress) => (progress, false),
        None => {
            let _ = storage.set_item(UNREADABLE, &text);
            let _ = storage.remove_item(KEY);
            (Progress::new(), true)
        }
    }
}

/// A record's progress, if it reads as one (stars from 0 to 3).
pub fn read(text: &str) -> Option<Progress> {
    let progress: Progress = serde_json::from_str(text).ok()?;
    progress.values().all(|&s| s <= 3).then_some(progress)
}

/// Keeps `stars` for `id` if better than its best, and saves.
pub fn record(progress: &mut Progress, id: &str, stars: u8) {
    let best = progress.entry(id.to_string()).or_insert(stars);
    *best = (*best).max(stars);
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(KEY, &text);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_record_reads_only_as_stars() {
        assert_eq!(super::read(r#"{"a": 2, "b": 0}"#).unwrap().len(), 2);
        assert!(super::read(r#"{"a": 7}"#).is_none());
        assert!(super::read("[1, 2]").is_none());
        assert!(super::read("{").is_none());
    }
}
