//! Entry point Trunk builds: mounts the playground.

fn main() {
    loadlab_web::start();
}
