//! Keyboard: every action has a key, so a teacher can run a whole scenario from the keyboard.
//! Keys are ignored while typing in the editor or a form field.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{controls, Lab};
use crate::engine::Action;

pub fn install(lab: Lab) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| {
                matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                    || el.closest("[contenteditable]").ok().flatten().is_some()
            })
            .unwrap_or(false);
        if typing {
            return;
        }
        match ev.key().as_str() {
            " " => {
                lab.playing.update(|p| *p = !*p);
            }
            "ArrowRight" => {
                controls::step_forward(lab);
            }
            "ArrowLeft" => {
                controls::step_back(lab);
            }
            "+" | "=" => {
                controls::scale(lab, 1);
            }
            "-" => {
                controls::scale(lab, -1);
            }
            "i" => {
                controls::new_image(lab);
            }
            "c" => {
                controls::canary(lab);
            }
            "p" => {
                controls::promote(lab);
            }
            "o" => {
                controls::toggle_strategy(lab);
            }
            "b" => {
                controls::act(lab, Action::BreakImage);
            }
            "u" => {
                controls::act(lab, Action::Rollback { to_revision: None });
            }
            "t" => {
                lab.traffic.update(|t| *t = !*t);
                if lab.traffic.get_untracked() {
                    lab.playing.set(true);
                }
            }
            "r" => {
                controls::reset(lab);
            }
            "f" => {
                controls::toggle_presenter(lab);
            }
            "?" => {
                lab.help.update(|h| *h = !*h);
            }
            "Escape" => {
                lab.help.set(false);
                if lab.presenting.get_untracked() {
                    controls::toggle_presenter(lab);
                }
            }
            digit if digit.len() == 1 && digit.as_bytes()[0].is_ascii_digit() => {
                let n = (digit.as_bytes()[0] - b'0') as usize;
                super::classroom::load_guide(lab, if n == 0 { 10 } else { n });
            }
            _ => return,
        }
        // Only keys that did something stop the browser's own handling (scrolling on space).
        ev.prevent_default();
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}

/// Every key, in one list (opened with `?`).
pub const KEYS: &[(&str, &str)] = &[
    ("space", "play / pause"),
    ("← →", "previous / next step"),
    ("1 … 9, 0", "guided scenarios with talking points (ordered creation … PVC retention)"),
    ("+ −", "scale up / down"),
    ("i", "new image (a new revision)"),
    ("c", "canary: partition = replicas − 1"),
    ("p", "promote: lower the partition by one"),
    ("u", "rollback (kubectl rollout undo)"),
    ("o", "switch RollingUpdate / OnDelete"),
    ("b", "break the next image"),
    ("t", "traffic on / off"),
    ("r", "reset to the input"),
    ("f", "presenter mode"),
    ("?", "this list"),
    ("Esc", "close / leave presenter mode"),
    ("Enter or Delete on a pod", "delete that pod"),
];

#[component]
pub fn Help() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <div class="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <h2 id="help-title">"Keyboard"</h2>
            <dl>
                {KEYS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <button class="btn primary" on:click=move |_| lab.help.set(false) autofocus>"Close"</button>
        </div>
    }
}
