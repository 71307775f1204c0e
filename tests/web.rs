//! Component tests in a real browser (wasm-bindgen-test, headless Chromium via `cargo xtask test`).

#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app in a fresh container of its own; the app unmounts when the handle is dropped,
/// so tests do not see each other's pages.
fn mount() -> (web_sys::HtmlElement, impl Drop) {
    use wasm_bindgen::JsCast;
    let container: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), sts_lab::ui::App);
    (container, handle)
}

#[wasm_bindgen_test]
async fn the_app_mounts_on_the_start_of_the_labs_story_and_skips_to_three_pods_and_their_claims() {
    let (root, _app) = mount();
    let app = root.query_selector("#app").unwrap().expect("the app mounted");
    assert!(app.text_content().unwrap_or_default().contains("python-helm-python"));
    let talk = root.query_selector(".talk").unwrap().expect("the story is told");
    assert!(talk.text_content().unwrap_or_default().contains("stable name"), "what a StatefulSet gives, first");
    let skip: web_sys::HtmlElement =
        wasm_bindgen::JsCast::unchecked_into(root.query_selector("#skip-talk").unwrap().expect("a way to skip"));
    skip.click();
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(root.query_selector_all(".stage g.pod").unwrap().length(), 3, "three pods");
    assert_eq!(root.query_selector_all(".stage g.pvc").unwrap().length(), 3, "one claim per pod");
}

#[wasm_bindgen_test]
fn the_narration_is_an_aria_live_region() {
    let (root, _app) = mount();
    let live = root.query_selector(".narration[aria-live]").unwrap().expect("a live region");
    assert_eq!(live.get_attribute("aria-live").as_deref(), Some("polite"));
}

#[wasm_bindgen_test]
fn every_action_button_is_reachable_by_keyboard() {
    let (root, _app) = mount();
    let buttons = root.query_selector_all(".controls button").unwrap();
    assert!(buttons.length() > 10);
    for i in 0..buttons.length() {
        let b = buttons.item(i).unwrap();
        let el: &web_sys::Element = wasm_bindgen::JsCast::unchecked_ref(&b);
        assert_ne!(el.get_attribute("tabindex").as_deref(), Some("-1"), "button {i} is focusable");
    }
}
