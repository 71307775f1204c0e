//! The classroom and sharing: share links (the whole state in the URL fragment, nothing sent to a
//! server), the session kept in localStorage across reloads, the lab-report and scenario-file
//! exports, scenario import, and the guided scenarios with the teacher's talking points.
//! All the work is in the pure modules `share`, `report` and `guide`; this file only moves text
//! between them and the browser.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{editor, keep, Lab};
use crate::guide::Guide;
use crate::session::Talk;
use crate::share::{self, Granularity, SharedState};

fn location_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// At start: a share link in the address is shown over the user's work (kept, one click back).
/// A link that cannot be read says why, and the user's work stays. True when a link was shown.
pub fn open_link(lab: Lab) -> bool {
    let hash = location_hash();
    if !hash.starts_with("#v1=") {
        return false;
    }
    match share::decode(&hash) {
        Ok(state) => {
            keep::replacing(lab, "a shared session");
            lab.chart_files.set(Vec::new());
            match keep::show(lab, &state) {
                Ok(()) => true,
                Err(e) => {
                    lab.notice.set(Some(format!("This share link could not be replayed: {e}. Nothing was changed.")));
                    keep::back_to_own(lab);
                    false
                }
            }
        }
        Err(e) => {
            lab.notice.set(Some(format!(
                "This share link could not be opened: {e}. It may have been cut off when it was copied; \
                 your own work is unchanged."
            )));
            false
        }
    }
}

/// The current state, as a share link or a saved file would carry it.
fn capture(lab: Lab) -> Option<SharedState> {
    let text = lab.text.get_untracked();
    lab.session.with_untracked(|s| s.as_ref().and_then(|s| SharedState::capture(&text, s, s.inputs()).ok()))
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

/// Loads guided scenario `n` (1-based, as the digit keys count) at its first point, over the
/// user's work (kept, with one click back).
pub fn load_guide(lab: Lab, n: usize) {
    let Some((id, text)) = crate::guide::BUILTIN.get(n.wrapping_sub(1)) else {
        return;
    };
    let result = Guide::parse(id, text, &crate::guide::load_input)
        .map_err(|e| e.to_string())
        .and_then(|g| g.import(Granularity::Animated).map(|i| (g, i)).map_err(|e| e.to_string()));
    let steps = crate::scenario::parse(text, &crate::guide::load_input).map(|s| s.steps).unwrap_or_default();
    match result {
        Ok((guide, mut imported)) => {
            let talk = Talk::for_guide(
                guide.title.clone(),
                guide.intro.clone(),
                &steps,
                &guide.talking_points,
                &imported.positions,
            );
            keep::replacing(lab, &format!("guided scenario {}, “{}”", n, guide.title));
            lab.playing.set(false);
            lab.player.update_value(|p| p.queue.clear());
            lab.chart_files.set(Vec::new());
            lab.text.set(imported.state.input_text.clone());
            editor::read(lab, &imported.state.input_text);
            imported.session.seek(talk.opens_at);
            lab.version.set(imported.state.version);
            lab.gates.set(imported.state.gates);
            lab.assume_missing.set(imported.state.assume_missing_references);
            lab.session.set(Some(imported.session));
            lab.stale.set(None);
            lab.rejection.set(None);
            lab.talk.set(Some(talk));
        }
        Err(e) => lab.notice.set(Some(format!("The guided scenario {id} could not be loaded: {e}"))),
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
            Err(e) => lab.notice.set(Some(format!("This session cannot be shared: {e}"))),
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
                    keep::replacing(lab, &format!("the imported file {}", file.name()));
                    lab.playing.set(false);
                    lab.talk.set(None);
                    lab.chart_files.set(Vec::new());
                    if let Err(e) = keep::show(lab, &imported.state) {
                        lab.notice.set(Some(format!("{}: {e}", file.name())));
                    }
                }
                Err(e) => lab.notice.set(Some(format!("{}: {e}", file.name()))),
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
                    {crate::guide::BUILTIN.iter().enumerate().map(|(i, (id, text))| {
                        let title = match i {
                            // Their ids end in a version number: the file's title line reads better.
                            10.. => text.lines().next().and_then(|l| l.strip_prefix("# ")).unwrap_or(id).to_string(),
                            _ => id.split_once('-').map(|(_, t)| t.replace('-', " ")).unwrap_or_default(),
                        };
                        // The digit keys reach the first ten (0 is the tenth).
                        let label = if i < 10 { format!("{} {title}", (i + 1) % 10) } else { title };
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
