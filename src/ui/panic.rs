//! A panic in wasm kills the app; this hook at least replaces the frozen page with a readable
//! panel: what happened, that the input is safe to retry, and how to report it.

use wasm_bindgen::JsCast;

/// Logs the panic to the console (with the Rust message) and shows the error panel.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let message = info.to_string();
        let _ = show_panel(&message);
    }));
}

fn show_panel(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    // Built with text nodes only: the message may quote user input, which must never become HTML.
    let panel = document.create_element("section").ok()?;
    panel.set_id("crash");
    panel.set_attribute("role", "alert").ok()?;
    let add = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let el = document.create_element(tag).ok()?;
        el.set_text_content(Some(text));
        panel.append_child(&el).ok()?;
        Some(el)
    };
    add("h1", "StatefulSet Lab stopped")?;
    add("p", "Something inside the app failed, so it can no longer respond. Nothing was sent anywhere.")?;
    add("pre", message)?;
    add(
        "p",
        "Reload the page to start again. To report it, copy the message above into an issue together with \
         what you pasted and the last thing you clicked.",
    )?;
    let reload = add("button", "Reload")?;
    let on_click = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    reload.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref()).ok()?;
    on_click.forget();
    body.set_text_content(None);
    body.append_child(&panel).ok()?;
    Some(())
}
