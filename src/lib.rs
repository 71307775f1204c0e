//! StatefulSet Lab: the data path is input -> model -> engine -> view.
//!
//! Everything but `ui` is pure Rust without web types, tested natively with `cargo test`.

pub mod apiserver;
pub mod chart;
pub mod civil;
pub mod engine;
pub mod guide;
pub mod helm;
pub mod input;
pub mod kubectl;
pub mod limits;
pub mod lines;
pub mod model;
pub mod report;
pub mod scenario;
pub mod scene;
pub mod session;
pub mod share;
pub mod sorting;

#[cfg(target_arch = "wasm32")]
pub mod ui;
