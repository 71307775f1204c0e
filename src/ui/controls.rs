//! Actions (a button and a key each) and the timeline (play, step, scrub, speed). Every action is
//! an engine input, so it lands on the timeline; the engine decides what happens.

use leptos::prelude::*;

use super::{editor, Lab};
use crate::engine::{Action, PodManagementPolicy, RetentionPolicy, SimDuration, UpdateStrategy};
use crate::scene::Scene;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Base pause between two steps at 1x.
const STEP_MS: f64 = 900.0;
/// Playback stops after this many steps in a row that only wait (a crash loop, a stuck rollout).
const QUIET_STEPS: u32 = 8;

/// Sends an action; a rejection is shown, anything else starts playing so the controller's
/// reaction can be watched.
pub fn act(lab: Lab, action: Action) {
    let result = lab.with_session(|s| s.act(action));
    match result {
        Some(Err(e)) => lab.rejection.set(Some(e)),
        Some(Ok(_)) => {
            lab.rejection.set(None);
            lab.playing.set(true);
        }
        None => {}
    }
}

/// The next image tag a student would push: `app:v2` after `app:latest` or `app:v1`.
pub fn next_image(image: &str) -> String {
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, ""),
    };
    let n = tag.strip_prefix('v').and_then(|d| d.parse::<u32>().ok()).map(|n| n + 1).unwrap_or(2);
    format!("{repo}:v{n}")
}

/// Facts about the shown StatefulSet the buttons need.
#[derive(Clone, PartialEq, Default)]
struct Facts {
    replicas: i32,
    partition: i32,
    strategy: String,
    policy: String,
    image: String,
    pending_update: bool,
    ordinals: Vec<i32>,
    start: i32,
    exists: bool,
}

fn facts(lab: Lab) -> Facts {
    lab.session.with(|s| {
        let Some(s) = s else { return Facts::default() };
        let c = s.shown();
        let Some(set) = c.statefulset() else {
            return Facts::default();
        };
        Facts {
            replicas: set.spec.replicas,
            partition: set.spec.partition,
            strategy: set.spec.strategy.as_str().to_string(),
            policy: set.spec.policy.as_str().to_string(),
            image: set.spec.containers.first().map(|c| c.1.clone()).unwrap_or_default(),
            pending_update: set.status.current_revision != set.status.update_revision,
            ordinals: c.pods().map(|p| p.ordinal).collect(),
            start: set.spec.start,
            exists: true,
        }
    })
}

/// One step of playback: replay what is recorded, else drive the engine; when the controller has
/// nothing left to do, a guided scenario's next action goes in.
pub fn play_tick(lab: Lab, quiet: StoredValue<u32>) {
    let traffic = lab.traffic.get_untracked().then(|| lab.rate.get_untracked());
    let at_rest = lab.session.with_untracked(|s| {
        s.as_ref().map(|s| s.at_head() && (s.head_is_idle() || quiet.get_value() >= QUIET_STEPS)).unwrap_or(false)
    });
    if at_rest {
        if let Some(next) = lab.queue.try_update_value(|q| q.pop_front()).flatten() {
            quiet.set_value(0);
            act(lab, next);
            return;
        }
    }
    let keep_playing = lab
        .with_session(|s| {
            if !s.at_head() {
                s.seek(s.position() + 1);
                return true;
            }
            if let Some(n) = traffic {
                let _ = s.act(Action::Traffic(n));
            }
            if s.step() {
                if s.step_was_only_waiting() {
                    quiet.update_value(|q| *q += 1);
                } else {
                    quiet.set_value(0);
                }
                traffic.is_some() || quiet.get_value() < QUIET_STEPS
            } else if traffic.is_some() {
                s.wait(SimDuration::from_secs(2));
                true
            } else {
                false
            }
        })
        .unwrap_or(false);
    let keep_playing = keep_playing || lab.queue.with_value(|q| !q.is_empty());
    if !keep_playing {
        lab.playing.set(false);
        quiet.set_value(0);
    }
}

/// Steps back one recorded moment.
pub fn step_back(lab: Lab) {
    lab.playing.set(false);
    lab.with_session(|s| s.seek(s.position().saturating_sub(1)));
}

/// Steps forward one moment (recorded, or a new engine step at the head).
pub fn step_forward(lab: Lab) {
    lab.playing.set(false);
    lab.with_session(|s| {
        if s.at_head() {
            s.step();
        } else {
            s.seek(s.position() + 1);
        }
    });
}

