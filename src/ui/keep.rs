//! Nothing the user made is lost. The saved session is always the user's own work (their paste,
//! chart files and what they did to it); a story, example, guided scenario, share link or import
//! shown over it never overwrites it, and a banner offers one click back to it. Saving says so
//! when the browser refuses, and a saved session that cannot be replayed is kept, not replaced.

use leptos::prelude::*;

use super::{editor, Lab};
use crate::share::SharedState;

/// Where the user's own session survives a reload.
const STORAGE_KEY: &str = "statefulset-lab/session";
/// The user's chart files (path, text), saved beside the session.
const FILES_KEY: &str = "statefulset-lab/chart-files";

/// Whose work is on screen: only the user's own is saved.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// Typed, pasted, imported from the user's own file, or kept on purpose.
    Own,
    /// The lab's story on first open (nothing of the user's to keep yet).
    Story,
    /// Something the app showed over the user's work: the lab's story, an example, a guided
    /// scenario, a share link. The words name it in the banner.
    Shown(String),
}

/// The user's own work, put aside while something else is shown.
#[derive(Clone, Debug)]
pub struct Kept {
    state: Option<SharedState>,
    text: String,
    files: Vec<(String, String)>,
}

pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The user's work as it is now (text, chart files and the session's inputs).
fn capture_own(lab: Lab) -> Kept {
    let text = lab.text.get_untracked();
    let state =
        lab.session.with_untracked(|s| s.as_ref().and_then(|s| SharedState::capture(&text, s, s.inputs()).ok()));
    Kept { state, text, files: lab.chart_files.get_untracked() }
}

/// Before the app shows something over the screen: the user's own work is put aside (once: a
/// second guided scenario keeps the paste from before the first), and the new origin is named.
pub fn replacing(lab: Lab, what: &str) {
    let has_work = lab.text.with_untracked(|t| !t.trim().is_empty());
    if lab.origin.get_untracked() == Origin::Own && has_work && lab.kept.with_untracked(Option::is_none) {
        lab.kept.set(Some(capture_own(lab)));
    }
    lab.origin.set(Origin::Shown(what.to_string()));
}

/// The shown session becomes the user's own (they edited it, or chose to keep it).
pub fn adopt(lab: Lab) {
    if lab.origin.get_untracked() != Origin::Own {
        lab.origin.set(Origin::Own);
        lab.kept.set(None);
    }
    lab.save_armed.set(true);
}

/// The user acts on what is shown: with no paste of theirs put aside, what they do is their own
/// work (saved); with one put aside, that paste stays the saved one until they choose.
pub fn acting(lab: Lab) {
    if lab.origin.get_untracked() != Origin::Own && lab.kept.with_untracked(Option::is_none) {
        lab.origin.set(Origin::Own);
    }
}

/// Replays a state over a release read as the editor reads it (with the user's chart files).
fn replay(lab: Lab, state: &SharedState) -> Result<crate::session::Session, String> {
    let release = editor::read(lab, &state.input_text);
    let mut session = crate::session::Session::new_on(
        release,
        state.statefulset.clone(),
        state.seed,
        state.version,
        state.gates,
        state.assume_missing_references,
    )?;
    for input in &state.inputs {
        session.within_budget()?;
        session.push(input.clone());
    }
    session.seek(state.position.min(session.len()));
    Ok(session)
}

/// Shows a state: its text in the editor, its session on the stage.
pub fn show(lab: Lab, state: &SharedState) -> Result<(), String> {
    lab.text.set(state.input_text.clone());
    let session = replay(lab, state)?;
    // The controls show the release and gates the state runs on.
    lab.version.set(state.version);
    lab.gates.set(state.gates);
    lab.assume_missing.set(state.assume_missing_references);
    lab.session.set(Some(session));
    lab.stale.set(None);
    lab.rejection.set(None);
    Ok(())
}

/// Back to the user's own work (the banner's button).
pub fn back_to_own(lab: Lab) {
    let Some(kept) = lab.kept.get_untracked() else { return };
    lab.playing.set(false);
    lab.talk.set(None);
    lab.chart_files.set(kept.files.clone());
    let shown = kept.state.as_ref().map(|s| show(lab, s));
    if !matches!(shown, Some(Ok(()))) {
        editor::load_text(lab, &kept.text);
    }
    lab.kept.set(None);
    lab.origin.set(Origin::Own);
    clear_link_from_address();
}

