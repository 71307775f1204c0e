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
            .map(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT") || el.closest("[contenteditable]").ok().flatten().is_some())
            .unwrap_or(false);
        if typing {
            return;
        }
        let handled = match ev.key().as_str() {
            " " => {
                lab.playing.update(|p| *p = !*p);
                true
            }
            "ArrowRight" => {
                controls::step_forward(lab);
                true
            }
            "ArrowLeft" => {
                controls::step_back(lab);
                true
            }
            "+" | "=" => {
                controls::scale(lab, 1);
                true
            }
            "-" => {
                controls::scale(lab, -1);
                true
            }
            "i" => {
                controls::new_image(lab);
                true
            }
            "c" => {
                controls::canary(lab);
                true
            }
            "p" => {
                controls::promote(lab);
                true
            }
            "o" => {
                controls::toggle_strategy(lab);
                true
            }
            "b" => {
                controls::act(lab, Action::BreakImage);
                true
            }
            "u" => {
                controls::act(lab, Action::Rollback { to_revision: None });
                true
            }
            "t" => {
                lab.traffic.update(|t| *t = !*t);
                if lab.traffic.get_untracked() {
                    lab.playing.set(true);
                }
                true
            }
            "r" => {
                controls::reset(lab);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(handle);
}
