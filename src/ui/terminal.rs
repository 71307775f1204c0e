//! The terminal: type `kubectl` and `helm` commands against the moment shown. Reading commands
//! print what kubectl and helm print (`kubectl::run`); changing commands (`helm upgrade` too)
//! become the same engine inputs as the buttons, so they land on the timeline, in share links and in the narration. History with
//! ↑/↓, completion with Tab (only while the line has text, so Tab still leaves an empty prompt).

use leptos::prelude::*;

use super::Lab;
use crate::kubectl::{self, Outcome};

/// What the scrollback keeps: the last commands and their answers (a bounded log, like a
/// terminal's scrollback limit, so a long class session cannot grow the page without end).
const SCROLLBACK: usize = 100;

/// The name under which `kubectl apply -f` finds the editor's text.
pub const PASTE_FILE: &str = "paste.yaml";

#[derive(Clone, PartialEq)]
struct Entry {
    id: usize,
    command: String,
    stdout: String,
    stderr: String,
    /// What a streaming `get pods -w` printed after its first answer (a `<For>` row keeps its
    /// first render, so the lines that come later need a signal of their own).
    tail: Option<RwSignal<String>>,
}

/// Runs one typed line: `Print` answers are shown, `Act` answers go through the session like a
/// button press (the typed line is what the narration shows as the command).
fn execute(lab: Lab, line: &str) -> (String, String) {
    let files = move |name: &str| (name == PASTE_FILE).then(|| lab.text.get_untracked());
    let outcome = lab.session.with_untracked(|s| s.as_ref().map(|s| kubectl::run(s.shown(), line, &files)));
    match outcome {
        None => (
            String::new(),
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?".into(),
        ),
        Some(Outcome::Print { stdout, stderr }) => (stdout, stderr),
        Some(Outcome::Act(action)) => {
            super::keep::acting(lab);
            // What kubectl prints on stderr before it sends the request (force deletion's warning).
            let warning = action.warning().map(|w| format!("{w}\n")).unwrap_or_default();
            match lab.with_session(|s| s.act_typed(action, line.to_string())) {
                Some(Ok(out)) => {
                    lab.rejection.set(None);
                    lab.playing.set(true);
                    (out, warning)
                }
                Some(Err(e)) => {
                    lab.rejection.set(Some(e.clone()));
                    (String::new(), format!("{warning}{e}"))
                }
                None => (String::new(), String::new()),
            }
        }
    }
}

