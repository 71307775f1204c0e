//! Actions (a button and a key each) and the timeline (play, step, scrub, speed). Every action is
//! an engine input, so it lands on the timeline; the engine decides what happens.

use leptos::prelude::*;

use crate::session::keys::{self, Command};

use super::{editor, Lab};
use crate::engine::{Action, FeatureGates, KubeVersion, RetentionPolicy};
use crate::scene::Scene;
use crate::session::intent;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// Base pause between two steps at 1x.
const STEP_MS: f64 = 900.0;

/// Sends an action; a rejection is shown, anything else starts playing so the controller's
/// reaction can be watched. Acting on the user's own session is their work (saved).
pub fn act(lab: Lab, action: Action) {
    super::keep::acting(lab);
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

/// Sends what an intent means for the set shown (`session::intent`), one action after the other.
fn act_all(lab: Lab, actions: Vec<Action>) {
    for a in actions {
        act(lab, a);
    }
}

/// What a button runs on the set shown, as its tooltip: the commands you would type on a cluster
/// (computed by the same intent the button sends), then its key.
fn runs(lab: Lab, key: Option<Command>, f: impl Fn(&crate::engine::Cluster) -> Vec<Action>) -> String {
    let commands = lab
        .session
        .with(|s| s.as_ref().map(|s| f(s.shown()).iter().map(|a| s.shown().command_for(a)).collect::<Vec<_>>()))
        .unwrap_or_default();
    let key = key.map(|k| format!(" (key {})", keys::label(k))).unwrap_or_default();
    if commands.is_empty() {
        format!("Nothing to do for the set shown{key}")
    } else {
        format!("Runs: {}{key}", commands.join(" ; "))
    }
}

fn shown<T>(lab: Lab, f: impl FnOnce(&crate::engine::Cluster) -> T) -> Option<T> {
    lab.session.with_untracked(|s| s.as_ref().map(|s| f(s.shown())))
}

/// Facts about the shown StatefulSet the controls display.
#[derive(Clone, PartialEq, Default)]
struct Facts {
    replicas: i32,
    partition: i32,
    strategy: String,
    policy: String,
    ordinals: Vec<i32>,
    /// Each pod's host name as a client types it (`web-1.nginx`).
    hosts: Vec<(i32, String)>,
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
            ordinals: c.pods().map(|p| p.ordinal).collect(),
            hosts: c.pods().map(|p| (p.ordinal, c.pod_host(p.ordinal))).collect(),
        }
    })
}

/// Play or pause; Play at the end of a recorded session replays it from the start.
pub fn play_pause(lab: Lab) {
    if lab.playing.get_untracked() {
        lab.playing.set(false);
        return;
    }
    let traffic = lab.traffic.get_untracked();
    lab.session.update(|s| {
        if let Some(s) = s.as_mut() {
            lab.player.update_value(|p| p.start(s, traffic));
        }
    });
    lab.playing.set(true);
}

