//! A challenge's result as a link: the challenge's id and the learner's settings (a
//! merge patch over its start, a few hundred bytes of JSON) in the page's fragment,
//! `challenge=first-spike&settings=<base64url JSON>`. The run is a pure function of
//! both, so opening the link plays the very same run and scores it the same.

use crate::problem::Problem;
use crate::validate::ScenarioError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// Longest fragment read: settings are small; anything longer is not ours.
pub const MAX_RESULT_CHARS: usize = 16 * 1024;

/// The fragment (without `#`) for `settings` played on challenge `id`.
pub fn result_fragment(id: &str, settings: &Value) -> String {
    let json = serde_json::to_vec(settings).expect("a value always serialises");
    format!("challenge={id}&settings={}", URL_SAFE_NO_PAD.encode(json))
}

/// The challenge's id and the settings in a result link's fragment (with or without
/// `#`); every failure a sentence about the link.
pub fn read_result(fragment: &str) -> Result<(String, Value), ScenarioError> {
    let broken = |problem| ScenarioError::new("link", problem);
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_RESULT_CHARS {
        return Err(broken(Problem::LinkTooLong));
    }
    let rest = fragment
        .strip_prefix("challenge=")
        .ok_or(broken(Problem::LinkNoScenario))?;
    let (id, settings) = match rest.split_once('&') {
        Some((id, tail)) => (id, tail.strip_prefix("settings=")),
        None => (rest, None),
    };
    let settings = match settings {
        None => Value::Object(Default::default()),
        Some(text) => {
            let json = URL_SAFE_NO_PAD
                .decode(text)
                .map_err(|_| broken(Problem::LinkNotBase64))?;
            serde_json::from_slice(&json).map_err(|e| broken(Problem::syntax(e)))?
        }
    };
    Ok((id.to_string(), settings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_result_link_carries_the_id_and_the_settings_back() {
        let settings = json!({"servers": {"count": 3, "workers": 12}});
        let fragment = result_fragment("first-spike", &settings);
        assert!(fragment.len() < 120, "{fragment}");
        let read = read_result(&format!("#{fragment}")).unwrap();
        assert_eq!(read, ("first-spike".to_string(), settings));
        // No settings: the start as it is.
        assert_eq!(read_result("challenge=x").unwrap().1, json!({}));
    }

    #[test]
    fn a_broken_result_link_says_what_is_wrong() {
        let problem = |f: &str| read_result(f).unwrap_err().problem;
        assert_eq!(problem("s=1.abc"), Problem::LinkNoScenario);
        assert_eq!(problem("challenge=x&settings=***"), Problem::LinkNotBase64);
        let not_json = format!("challenge=x&settings={}", URL_SAFE_NO_PAD.encode("{"));
        assert!(matches!(problem(&not_json), Problem::Syntax(_)));
        let long = format!("challenge=x&settings={}", "A".repeat(MAX_RESULT_CHARS));
        assert_eq!(problem(&long), Problem::LinkTooLong);
    }
}
