// Starts the Curves view's wasm once its wasm-bindgen script (loaded just before, as a
// classic script) has defined `wasm_bindgen`; the page adds both when Curves is first
// opened (src/curves/slot.rs).
wasm_bindgen('./loadlab-curves-ui_bg.wasm');