/// One step of playback, by the one playback rule (`session::playback`).
fn play_tick(lab: Lab) {
    let traffic = lab.traffic.get_untracked().then(|| lab.rate.get_untracked());
    let talk = lab.talk.get_untracked();
    let mut tick = crate::session::Tick::Done;
    lab.session.update(|s| {
        if let Some(s) = s.as_mut() {
            lab.player.update_value(|p| tick = p.tick(s, traffic, talk.as_ref()));
        }
    });
    match tick {
        crate::session::Tick::Continue => {}
        crate::session::Tick::Rejected(e) => {
            lab.rejection.set(Some(e));
            lab.playing.set(false);
        }
        _ => lab.playing.set(false),
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

/// To the next talking point (Page Down), or the previous one (Page Up).
pub fn to_point(lab: Lab, forward: bool) {
    let Some(talk) = lab.talk.get_untracked() else {
        return if forward { step_forward(lab) } else { step_back(lab) };
    };
    lab.playing.set(false);
    lab.with_session(|s| {
        let to = if forward { talk.next_point(s.position()).unwrap_or(s.len()) } else { talk.prev_point(s.position()) };
        s.seek(to);
    });
}

pub fn scale(lab: Lab, delta: i32) {
    if let Some(a) = shown(lab, |c| intent::scale(c, delta)).flatten() {
        act(lab, a);
    }
}

pub fn new_image(lab: Lab) {
    if let Some(a) = shown(lab, intent::new_image).flatten() {
        act(lab, a);
    }
}

pub fn canary(lab: Lab) {
    act_all(lab, shown(lab, intent::canary).unwrap_or_default());
}

pub fn promote(lab: Lab) {
    if let Some(a) = shown(lab, intent::promote).flatten() {
        act(lab, a);
    }
}

pub fn toggle_strategy(lab: Lab) {
    if let Some(a) = shown(lab, intent::toggle_strategy).flatten() {
        act(lab, a);
    }
}

/// Back to the start of this input: its session from the beginning (the story or guide, too).
pub fn reset(lab: Lab) {
    lab.playing.set(false);
    if lab.talk.with_untracked(Option::is_some) {
        lab.with_session(|s| s.seek(0));
        return;
    }
    let release = lab.parsed.get_untracked();
    lab.load(release);
}

/// What the paste names and does not define (`Secret secret-base`), for the cluster checkbox.
fn undefined_config(lab: Lab) -> Option<String> {
    let names = lab.session.with(|s| {
        let s = s.as_ref()?;
        let set = s.release.statefulsets.iter().find(|i| i.name() == s.shown().set_name())?;
        Some(set.undefined_config())
    })?;
    (!names.is_empty()).then(|| names.join(", "))
}

/// The Cluster row changed (the release, a gate, or whether the paste's missing objects exist):
/// the simulation starts again on it. `reset` would only rewind a story or a guide, which keep the
/// cluster they were built on. The lab's story is told again on another release; it is the lab as
/// it ran, with Secret secret-base, so "without it" shows the lab's paste on a fresh cluster
/// instead, as anything else is loaded afresh without its talk.
fn restart_cluster(lab: Lab) {
    lab.playing.set(false);
    let story = lab.origin.get_untracked() == super::keep::Origin::Story && lab.talk.with_untracked(Option::is_some);
    if story && lab.assume_missing.get_untracked() {
        super::tell_story(lab);
        return;
    }
    lab.talk.set(None);
    let release = lab.parsed.get_untracked();
    lab.load(release);
}

/// podManagementPolicy is immutable (spec §7): the change is sent so the API's rejection is shown;
/// re-creating the StatefulSet is offered beside it.
fn toggle_policy(lab: Lab) {
    if let Some(p) = shown(lab, intent::other_policy).flatten() {
        act(lab, Action::PodManagementPolicy(p));
    }
}

/// Deletes the StatefulSet keeping its pods and claims (`--cascade=orphan`) and creates it again
/// from the manifest with the other policy, as a user must do for an immutable field: two engine
/// inputs, so the new set adopting the orphaned pods is seen on the timeline.
/// Re-creates the set with the other podManagementPolicy (`intent::recreate_with_other_policy`):
/// both requests are narrated by the one command line that sends them.
fn recreate_with_other_policy(lab: Lab) {
    let Some((actions, command)) = shown(lab, intent::recreate_with_other_policy).flatten() else {
        return;
    };
    super::keep::acting(lab);
    for a in actions {
        match lab.with_session(|s| s.act_typed(a, command.clone())) {
            Some(Err(e)) => {
                lab.rejection.set(Some(e));
                return;
            }
            Some(Ok(_)) => {
                lab.rejection.set(None);
                lab.playing.set(true);
            }
            None => return,
        }
    }
}

#[component]
pub fn Controls() -> impl IntoView {
    let lab = expect_context::<Lab>();
    let facts = Memo::new(move |_| facts(lab));
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
                play_tick(lab);
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
    let curl_target = RwSignal::new(String::new());
    let target_ordinal = move || {
        let f = facts.get();
        readiness_target
            .get()
            .parse::<i32>()
            .ok()
            .filter(|o| f.ordinals.contains(o))
            .or_else(|| f.ordinals.last().copied())
    };
    // The node the node buttons act on: the one chosen, else the last (a worker, not the control plane).
    let node_target = RwSignal::new(String::new());
    let node_names = move || {
        lab.session.with(|s| {
            s.as_ref().map(|s| s.shown().nodes().iter().map(|n| n.name.clone()).collect::<Vec<_>>()).unwrap_or_default()
        })
    };
    let chosen_node = move || {
        let names = node_names();
        let t = node_target.get();
        if names.contains(&t) {
            t
        } else {
            names.last().cloned().unwrap_or_default()
        }
    };

    view! {
        <footer class="controls" aria-label="Actions and timeline">
            <div class="actions">
                <div class="group" role="group" aria-label="Replicas">
                    <span class="label">"Replicas"</span>
                    <button class="btn" on:click=move |_| scale(lab, -1) aria-keyshortcuts=keys::shortcut(Command::ScaleDown) title=move || runs(lab, Some(Command::ScaleDown), |c| intent::scale(c, -1).into_iter().collect())>"−"</button>
                    <span aria-live="polite">{move || facts.get().replicas}</span>
                    <button class="btn" on:click=move |_| scale(lab, 1) aria-keyshortcuts=keys::shortcut(Command::ScaleUp) title=move || runs(lab, Some(Command::ScaleUp), |c| intent::scale(c, 1).into_iter().collect())>"+"</button>
                </div>
                <div class="group" role="group" aria-label="Update">
                    <span class="label">"Update"</span>
                    <button class="btn" on:click=move |_| new_image(lab) aria-keyshortcuts=keys::shortcut(Command::NewImage) title=move || runs(lab, Some(Command::NewImage), |c| intent::new_image(c).into_iter().collect())>"New image"<kbd>{keys::label(Command::NewImage)}</kbd></button>
                    <button class="btn" on:click=move |_| canary(lab) aria-keyshortcuts=keys::shortcut(Command::Canary) title=move || runs(lab, Some(Command::Canary), intent::canary)>"Canary"<kbd>{keys::label(Command::Canary)}</kbd></button>
                    <button class="btn" on:click=move |_| promote(lab) aria-keyshortcuts=keys::shortcut(Command::Promote) title=move || runs(lab, Some(Command::Promote), |c| intent::promote(c).into_iter().collect())>"Promote"<kbd>{keys::label(Command::Promote)}</kbd></button>
                    <label class="group">"partition "
                        <input type="range" min="0" max=move || facts.get().replicas.to_string()
                            prop:value=move || facts.get().partition.to_string()
                            aria-label="Partition"
                            on:change=move |ev| { if let Ok(p) = event_target_value(&ev).parse() { act(lab, Action::Partition(p)) } } />
                        <span>{move || facts.get().partition}</span>
                    </label>
                    <button class="btn" on:click=move |_| act(lab, Action::Rollback { to_revision: None }) aria-keyshortcuts=keys::shortcut(Command::Rollback) title=move || runs(lab, Some(Command::Rollback), |_| vec![Action::Rollback { to_revision: None }])>"Rollback"<kbd>{keys::label(Command::Rollback)}</kbd></button>
                </div>
                <div class="group" role="group" aria-label="Strategy">
                    <span class="label">"Strategy"</span>
                    <button class="btn" on:click=move |_| toggle_strategy(lab) aria-keyshortcuts=keys::shortcut(Command::ToggleStrategy) title=move || runs(lab, Some(Command::ToggleStrategy), |c| intent::toggle_strategy(c).into_iter().collect())>{move || if facts.get().strategy == "OnDelete" { "OnDelete → RollingUpdate" } else { "RollingUpdate → OnDelete" }}<kbd>{keys::label(Command::ToggleStrategy)}</kbd></button>
                    <button class="btn" on:click=move |_| toggle_policy(lab) title=move || runs(lab, None, |c| intent::other_policy(c).map(Action::PodManagementPolicy).into_iter().collect()) + " (podManagementPolicy is immutable: the API server refuses it)">{move || format!("{} → {}", facts.get().policy, if facts.get().policy == "Parallel" { "OrderedReady" } else { "Parallel" })}</button>
                    {move || lab.rejection.get().filter(|r| r.contains("Forbidden")).map(|_| view! {
                        <button class="btn primary" on:click=move |_| recreate_with_other_policy(lab) title=move || lab.session.with(|s| s.as_ref().and_then(|s| intent::recreate_with_other_policy(s.shown()))).map(|(_, c)| format!("Runs: {c}")).unwrap_or_default()>"Re-create the StatefulSet"</button>
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
                    <label>"PVCs "
                        <select aria-label="PVC retention policy (whenScaled/whenDeleted)" on:change=retention_change>
                            <option value="Retain/Retain">"Retain/Retain"</option>
                            <option value="Delete/Retain">"whenScaled: Delete"</option>
                            <option value="Retain/Delete">"whenDeleted: Delete"</option>
                            <option value="Delete/Delete">"both Delete"</option>
                        </select>
                    </label>
                </div>
                <div class="group" role="group" aria-label="Cluster">
                    <span class="label">"Cluster"</span>
                    <label title="The Kubernetes release simulated: its feature gate defaults and its controller code; changing it restarts the simulation">"Kubernetes "
                        <select aria-label="Kubernetes version" on:change=move |ev| {
                            if let Ok(v) = KubeVersion::parse(&event_target_value(&ev)) {
                                lab.version.set(v);
                                lab.gates.set(FeatureGates::for_version(v));
                                restart_cluster(lab);
                            }
                        }>
                            {KubeVersion::CHOICES.iter().map(|v| {
                                let v = *v;
                                view! { <option value=v.to_string() prop:selected=move || lab.version.get() == v>{v.to_string()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label title="Feature gate MaxUnavailableStatefulSet, as a cluster admin sets it: on by default in 1.35.0-1.35.3 and 1.37; changing it restarts the simulation">
                        <input type="checkbox" prop:checked=move || lab.gates.get().max_unavailable_stateful_set
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                lab.gates.update(|g| g.max_unavailable_stateful_set = on);
                                restart_cluster(lab);
                            } />
                        " MaxUnavailableStatefulSet"
                    </label>
                    <label title="Feature gate StatefulSetRecreateStrategy (alpha in 1.37, off by default): the API server accepts updateStrategy Recreate only while on; changing it restarts the simulation">
                        <input type="checkbox" prop:checked=move || lab.gates.get().stateful_set_recreate_strategy
                            prop:disabled=move || !FeatureGates::has_recreate_strategy(lab.version.get())
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                lab.gates.update(|g| g.stateful_set_recreate_strategy = on);
                                restart_cluster(lab);
                            } />
                        " StatefulSetRecreateStrategy"
                    </label>
                    <label title=move || format!("{} assumed to be in the cluster already, as where the chart ran (its pods read them). Off: a fresh cluster with only what the paste creates, where a pod that needs a missing one stops at CreateContainerConfigError; changing it restarts the simulation", undefined_config(lab).unwrap_or_else(|| "Secrets and ConfigMaps the pods need but the paste does not define are".into()))>
                        <input type="checkbox" id="assume-missing" prop:checked=move || lab.assume_missing.get()
                            on:change=move |ev| {
                                lab.assume_missing.set(event_target_checked(&ev));
                                restart_cluster(lab);
                            } />
                        {move || match undefined_config(lab) {
                            Some(names) => format!(" Already in the cluster: {names}"),
                            None => " Objects the paste names but lacks are in the cluster".to_string(),
                        }}
                    </label>
                    <span class="note" title="The release and its gates as a cluster admin sets them: a change starts the simulation again">"a change restarts"</span>
                    <label title="minikube start --kubernetes-version=vX on the running cluster: the control plane and kubelets are upgraded in place and the set keeps running; recorded on the timeline">"Upgrade "
                        // Back on "running …" after every change: the choice is an action, not a state.
                        <select aria-label="Upgrade the running cluster in place"
                            prop:value=move || lab.session.with(|s| s.as_ref().map(|s| s.shown().version())).map(|_| String::new()).unwrap_or_default()
                            on:change=move |ev| {
                            if let Ok(v) = KubeVersion::parse(&event_target_value(&ev)) {
                                act(lab, Action::UpgradeControlPlane(v));
                            }
                        }>
                            {move || {
                                let running = lab.session.with(|s| s.as_ref().map(|s| s.shown().version()));
                                let newer = KubeVersion::UPGRADES.iter().copied().filter(move |v| running.is_some_and(|r| *v > r));
                                view! {
                                    <option value="" selected>{running.map(|r| format!("running {r}…")).unwrap_or_default()}</option>
                                    {newer.map(|v| view! { <option value=v.to_string()>{format!("to {v}")}</option> }).collect_view()}
                                }
                            }}
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
                    <select aria-label="Node" on:change=move |ev| node_target.set(event_target_value(&ev))>
                        {move || node_names().into_iter().map(|n| view! { <option value=n.clone() prop:selected={let m = n.clone(); move || chosen_node() == m}>{n.clone()}</option> }).collect_view()}
                    </select>
                    <button class="btn" title=move || runs(lab, None, |_| vec![Action::NodeDown(chosen_node())]) + " (the node lifecycle controller notices after 50 s; its pods are evicted 300 s later and stay Terminating)"
                        on:click=move |_| act(lab, Action::NodeDown(chosen_node()))>"Lose node"</button>
                    <button class="btn" title=move || runs(lab, None, |_| vec![Action::NodeUp(chosen_node())])
                        on:click=move |_| act(lab, Action::NodeUp(chosen_node()))>"Node back"</button>
                    <button class="btn danger" on:click=move |_| act(lab, Action::BreakImage) aria-keyshortcuts=keys::shortcut(Command::BreakImage) title="The next revision never becomes Ready">"Break next image"<kbd>{keys::label(Command::BreakImage)}</kbd></button>
                </div>
                <div class="group" role="group" aria-label="Traffic">
                    <span class="label">"Traffic"</span>
                    <button class="btn" aria-pressed=move || lab.traffic.get().to_string() on:click=move |_| { lab.traffic.update(|t| *t = !*t); if lab.traffic.get_untracked() { lab.playing.set(true) } } aria-keyshortcuts=keys::shortcut(Command::Traffic)>
                        {move || if lab.traffic.get() { "Traffic on" } else { "Traffic off" }}<kbd>{keys::label(Command::Traffic)}</kbd>
                    </button>
                    <select aria-label="Requests per step" on:change=move |ev| { if let Ok(r) = event_target_value(&ev).parse() { lab.rate.set(r) } }>
                        <option value="3">"3 / step"</option><option value="10" selected>"10 / step"</option><option value="50">"50 / step"</option>
                    </select>
                    <button class="btn" on:click=move |_| act(lab, Action::Traffic(lab.rate.get_untracked()))>"Send"</button>
                    <select aria-label="A pod to request by its own DNS name" on:change=move |ev| curl_target.set(event_target_value(&ev))>
                        {move || facts.get().hosts.into_iter().map(|(o, h)| view! { <option value=o.to_string()>{h}</option> }).collect_view()}
                    </select>
                    <button class="btn" id="curl" title="One request to that pod's own DNS name, not through the Service (kubectl run … curl)"
                        on:click=move |_| {
                            let f = facts.get_untracked();
                            let o = curl_target.get_untracked().parse::<i32>().ok().filter(|o| f.ordinals.contains(o)).or_else(|| f.hosts.first().map(|h| h.0));
                            if let Some(o) = o { act(lab, Action::Request(o)) }
                        }>"curl"</button>
                </div>
                <button class="btn danger" on:click=move |_| reset(lab) aria-keyshortcuts=keys::shortcut(Command::Reset) title="Start again from the input">"Reset"<kbd>{keys::label(Command::Reset)}</kbd></button>
            </div>
            <div class="timeline">
                <button class="btn" on:click=move |_| step_back(lab) aria-keyshortcuts=keys::shortcut(Command::StepBack) aria-label="Previous step" disabled=move || position.get().0 == 0>"◀"</button>
                <button class="btn primary" id="play" on:click=move |_| play_pause(lab) aria-keyshortcuts=keys::shortcut(Command::PlayPause)>
                    {move || if lab.playing.get() { "Pause" } else { "Play" }}<kbd>{keys::label(Command::PlayPause)}</kbd>
                </button>
                <button class="btn" id="next-step" on:click=move |_| step_forward(lab) aria-keyshortcuts=keys::shortcut(Command::StepForward) aria-label="Next step">"▶"</button>
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

/// A "try this" sequence: actions sent one after the other, each once the controller is done
/// with the previous one. Replaces any sequence still running.
pub fn guide(lab: Lab, actions: Vec<Action>) {
    lab.player.update_value(|p| p.queue = actions.into());
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

/// The "try this" sequences of the first screen, run on the set shown.
pub fn try_this(lab: Lab, which: intent::Try) {
    let Some(actions) = shown(lab, |c| intent::try_this(c, which)) else { return };
    if !actions.is_empty() {
        if lab.talk.with_untracked(Option::is_some) {
            // The story or guide is done with: the actions continue from its end.
            lab.talk.set(None);
            lab.with_session(|s| s.seek(s.len()));
        }
        guide(lab, actions);
    }
}

/// The first screen's invitation: four guided scenarios on whatever set is loaded.
#[component]
pub fn TryThis() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <div class="tryit" role="group" aria-label="Try this">
            <span class="label">"Try this:"</span>
            {intent::Try::ALL.iter().enumerate().map(|(i, which)| view! {
                <button class="btn" on:click=move |_| try_this(lab, *which) data-index=i>{which.label()}</button>
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

/// An example replaces the editor's text: the user's own is kept, one click back.
fn show_example(lab: Lab, what: &str, text: &str) {
    super::keep::replacing(lab, what);
    lab.chart_files.set(Vec::new());
    editor::load_text(lab, text);
}

/// Built-in inputs to start from.
#[component]
pub fn Examples() -> impl IntoView {
    let lab = expect_context::<Lab>();
    view! {
        <label class="examples">
            <select aria-label="Load an example" on:change=move |ev| {
                match event_target_value(&ev).as_str() {
                    "lab" => super::tell_story(lab),
                    "web" => show_example(lab, "the example “Done right”", include_str!("../../public/examples/web.yaml")),
                    "values" => show_example(lab, "the example “the lab's values.yaml”", include_str!("../../public/examples/helm-python-values.yaml")),
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
