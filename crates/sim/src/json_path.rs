//! Which field of a JSON document a position is in: `servers.weights[2]` for a decoding
//! error serde reports at line 12, column 7.
//!
//! Why not track the path while decoding (as `serde_path_to_error` does): that doubles
//! the decoding code of every type in the scenario, about 25 KB of the page's download.
//! An error is rare; walking the text up to it once is cheap and small.

use serde_json::Value;

/// One open container while walking the text.
enum Open {
    /// An object, with the key whose value is being read (or was last read).
    Object(Option<String>),
    /// An array, with the index of the entry being read.
    Array(usize),
}

/// The path (`a.b[2].c`) of the field at `line` and `column` (both from 1, as
/// serde_json counts them) of `text`; empty at the top level.
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    let end = offset(text, line, column);
    let bytes = text.as_bytes();
    let mut stack: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'{' => stack.push(Open::Object(None)),
            b'[' => stack.push(Open::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Open::Array(n)) => *n += 1,
                Some(Open::Object(key)) => *key = None,
                None => {}
            },
            b'"' => {
                let (string, next) = read_string(bytes, i);
                if let Some(Open::Object(key @ None)) = stack.last_mut() {
                    if is_key(bytes, next) {
                        *key = Some(string);
                    }
                }
                i = next;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    join(&stack)
}

/// The byte offset of `line`, `column` (from 1): serde_json counts columns in bytes.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    start + column
}

/// The string that opens at `at` (a quote), unescaped enough for a key, and the offset
/// after its closing quote.
fn read_string(bytes: &[u8], at: usize) -> (String, usize) {
    let mut out = Vec::new();
    let mut i = at + 1;
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            i += 1;
        }
        if let Some(&b) = bytes.get(i) {
            out.push(b);
        }
        i += 1;
    }
    (String::from_utf8_lossy(&out).into_owned(), i + 1)
}

/// Whether the string that ended before `at` is a key (a colon follows it).
fn is_key(bytes: &[u8], at: usize) -> bool {
    bytes[at.min(bytes.len())..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b':')
}

fn join(stack: &[Open]) -> String {
    let mut path = String::new();
    for open in stack {
        match open {
            Open::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Object(None) => {}
            Open::Array(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

/// The paths (`a.b[2].c`) of every number in `doc`, in the order its maps iterate.
pub fn numbers(doc: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect(doc, String::new(), &mut found);
    found
}

fn collect(value: &Value, at: String, found: &mut Vec<String>) {
    match value {
        Value::Number(_) => found.push(at),
        Value::Object(fields) => {
            for (name, v) in fields {
                let next = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                collect(v, next, found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, format!("{at}[{i}]"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_names_its_field() {
        let text = "{\n  \"servers\": {\n    \"weights\": [1, 2, x],\n    \"b\": 1\n  }\n}";
        assert_eq!(path_at(text, 3, 22), "servers.weights[2]");
        assert_eq!(path_at(text, 4, 9), "servers.b");
        assert_eq!(path_at(text, 1, 1), "");
    }

    #[test]
    fn numbers_are_found_at_their_paths() {
        let doc: Value =
            serde_json::from_str(r#"{"a": {"b": [1, "x", {"c": 2.5}]}, "d": true}"#).unwrap();
        assert_eq!(numbers(&doc), ["a.b[0]", "a.b[2].c"]);
    }

    #[test]
    fn strings_with_braces_and_escapes_do_not_confuse_it() {
        let text = r#"{"a": "}{[\"", "b": {"c": [true, {"d": 1}]}}"#;
        let at = text.find("1}").unwrap() + 1;
        assert_eq!(path_at(text, 1, at), "b.c[1].d");
    }
}
