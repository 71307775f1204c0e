//! The web app's entry point: mounts the Leptos app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    sts_lab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("statefulset-lab is the web app: run `cargo xtask serve` to build and open it,");
    eprintln!("or `cargo run --bin sts-lab -- --help` for the command line.");
    std::process::exit(2);
}
