//! The Challenges view's own wasm: fetched only when the reader first opens Challenges
//! (see `loadlab_web::training::host`).

fn main() {
    loadlab_web::training::host::start();
}
