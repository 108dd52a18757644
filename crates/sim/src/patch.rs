//! JSON merge patches over a scenario (RFC 7386, with one rule of ours), as lessons,
//! challenges and their scripts write them: objects merge key by key, `null` turns an
//! optional part off, any other value replaces; an object whose `kind` (or `mode`)
//! differs from the one it patches replaces it whole, so `{"kind": "token_bucket", ...}`
//! over a fixed window does not keep the window's fields.

use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use serde_json::{Map, Value};

/// `base` with `patch` merged in, read back as a scenario (so it is validated, and an
/// error names the field by its path in the scenario).
pub fn patched(base: &Scenario, patch: &Value) -> Result<Scenario, ScenarioError> {
    let mut value = serde_json::to_value(base).expect("a scenario always serialises");
    merge(&mut value, patch);
    Scenario::from_json(&value.to_string())
}

/// RFC 7386 merge of `patch` into `target`, with an object of another `kind` (or I/O
/// `mode`) replacing.
/// A `null` is kept as `null` rather than removed: in a scenario an absent optional
/// part and a `null` one read alike, and the page is spared a map's removal code.
pub fn merge(target: &mut Value, patch: &Value) {
    let Value::Object(from) = patch else {
        *target = patch.clone();
        return;
    };
    let other_kind = ["kind", "mode"]
        .iter()
        .any(|tag| from.get(*tag).is_some_and(|t| target.get(*tag) != Some(t)));
    if other_kind || !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(into) = target else {
        return;
    };
    for (key, value) in from {
        match into.get_mut(key) {
            Some(old) => merge(old, value),
            None => {
                let mut new = Value::Null;
                merge(&mut new, value);
                into.insert(key.clone(), new);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Objects merge key by key, other values replace, `null` turns a part off, and an
    /// object of another kind replaces the one it patches (no fields of the old kind
    /// are left behind).
    #[test]
    fn a_patch_merges_replaces_and_switches_kinds() {
        let mut target = json!({"a": {"b": 1, "c": 2}, "d": [1, 2], "e": {"x": 1},
                                "lim": {"kind": "fixed_window", "limit": 100, "window": 1}});
        let patch = json!({"a": {"c": 3}, "d": [5], "e": null,
                           "lim": {"kind": "token_bucket", "rate": 100, "burst": 10}});
        merge(&mut target, &patch);
        assert_eq!(
            target,
            json!({"a": {"b": 1, "c": 3}, "d": [5], "e": null,
                   "lim": {"kind": "token_bucket", "rate": 100, "burst": 10}})
        );
    }
}
