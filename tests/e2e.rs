//! End to end: the release site, served from loopback under a sub-path, in headless Chromium.
//! Run by `cargo xtask test` (it builds dist/ first); alone: `cargo test --features e2e --test e2e`.

#[path = "support/browser.rs"]
mod browser;

use browser::Browser;

#[tokio::test]
async fn the_default_lab_opens_with_its_release_and_no_console_errors() {
    let b = Browser::open("", 1280, 800).await;
    let text = b.text("#app").await;
    assert!(text.contains("python-helm-python"), "the lab's StatefulSet is shown: {text}");
    b.screenshot("default-1280x800").await;
    b.assert_no_console_errors().await;
    b.close().await;
}
