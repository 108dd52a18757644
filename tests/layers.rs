//! The layers of ARCHITECTURE.md, enforced: every `crate::`, `super::` and `self::` path
//! in the core's and the page's sources must name a module in its own layer or below,
//! and no modules may use each other in a circle.
//!
//! Why a test and not a convention: an upward import compiles fine in Rust and is found
//! only when someone tries to move a module. The tables this test reads are the ones
//! ARCHITECTURE.md shows, so the document and the code cannot drift apart.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module's path inside its crate, like `engine::flow` (empty for the crate root).
type Module = String;

/// What one crate's sources say: each module's file text, minus comments and tests.
struct Crate {
    sources: BTreeMap<Module, String>,
}

/// An import that breaks a rule, as a sentence.
type Violation = String;

impl Crate {
    /// Reads every `.rs` file under `root` except binaries and test files.
    fn read(root: &Path) -> Self {
        let mut sources = BTreeMap::new();
        read_dir(root, root, &mut sources);
        Self { sources }
    }

    fn modules(&self) -> BTreeSet<&str> {
        self.sources.keys().map(String::as_str).collect()
    }

    /// `(from, to, path)` for every path in a module that names another module of the
    /// crate, its own submodules and ancestors left out (a directory module is one unit
    /// to the rest of the crate; inside it, only siblings are compared).
    fn edges(&self) -> Vec<(Module, Module, String)> {
        let modules = self.modules();
        let exports = self.reexports();
        let mut out = Vec::new();
        for (from, text) in &self.sources {
            for path in paths(text) {
                let Some(to) = resolve(from, &path, &modules, &exports) else {
                    continue;
                };
                let related = to == *from
                    || to.is_empty()
                    || from.starts_with(&format!("{to}::"))
                    || to.starts_with(&format!("{from}::"))
                    || from.is_empty();
                if !related {
                    out.push((from.clone(), to, path));
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// Names that a module re-exports from one of its submodules (`pub use child::Name`),
    /// so `crate::engine::Change` counts as a use of `engine::changes`.
    fn reexports(&self) -> BTreeMap<(Module, String), Module> {
        let modules = self.modules();
        let mut out = BTreeMap::new();
        for (module, text) in &self.sources {
            for statement in use_statements(text, true) {
                for path in expand(&statement) {
                    let name = path.rsplit("::").next().unwrap_or("").to_string();
                    let full = if path.starts_with("crate::") || path.starts_with("self::") {
                        path.clone()
                    } else {
                        format!("self::{path}")
                    };
                    if let Some(target) = resolve(module, &full, &modules, &BTreeMap::new()) {
                        if target != *module {
                            out.insert((module.clone(), name), target);
                        }
                    }
                }
            }
        }
        out
    }
}

fn read_dir(root: &Path, dir: &Path, out: &mut BTreeMap<Module, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path.strip_prefix(root).expect("under root");
        let name = rel.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            if name != "bin" && !name.ends_with("/tests") && name != "tests" {
                read_dir(root, &path, out);
            }
            continue;
        }
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        let file = stem.rsplit('/').next().unwrap_or(stem);
        if file == "tests" || file.ends_with("_tests") || stem == "main" {
            continue;
        }
        let module = match stem {
            "lib" => String::new(),
            _ => stem.trim_end_matches("/mod").replace('/', "::"),
        };
        let text = std::fs::read_to_string(&path).expect("readable source");
        out.insert(module, strip_tests(&strip_comments(&text)));
    }
}

/// The source without comments, doc comments and string literals' contents, so a path
/// named in prose is not taken for a use.
fn strip_comments(text: &str) -> String {
    let bytes: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let next = bytes.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < bytes.len() && bytes[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < bytes.len() && !(bytes[i] == '*' && bytes[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < bytes.len() && bytes[i] != '"' {
                i += if bytes[i] == '\\' { 2 } else { 1 };
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && next.is_some_and(|n| n != '\\') && bytes.get(i + 2) == Some(&'\'') {
            // A char literal like '{' must not count as a brace.
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The source without `#[cfg(test)]` items (test modules and test-only helpers).
fn strip_tests(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The item ends at `;` before any brace, or at the brace that closes its body.
        let end = match (after.find(';'), after.find('{')) {
            (Some(semi), Some(brace)) if semi < brace => semi + 1,
            (_, Some(brace)) => matching_brace(after, brace) + 1,
            (Some(semi), None) => semi + 1,
            (None, None) => after.len(),
        };
        rest = &after[end.min(after.len())..];
    }
    out.push_str(rest);
    out
}

fn matching_brace(text: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len() - 1
}

/// The text of every `use …;` statement (only `pub use` ones when `public`).
fn use_statements(text: &str, public: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let before = &rest[..at];
        let word_start = before
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let is_pub = before.trim_end().ends_with("pub") || before.trim_end().ends_with(')');
        let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
        if word_start && (!public || is_pub) {
            out.push(rest[at + 4..end].split_whitespace().collect());
        }
        rest = &rest[(at + 4).min(end)..];
    }
    out
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e` (aliases and globs dropped).
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree
            .split(" as ")
            .next()
            .unwrap_or(tree)
            .trim_end_matches("::*");
        return vec![path.to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..matching_brace(tree, open)];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p.trim()))
        .map(|p| match p.as_str() {
            "self" => prefix.trim_end_matches("::").to_string(),
            _ => format!("{prefix}{p}"),
        })
        .collect()
}

/// Every path starting at `crate`, `super` or `self`: those of `use` statements,
/// expanded, and those written inline in code.
fn paths(text: &str) -> Vec<String> {
    let mut out: Vec<String> = use_statements(text, false)
        .iter()
        .flat_map(|s| expand(s))
        .filter(|p| is_local(p))
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let boundary = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        if boundary && chars[i].is_alphabetic() {
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == ':')
            {
                j += 1;
            }
            let word: String = chars[i..j].iter().collect();
            let word = word.trim_end_matches(':').to_string();
            if is_local(&word) && word.contains("::") {
                out.push(word);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn is_local(path: &str) -> bool {
    ["crate::", "super::", "self::"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// The module a path names, following re-exports to where the name lives.
fn resolve(
    from: &str,
    path: &str,
    modules: &BTreeSet<&str>,
    exports: &BTreeMap<(Module, String), Module>,
) -> Option<Module> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<String> = match segments.first() {
        Some(&"crate") => Vec::new(),
        Some(&"self") | Some(&"super") => module_of_file(from, modules),
        _ => return None,
    };
    if segments[0] == "crate" || segments[0] == "self" {
        segments.remove(0);
    }
    while segments.first() == Some(&"super") {
        base.pop();
        segments.remove(0);
    }
    let mut module = base.join("::");
    for segment in segments {
        let child = if module.is_empty() {
            segment.to_string()
        } else {
            format!("{module}::{segment}")
        };
        if modules.contains(child.as_str()) {
            module = child;
        } else if let Some(target) = exports.get(&(module.clone(), segment.to_string())) {
            module = target.clone();
        } else {
            break;
        }
    }
    Some(module)
}

/// The module whose scope a file's `self` and `super` start from: the file's module
/// itself (for `engine/flow.rs`, `engine::flow`; its `super` is `engine`).
fn module_of_file(from: &str, _modules: &BTreeSet<&str>) -> Vec<String> {
    if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").map(str::to_string).collect()
    }
}

/// Layers from ARCHITECTURE.md: the table under `heading`, one row per layer, lowest
/// first; its last column lists the modules in backticks.
fn layers(architecture: &str, heading: &str) -> BTreeMap<Module, usize> {
    let section = architecture
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("ARCHITECTURE.md has no {heading:?}"));
    let mut out = BTreeMap::new();
    let rows = section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2);
    for (layer, row) in rows.enumerate() {
        let modules = row.trim_end_matches('|').rsplit('|').next().unwrap_or("");
        for name in modules.split('`').skip(1).step_by(2) {
            out.insert(name.to_string(), layer);
        }
    }
    assert!(
        !out.is_empty(),
        "the table under {heading:?} lists no module"
    );
    out
}

/// The layer of `module`: that of the nearest ancestor the table names.
fn layer_of(module: &str, layers: &BTreeMap<Module, usize>) -> Option<usize> {
    let mut name = module;
    loop {
        if let Some(&layer) = layers.get(name) {
            return Some(layer);
        }
        name = &name[..name.rfind("::")?];
    }
}

/// Every import that runs upward, every module the table forgets, and every cycle.
fn violations(krate: &Crate, layers: &BTreeMap<Module, usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for module in krate.modules().into_iter().filter(|m| !m.is_empty()) {
        if layer_of(module, layers).is_none() {
            out.push(format!("`{module}` is in no layer of ARCHITECTURE.md"));
        }
    }
    let edges = krate.edges();
    for (from, to, path) in &edges {
        if let (Some(a), Some(b)) = (layer_of(from, layers), layer_of(to, layers)) {
            if b > a {
                out.push(format!(
                    "`{from}` (layer {a}) uses `{to}` (layer {b}), above it: `{path}`"
                ));
            }
        }
    }
    for cycle in cycles(&edges) {
        out.push(format!(
            "modules that use each other in a circle: {}",
            cycle.join(", ")
        ));
    }
    out
}

/// The strongly connected components of more than one module (Tarjan), each sorted.
fn cycles(edges: &[(Module, Module, String)]) -> Vec<Vec<Module>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b, _) in edges {
        graph.entry(a).or_default().insert(b);
        graph.entry(b).or_default();
    }
    let mut state = Tarjan::default();
    for &node in graph.keys() {
        if !state.index.contains_key(node) {
            state.visit(node, &graph);
        }
    }
    state
        .components
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|mut c| {
            c.sort();
            c
        })
        .collect()
}

#[derive(Default)]
struct Tarjan<'a> {
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    components: Vec<Vec<Module>>,
}

