//! Keyboard: the one key table (`session::keys`) mapped to the page's actions, so a teacher can
//! run a whole scenario from the keyboard. Keys are ignored while typing in the editor or a text
//! field; on a focused dropdown the arrows and space still step and play (a presenter who just
//! picked a scenario expects → to step, not to pick the next one).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{controls, Lab};
use crate::engine::Action;
use crate::session::keys::{self, Command};

/// Sends a command: the only place a key's meaning turns into an action.
pub fn run(lab: Lab, command: Command) {
    match command {
        Command::PlayPause => controls::play_pause(lab),
        Command::StepBack => controls::step_back(lab),
        Command::StepForward => controls::step_forward(lab),
        Command::PrevPoint => controls::to_point(lab, false),
        Command::NextPoint => controls::to_point(lab, true),
        Command::ScaleUp => controls::scale(lab, 1),
        Command::ScaleDown => controls::scale(lab, -1),
        Command::NewImage => controls::new_image(lab),
        Command::Canary => controls::canary(lab),
        Command::Promote => controls::promote(lab),
        Command::Rollback => controls::act(lab, Action::Rollback { to_revision: None }),
        Command::ToggleStrategy => controls::toggle_strategy(lab),
        Command::BreakImage => controls::act(lab, Action::BreakImage),
        Command::Traffic => {
            lab.traffic.update(|t| *t = !*t);
            if lab.traffic.get_untracked() {
                lab.playing.set(true);
            }
        }
        Command::Reset => controls::reset(lab),
        Command::Present => controls::toggle_presenter(lab),
        Command::Help => lab.help.update(|h| *h = !*h),
        Command::Close => {
            lab.help.set(false);
            if lab.presenting.get_untracked() {
                controls::toggle_presenter(lab);
            }
        }
        Command::Guide(n) => super::classroom::load_guide(lab, n as usize),
    }
}

pub fn install(lab: Lab) {
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let tag = target.as_ref().map(|el| el.tag_name()).unwrap_or_default();
        let within = |css: &str| target.as_ref().is_some_and(|el| el.closest(css).ok().flatten().is_some());
        let editable = within("[contenteditable]");
        let key = ev.key();
        // The read-only view of a long paste scrolls with these keys, as the text box would.
        let scrolling = within(".read-only")
            && matches!(
                key.as_str(),
                "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight" | "PageUp" | "PageDown" | "Home" | "End" | " "
            );
        let typing = match tag.as_str() {
            "TEXTAREA" => true,
            "INPUT" => !target.as_ref().is_some_and(|el| el.get_attribute("type").as_deref() == Some("range")),
            // A dropdown keeps its own up/down and letters; ← → and space step and play.
            "SELECT" => !matches!(key.as_str(), "ArrowLeft" | "ArrowRight" | " " | "PageUp" | "PageDown"),
            _ => editable || scrolling,
        };
        if typing {
            return;
        }
        let Some(command) = keys::command_for(&key) else { return };
        let pressable =
            tag == "BUTTON" || target.as_ref().and_then(|el| el.get_attribute("role")).as_deref() == Some("button");
        if pressable && key == " " {
            // Space on a focused button presses that button.
            return;
        }
        run(lab, command);
        // Only keys that did something stop the browser's own handling (scrolling on space).
        ev.prevent_default();
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}

#[component]
pub fn Help() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <div class="help" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <h2 id="help-title">"Keyboard"</h2>
            <dl>
                {keys::help_rows().into_iter().map(|(k, what)| view! { <dt><kbd>{k}</kbd></dt><dd>{what}</dd> }).collect_view()}
            </dl>
            <button class="btn primary" on:click=move |_| lab.help.set(false) autofocus>"Close"</button>
        </div>
    }
}
