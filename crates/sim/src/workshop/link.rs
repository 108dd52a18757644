//! A workshop as a link: `#workshop=1.<its JSON, raw-DEFLATE compressed, base64url>`,
//! like a scenario's link (`share`), so a trainer's whole session travels in one
//! address (and its QR code). Decoding is bounded before any work is done on it.

use super::{Workshop, MAX_FILE_BYTES};
use crate::problem::Problem;
use crate::share::broken;
use crate::validate::ScenarioError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// How a workshop link's fragment starts, format included.
pub const LINK_PREFIX: &str = "workshop=1.";
/// Longest fragment read.
pub const MAX_LINK_CHARS: usize = 64 * 1024;

/// The workshop file's JSON as a link carries it: compact, its BOM and spacing gone.
/// `None` if it is not JSON (a file that reads as a workshop always is).
pub fn compact(text: &str) -> Option<Vec<u8>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).ok()?;
    serde_json::to_vec(&value).ok()
}

/// The fragment (without `#`) for `deflated`, the raw DEFLATE of [`compact`]'s JSON.
pub fn link_fragment(deflated: &[u8]) -> String {
    format!("{LINK_PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The deflated JSON in a workshop link's fragment (with or without `#`), checked for
/// length, format and base64; the caller inflates it, stopping at [`MAX_FILE_BYTES`].
pub fn unpack_link(fragment: &str) -> Result<Vec<u8>, ScenarioError> {
    let fragment = fragment.trim_start_matches('#');
    if fragment.len() > MAX_LINK_CHARS {
        return Err(broken(Problem::LinkTooLong));
    }
    let Some(rest) = fragment.strip_prefix("workshop=") else {
        return Err(broken(Problem::LinkNoScenario));
    };
    let (format, payload) = rest
        .split_once('.')
        .ok_or_else(|| broken(Problem::LinkCutShort))?;
    if format != "1" {
        return Err(broken(Problem::LinkFormat {
            reads: "1",
            got: format.chars().take(16).collect(),
        }));
    }
    URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| broken(Problem::LinkNotBase64))
}

/// The workshop in an inflated link.
pub fn read_link(json: &[u8]) -> Result<Workshop, ScenarioError> {
    let text = std::str::from_utf8(json).map_err(|_| broken(Problem::LinkNotUtf8))?;
    Workshop::from_json(text)
}

/// The link fragment of a workshop file's text, compressed natively (the CLI; the page
/// uses the browser's coder).
pub fn encode(text: &str) -> Option<String> {
    let json = compact(text)?;
    Some(link_fragment(&miniz_oxide::deflate::compress_to_vec(
        &json, 10,
    )))
}

/// A workshop link read natively, inflating at most [`MAX_FILE_BYTES`].
pub fn decode(fragment: &str) -> Result<Workshop, ScenarioError> {
    let deflated = unpack_link(fragment)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_FILE_BYTES)
        .map_err(|e| {
            broken(match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Problem::LinkTooLarge,
                _ => Problem::LinkNotDeflate,
            })
        })?;
    read_link(&json)
}
