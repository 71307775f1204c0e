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
            let events = s.shown().events();
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
    let current = Memo::new(move |_| said.with(|(list, pos)| list.iter().rev().find(|s| s.index <= *pos).cloned()));

    let talking_point = move || {
        let position = lab.session.with(|s| s.as_ref().map(|s| s.position()).unwrap_or(0));
        lab.talk.with(|t| t.as_ref().map(|t| (t.title.clone(), t.at(position))))
    };
    view! {
        {move || talking_point().map(|(title, point)| view! {
            <div class="talk" aria-live="polite">
                <h2>{title}</h2>
                {point.map(|p| view! { <p>{p}</p> })}
            </div>
        })}
        <h2 id="narration-title">"What the controller does"</h2>
        <div class="narration" aria-live="polite" aria-labelledby="narration-title">
            {move || match current.get() {
                None => view! { <p class="now">"The StatefulSet was just submitted. Press Play or Next step to watch the controller."</p> }.into_any(),
                Some(now) => {
                    let answer = now.answer.clone();
                    view! {
                        <p class="now">{now.command.clone().map(|c| view! { <code>{format!("$ {c}")}</code><br/> })}
                            {now.events.iter().filter(|e| e.kind != EventKind::Request && (e.kind != EventKind::Status || now.events.iter().all(|e| e.kind == EventKind::Status))).take(6).map(|e| view! {
                                <span>{e.text.clone()}" "</span>
                            }).collect_view()}
                        </p>
                        {answer.map(|a| match a {
                            Ok(out) if !out.is_empty() => view! { <p class="rule">"kubectl: "<code>{out}</code></p> }.into_any(),
                            Ok(_) => ().into_any(),
                            Err(e) => view! { <p class="rule" style:color="var(--bad)">"error: "<code>{e}</code></p> }.into_any(),
                        })}
                        <p class="rule">{now.events.iter().map(|e| e.rule).filter(|r| !r.is_empty()).collect::<std::collections::BTreeSet<_>>().into_iter().map(|r| view! {
                            <span>"rule "<b>{format!("§{r}")}</b>" "</span>
                        }).collect_view()}{format!("at {}", now.t)}</p>
                    }.into_any()
                }
            }}
        </div>
        <h2>"Steps"</h2>
        <ol class="history" aria-label="Every step so far; choose one to go back to it">
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