fn clear_link_from_address() {
    if let Some(w) = web_sys::window() {
        if w.location().hash().is_ok_and(|h| h.starts_with("#v1=")) {
            let _ = w.history().and_then(|h| {
                h.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&w.location().pathname().unwrap_or_default()),
                )
            });
        }
    }
}

/// The user's saved work, read at start: the session and its chart files. A saved session that
/// cannot be replayed keeps its text in the editor and is not saved over until the user acts.
pub fn restore_own(lab: Lab) -> bool {
    let Some(store) = storage() else { return false };
    let Some(text) = store.get_item(STORAGE_KEY).ok().flatten() else { return false };
    let files: Vec<(String, String)> =
        store.get_item(FILES_KEY).ok().flatten().and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default();
    lab.chart_files.set(files);
    match SharedState::from_scenario_yaml(&text).map_err(|e| e.to_string()).and_then(|s| show(lab, &s).map(|_| s)) {
        Ok(_) => {
            lab.origin.set(Origin::Own);
            true
        }
        Err(e) => {
            // Keep it: the text goes to the editor when it can be read, and nothing is saved over
            // the stored copy until the user changes something.
            lab.save_armed.set(false);
            let input = SharedState::from_scenario_yaml(&text).map(|s| s.input_text).ok();
            lab.notice.set(Some(format!(
                "Your saved session could not be replayed ({e}). It is kept in this browser; \
                 use Export to save a copy. Its text is in the editor."
            )));
            if let Some(input) = input {
                editor::load_text(lab, &input);
            }
            lab.origin.set(Origin::Own);
            true
        }
    }
}

/// Saves the user's own session a second after it last changed; says so when the browser refuses
/// (storage full or off) — the session then stays in this tab only.
pub fn install_persistence(lab: Lab) {
    let debounce = super::debounce::Debounce::new(1000);
    Effect::new(move |_| {
        lab.session.track();
        lab.text.track();
        lab.chart_files.track();
        if lab.origin.get() != Origin::Own || !lab.save_armed.get() {
            return;
        }
        debounce.call(move || {
            let Some(state) = lab.session.with_untracked(|s| {
                s.as_ref().and_then(|s| SharedState::capture(&lab.text.get_untracked(), s, s.inputs()).ok())
            }) else {
                return;
            };
            let written = match (state.to_scenario_yaml(), storage()) {
                (Ok(yaml), Some(store)) => {
                    let files = serde_json::to_string(&lab.chart_files.get_untracked()).unwrap_or_default();
                    store
                        .set_item(STORAGE_KEY, &yaml)
                        .and_then(|_| store.set_item(FILES_KEY, &files))
                        .map_err(|_| "the browser's storage is full or refused it".to_string())
                }
                (Err(e), _) => Err(e.to_string()),
                (_, None) => Err("this browser keeps no local storage here".to_string()),
            };
            match written {
                Ok(()) => lab.save_error.set(None),
                Err(why) => lab
                    .save_error
                    .set(Some(format!("Not saved: {why}. Your session stays in this tab; use Export to keep a copy."))),
            }
        });
    });
}

/// Over the stage while something else is shown over the user's work: what it is, and one click
/// back. Also the messages that must stay until read (a damaged link, a refused save).
#[component]
pub fn KeptBanner() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let shown = move || match lab.origin.get() {
        Origin::Shown(what) => Some(format!("Showing {what}.")),
        Origin::Own | Origin::Story => None,
    };
    let kept = move || lab.kept.with(Option::is_some);
    view! {
        {move || lab.notice.get().map(|n| view! {
            <p class="notice" role="alert">{n}" "<button class="btn small" on:click=move |_| lab.notice.set(None)>"OK"</button></p>
        })}
        {move || lab.save_error.get().map(|n| view! { <p class="notice" role="alert">{n}</p> })}
        {move || (shown().is_some() || kept()).then(|| view! {
            <p class="kept" role="status">
                {shown().unwrap_or_else(|| "You changed the text.".into())}
                {move || kept().then(|| view! {
                    " Your own paste is kept. "
                    <button class="btn primary" id="back-to-own" on:click=move |_| back_to_own(lab)>"Back to my paste"</button>
                })}" "
                {move || shown().is_some().then(|| view! {
                    <button class="btn" id="keep-shown" on:click=move |_| adopt(lab)>{move || if kept() { "Keep this instead" } else { "Keep this" }}</button>
                })}
            </p>
        })}
    }
}
