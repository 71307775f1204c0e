//! A cited rule opens its explanation where it is cited: a disclosure (keyboard and screen-reader
//! friendly without script) with the plain-language text and its source named.

use leptos::prelude::*;

/// "rule 4.4" as a button that opens what the rule says and where it comes from.
#[component]
pub fn Cite(#[prop(into)] id: String) -> impl IntoView {
    match crate::guide::rules::rule(&id) {
        Some(r) => view! {
            <details class="cite">
                <summary>{format!("rule {}: {}", r.id, r.title)}</summary>
                <span class="cite-body">{r.explanation}<br/><i>{format!("Source: {}", r.source())}</i></span>
            </details>
        }
        .into_any(),
        None => view! { <span class="cite">{format!("rule {id} ")}</span> }.into_any(),
    }
}

/// Text whose citations (`spec §4.4`, `rule §4.5`) each open their rule.
#[component]
pub fn Cited(#[prop(into)] text: String) -> impl IntoView {
    let mut parts = Vec::new();
    let mut from = 0;
    for c in crate::guide::rules::citations(&text) {
        parts.push(text[from..c.range.start].to_string().into_any());
        parts.push(view! { <Cite id=c.id /> }.into_any());
        from = c.range.end;
    }
    parts.push(text[from..].to_string().into_any());
    parts.collect_view()
}
