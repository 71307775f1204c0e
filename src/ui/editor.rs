//! The input panel: the paste with line numbers, errors marked at their line and listed below.
//! While the text is broken the last good model stays drawn (the session is only replaced when a
//! new text parses with a StatefulSet in it).

use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::Lab;
use crate::model::Severity;

/// Parsing waits for a pause in typing.
const DEBOUNCE_MS: u64 = 250;
/// A paste this large takes a noticeable moment to read (a 1.3 MB one about half a second):
/// the summary line says "Reading…" while it waits for its turn (issue #14).
const READING_NOTICE_BYTES: usize = 256 * 1024;

#[component]
pub fn InputPanel() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let textarea = NodeRef::<Textarea>::new();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0);
    let line_count = Memo::new(move |_| lab.text.with(|t| crate::lines::count(t)));
    // A paste past the text box's limits is shown read-only, drawing only the lines in view
    // (`viewer`): the text box lays out every line it holds (issue #14).
    let in_box = Memo::new(move |_| crate::lines::fits_text_box(line_count.get(), lab.text.with(String::len)));
    // The text box shows `lab.text` (nothing while the text is too long for it), set only where it
    // differs: after typing or a paste it already holds it, and setting a large text again makes
    // the browser lay it all out again.
    Effect::new(move |_| {
        let Some(area) = textarea.get() else { return };
        let boxed = in_box.get();
        lab.text.with(|text| {
            let wanted = if boxed { text.as_str() } else { "" };
            if area.value() != wanted {
                area.set_value(wanted);
            }
        });
    });
    let debounce = super::debounce::Debounce::new(DEBOUNCE_MS);
    // The size of a large paste being read, for the "Reading…" notice.
    let reading = RwSignal::new(None::<usize>);

    // The text as of the last pause in typing: what Undo brings back.
    let committed = StoredValue::new(lab.text.get_untracked());
    let reparse = move |text: String| {
        // (A paste over the lab's size limit is refused at once: nothing to wait for.)
        let large = (READING_NOTICE_BYTES..=crate::limits::MAX_PASTE_BYTES).contains(&text.len());
        reading.set(large.then_some(text.len()));
        debounce.call(move || {
            let previous = committed.get_value();
            if previous != text {
                lab.undo.update(|u| push_undo(u, previous));
                committed.set_value(text.clone());
            }
            let release = read(lab, &text);
            let usable = !release.statefulsets.is_empty() && !release.has_errors();
            let why = if release.has_errors() {
                Some(
                    "The text has errors (listed under the editor): still showing the last input that worked."
                        .to_string(),
                )
            } else if release.statefulsets.is_empty() {
                Some("No StatefulSet in this text yet: still showing the last input that had one.".to_string())
            } else {
                None
            };
            if usable {
                lab.playing.set(false);
                lab.load(release);
            } else {
                lab.stale.set(why);
            }
            reading.set(None);
        });
    };

    // The user's own new text, typed or pasted.
    let accept = move |text: String| {
        lab.talk.set(None);
        lab.text.set(text.clone());
        // What the user types is their own work (saved), whatever was shown before.
        if lab.origin.get_untracked() != super::keep::Origin::Own {
            lab.origin.set(super::keep::Origin::Own);
        }
        lab.save_armed.set(true);
        reparse(text);
    };
    let on_input = move |ev: leptos::ev::Event| accept(event_target_value(&ev));
    // A paste that would make the text too long for the text box never reaches it: the browser
    // would lay it all out before the app could answer. It goes to the read-only view instead.
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(pasted) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
        let Some(area) = textarea.get_untracked() else { return };
        let text = pasted_into(&area, &pasted);
        if !crate::lines::editable(&text) {
            ev.prevent_default();
            accept(text);
        }
    };
    let undo = move |_| {
        let previous = lab.undo.try_update(|u| u.pop()).flatten();
        if let Some(text) = previous {
            lab.text.set(text.clone());
            reparse(text);
        }
    };

    // The worst problem of each line, for the gutter.
    let marks = Memo::new(move |_| {
        lab.parsed.with(|r| {
            let mut m = std::collections::BTreeMap::new();
            for d in &r.diagnostics {
                let e = m.entry(d.line).or_insert(d.severity);
                if d.severity == Severity::Error {
                    *e = Severity::Error;
                }
            }
            m
        })
    });
    // The lines drawn: all of them in the text box; in the read-only view, a window where the user
    // has scrolled (a memo, so it is drawn again only when scrolling reaches another line).
    let drawn = Memo::new(move |_| {
        if in_box.get() {
            1..line_count.get() + 1
        } else {
            super::viewer::window(scroll_top.get(), line_count.get())
        }
    });
    let gutter = move || {
        let marks = marks.get();
        // One text node per run of unmarked lines and a span per marked one: a node per line made
        // a 95,000-line paste hold the main thread for most of a second twice (issue #14).
        let mut pieces: Vec<(Option<&'static str>, String)> = Vec::new();
        let mut run = String::new();
        for i in drawn.get() {
            let class = match marks.get(&i) {
                Some(Severity::Error) => "err",
                Some(Severity::Warning) => "warn",
                None => {
                    run.push_str(&i.to_string());
                    run.push('\n');
                    continue;
                }
            };
            if !run.is_empty() {
                pieces.push((None, std::mem::take(&mut run)));
            }
            pieces.push((Some(class), format!("{i}\n")));
        }
        if !run.is_empty() {
            pieces.push((None, run));
        }
        pieces
            .into_iter()
            .map(|(class, text)| match class {
                None => text.into_any(),
                Some(class) => view! { <span class=class>{text}</span> }.into_any(),
            })
            .collect_view()
    };

    let jump_to = move |line: usize| {
        let top = (line.saturating_sub(4) * super::viewer::LINE_PX) as i32;
        if !in_box.get_untracked() {
            if let Some(scroller) = scroller.get_untracked() {
                scroller.set_scroll_top(top);
                if let Some(view) = scroller.query_selector(".read-only").ok().flatten() {
                    let _ = view.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            }
            return;
        }
        let Some(area) = textarea.get() else { return };
        let text = lab.text.get_untracked();
        let offset: usize =
            text.split_inclusive('\n').take(line.saturating_sub(1)).map(|l| l.encode_utf16().count()).sum();
        let end = offset + text.lines().nth(line.saturating_sub(1)).map(|l| l.encode_utf16().count()).unwrap_or(0);
        let _ = area.focus();
        let _ = area.set_selection_range(offset as u32, end as u32);
        if let Some(scroller) = scroller.get_untracked() {
            scroller.set_scroll_top(top);
        }
    };

    let kind = move || lab.summary.get();
    // "paste", "rendered" or "file:<index>" (one of the user's chart files).
    let tab = RwSignal::new("paste".to_string());
    let add_chart = move |_| {
        if lab.chart_files.with_untracked(Vec::is_empty) {
            let files = crate::chart::Chart::builtin_files(crate::scene::source::LAB_CHART)
                .map(|f| f.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect())
                .unwrap_or_default();
            lab.chart_files.set(files);
        }
        tab.set("file:0".into());
        reparse(lab.text.get_untracked());
    };
    let drop_chart = move |_| {
        lab.chart_files.set(Vec::new());
        tab.set("paste".into());
        reparse(lab.text.get_untracked());
    };
    let file_index = move || tab.get().strip_prefix("file:").and_then(|i| i.parse::<usize>().ok());

    view! {
        <section class="panel" aria-label="Input">
            <div class="tabs">
                <div role="tablist" class="tablist">
                <button role="tab" id="tab-paste" aria-selected=move || (tab.get() == "paste").to_string() on:click=move |_| tab.set("paste".into())>"Your paste"</button>
                {move || lab.rendered.with(Option::is_some).then(|| view! {
                    <button role="tab" id="tab-rendered" aria-selected=move || (tab.get() == "rendered").to_string() on:click=move |_| tab.set("rendered".into())>"helm template"</button>
                })}
                {move || lab.chart_files.with(|files| files.iter().enumerate().map(|(i, (path, _))| {
                    let id = format!("file:{i}");
                    let selected = id.clone();
                    let name = path.rsplit('/').next().unwrap_or(path).to_string();
                    view! {
                        <button role="tab" class="file-tab" title=path.clone() aria-selected=move || (tab.get() == selected).to_string() on:click=move |_| tab.set(id.clone())>{name}</button>
                    }
                }).collect_view())}
                </div>
                {move || if lab.chart_files.with(Vec::is_empty) {
                    view! { <button class="btn small" on:click=add_chart title="Render your values.yaml through chart files you edit (starts from the lab chart)">"+ chart files"</button> }.into_any()
                } else {
                    view! { <button class="btn small" on:click=drop_chart title="Back to the built-in lab chart">"× chart files"</button> }.into_any()
                }}
                <span class="tabs-spacer"></span>
                <button class="btn small" on:click=undo disabled=move || lab.undo.with(Vec::is_empty) title="Undo the last change to the text (typing, an example, a guided scenario)">"Undo"</button>
                <super::controls::Examples />
            </div>
            {move || file_index().and_then(|i| lab.chart_files.with(|f| f.get(i).cloned())).map(|(path, text)| {
                let i = file_index().unwrap_or(0);
                let name_of_file = path.clone();
                view! {
                    <div class="chart-file">
                        <p class="input-meta">{format!("Chart file {path}: edits re-render your values.yaml (paste it under \"Your paste\")")}</p>
                        <textarea aria-label=format!("Chart file {path}") spellcheck="false" wrap="off" prop:value=text
                            on:paste=move |ev: leptos::ev::ClipboardEvent| {
                                // A chart file is edited in place only: a paste too long for the
                                // text box is refused before the browser lays it out (issue #14).
                                let Some(pasted) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else { return };
                                let Some(area) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) else { return };
                                let text = pasted_into(&area, &pasted);
                                if let Some(why) = crate::lines::too_long(crate::lines::count(&text), text.len()) {
                                    ev.prevent_default();
                                    lab.notice.set(Some(format!("Not pasted into {name_of_file}: the file would have {why}. The file is unchanged.")));
                                }
                            }
                            on:input=move |ev| {
                                let value = event_target_value(&ev);
                                lab.chart_files.update(|f| if let Some(file) = f.get_mut(i) { file.1 = value });
                                reparse(lab.text.get_untracked());
                            }></textarea>
                    </div>
                }
            })}
            <Show when=move || tab.get() == "rendered" && lab.rendered.with(Option::is_some)>
                <pre class="rendered" tabindex="0" aria-label="What helm template renders from your values">{move || lab.rendered.get().unwrap_or_default()}</pre>
            </Show>
            {move || (tab.get() == "paste" && !in_box.get()).then(|| view! {
                <p class="input-meta read-only-note">{format!(
                    "Read-only: this paste has {} without freezing the page. It is read and simulated as usual; paste here to replace it, or Undo to go back.",
                    crate::lines::too_long(line_count.get(), lab.text.with(String::len)).unwrap_or_default(),
                )}</p>
            })}
            <div class="editor" class:hidden=move || tab.get() != "paste" node_ref=scroller
                on:scroll=move |_| if let Some(s) = scroller.get_untracked() { scroll_top.set(s.scroll_top()) }>
                <div class="gutter" aria-hidden="true"
                    style:padding-top=move || format!("{}px", super::viewer::TOP_PX + (drawn.get().start - 1) * super::viewer::LINE_PX)>{gutter}</div>
                {move || (!in_box.get()).then(|| super::viewer::read_only(lab, drawn, accept))}
                <textarea
                    node_ref=textarea
                    class:hidden=move || !in_box.get()
                    aria-label="Paste a helm --debug log, rendered manifests or a StatefulSet"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    style:height=move || format!("{}px", if in_box.get() { line_count.get() * super::viewer::LINE_PX + 20 } else { 0 })
                    on:input=on_input
                    on:paste=on_paste
                ></textarea>
            </div>
            <p class="input-meta" id="input-summary" aria-live="polite">
                {move || match reading.get() {
                    Some(bytes) => format!("Reading {:.1} MB…", bytes as f64 / 1_048_576.0),
                    None => kind(),
                }}
            </p>
            {move || {
                let names: Vec<String> = lab.parsed.with(|r| r.statefulsets.iter().filter_map(|s| s.object.metadata.name.clone()).collect());
                (names.len() > 1).then(|| {
                    let shown = lab.session.with(|s| s.as_ref().map(|s| s.shown().set_name().to_string())).unwrap_or_default();
                    view! {
                        <label class="input-meta picker">"Simulate "
                            <select aria-label="Which StatefulSet to simulate" on:change=move |ev| {
                                lab.chosen.set(Some(event_target_value(&ev)));
                                lab.playing.set(false);
                                lab.load(lab.parsed.get_untracked());
                            }>
                                {names.into_iter().map(|n| {
                                    let selected = n == shown;
                                    view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    }
                })
            }}
            <ul class="diagnostics" aria-label="Problems in the input">
                {move || lab.parsed.with(|r| r.diagnostics.iter().take(200).cloned().collect::<Vec<_>>()).into_iter().map(|d| {
                    let line = d.line;
                    let class = if d.is_error() { "error" } else { "warning" };
                    let label = format!("{} at line {}, column {}: {}", if d.is_error() { "Error" } else { "Warning" }, d.line, d.column, d.message);
                    view! {
                        <li class=class>
                            <button on:click=move |_| jump_to(line)>
                                {label}
                                {d.snippet.clone().map(|s| view! { <code>{s}</code> })}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// A text box's value once `pasted` replaces its selection, as the browser would make it.
fn pasted_into(area: &web_sys::HtmlTextAreaElement, pasted: &str) -> String {
    let value = area.value();
    let at = |position: Result<Option<u32>, _>| {
        crate::lines::byte_offset(&value, position.ok().flatten().unwrap_or(0) as usize)
    };
    let (start, end) = (at(area.selection_start()), at(area.selection_end()));
    let (start, end) = (start.min(end), start.max(end));
    [&value[..start], &crate::lines::as_pasted(pasted), &value[end..]].concat()
}

/// Reads a text as the editor shows it (through the user's chart files, if any): sets how it was
/// read, its rendered output and its diagnostics, and returns the release.
pub fn read(lab: Lab, text: &str) -> crate::model::Release {
    let understood = lab.chart_files.with_untracked(|files| crate::scene::source::understand_with(text, files));
    lab.summary.set(understood.summary);
    lab.mismatch.set(understood.mismatch);
    lab.rendered.set(understood.rendered);
    lab.parsed.set(understood.release.clone());
    understood.release
}

/// Replaces the editor's text (an example was picked) and simulates it at once.
pub fn load_text(lab: Lab, text: &str) {
    remember(lab);
    lab.talk.set(None);
    lab.text.set(text.to_string());
    let release = read(lab, text);
    lab.playing.set(false);
    lab.load(release);
}

/// How many earlier texts Undo can bring back.
const UNDO_DEPTH: usize = 50;

/// Keeps the editor's text before the app replaces it, for Undo.
pub fn remember(lab: Lab) {
    let text = lab.text.get_untracked();
    lab.undo.update(|u| push_undo(u, text));
}

fn push_undo(u: &mut Vec<String>, text: String) {
    if u.last() != Some(&text) && !text.is_empty() {
        u.push(text);
        if u.len() > UNDO_DEPTH {
            u.remove(0);
        }
    }
}
