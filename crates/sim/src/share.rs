//! Shared links: a scenario (and the lesson it belongs to, if any) packed into a URL
//! fragment, and unpacked with a clear reason when a link is broken.
//!
//! The fragment is `s=1.<scenario>` with an optional `&lesson=<id>`. `1` is the link
//! format; `<scenario>` is the scenario's compact JSON, deflated (raw DEFLATE) and
//! base64url-encoded without padding, so a link stays short and survives chat apps.
//! Decoding is bounded: a link longer than [`MAX_LINK_CHARS`] or inflating beyond
//! [`MAX_SCENARIO_BYTES`] is refused before any work is done on it.

use crate::problem::Problem;
use crate::scenario::Scenario;
use crate::validate::ScenarioError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The link format this build writes and reads.
pub const LINK_FORMAT: &str = "1";
/// Longest fragment accepted.
pub const MAX_LINK_CHARS: usize = 64 * 1024;
/// Largest scenario document a link may inflate to.
pub const MAX_SCENARIO_BYTES: usize = 1024 * 1024;
/// Compression level: the strongest; a scenario is a few kilobytes.
const LEVEL: u8 = 10;

/// What a link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// The scenario, with its seed.
    pub scenario: Scenario,
    /// The lesson it belongs to, if any.
    pub lesson: Option<String>,
}

/// The fragment (without `#`) that reproduces `scenario` (and `lesson`).
pub fn encode(scenario: &Scenario, lesson: Option<&str>) -> String {
    fragment(
        &miniz_oxide::deflate::compress_to_vec(&json(scenario), LEVEL),
        lesson,
    )
}

/// The scenario as a link carries it before compression: compact JSON, keys sorted.
/// The page deflates it with the browser's own `CompressionStream` (a DEFLATE coder in
/// the wasm would cost 14 KB of download), the CLI with [`encode`].
#[inline] // compiled in the caller's crate, as `Scenario::from_json` is (page size)
pub fn json(scenario: &Scenario) -> Vec<u8> {
    // Through a `Value`: the page already holds the scenario's `Value` serialiser for
    // decoding, and a second, compact one would cost 3 KB of download.
    let value = serde_json::to_value(scenario).expect("a scenario always serialises");
    serde_json::to_vec(&value).expect("a value always serialises")
}

/// The fragment (without `#`) for `deflated`, the raw DEFLATE of [`json`], and `lesson`.
pub fn fragment(deflated: &[u8], lesson: Option<&str>) -> String {
    let mut fragment = format!("s={LINK_FORMAT}.{}", URL_SAFE_NO_PAD.encode(deflated));
    if let Some(lesson) = lesson {
        fragment.push_str("&lesson=");
        fragment.extend(
            lesson
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-'),
        );
    }
    fragment
}

/// Whether `fragment` (with or without `#`) looks like a shared link at all, so the page
/// can tell "no link" from "a broken link".
pub fn is_link(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with("s=")
}

/// A link taken apart, before its scenario is inflated.
#[derive(Debug, Clone, PartialEq)]
pub struct Packed {
    /// The scenario's JSON, raw-DEFLATE compressed.
    pub deflated: Vec<u8>,
    /// The lesson it belongs to, if any.
    pub lesson: Option<String>,
}

/// Unpacks a fragment (with or without `#`). Every failure says what is wrong with the
/// link in words a user can act on; a scenario that decodes but is invalid names its field.
pub fn decode(fragment: &str) -> Result<Shared, ScenarioError> {
    let packed = unpack(fragment)?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed.deflated, MAX_SCENARIO_BYTES)
            .map_err(|e| {
                broken(match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Problem::LinkTooLarge,
                    _ => Problem::LinkNotDeflate,
                })
            })?;
    read(&json, packed.lesson)
}

