//! Component tests in a real browser (wasm-bindgen-test, headless Chromium via `cargo xtask test`).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_app_mounts_and_shows_the_lab() {
    leptos::mount::mount_to_body(sts_lab::ui::App);
    let doc = web_sys::window().unwrap().document().unwrap();
    let app = doc.get_element_by_id("app").expect("the app mounted");
    assert!(app.text_content().unwrap_or_default().contains("python-helm-python"));
}
