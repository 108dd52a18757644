//! Decoding the file's tagged objects (`{"kind": "step", "at": 10, "rate": 900}`).
//!
//! Serde's internally tagged enums buffer each object before decoding it, and their
//! decoders cost about 2 KB of the page's download each (measured: docs/performance.md).
//! So each such enum is decoded through one flat struct: its tag as a plain enum and
//! every field any kind has as an option; `TryFrom` then builds the kind the tag names
//! and says which field it misses. A field that another kind has (`period` on a step) is
//! refused after decoding by `Scenario::reject_unknown_keys`, with its path. Writing
//! stays serde's derived, internally tagged form.

/// `value`, or serde's words for a field the kind needs.
pub fn need<T>(value: Option<T>, name: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}