pub fn scale(lab: Lab, delta: i32) {
    let f = facts(lab);
    if f.exists {
        act(lab, Action::Scale((f.replicas + delta).max(0)));
    }
}

pub fn new_image(lab: Lab) {
    let f = facts(lab);
    if f.exists {
        act(lab, Action::Image(next_image(&f.image)));
    }
}

/// Canary: hold every pod but the highest at the old revision (partition = replicas - 1); if no
/// update is waiting yet, also push a new image so there is something to canary.
pub fn canary(lab: Lab) {
    let f = facts(lab);
    if !f.exists {
        return;
    }
    act(lab, Action::Partition((f.replicas - 1).max(0)));
    if !f.pending_update {
        act(lab, Action::Image(next_image(&f.image)));
    }
}

/// Promote one more pod: lower the partition by one (a phased rollout).
pub fn promote(lab: Lab) {
    let f = facts(lab);
    if f.exists {
        act(lab, Action::Partition((f.partition.min(f.replicas) - 1).max(0)));
    }
}

pub fn toggle_strategy(lab: Lab) {
    let f = facts(lab);
    let next = if f.strategy == "OnDelete" { UpdateStrategy::RollingUpdate } else { UpdateStrategy::OnDelete };
    act(lab, Action::Strategy(next));
}

pub fn reset(lab: Lab) {
    let text = lab.text.get_untracked();
    editor::load_text(lab, &text, text == super::LAB_LOG);
}

/// podManagementPolicy is immutable (spec §7): the change is sent so the API's rejection is shown;
/// re-creating the StatefulSet is offered beside it.
fn toggle_policy(lab: Lab) {
    let f = facts(lab);
    let next = if f.policy == "Parallel" { PodManagementPolicy::OrderedReady } else { PodManagementPolicy::Parallel };
    act(lab, Action::PodManagementPolicy(next));
}

