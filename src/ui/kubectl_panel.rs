//! kubectl as it would print at the moment shown: `get po,sts,svc,pvc`, `rollout status`, and each
//! pod's counter file, in a terminal-like block with a copy button.

use leptos::prelude::*;

use super::Lab;
use crate::kubectl;

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
            <pre id="kubectl-output" tabindex="0" aria-label="kubectl output">{move || output.get()}</pre>
        </div>
    }
}
