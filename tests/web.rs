//! Component tests in a real browser (wasm-bindgen-test, headless Chromium via `cargo xtask test`).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
fn the_app_mounts_on_the_lab_with_three_pods_and_their_claims() {
    leptos::mount::mount_to_body(sts_lab::ui::App);
    let doc = document();
    let app = doc.get_element_by_id("app").expect("the app mounted");
    assert!(app.text_content().unwrap_or_default().contains("python-helm-python"));
    assert_eq!(doc.query_selector_all(".stage g.pod").unwrap().length(), 3, "three pods");
    assert_eq!(doc.query_selector_all(".stage g.pvc").unwrap().length(), 3, "one claim per pod");
}

#[wasm_bindgen_test]
fn the_narration_is_an_aria_live_region() {
    leptos::mount::mount_to_body(sts_lab::ui::App);
    let live = document().query_selector(".narration[aria-live]").unwrap().expect("a live region");
    assert_eq!(live.get_attribute("aria-live").as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
fn every_action_button_is_reachable_by_keyboard() {
    leptos::mount::mount_to_body(sts_lab::ui::App);
    let buttons = document().query_selector_all(".controls button").unwrap();
    assert!(buttons.length() > 10);
    for i in 0..buttons.length() {
        let b = buttons.item(i).unwrap();
        let el: &web_sys::Element = wasm_bindgen::JsCast::unchecked_ref(&b);
        assert_ne!(el.get_attribute("tabindex").as_deref(), Some("-1"), "button {i} is focusable");
    }
}
