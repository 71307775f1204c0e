//! The classroom and sharing: share links (the whole state in the URL fragment, nothing sent to a
//! server), the session kept in localStorage across reloads, the lab-report and scenario-file
//! exports, scenario import, and the guided scenarios with the teacher's talking points.
//! All the work is in the pure modules `share`, `report` and `guide`; this file only moves text
//! between them and the browser.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{editor, Lab};
use crate::guide::Guide;
use crate::share::{self, Granularity, SharedState};

/// Where the session survives a reload.
const STORAGE_KEY: &str = "statefulset-lab/session";

/// A guided scenario being presented: its title and intro, and for each step of the file where
/// it ends on the timeline and what the teacher says there.
#[derive(Clone, PartialEq)]
pub struct Talk {
    pub title: String,
    pub intro: String,
    pub positions: Vec<usize>,
    pub points: Vec<Option<String>>,
}

impl Talk {
    /// The talking point for a timeline position: the step of the file that position belongs to.
    pub fn at(&self, position: usize) -> Option<String> {
        if position == 0 {
            return Some(self.intro.clone());
        }
        let i = self.positions.iter().position(|&p| position <= p)?;
        self.points.get(i).cloned().flatten()
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Shows a replayed state: its text in the editor, its session on the stage.
fn show(lab: Lab, state: &SharedState, session: crate::scene::Session) {
    lab.text.set(state.input_text.clone());
    editor::read(lab, &state.input_text);
    lab.session.set(Some(session));
    lab.stale.set(None);
}

/// At start: a share link is shown (without touching the saved session); else the saved session
/// comes back; else false, and the lab is loaded.
pub fn restore(lab: Lab) -> bool {
    let hash = location_hash();
    if hash.starts_with("#v1=") {
        match share::decode(&hash).and_then(|s| s.replay().map(|session| (s, session))) {
            Ok((state, session)) => {
                show(lab, &state, session);
                lab.from_link.set(true);
                return true;
            }
            Err(e) => lab.stale.set(Some(format!("This share link could not be opened: {e}"))),
        }
    }
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    if let Some(text) = saved {
        if let Ok((state, session)) =
            SharedState::from_scenario_yaml(&text).and_then(|s| s.replay().map(|session| (s, session)))
        {
            show(lab, &state, session);
            return true;
        }
    }
    false
}

/// The current state, as a share link or a saved file would carry it.
fn capture(lab: Lab) -> Option<SharedState> {
    let text = lab.text.get_untracked();
    lab.session.with_untracked(|s| s.as_ref().and_then(|s| SharedState::capture(&text, s, s.inputs()).ok()))
}

/// Saves the session a second after it last changed, unless it came from a share link the user
/// has not chosen to keep (a link never overwrites the saved session without asking).
pub fn install_persistence(lab: Lab) {
    let debounce = super::debounce::Debounce::new(1000);
    Effect::new(move |_| {
        lab.session.track();
        lab.text.track();
        if lab.from_link.get() {
            return;
        }
        debounce.call(move || {
            if let (Some(state), Some(store)) = (capture(lab), storage()) {
                if let Ok(yaml) = state.to_scenario_yaml() {
                    let _ = store.set_item(STORAGE_KEY, &yaml);
                }
            }
        });
    });
}

/// Offers a file to download (made here, from text; nothing leaves the browser).
fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Loads guided scenario `n` (1-based, as the digit keys count) at its first moment.
pub fn load_guide(lab: Lab, n: usize) {
    let Some((id, text)) = crate::guide::BUILTIN.get(n.wrapping_sub(1)) else {
        return;
    };
    let result = Guide::parse(id, text, &crate::guide::load_input)
        .map_err(|e| e.to_string())
        .and_then(|g| g.import(Granularity::Animated).map(|i| (g, i)).map_err(|e| e.to_string()));
    match result {
        Ok((guide, mut imported)) => {
            imported.session.seek(0);
            lab.playing.set(false);
            lab.queue.set_value(Default::default());
            show(lab, &imported.state, imported.session);
            lab.talk.set(Some(Talk {
                title: guide.title,
                intro: guide.intro,
                positions: imported.positions,
                points: guide.talking_points,
            }));
        }
        Err(e) => lab.stale.set(Some(format!("The guided scenario {id} could not be loaded: {e}"))),
    }
}

#[component]
pub fn ClassroomBar() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let link = RwSignal::new(None::<String>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let share_link = move |_| {
        let Some(state) = capture(lab) else { return };
        match share::encode(&state) {
            Ok(fragment) => {
                let Some(window) = web_sys::window() else {
                    return;
                };
                let href = window.location().href().unwrap_or_default();
                let url = format!("{}#{fragment}", href.split('#').next().unwrap_or_default());
                let _ = window.navigator().clipboard().write_text(&url);
                link.set(Some(url));
            }
            Err(e) => lab.stale.set(Some(format!("This session cannot be shared: {e}"))),
        }
    };
    let report = move |_| {
        let text = lab.text.get_untracked();
        let options = crate::report::ReportOptions {
            input_text: Some(text),
            counter_path: lab.counter_path.get_value(),
            ..Default::default()
        };
        let md = lab.session.with_untracked(|s| s.as_ref().map(|s| crate::report::lab_report(s, &options)));
        if let Some(md) = md {
            download("statefulset-lab-report.md", "text/markdown", &md);
        }
    };
    let export = move |_| {
        if let Some(yaml) = capture(lab).and_then(|s| s.to_scenario_yaml().ok()) {
            download("statefulset-lab-scenario.yaml", "application/yaml", &yaml);
        }
    };
    let import = move |_| {
        let Some(input) = file_input.get() else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let no_files = |p: &str| {
                Err(format!("{p}: a scenario opened in the browser must carry its input inline (input_text)"))
            };
            match share::import_scenario(&text, &no_files, Granularity::Animated) {
                Ok(imported) => {
                    lab.playing.set(false);
                    lab.talk.set(None);
                    show(lab, &imported.state, imported.session);
                }
                Err(e) => lab.stale.set(Some(format!("{}: {e}", file.name()))),
            }
        });
    };
    view! {
        <div class="classroom" role="group" aria-label="Share and export">
            <label>"Guided "
                <select aria-label="Guided scenarios (keys 1 to 0)" on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<usize>() { load_guide(lab, n) }
                }>
                    <option value="">"choose…"</option>
                    {crate::guide::BUILTIN.iter().enumerate().map(|(i, (id, _))| {
                        let label = format!("{} {}", (i + 1) % 10, id.split_once('-').map(|(_, t)| t.replace('-', " ")).unwrap_or_default());
                        view! { <option value=(i + 1).to_string()>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <button class="btn" on:click=share_link title="Copy a link that reproduces exactly this moment (nothing is sent anywhere)">"Share link"</button>
            <button class="btn" on:click=report title="Download the session as a Markdown lab report">"Lab report"</button>
            <button class="btn" on:click=export title="Download the session as a scenario file">"Export"</button>
            <label class="btn" title="Open a scenario file">"Import"
                <input type="file" accept=".yaml,.yml,.txt" class="sr-only" node_ref=file_input on:change=import />
            </label>
            {move || link.get().map(|url| view! {
                <input class="share-url" readonly prop:value=url aria-label="Share link (copied)" on:focus=|ev| {
                    if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { el.select() }
                } />
            })}
        </div>
    }
}

/// Shown while a share link is on screen: the saved session is untouched until the user says so.
#[component]
pub fn LinkBanner() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let keep = move |_| lab.from_link.set(false);
    let back = move |_| {
        lab.from_link.set(false);
        if let Some(w) = web_sys::window() {
            let _ = w.history().and_then(|h| {
                h.replace_state_with_url(
                    &wasm_bindgen::JsValue::NULL,
                    "",
                    Some(&w.location().pathname().unwrap_or_default()),
                )
            });
        }
        if !restore(lab) {
            editor::load_text(lab, super::LAB_LOG, true);
        }
    };
    view! {
        <Show when=move || lab.from_link.get()>
            <p class="stale" role="status">"You are looking at a shared session. Your own saved session is kept until you choose. "
                <button class="btn primary" on:click=keep>"Keep this one (replaces my saved session)"</button>" "
                <button class="btn" on:click=back>"Back to my session"</button>
            </p>
        </Show>
    }
}
