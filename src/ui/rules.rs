//! A cited rule opens its explanation where it is cited: a disclosure (keyboard and screen-reader
//! friendly without script) with the plain-language text and its source named.

use leptos::prelude::*;

/// "rule 4.4" as a button that opens what the rule says and where it comes from.
#[component]
pub fn Cite(id: &'static str) -> impl IntoView {
    let rule = crate::guide::rules::rule(id);
    match rule {
        Some(r) => view! {
            <details class="cite">
                <summary>{format!("rule {id}: {}", r.title)}</summary>
                <span class="cite-body">{r.explanation}<br/><i>{format!("Source: {}", r.source())}</i></span>
            </details>
        }
        .into_any(),
        None => view! { <span class="cite">{format!("rule {id} ")}</span> }.into_any(),
    }
}