/// Deletes the StatefulSet (keeping pods and claims, --cascade=orphan) and creates it again with
/// the other policy, as a user must do for an immutable field.
fn recreate_with_other_policy(lab: Lab) {
    let f = facts(lab);
    let next = if f.policy == "Parallel" { "OrderedReady" } else { "Parallel" };
    let mut release = lab.session.with_untracked(|s| s.as_ref().map(|s| s.release.clone()));
    if let Some(r) = release.as_mut() {
        for sts in &mut r.statefulsets {
            if let Some(spec) = sts.object.spec.as_mut() {
                spec.pod_management_policy = Some(next.to_string());
            }
        }
        lab.playing.set(false);
        lab.load(r.clone(), false);
        lab.playing.set(true);
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let facts = Memo::new(move |_| facts(lab));
    let quiet = StoredValue::new(0u32);
    let elapsed = StoredValue::new(0.0f64);
    // One clock for playback: ticks every 50 ms, steps when enough (speed-scaled) time has passed.
    let _ = set_interval_with_handle(
        move || {
            if !lab.playing.get_untracked() {
                elapsed.set_value(0.0);
                return;
            }
            elapsed.update_value(|e| *e += 50.0 * lab.speed.get_untracked());
            if elapsed.get_value() >= STEP_MS {
                elapsed.set_value(0.0);
                play_tick(lab, quiet);
            }
        },
        std::time::Duration::from_millis(50),
    );

    let position =
        Memo::new(move |_| lab.session.with(|s| s.as_ref().map(|s| (s.position(), s.len())).unwrap_or((0, 0))));
    let markers = Memo::new(move |_| {
        lab.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    let n = s.len().max(1) as f64;
                    s.marks()
                        .iter()
                        .enumerate()
                        .filter(|(_, m)| m.is_action)
                        .map(|(i, m)| ((i + 1) as f64 / n * 100.0, m.command.clone().unwrap_or_default()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let clock = move || {
        lab.session.with(|s| {
            s.as_ref()
                .map(|s| {
                    let t = s.shown().now().as_secs_f64() as u64;
                    format!("step {}/{} · t={}:{:02}", s.position(), s.len(), t / 60, t % 60)
                })
                .unwrap_or_default()
        })
    };
    let retention_change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let (s, d) = v.split_once('/').unwrap_or(("Retain", "Retain"));
        let p = |x: &str| RetentionPolicy::parse(x).unwrap_or(RetentionPolicy::Retain);
        act(lab, Action::Retention { when_scaled: p(s), when_deleted: p(d) });
    };
    let readiness_target = RwSignal::new(String::new());
    let target_ordinal = move || {
        let f = facts.get();
        readiness_target
            .get()
            .parse::<i32>()
            .ok()
            .filter(|o| f.ordinals.contains(o))
            .or_else(|| f.ordinals.last().copied())
    };

    view! {
        <footer class="controls" aria-label="Actions and timeline">
            <div class="actions">
                <div class="group" role="group" aria-label="Replicas">
                    <span class="label">"Replicas"</span>
                    <button class="btn" on:click=move |_| scale(lab, -1) aria-keyshortcuts="-" title="Scale down (key -)">"−"</button>
                    <span aria-live="polite">{move || facts.get().replicas}</span>
                    <button class="btn" on:click=move |_| scale(lab, 1) aria-keyshortcuts="+" title="Scale up (key +)">"+"</button>
                </div>
                <div class="group" role="group" aria-label="Update">
                    <span class="label">"Update"</span>
                    <button class="btn" on:click=move |_| new_image(lab) aria-keyshortcuts="i" title="Change the image: a new revision">"New image"<kbd>"i"</kbd></button>
                    <button class="btn" on:click=move |_| canary(lab) aria-keyshortcuts="c" title="partition = replicas - 1">"Canary"<kbd>"c"</kbd></button>
                    <button class="btn" on:click=move |_| promote(lab) aria-keyshortcuts="p" title="Lower the partition by one">"Promote"<kbd>"p"</kbd></button>
                    <label class="group">"partition "
                        <input type="range" min="0" max=move || facts.get().replicas.to_string()
                            prop:value=move || facts.get().partition.to_string()
                            aria-label="Partition"
                            on:change=move |ev| { if let Ok(p) = event_target_value(&ev).parse() { act(lab, Action::Partition(p)) } } />
                        <span>{move || facts.get().partition}</span>
                    </label>
                    <button class="btn" on:click=move |_| act(lab, Action::Rollback { to_revision: None }) aria-keyshortcuts="u" title="kubectl rollout undo">"Rollback"<kbd>"u"</kbd></button>
                </div>
                <div class="group" role="group" aria-label="Strategy">
                    <span class="label">"Strategy"</span>
                    <button class="btn" on:click=move |_| toggle_strategy(lab) aria-keyshortcuts="o">{move || if facts.get().strategy == "OnDelete" { "OnDelete → RollingUpdate" } else { "RollingUpdate → OnDelete" }}<kbd>"o"</kbd></button>
                    <button class="btn" on:click=move |_| toggle_policy(lab) title="podManagementPolicy is immutable">{move || format!("{} → {}", facts.get().policy, if facts.get().policy == "Parallel" { "OrderedReady" } else { "Parallel" })}</button>
                    {move || lab.rejection.get().filter(|r| r.contains("Forbidden")).map(|_| view! {
                        <button class="btn primary" on:click=move |_| recreate_with_other_policy(lab)>"Re-create the StatefulSet"</button>
                    })}
                    <label>"maxUnavailable "
                        <select aria-label="maxUnavailable" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let m = v.parse::<i32>().map(IntOrString::Int).unwrap_or(IntOrString::String(v));
                            act(lab, Action::MaxUnavailable(m));
                        }>
                            <option value="1">"1"</option><option value="2">"2"</option><option value="50%">"50%"</option>
                        </select>
                    </label>
                    <label title="MaxUnavailableStatefulSet: off in 1.34 and 1.35.4+; changing it restarts the simulation">
                        <input type="checkbox" prop:checked=move || lab.gates.get().max_unavailable_stateful_set
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                lab.gates.update(|g| g.max_unavailable_stateful_set = on);
                                reset(lab);
                            } />
                        " gate"
                    </label>
                    <label>"PVCs "
                        <select aria-label="PVC retention policy (whenScaled/whenDeleted)" on:change=retention_change>
                            <option value="Retain/Retain">"Retain/Retain"</option>
                            <option value="Delete/Retain">"whenScaled: Delete"</option>
                            <option value="Retain/Delete">"whenDeleted: Delete"</option>
                            <option value="Delete/Delete">"both Delete"</option>
                        </select>
                    </label>
                </div>
                <div class="group" role="group" aria-label="Failures">
                    <span class="label">"Failures"</span>
                    <select aria-label="Pod for readiness" on:change=move |ev| readiness_target.set(event_target_value(&ev))>
                        {move || facts.get().ordinals.into_iter().rev().map(|o| view! { <option value=o.to_string()>{format!("pod {o}")}</option> }).collect_view()}
                    </select>
                    <button class="btn" on:click=move |_| { if let Some(o) = target_ordinal() { act(lab, Action::BreakReadiness(o)) } }>"Break readiness"</button>
                    <button class="btn" on:click=move |_| { if let Some(o) = target_ordinal() { act(lab, Action::FixReadiness(o)) } }>"Fix"</button>
                    <button class="btn danger" on:click=move |_| act(lab, Action::BreakImage) aria-keyshortcuts="b" title="The next revision never becomes Ready">"Break next image"<kbd>"b"</kbd></button>
                </div>
                <div class="group" role="group" aria-label="Traffic">
                    <span class="label">"Traffic"</span>
                    <button class="btn" aria-pressed=move || lab.traffic.get().to_string() on:click=move |_| { lab.traffic.update(|t| *t = !*t); if lab.traffic.get_untracked() { lab.playing.set(true) } } aria-keyshortcuts="t">
                        {move || if lab.traffic.get() { "Traffic on" } else { "Traffic off" }}<kbd>"t"</kbd>
                    </button>
                    <select aria-label="Requests per step" on:change=move |ev| { if let Ok(r) = event_target_value(&ev).parse() { lab.rate.set(r) } }>
                        <option value="3">"3 / step"</option><option value="10" selected>"10 / step"</option><option value="50">"50 / step"</option>
                    </select>
                    <button class="btn" on:click=move |_| act(lab, Action::Traffic(lab.rate.get_untracked()))>"Send"</button>
                </div>
                <button class="btn danger" on:click=move |_| reset(lab) aria-keyshortcuts="r" title="Start again from the input">"Reset"<kbd>"r"</kbd></button>
            </div>
            <div class="timeline">
                <button class="btn" on:click=move |_| step_back(lab) aria-keyshortcuts="ArrowLeft" aria-label="Previous step" disabled=move || position.get().0 == 0>"◀"</button>
                <button class="btn primary" id="play" on:click=move |_| lab.playing.update(|p| *p = !*p) aria-keyshortcuts="Space">
                    {move || if lab.playing.get() { "Pause" } else { "Play" }}<kbd>"space"</kbd>
                </button>
                <button class="btn" id="next-step" on:click=move |_| step_forward(lab) aria-keyshortcuts="ArrowRight" aria-label="Next step">"▶"</button>
                <div class="scrub">
                    <div class="markers" aria-hidden="true">
                        {move || markers.get().into_iter().map(|(pct, title)| view! { <i style:left=format!("{pct:.2}%") title=title></i> }).collect_view()}
                    </div>
                    <input type="range" id="scrub" min="0" max=move || position.get().1.to_string() prop:value=move || position.get().0.to_string()
                        aria-label="Timeline: choose a moment"
                        on:input=move |ev| { lab.playing.set(false); if let Ok(p) = event_target_value(&ev).parse() { lab.with_session(|s| s.seek(p)); } } />
                </div>
                <label>"speed "
                    <select aria-label="Playback speed" on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { lab.speed.set(v) } }>
                        <option value="0.25">"0.25x"</option><option value="0.5">"0.5x"</option><option value="1" selected>"1x"</option>
                        <option value="2">"2x"</option><option value="4">"4x"</option><option value="8">"8x"</option>
                    </select>
                </label>
                <span class="clock" aria-live="off">{clock}</span>
            </div>
        </footer>
    }
}

/// A guided scenario: actions sent one after the other, each once the controller is done with
/// the previous one. Replaces any scenario still running.
pub fn guide(lab: Lab, actions: Vec<Action>) {
    lab.queue.set_value(actions.into());
    lab.rejection.set(None);
    lab.playing.set(true);
}

/// Enters or leaves presenter mode (and the browser's full screen, where allowed).
pub fn toggle_presenter(lab: Lab) {
    let on = !lab.presenting.get_untracked();
    lab.presenting.set(on);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        if on {
            if let Some(root) = doc.document_element() {
                request_fullscreen(&root);
            }
        } else if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
}

/// Asks for full screen; a browser that refuses (no user gesture, an iframe) rejects a promise,
/// which is caught here so it is not reported as an error: presenter mode works without it.
fn request_fullscreen(root: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    let Ok(f) = js_sys::Reflect::get(root, &"requestFullscreen".into()) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    if let Ok(p) = f.call0(root) {
        if let Some(p) = p.dyn_ref::<js_sys::Promise>() {
            let ignore = wasm_bindgen::closure::Closure::<dyn FnMut(wasm_bindgen::JsValue)>::new(|_| {});
            let _ = p.catch(&ignore);
            ignore.forget();
        }
    }
}

/// The guided scenarios, in the order the digit keys start them.
pub const GUIDED: [(&str, &str); 4] = [
    ("rolling", "rolling update"),
    ("canary", "canary with partition"),
    ("scale", "scale down & up: data stays"),
    ("broken", "broken image & rollback"),
];

/// The "try this" scenarios of the first screen, built from the set shown.
pub fn try_this(lab: Lab, which: &str) {
    let f = facts(lab);
    if !f.exists {
        return;
    }
    let highest = f.start + f.replicas - 1;
    let v2 = next_image(&f.image);
    let actions = match which {
        "rolling" => vec![Action::Partition(0), Action::Image(v2)],
        "canary" => vec![
            Action::Partition((f.replicas - 1).max(0)),
            Action::Image(v2),
            Action::Traffic(30),
            Action::Partition(0),
        ],
        "scale" => vec![
            Action::Traffic(20),
            Action::Scale((f.replicas - 1).max(0)),
            Action::Scale(f.replicas),
            Action::Traffic(10),
        ],
        // spec §4.6 and S10: undo alone leaves the stuck pod; deleting it completes the rollback.
        "broken" => vec![
            Action::Partition(0),
            Action::BreakImage,
            Action::Image(v2),
            Action::Rollback { to_revision: None },
            Action::DeletePod(highest),
        ],
        _ => Vec::new(),
    };
    guide(lab, actions);
}

/// The first screen's invitation: four guided scenarios on whatever set is loaded.
#[component]
pub fn TryThis() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <div class="tryit" role="group" aria-label="Try this">
            <span class="label">"Try this:"</span>
            {GUIDED.iter().enumerate().map(|(i, (id, label))| view! {
                <button class="btn" on:click=move |_| try_this(lab, id) data-index=i>{*label}</button>
            }).collect_view()}
        </div>
    }
}