#[component]
pub fn Terminal() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let entries = RwSignal::new(Vec::<Entry>::new());
    let line = RwSignal::new(String::new());
    let history = StoredValue::new(Vec::<String>::new());
    // Where ↑/↓ are in the history (None: editing a new line), and that new line, kept.
    let cursor = StoredValue::new(None::<usize>);
    let draft = StoredValue::new(String::new());
    let hint = RwSignal::new(String::new());
    let next_id = StoredValue::new(0usize);
    let log_ref = NodeRef::<leptos::html::Pre>::new();
    // `kubectl get pods -w` keeps printing: the entry it prints into and what it last printed.
    let watching = StoredValue::new(None::<(RwSignal<String>, kubectl::PodWatch)>);
    let scroll_down = move || {
        request_animation_frame(move || {
            if let Some(pre) = log_ref.get_untracked() {
                pre.set_scroll_top(pre.scroll_height());
            }
        });
    };
    // Ctrl-C (or the next command) ends the watch, as in a shell.
    let stop_watch = move || {
        if let Some((tail, _)) = watching.get_value() {
            watching.set_value(None);
            tail.update(|t| t.push_str("^C\n"));
        }
    };
    // Each moment the session moves to, the watch prints what changed (the kubelet's and the
    // controller's changes reach it as watch events reach kubectl).
    Effect::new(move |_| {
        lab.session.track();
        let Some((tail, mut w)) = watching.get_value() else {
            return;
        };
        let lines = lab.session.with_untracked(|s| s.as_ref().map(|s| w.observe(s.shown()))).unwrap_or_default();
        if lines.is_empty() {
            return;
        }
        watching.set_value(Some((tail, w)));
        tail.update(|t| {
            for l in lines {
                t.push_str(&l);
                t.push('\n');
            }
        });
        scroll_down();
    });
    // A new paste, guide or story is another cluster: say so in the scrollback, as a line between
    // the answers about the old one and those about the new one.
    Effect::new(move |previous: Option<()>| {
        let name = lab.parsed.with(|r| r.statefulsets.first().and_then(|s| s.object.metadata.name.clone()));
        if previous.is_some() && entries.with_untracked(|e| !e.is_empty()) {
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            let what = name.map(|n| format!(" (statefulset/{n})")).unwrap_or_default();
            entries.update(|e| {
                e.push(Entry {
                    id,
                    command: String::new(),
                    stdout: String::new(),
                    stderr: format!("# the editor's text changed: the answers below are about a new simulation{what}"),
                    tail: None,
                })
            });
        }
    });

    let submit = move || {
        let typed = line.get_untracked();
        let trimmed = typed.trim().to_string();
        line.set(String::new());
        hint.set(String::new());
        cursor.set_value(None);
        stop_watch();
        if trimmed.is_empty() {
            return;
        }
        history.update_value(|h| {
            if h.last() != Some(&trimmed) {
                h.push(trimmed.clone());
            }
            if h.len() > SCROLLBACK {
                h.remove(0);
            }
        });
        if trimmed == "clear" {
            entries.set(Vec::new());
            return;
        }
        let (stdout, stderr) = execute(lab, &trimmed);
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        let watch =
            lab.session.with_untracked(|s| s.as_ref().and_then(|s| kubectl::cli::pod_watch(s.shown(), &trimmed)));
        let tail = watch.map(|w| {
            let tail = RwSignal::new(String::new());
            watching.set_value(Some((tail, w)));
            tail
        });
        entries.update(|e| {
            e.push(Entry { id, command: trimmed, stdout, stderr, tail });
            if e.len() > SCROLLBACK {
                e.remove(0);
            }
        });
        // Show the newest answer.
        scroll_down();
    };

    let recall = move |older: bool| {
        let h = history.get_value();
        if h.is_empty() {
            return;
        }
        let at = cursor.get_value();
        let next = match (at, older) {
            (None, true) => {
                draft.set_value(line.get_untracked());
                Some(h.len() - 1)
            }
            (None, false) => return,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < h.len() => Some(i + 1),
            (Some(_), false) => None,
        };
        cursor.set_value(next);
        line.set(match next {
            Some(i) => h[i].clone(),
            None => draft.get_value(),
        });
    };

    // Tab completes the word at the end of the line: one candidate is filled in (with a space),
    // several fill their common prefix and are listed under the prompt.
    let complete = move || -> bool {
        let text = line.get_untracked();
        if text.trim().is_empty() {
            return false;
        }
        let Some(c) = lab.session.with_untracked(|s| s.as_ref().map(|s| kubectl::complete(s.shown(), &text))) else {
            return false;
        };
        let start = c.start.min(text.len());
        match c.candidates.as_slice() {
            [] => hint.set(String::new()),
            [one] => {
                line.set(format!("{}{one} ", &text[..start]));
                hint.set(String::new());
            }
            many => {
                let prefix = common_prefix(many);
                if prefix.len() > text.len() - start {
                    line.set(format!("{}{prefix}", &text[..start]));
                }
                hint.set(many.join("  "));
            }
        }
        true
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            submit();
        }
        "ArrowUp" => {
            ev.prevent_default();
            recall(true);
        }
        "ArrowDown" => {
            ev.prevent_default();
            recall(false);
        }
        "Tab" if !ev.shift_key() => {
            if complete() {
                ev.prevent_default();
            }
        }
        "c" if ev.ctrl_key() && watching.with_value(Option::is_some) => {
            ev.prevent_default();
            stop_watch();
        }
        "Escape" => {
            line.set(String::new());
            hint.set(String::new());
            cursor.set_value(None);
        }
        _ => {}
    };

    let set_name =
        move || lab.session.with(|s| s.as_ref().map(|s| s.shown().set_name().to_string()).unwrap_or_default());
    let release =
        move || lab.session.with(|s| s.as_ref().and_then(|s| s.shown().releases().last().map(|r| r.name.clone())));
    // The examples run exactly the command they show.
    let examples = move || {
        let set = set_name();
        let mut e = vec![
            format!("kubectl describe sts {set}"),
            format!("kubectl rollout history sts/{set}"),
            "kubectl get controllerrevisions".to_string(),
            "kubectl get events".to_string(),
        ];
        if let Some(r) = release() {
            e.push(format!("helm history {r}"));
        }
        e
    };

    view! {
        <section class="terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">"Terminal"</h2>
            <p class="terminal-help">
                {format!("kubectl and helm as on a cluster, answered at the moment shown · ↑↓ history · Tab completes · get pods -w streams until Ctrl-C · the editor's text is {PASTE_FILE}, the charts are ./helm-python and ./done-right")}
            </p>
            <p class="terminal-examples">
                {move || examples().into_iter().map(|cmd| {
                    let run = cmd.clone();
                    // Shown without the `kubectl ` most examples start with; run exactly as written.
                    let label = cmd.strip_prefix("kubectl ").unwrap_or(&cmd).to_string();
                    view! { <button class="btn small mono" title=cmd.clone() on:click=move |_| { line.set(run.clone()); submit(); }>{label}</button> }
                }).collect_view()}
            </p>
            <pre id="terminal-log" node_ref=log_ref role="log" aria-label="Terminal output" tabindex="0">
                <For each=move || entries.get() key=|e| e.id let:e>
                    {if e.command.is_empty() { None } else { Some(view! { <span class="prompt">"$ "</span>{e.command.clone()}"\n" }) }}
                    {(!e.stdout.is_empty()).then(|| format!("{}\n", e.stdout.trim_end_matches('\n')))}
                    {e.tail.map(|t| move || t.get())}
                    {(!e.stderr.is_empty()).then(|| view! { <span class=if e.command.is_empty() { "note" } else { "stderr" }>{format!("{}\n", e.stderr.trim_end_matches('\n'))}</span> })}
                </For>
            </pre>
            <div class="terminal-line">
                <span class="prompt" aria-hidden="true">"$"</span>
                <input id="terminal-input" type="text" aria-label="kubectl or helm command" autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-describedby="terminal-hint"
                    placeholder="kubectl get pods"
                    prop:value=move || line.get()
                    on:input=move |ev| { line.set(event_target_value(&ev)); cursor.set_value(None); }
                    on:keydown=on_key />
            </div>
            <p id="terminal-hint" class="terminal-hint" aria-live="polite">{move || hint.get()}</p>
        </section>
    }
}

/// The longest prefix all candidates share (char-safe).
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else { return String::new() };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}
