//! Narration: the current step's sentences with the rule they follow, and every step so far
//! (click one to go back to it). Lives in an aria-live region so screen readers hear each step.

use leptos::prelude::*;

use super::Lab;
use crate::engine::{Event, EventKind};

/// What a recorded input says: its command, kubectl's answer, and its events.
#[derive(Clone, PartialEq)]
struct Said {
    index: usize,
    t: String,
    command: Option<String>,
    answer: Option<Result<String, String>>,
    events: Vec<Event>,
}

/// How much a student needs to see an event in the list of steps (lower first).
fn weight(kind: EventKind) -> u8 {
    match kind {
        EventKind::Rejected => 0,
        EventKind::DeletePod | EventKind::CreatePod | EventKind::CreateRevision => 1,
        EventKind::PodGone | EventKind::PodReady | EventKind::PodUnready => 2,
        EventKind::CreatePvc | EventKind::DeletePvc | EventKind::PvcGone | EventKind::PvcBound => 3,
        EventKind::PodRunning => 4,
        EventKind::Wait => 5,
        EventKind::Request => 6,
        EventKind::Status => 7,
    }
}

impl Said {
    /// The step in one line: the command typed, or the event that matters most.
    fn headline(&self) -> String {
        if let Some(c) = &self.command {
            return c.clone();
        }
        self.events
            .iter()
            .min_by_key(|e| weight(e.kind))
            .map(|e| e.text.clone())
            .unwrap_or_else(|| "nothing changed".into())
    }

    /// What else the controller did in the same step (creations, deletions, readiness).
    fn details(&self) -> Vec<String> {
        let headline = self.headline();
        self.events
            .iter()
            .filter(|e| weight(e.kind) <= 3 && e.text != headline)
            .take(3)
            .map(|e| e.text.clone())
            .collect()
    }
}

fn clock(t: crate::engine::SimTime) -> String {
    let s = t.as_secs_f64() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[component]
pub fn Narration() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let said = Memo::new(move |_| {
        lab.session.with(|s| {
            let Some(s) = s else { return (Vec::new(), 0) };
            // Events are read from the head's log: the shown moment's log is a prefix of it.
            let events = s.head_events();
            let list: Vec<Said> = s
                .marks()
                .iter()
                .enumerate()
                // Requests and status-only syncs stay on the timeline, but would drown the list.
                .filter(|(i, m)| {
                    *i + 1 == s.position()
                        || (!m.is_traffic
                            && (m.command.is_some()
                                || events
                                    .get(m.events.clone())
                                    .is_some_and(|e| e.iter().any(|e| e.kind != EventKind::Status))))
                })
                .map(|(i, m)| Said {
                    index: i + 1,
                    t: clock(m.t),
                    command: m.command.clone(),
                    answer: m.answer.clone(),
                    events: if i < s.position() {
                        events.get(m.events.clone()).map(|e| e.to_vec()).unwrap_or_default()
                    } else {
                        Vec::new()
                    },
                })
                .collect();
            (list, s.position())
        })
    });
    // The current step, told: its command, its sentences (never none), kubectl's answer, rules.
    let now = Memo::new(move |_| {
        lab.session.with(|s| {
            let s = s.as_ref()?;
            let mark = s.current_mark()?;
            let events = s.head_events().get(mark.events.clone()).unwrap_or_default();
            let sentences = crate::session::narrate::sentences(mark, events, s.shown().waiting_for());
            let rules: std::collections::BTreeSet<&'static str> =
                events.iter().map(|e| e.rule).filter(|r| !r.is_empty()).collect();
            Some((
                mark.command.clone(),
                sentences,
                mark.answer.clone(),
                rules.into_iter().collect::<Vec<_>>(),
                clock(mark.t),
            ))
        })
    });

    let talk = Memo::new(move |_| {
        let position = lab.session.with(|s| s.as_ref().map(|s| s.position()).unwrap_or(0));
        lab.talk.with(|t| {
            t.as_ref().map(|t| {
                let command = t.point_at(position).and_then(|p| p.command.clone());
                let answer = command
                    .as_ref()
                    .and_then(|c| lab.session.with(|s| s.as_ref().and_then(|s| crate::kubectl::answer(s.shown(), c))));
                let (done, total) = t.progress(position);
                (t.title.clone(), t.words_at(position), command, answer, format!("point {done} of {total}"))
            })
        })
    });
    // The list of steps keeps the current one in view (a presenter never scrolls by hand).
    let history = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        said.with(|(_, p)| *p);
        // After the list has painted the new current step.
        request_animation_frame(move || {
            if let Some(list) = history.get_untracked() {
                if let Ok(Some(current)) = list.query_selector("li.current") {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    current.scroll_into_view_with_scroll_into_view_options(&options);
                }
            }
        });
    });
    view! {
        {move || talk.get().map(|(title, words, command, answer, progress)| view! {
            <div class="talk" aria-live="polite">
                <h2>{title}<span class="progress">{progress}</span></h2>
                {words.map(|p| view! { <p><super::rules::Cited text=p /></p> })}
                <p class="talk-keys">
                    <button class="btn small" id="next-point" on:click=move |_| super::controls::to_point(lab, true)>"Next point"<kbd>"Page Down"</kbd></button>
                    <button class="btn small" id="skip-talk" on:click=move |_| { lab.playing.set(false); lab.with_session(|s| s.seek(s.len())); }>"Skip to the end"</button>
                </p>
                {command.map(|c| view! { <pre class="talk-answer"><code>{format!("$ {c}\n{}", answer.unwrap_or_default())}</code></pre> })}
            </div>
        })}
        <h2 id="narration-title">"What the controller does"</h2>
        <div class="narration" aria-live="polite" aria-labelledby="narration-title">
            {move || match now.get() {
                None => view! { <p class="now">"The StatefulSet was just submitted: nothing exists yet. Press Play or Next step to watch the controller."</p> }.into_any(),
                Some((command, sentences, answer, rules, t)) => view! {
                    <p class="now">{command.map(|c| view! { <code>{format!("$ {c}")}</code><br/> })}
                        {sentences.into_iter().map(|e| view! { <span><super::rules::Cited text=e />" "</span> }).collect_view()}
                    </p>
                    {answer.map(|a| match a {
                        Ok(out) if !out.is_empty() => view! { <p class="rule">"kubectl: "<code>{out}</code></p> }.into_any(),
                        Ok(_) => ().into_any(),
                        Err(e) => view! { <p class="rule bad">"error: "<code>{e}</code></p> }.into_any(),
                    })}
                    <p class="rule">{rules.into_iter().map(|r| view! { <super::rules::Cite id=r.to_string() /> }).collect_view()}{format!("at {t}")}</p>
                }.into_any(),
            }}
        </div>
        <h2>"Steps"</h2>
        <ol class="history" node_ref=history aria-label="Every step so far; choose one to go back to it">
            <For each=move || said.get().0 key=|s| (s.index, s.headline(), s.details()) let:item>
                {
                    let index = item.index;
                    let headline = item.headline();
                    let details = item.details();
                    let t = item.t.clone();
                    view! {
                        <li class:current=move || said.with(|(_, p)| *p == index) class:future=move || said.with(|(_, p)| *p < index)>
                            <button on:click=move |_| { lab.playing.set(false); lab.with_session(|s| s.seek(index)); }>
                                <span class="t">{t}</span><span>{headline}{details.into_iter().map(|d| view! { <span class="detail">{d}</span> }).collect_view()}</span>
                            </button>
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