/// Revision chips with their images, and where the traffic went.
#[component]
pub fn Legend(scene: Memo<Option<Scene>>) -> impl IntoView {
    view! {
        <div class="legend" aria-label="Revisions">
            {move || scene.get().map(|s| {
                let share = s.traffic_share.clone();
                s.revisions.into_iter().map(|c| {
                    let pct = share.iter().find(|(l, _)| *l == c.letter).map(|(_, p)| format!(" · {p}% of the last requests")).unwrap_or_default();
                    view! {
                        <span><span class="chip" style:background=format!("var(--rev-{})", c.color % 5)>{c.letter.clone()}</span>
                        {format!("rev {} · {}{}", c.number, c.image, pct)}</span>
                    }
                }).collect_view()
            })}
        </div>
    }
}

/// Built-in inputs to start from.
#[component]
pub fn Examples() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <label class="examples">
            <select aria-label="Load an example" on:change=move |ev| {
                match event_target_value(&ev).as_str() {
                    "lab" => editor::load_text(lab, super::LAB_LOG, true),
                    "web" => editor::load_text(lab, include_str!("../../public/examples/web.yaml"), false),
                    "values" => editor::load_text(lab, include_str!("../../public/examples/helm-python-values.yaml"), false),
                    _ => {}
                }
            }>
                <option value="" disabled selected>"Examples…"</option>
                <option value="lab">"The lab: helm install --dry-run --debug (python)"</option>
                <option value="values">"The lab's values.yaml through its chart (edit replicaCount)"</option>
                <option value="web">"Done right: headless Service + StatefulSet web"</option>
            </select>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::next_image;

    #[test]
    fn next_image_counts_up_the_tag() {
        assert_eq!(next_image("app:latest"), "app:v2");
        assert_eq!(next_image("app:v2"), "app:v3");
        assert_eq!(next_image("registry:5000/app"), "registry:5000/app:v2");
    }
}
