//! The Curves view's own wasm: fetched only when the reader first opens Curves (see
//! `loadlab_web::curves::host`).

fn main() {
    loadlab_web::curves::host::start();
}
