//! kubectl as it would print at the moment shown: `get po,sts,svc,pvc`, `rollout status`, and each
//! pod's counter file, in a terminal-like block with a copy button.

use leptos::prelude::*;

use super::Lab;
use crate::kubectl;

/// The output's line height in CSS pixels (`.kubectl pre` in app.css).
const LINE_PX: usize = 17;
/// Answers longer than this are drawn a window of lines at a time.
const DRAWN_FROM: usize = 150;

#[component]
pub fn KubectlPanel() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let choice = RwSignal::new("get".to_string());
    let commands = Memo::new(move |_| {
        lab.session.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let set = s.shown().set_name().to_string();
            let mut list = vec![
                ("get".to_string(), "kubectl get po,sts,svc,pvc".to_string()),
                ("wide".to_string(), "kubectl get po,sts,svc,pvc -o wide".to_string()),
                ("rollout".to_string(), format!("kubectl rollout status statefulset/{set}")),
                ("exec-all".to_string(), "kubectl exec ... cat (every pod)".to_string()),
            ];
            for p in s.shown().pods() {
                list.push((
                    format!("exec:{}", p.name),
                    format!("kubectl exec pod/{} -- cat {}", p.name, lab.counter_path.get_value()),
                ));
            }
            list
        })
    });
    let output = Memo::new(move |_| {
        let which = choice.get();
        let path = lab.counter_path.get_value();
        lab.session.with(|s| {
            let Some(s) = s else { return String::new() };
            let c = s.shown();
            let set = c.set_name().to_string();
            let cat = |pod: &str| {
                let out = match kubectl::exec_cat(c, pod, &path) {
                    Ok(o) | Err(o) => o,
                };
                format!("$ kubectl exec pod/{pod} -- cat {path}\n{out}\n")
            };
            match which.as_str() {
                "get" | "wide" => {
                    let wide = which == "wide";
                    let cmd = format!("$ kubectl get po,sts,svc,pvc{}\n", if wide { " -o wide" } else { "" });
                    match kubectl::get(c, "po,sts,svc,pvc", wide) {
                        Ok(t) | Err(t) => cmd + &t,
                    }
                }
                "rollout" => {
                    let r = kubectl::rollout_status(c);
                    format!("$ kubectl rollout status statefulset/{set}\n{}", r.message)
                }
                "exec-all" => c.pods().map(|p| cat(&p.name)).collect::<Vec<_>>().join("\n"),
                other => cat(other.strip_prefix("exec:").unwrap_or(other)),
            }
        })
    });
    // A long answer (`get po,sts,svc,pvc` of 200 replicas is over 400 lines, its AGE column new at
    // every step) is drawn as the lines in view only: laying out all of it took about 10 ms per
    // playback step. The scroller keeps the whole answer's height; Copy copies all of it.
    let scroll_top = RwSignal::new(0i32);
    // The lines drawn (numbered from 1), when the answer is long, and its length in lines.
    let window = move || {
        let n = output.with(|o| o.lines().count());
        ((n > DRAWN_FROM).then(|| super::viewer::window_of(scroll_top.get(), n, LINE_PX, 0)), n)
    };
    let text = move || match window().0 {
        None => output.get(),
        Some(lines) => output.with(|o| {
            let mut out = String::new();
            for line in o.lines().skip(lines.start - 1).take(lines.len()) {
                out.push_str(line);
                out.push('\n');
            }
            out
        }),
    };
    let copy = move |_| {
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            let text: String =
                output.get_untracked().lines().filter(|l| !l.starts_with("$ ")).collect::<Vec<_>>().join("\n");
            let _ = clipboard.write_text(&text);
        }
    };
    view! {
        <div class="kubectl">
            <h2>"kubectl, at this moment"</h2>
            <div class="bar">
                <label class="sr-only" for="kubectl-command">"Command"</label>
                <select id="kubectl-command" on:change=move |ev| choice.set(event_target_value(&ev))>
                    {move || commands.get().into_iter().map(|(value, label)| {
                        let selected = choice.get_untracked() == value;
                        view! { <option value=value selected=selected>{label}</option> }
                    }).collect_view()}
                </select>
                <button class="btn" on:click=copy title="Copy the output">"Copy"</button>
            </div>
            <pre id="kubectl-output" tabindex="0" aria-label="kubectl output"
                on:scroll=move |ev| scroll_top.set(event_target::<web_sys::HtmlElement>(&ev).scroll_top())>
                <div class:drawn-lines=move || window().0.is_some()
                    style:height=move || match window() { (Some(_), n) => format!("{}px", n * LINE_PX), _ => String::new() }>
                    <div style:top=move || window().0.map(|l| format!("{}px", (l.start - 1) * LINE_PX)).unwrap_or_default()>{text}</div>
                </div>
            </pre>
        </div>
    }
}