impl<'a> Tarjan<'a> {
    fn visit(&mut self, node: &'a str, graph: &BTreeMap<&'a str, BTreeSet<&'a str>>) {
        let n = self.index.len();
        self.index.insert(node, n);
        self.low.insert(node, n);
        self.stack.push(node);
        for &next in &graph[node] {
            if !self.index.contains_key(next) {
                self.visit(next, graph);
                let low = self.low[node].min(self.low[next]);
                self.low.insert(node, low);
            } else if self.stack.contains(&next) {
                let low = self.low[node].min(self.index[next]);
                self.low.insert(node, low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut component = Vec::new();
            while let Some(top) = self.stack.pop() {
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

fn check(crate_root: &str, heading: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let krate = Crate::read(&root.join(crate_root));
    let found = violations(&krate, &layers(&architecture, heading));
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_core_keeps_its_layers() {
    check("crates/sim/src", "### Core");
}

#[test]
fn the_page_keeps_its_layers() {
    check("src", "### Page");
}

/// The checker itself, on made-up sources: it must see what it is for.
mod checker {
    use super::*;

    fn krate(files: &[(&str, &str)]) -> Crate {
        Crate {
            sources: files
                .iter()
                .map(|(m, t)| (m.to_string(), strip_tests(&strip_comments(t))))
                .collect(),
        }
    }

    const TABLE: &str = "### T\n| layer | modules |\n|---|---|\n| 0 | `rng`, `dist` |\n\
                         | 1 | `engine` |\n";

    #[test]
    fn an_upward_import_is_a_violation() {
        let k = krate(&[
            ("", "pub mod rng; pub mod engine;"),
            ("rng", "use crate::engine::Simulation;"),
            ("dist", ""),
            ("engine", "use crate::rng::SimRng;"),
        ]);
        let found = violations(&k, &layers(TABLE, "### T"));
        assert!(
            found
                .iter()
                .any(|v| v.contains("`rng` (layer 0) uses `engine`")),
            "{found:?}"
        );
    }

    #[test]
    fn a_cycle_within_a_layer_is_a_violation() {
        let k = krate(&[
            ("rng", "fn f() { crate::dist::g() }"),
            ("dist", "use crate::{rng::{self, SimRng}};"),
            ("engine", ""),
        ]);
        let found = violations(&k, &layers(TABLE, "### T"));
        assert!(
            found.iter().any(|v| v.ends_with("circle: dist, rng")),
            "{found:?}"
        );
    }

    #[test]
    fn sibling_cycles_count_but_parent_and_child_do_not() {
        let k = krate(&[
            (
                "engine",
                "mod flow; mod db; pub use flow::Loaded; use db::Load;",
            ),
            ("engine::flow", "use super::{Simulation, db::Load};"),
            ("engine::db", "use super::Loaded;"),
            ("rng", ""),
            ("dist", ""),
        ]);
        let found = violations(&k, &layers(TABLE, "### T"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].ends_with("circle: engine::db, engine::flow"),
            "{found:?}"
        );
    }

    #[test]
    fn comments_strings_and_tests_are_not_imports() {
        let k = krate(&[
            (
                "rng",
                "// crate::engine::X\n/// see `crate::engine::Y`\nconst S: &str = \"crate::engine::Z\";\n\
                 #[cfg(test)]\nmod tests { use crate::engine::Simulation; }\n",
            ),
            ("dist", "#[cfg(test)]\nuse crate::engine::W;\nfn f() -> char { '{' }"),
            ("engine", ""),
        ]);
        assert!(violations(&k, &layers(TABLE, "### T")).is_empty());
    }

    #[test]
    fn a_module_in_no_layer_is_a_violation() {
        let k = krate(&[("rng", ""), ("dist", ""), ("engine", ""), ("stray", "")]);
        let found = violations(&k, &layers(TABLE, "### T"));
        assert_eq!(found, ["`stray` is in no layer of ARCHITECTURE.md"]);
    }
}
