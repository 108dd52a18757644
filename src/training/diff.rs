//! The learner's settings as the challenge file writes them: the merge patch that turns
//! the challenge's start into the scenario the controls made, and the settings it
//! changes, each with its value before and after.

use serde_json::{Map, Value};

/// Settings the diff leaves out: they change nothing that runs (the what-if curve's
/// settings travel with the scenario).
const IGNORED: [&str; 1] = ["curve"];

/// The merge patch that turns `from` into `to` (with the lessons' rule: an object of
/// another `kind` or `mode` is written whole, as merging replaces it).
pub fn diff(from: &Value, to: &Value) -> Value {
    let (Value::Object(a), Value::Object(b)) = (from, to) else {
        return to.clone();
    };
    let other_kind = ["kind", "mode"]
        .iter()
        .any(|tag| a.get(*tag) != b.get(*tag));
    if other_kind {
        return to.clone();
    }
    let mut patch = Map::new();
    for (key, new) in b {
        match a.get(key) {
            Some(old) if old == new => {}
            Some(old) => {
                patch.insert(key.clone(), diff(old, new));
            }
            None => {
                patch.insert(key.clone(), new.clone());
            }
        }
    }
    for key in a.keys().filter(|k| !b.contains_key(*k)) {
        patch.insert(key.clone(), Value::Null);
    }
    Value::Object(patch)
}

/// The learner's settings: what changed from `start` to `now`, both whole scenarios as
/// JSON values, leaving out what changes nothing that runs.
pub fn settings(start: &Value, now: &Value) -> Value {
    let mut patch = diff(start, now);
    if let Value::Object(map) = &mut patch {
        for key in IGNORED {
            map.remove(key);
        }
    }
    patch
}

/// Each setting `patch` changes: its path, and its value in `before` and in `after`.
pub fn changed(patch: &Value, before: &Value, after: &Value) -> Vec<(String, Value, Value)> {
    loadlab_sim::challenges::leaf_paths(patch)
        .into_iter()
        .map(|path| {
            let at = |v: &Value| {
                let pointer = format!("/{}", path.replace('.', "/"));
                v.pointer(&pointer).cloned().unwrap_or(Value::Null)
            };
            let (old, new) = (at(before), at(after));
            (path, old, new)
        })
        .collect()
}

/// A setting's value in a few characters: `3`, `least_connections`, `off`.
pub fn short(value: &Value) -> String {
    match value {
        Value::Null => "—".to_string(),
        Value::String(s) => s.clone(),
        Value::Object(map) => match map.get("kind").and_then(Value::as_str) {
            Some(kind) => kind.to_string(),
            None => "{…}".to_string(),
        },
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use loadlab_sim::patch::merge;
    use serde_json::json;

    /// Merging the diff into the start gives the scenario back, whatever changed: a
    /// number, a part turned on or off, an object of another kind.
    #[test]
    fn the_diff_merged_into_the_start_is_the_scenario_again() {
        let start = json!({"servers": {"count": 2, "workers": 4}, "cache": null,
            "balancer": {"kind": "round_robin"}, "curve": null,
            "health_check": {"interval_seconds": 1.0, "failure_threshold": 3}});
        let now = json!({"servers": {"count": 3, "workers": 4},
            "cache": {"capacity": 100, "policy": {"kind": "lru"}},
            "balancer": {"kind": "p2c", "seed_offset": 1}, "curve": {"points": 5},
            "health_check": null});
        let patch = settings(&start, &now);
        assert!(patch.get("curve").is_none(), "the curve is left out");
        let mut merged = start.clone();
        merge(&mut merged, &patch);
        merged["curve"] = now["curve"].clone();
        assert_eq!(merged, now);
        let paths: Vec<String> = changed(&patch, &start, &now)
            .into_iter()
            .map(|(p, _, _)| p)
            .collect();
        assert_eq!(
            paths,
            [
                "balancer.kind",
                "balancer.seed_offset",
                "cache.capacity",
                "cache.policy.kind",
                "health_check",
                "servers.count"
            ]
        );
        assert_eq!(settings(&start, &start), json!({}));
    }
}
