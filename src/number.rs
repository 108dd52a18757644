//! Reading a number the user typed.
//!
//! In the page the browser reads it (`Number(text)`): Rust's own float parser
//! brings an 11 KB table of powers of five that barely compresses, which the 400 KB
//! first-load budget needs for teaching (docs/performance.md). Natively, where the
//! tests run, Rust's parser reads it. Both round correctly, so they give the same
//! double for the same decimal.

/// The number `text` writes in decimal (`12`, `-0.5`, `1e3`, `.5`), or `None` for
/// anything else: words, hex, an empty field, `Infinity`.
pub fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let decimal = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
    if !decimal {
        return None;
    }
    read(text).filter(|v| v.is_finite())
}

#[cfg(target_arch = "wasm32")]
fn read(text: &str) -> Option<f64> {
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        /// JavaScript's `Number(text)`: strict, unlike `parseFloat` (`"1-2"` is NaN).
        #[wasm_bindgen(js_name = Number)]
        fn js_number(text: &str) -> f64;
    }
    Some(js_number(text))
}

#[cfg(not(target_arch = "wasm32"))]
fn read(text: &str) -> Option<f64> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_number;

    #[test]
    fn reads_decimals_and_refuses_the_rest() {
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number("-0.5"), Some(-0.5));
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number(".5"), Some(0.5));
        for bad in [
            "", " ", "abc", "0x10", "Infinity", "inf", "NaN", "1e999", "-", "e5", "1,5",
        ] {
            assert_eq!(parse_number(bad), None, "{bad:?}");
        }
    }
}
