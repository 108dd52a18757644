// Starts the Challenges view's wasm once its wasm-bindgen script (loaded just before, as
// a classic script) has defined `wasm_bindgen`; the page adds both when Challenges is
// first opened (src/training/slot.rs).
wasm_bindgen('./loadlab-training-ui_bg.wasm');
