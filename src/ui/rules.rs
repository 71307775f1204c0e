//! A cited rule opens its explanation where it is cited: an inline button that discloses the
//! plain-language text and its source named (`aria-expanded`, so keyboards and screen readers
//! know it opens something).
//!
//! Why a `<span role="button">`: a citation sits inside a sentence and must wrap with it. A closed
//! `<details>` is laid out with its hidden content as a block, and a `<button>` as an inline block,
//! so either one broke the teacher's talking point around every citation ("…then web-0 (" at the
//! end of one line, ")." alone on the next).

use leptos::prelude::*;

/// "rule 4.4" as a button that opens what the rule says and where it comes from.
#[component]
pub fn Cite(#[prop(into)] id: String) -> impl IntoView {
    match crate::guide::rules::rule(&id) {
        Some(r) => {
            let open = RwSignal::new(false);
            let source = format!("Source: {}", r.source());
            view! {
                <span class="cite" class:open=move || open.get()>
                    <span class="cite-toggle" role="button" tabindex="0" aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                            // What a <button> does on these keys (the lab's own keys leave them be).
                            if matches!(ev.key().as_str(), "Enter" | " ") {
                                ev.prevent_default();
                                open.update(|o| *o = !*o);
                            }
                        }>{format!("rule {}: {}", r.id, r.title)}</span>
                    {move || open.get().then(|| view! {
                        <span class="cite-body">{r.explanation}<br/><i>{source.clone()}</i></span>
                    })}
                </span>
            }
            .into_any()
        }
        None => view! { <span class="cite">{format!("rule {id} ")}</span> }.into_any(),
    }
}

/// Text whose citations (`spec §4.4`, `rule §4.5`) each open their rule, and whose code spans
/// (`` `kubectl rollout status` ``) are shown as code.
#[component]
pub fn Cited(#[prop(into)] text: String) -> impl IntoView {
    let mut parts = Vec::new();
    let plain = |parts: &mut Vec<AnyView>, run: &str| {
        for (code, piece) in crate::guide::code_spans::code_spans(run) {
            let piece = piece.to_string();
            parts.push(if code { view! { <code>{piece}</code> }.into_any() } else { piece.into_any() });
        }
    };
    let mut from = 0;
    for c in crate::guide::rules::citations(&text) {
        plain(&mut parts, &text[from..c.range.start]);
        parts.push(view! { <Cite id=c.id /> }.into_any());
        from = c.range.end;
    }
    plain(&mut parts, &text[from..]);
    parts.collect_view()
}
