//! The canvases' fonts. The style sheet declares "Loadlab SC": a system Simplified
//! Chinese font if there is one, else the glyphs the page ships (`static/fonts/`, made by
//! `scripts/fonts`), fetched only when Chinese is shown. The canvases name the same
//! family; and since a canvas keeps what it drew while the glyphs were on their way
//! (boxes), where the page's text is laid out again by itself, they are drawn again once
//! the glyphs are there ([`when_chinese_ready`]).

use wasm_bindgen::prelude::*;

/// The font family list every canvas draws its words in. The page's Chinese comes first,
/// as in the style sheet: Latin text falls through it (outside its unicode-range) without
/// fetching anything.
pub const FONT_STACK: &str = "\"Loadlab SC\", system-ui, sans-serif";

/// Text with a character of the Chinese text's face (not only of the switch's, which an
/// English page loads too): asking for it loads that face.
const CHINESE_SAMPLE: &str = "中吞";

#[wasm_bindgen]
extern "C" {
    /// A promise, as far as calling back when it resolves goes: js-sys's `then` takes a
    /// closure this side must keep alive, where a JavaScript function given here is
    /// freed once called.
    type Settling;
    #[wasm_bindgen(method)]
    fn then(this: &Settling, done: &JsValue);
}

/// Asks the browser for the Chinese glyphs the canvases draw with and calls `ready` once
/// they are there: soon after if they had already come or a system font has them, never
/// if they cannot be had (the canvases would draw the same).
pub fn when_chinese_ready(ready: impl FnOnce() + 'static) {
    let fonts = gloo_utils::document().fonts();
    let loading = fonts.load_with_text(&format!("13px {FONT_STACK}"), CHINESE_SAMPLE);
    let loading: Settling = loading.unchecked_into();
    loading.then(&Closure::once_into_js(move |_: JsValue| ready()));
}

#[cfg(test)]
mod tests {
    use super::FONT_STACK;
    use crate::i18n::Lang;
    use std::collections::BTreeSet;
    use std::path::Path;

    /// The blocks the style sheet's unicode-range names and `scripts/fonts` lists: CJK
    /// symbols and punctuation, ideographs (extension A, unified, compatibility), and
    /// half- and full-width forms.
    fn is_cjk(c: char) -> bool {
        matches!(c,
            '\u{3000}'..='\u{303f}'
            | '\u{3400}'..='\u{4dbf}'
            | '\u{4e00}'..='\u{9fff}'
            | '\u{f900}'..='\u{faff}'
            | '\u{ff00}'..='\u{ffef}')
    }

    fn cjk_in_sources(dir: &Path, found: &mut BTreeSet<char>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                cjk_in_sources(&path, found);
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "txt" || e == "json")
            {
                let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                found.extend(text.chars().filter(|&c| is_cjk(c)));
            }
        }
    }

    /// A Chinese text with a character the shipped glyphs lack would show it as a box on
    /// a machine without a Chinese font, and no other test would notice.
    #[test]
    fn the_shipped_glyphs_are_those_of_the_chinese_in_src() {
        let mut used = BTreeSet::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        cjk_in_sources(&root.join("src"), &mut used);
        cjk_in_sources(&root.join("static/i18n"), &mut used);
        // The challenges' titles and briefs, which the Challenges view shows.
        cjk_in_sources(&root.join("crates/sim/challenges"), &mut used);
        // The documented example workshop, which the tests and a first try open.
        let example = include_str!("../../docs/workshops.md");
        used.extend(example.chars().filter(|&c| is_cjk(c)));
        let listed: BTreeSet<char> = (include_str!("../../static/fonts/chars.txt").lines())
            .filter(|line| !line.starts_with('#'))
            .flat_map(str::chars)
            .collect();
        let missing: String = used.difference(&listed).collect();
        let unused: String = listed.difference(&used).collect();
        assert!(
            missing.is_empty() && unused.is_empty(),
            "static/fonts/chars.txt lacks {missing:?} and has {unused:?} that src/ and static/i18n/ do not use: \
             run scripts/fonts"
        );
    }

    /// The canvases' family is the one the style sheet declares, first for the page's
    /// text, and the switch's small face holds exactly the switch's name for Chinese.
    #[test]
    fn the_style_sheet_declares_the_canvases_family() {
        let css = include_str!("../../static/style.css");
        let family = FONT_STACK.split(',').next().expect("a family");
        assert_eq!(css.matches(&format!("font-family: {family};")).count(), 2);
        assert!(css.contains(&format!("font-family: {family}, system-ui")));
        let switch: Vec<String> = (Lang::Zh.own_name().chars())
            .map(|c| format!("U+{:X}", u32::from(c)))
            .collect();
        assert!(css.contains(&format!("unicode-range: {};", switch.join(", "))));
    }
}
