//! Narration: the current step's sentences with the rule they follow, and every step so far
//! (click one to go back to it). Lives in an aria-live region so screen readers hear each step.

use crate::sorting::CollectMap;
use std::sync::Arc;

use leptos::prelude::*;

use super::Lab;
use crate::engine::{Event, EventKind};

/// What a recorded input says in the list of steps: its headline and details, worked out once
/// per recorded input (see `Told`) and shared, so a playback tick never copies events.
#[derive(Clone, PartialEq)]
struct Said {
    index: usize,
    t: Arc<str>,
    headline: Arc<str>,
    details: Arc<[String]>,
}

/// One input told, with what it was told from: it stays valid while the input's command and
/// event range are the same (scrubbing back and acting again starts a new branch; then it is
/// told again).
#[derive(Clone)]
struct Told {
    key: (Option<String>, std::ops::Range<usize>),
    shown: bool,
    t: Arc<str>,
    headline: Arc<str>,
    details: Arc<[String]>,
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

/// The step in one line (the command typed, or the event that matters most) and what else the
/// controller did in the same step (creations, deletions, readiness).
fn tell(command: Option<&String>, events: &[Event]) -> (Arc<str>, Arc<[String]>) {
    let headline = match command {
        Some(c) => c.clone(),
        None => events
            .iter()
            .min_by_key(|e| weight(e.kind))
            .map(|e| e.text.clone())
            .unwrap_or_else(|| "nothing changed".into()),
    };
    let details: Vec<String> =
        events.iter().filter(|e| weight(e.kind) <= 3 && e.text != headline).take(3).map(|e| e.text.clone()).collect();
    (headline.into(), details.into())
}

fn clock(t: crate::engine::SimTime) -> String {
    let s = t.as_secs_f64() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[component]
pub fn Narration() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let told = StoredValue::new(Vec::<Told>::new());
    // Where the timeline is: each list item's `current` class reads only this, not the list, and
    // items after the current one look "future" by CSS (`li.current ~ li`), so a playback tick
    // changes the classes of two items (issue #13: the list computed incrementally).
    let position = Memo::new(move |_| lab.session.with(|s| s.as_ref().map(|s| s.position()).unwrap_or(0)));
    let said = Memo::new(move |_| {
        lab.session.with(|s| {
            let Some(s) = s else { return Vec::new() };
            // Events are read from the head's log: the shown moment's log is a prefix of it.
            let events = s.head_events();
            let marks = s.marks();
            told.update_value(|told| {
                told.truncate(marks.len());
                let same =
                    told.iter().zip(marks).take_while(|(t, m)| t.key.0 == m.command && t.key.1 == m.events).count();
                told.truncate(same);
                for m in &marks[same..] {
                    let ev = events.get(m.events.clone()).unwrap_or_default();
                    let (headline, details) = tell(m.command.as_ref(), ev);
                    told.push(Told {
                        key: (m.command.clone(), m.events.clone()),
                        // Requests and status-only syncs stay on the timeline, but would drown the list.
                        shown: !m.is_traffic && (m.command.is_some() || ev.iter().any(|e| e.kind != EventKind::Status)),
                        t: clock(m.t).into(),
                        headline,
                        details,
                    });
                }
            });
            let position = s.position();
            told.with_value(|told| {
                told.iter()
                    .zip(marks)
                    .enumerate()
                    .filter(|(i, (t, _))| *i + 1 == position || t.shown)
                    .map(|(i, (t, m))| {
                        // A step not reached yet shows only its command, as the old list did.
                        let (headline, details) = if i < position {
                            (t.headline.clone(), t.details.clone())
                        } else {
                            (tell(m.command.as_ref(), &[]).0, Arc::from(Vec::new()))
                        };
                        Said { index: i + 1, t: t.t.clone(), headline, details }
                    })
                    .collect()
            })
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
                events.iter().map(|e| e.rule).filter(|r| !r.is_empty()).collect_map();
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
        position.track();
        said.track();
        // After the list has painted the new current step.
        request_animation_frame(move || {
            if let Some(list) = history.get_untracked() {
                if let Ok(Some(current)) = list.query_selector("li.current") {
                    // Scroll the list alone: `scrollIntoView` would also scroll the page, and on a
                    // phone, where the panels stack, a first visit would open halfway down.
                    let (l, c) = (list.get_bounding_client_rect(), current.get_bounding_client_rect());
                    let by = if c.top() < l.top() {
                        c.top() - l.top()
                    } else if c.bottom() > l.bottom() {
                        (c.bottom() - l.bottom()).min(c.top() - l.top())
                    } else {
                        0.0
                    };
                    if by != 0.0 {
                        list.set_scroll_top(list.scroll_top() + by as i32);
                    }
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
        <ol class="history" class:at-start=move || position.get() == 0 node_ref=history aria-label="Every step so far; choose one to go back to it">
            <For each=move || said.get() key=|s| (s.index, s.headline.clone(), s.details.clone()) let:item>
                {
                    let index = item.index;
                    let headline = item.headline.to_string();
                    let details = item.details.to_vec();
                    let t = item.t.to_string();
                    view! {
                        <li class:current=move || position.get() == index>
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
