//! The Training view's own wasm: fetched only when the reader first opens Training
//! (see `loadlab_web::training::host`).

fn main() {
    loadlab_web::training::host::start();
}