/// The first half of [`decode`]: the fragment's format, lesson and base64, checked; the
/// scenario still deflated (the page inflates it with the browser's `DecompressionStream`,
/// stopping at [`MAX_SCENARIO_BYTES`]).
pub fn unpack(fragment: &str) -> Result<Packed, ScenarioError> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_LINK_CHARS {
        return Err(broken(Problem::LinkTooLong));
    }
    let mut scenario_part = None;
    let mut lesson = None;
    for pair in fragment.split('&') {
        match pair.split_once('=') {
            Some(("s", value)) => scenario_part = Some(value),
            Some(("lesson", value)) if valid_lesson_id(value) => lesson = Some(value.to_string()),
            Some(("lesson", _)) => return Err(broken(Problem::LinkBadLesson)),
            _ => {}
        }
    }
    let value = scenario_part.ok_or_else(|| broken(Problem::LinkNoScenario))?;
    let (format, payload) = value
        .split_once('.')
        .ok_or_else(|| broken(Problem::LinkCutShort))?;
    if format != LINK_FORMAT {
        return Err(broken(Problem::LinkFormat {
            reads: LINK_FORMAT,
            got: format.to_string(),
        }));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| broken(Problem::LinkNotBase64))?;
    Ok(Packed { deflated, lesson })
}

/// The second half of [`decode`]: the scenario in a link's inflated `json`.
#[inline] // compiled in the caller's crate, as `Scenario::from_json` is (page size)
pub fn read(json: &[u8], lesson: Option<String>) -> Result<Shared, ScenarioError> {
    let text = std::str::from_utf8(json).map_err(|_| broken(Problem::LinkNotUtf8))?;
    let scenario = Scenario::from_json(text)?;
    Ok(Shared { scenario, lesson })
}

/// A link problem, which has no field path.
pub fn broken(problem: Problem) -> ScenarioError {
    ScenarioError::new("", problem)
}

fn valid_lesson_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short link that unpacks to megabytes (a "zip bomb") is refused as too large,
    /// not mistaken for a damaged one, and nothing beyond the limit is unpacked.
    #[test]
    fn a_link_that_unpacks_too_far_is_refused_as_too_large() {
        let bomb = vec![b' '; 2 * MAX_SCENARIO_BYTES];
        let packed = miniz_oxide::deflate::compress_to_vec(&bomb, LEVEL);
        let link = format!("s={LINK_FORMAT}.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(link.len() < 10_000, "{} chars", link.len());
        let err = decode(&link).unwrap_err();
        assert_eq!(err.problem, Problem::LinkTooLarge);
    }

    #[test]
    fn a_link_round_trips_the_scenario_and_lesson_exactly() {
        let mut s = Scenario {
            seed: 12345,
            ..Scenario::default()
        };
        s.traffic.write_fraction = 0.123_456_789;
        let link = encode(&s, Some("stampede"));
        assert!(link.len() < 1200, "{} chars", link.len());
        let shared = decode(&format!("#{link}")).unwrap();
        assert_eq!(shared.scenario, s);
        assert_eq!(shared.lesson.as_deref(), Some("stampede"));
        assert_eq!(decode(&encode(&s, None)).unwrap().lesson, None);
    }

    #[test]
    fn broken_links_say_what_is_wrong() {
        let good = encode(&Scenario::default(), None);
        let cut = &good[..good.len() / 2];
        for (link, expected) in [
            (cut, "cut short"),
            ("s=1", "cut short"),
            ("s=2.abc", "link format"),
            ("lesson=x", "no scenario"),
            ("s=1.!!!", "cut short or changed"),
            (&format!("{good}&lesson=<b>"), "lesson name"),
        ] {
            let err = decode(link).unwrap_err().to_string();
            assert!(err.contains(expected), "{link}: {err}");
        }
        let huge = format!("s=1.{}", "A".repeat(MAX_LINK_CHARS));
        assert!(decode(&huge).unwrap_err().to_string().contains("longer"));
    }

    #[test]
    fn an_invalid_scenario_in_a_good_link_names_its_field() {
        let mut s = Scenario::default();
        s.servers.workers = 0;
        let json = serde_json::to_vec(&s).unwrap();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 6);
        let link = format!("s=1.{}", URL_SAFE_NO_PAD.encode(packed));
        let err = decode(&link).unwrap_err();
        assert_eq!(err.path, "servers.workers");
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let zeros = vec![b' '; MAX_SCENARIO_BYTES * 4];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 10);
        let link = format!("s=1.{}", URL_SAFE_NO_PAD.encode(packed));
        assert!(link.len() < MAX_LINK_CHARS, "the bomb fits in a link");
        assert!(decode(&link).is_err());
    }
}
