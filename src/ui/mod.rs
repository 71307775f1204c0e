//! Leptos components: they render engine state and send actions; they never decide behaviour.
//!
//! Data path: the editor's text -> `input::parse` -> `scene::Session` (the engine's timeline and
//! the moment shown) -> `Scene` -> the SVG stage, narration and kubectl panels.

use leptos::prelude::*;

use crate::session::keys::{self as key_table, Command};

use crate::engine::{FeatureGates, KubeVersion};
use crate::model::Release;
use crate::scene::Scene;
use crate::session::{lab, Player, Session, Talk};

mod classroom;
mod controls;
mod debounce;
mod editor;
mod keep;
mod keys;
mod kubectl_panel;
mod narration;
mod panic;
mod rules;
mod stage;
mod terminal;
mod viewer;

/// The embedded default: the lab's own `helm install --dry-run --debug` log.
pub const LAB_LOG: &str = include_str!("../../public/examples/helm-python-install-dry-run-debug.txt");
pub const LAB_KUBECTL: &str = include_str!("../../public/examples/kubectl-get-po-sts-svc-pvc.txt");
const LAB_REPORT: &str = include_str!("../../public/examples/lab-report.md");
/// The seed of every new session: the same input and actions always give the same story.
pub const SEED: u64 = 7;

/// Installs the panic hook and mounts the app on `<body>`.
pub fn start() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

/// Everything the components share. Signals are `Copy`, so the whole struct is passed by value.
#[derive(Clone, Copy)]
pub struct Lab {
    /// The editor's text.
    pub text: RwSignal<String>,
    /// What the text parsed to, errors included (drawn in the editor).
    pub parsed: RwSignal<Release>,
    /// The simulation of the last input that parsed well (stays drawn while the text is broken).
    pub session: RwSignal<Option<Session>>,
    /// Why the stage shows an older input, if it does.
    pub stale: RwSignal<Option<String>>,
    pub playing: RwSignal<bool>,
    /// Playback speed, 0.25x to 8x.
    pub speed: RwSignal<f64>,
    pub traffic: RwSignal<bool>,
    /// Requests per step while traffic is on.
    pub rate: RwSignal<u64>,
    /// The Kubernetes release simulated; choosing one sets `gates` to its defaults.
    pub version: RwSignal<KubeVersion>,
    pub gates: RwSignal<FeatureGates>,
    /// The Secrets and ConfigMaps the paste names but does not define are in the cluster already
    /// (off: a fresh cluster, where a pod that needs one stops at CreateContainerConfigError).
    pub assume_missing: RwSignal<bool>,
    /// The lab app's counter file, for `kubectl exec ... cat`.
    pub counter_path: StoredValue<String>,
    pub reduced_motion: Signal<bool>,
    /// The last answer to an action that kubectl would print on stderr (a rejection).
    pub rejection: RwSignal<Option<String>>,
    /// `helm template` output when the paste was a values.yaml rendered through the lab chart.
    pub rendered: RwSignal<Option<String>>,
    /// How the paste was read, in one sentence.
    pub summary: RwSignal<String>,
    /// Values for another chart drawn through the built-in one: what the stage says about it.
    pub mismatch: RwSignal<Option<String>>,
    /// Playback: quiet steps, and a "try this" sequence's next actions.
    pub player: StoredValue<Player>,
    /// Presenter mode: the stage and the narration only, large, keyboard driven.
    pub presenting: RwSignal<bool>,
    /// The list of keys is open.
    pub help: RwSignal<bool>,
    /// Whose work is on screen: only the user's own is saved.
    pub origin: RwSignal<keep::Origin>,
    /// The user's own work, put aside while a story, example, guide or link is shown.
    pub kept: RwSignal<Option<keep::Kept>>,
    /// Saving waits until the user acts when a saved session could not be replayed (it is kept).
    pub save_armed: RwSignal<bool>,
    /// Why the last save failed, while it does.
    pub save_error: RwSignal<Option<String>>,
    /// Earlier texts of the editor, for Undo (a signal: the button is enabled while there is one).
    pub undo: RwSignal<Vec<String>>,
    /// A message that stays until dismissed (a damaged share link, a session that cannot replay).
    pub notice: RwSignal<Option<String>>,
    /// The story or guided scenario told over the session: its points and where it pauses.
    pub talk: RwSignal<Option<Talk>>,
    /// The user's own chart files (path in the chart, text); empty: the built-in lab chart renders
    /// a pasted values.yaml.
    pub chart_files: RwSignal<Vec<(String, String)>>,
    /// Which StatefulSet to simulate when the paste has several.
    pub chosen: RwSignal<Option<String>>,
    /// The terminal is shown instead of the live kubectl view.
    pub terminal: RwSignal<bool>,
}

impl Lab {
    /// Runs `f` on the session (if any) and returns what it returned.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> T) -> Option<T> {
        let mut out = None;
        self.session.update(|s| {
            if let Some(s) = s.as_mut() {
                out = Some(f(s));
            }
        });
        out
    }

    /// Starts a fresh simulation of `release` (the text changed, or reset): of the StatefulSet
    /// chosen in the picker when the paste has several and it is among them, else the first.
    pub fn load(&self, release: Release) {
        let gates = self.gates.get_untracked();
        let version = self.version.get_untracked();
        let assume = self.assume_missing.get_untracked();
        let chosen = self
            .chosen
            .get_untracked()
            .filter(|name| release.statefulsets.iter().any(|s| s.object.metadata.name.as_deref() == Some(name)));
        match Session::new_on(release, chosen, SEED, version, gates, assume) {
            Ok(mut session) => {
                session.run_until_quiet();
                self.session.set(Some(session));
                self.stale.set(None);
                self.rejection.set(None);
            }
            Err(e) => self.stale.set(Some(e)),
        }
    }
}

/// First open: the lab's story from the beginning, played unless the user prefers reduced motion.
pub fn tell_story(lab: Lab) {
    match crate::session::story::lab_story(
        LAB_LOG,
        LAB_KUBECTL,
        SEED,
        lab.version.get_untracked(),
        lab.gates.get_untracked(),
    ) {
        Ok(story) => {
            // The story is the lab as it ran: with the Secret the chart names in the cluster.
            lab.assume_missing.set(true);
            keep::replacing(lab, "the lab's story");
            lab.origin.set(keep::Origin::Story);
            lab.chart_files.set(Vec::new());
            editor::remember(lab);
            lab.text.set(LAB_LOG.to_string());
            editor::read(lab, LAB_LOG);
            lab.session.set(Some(story.session));
            lab.talk.set(Some(story.talk));
            lab.stale.set(None);
            lab.playing.set(!lab.reduced_motion.get_untracked());
        }
        Err(e) => lab.stale.set(Some(e)),
    }
}

#[component]
pub fn App() -> impl IntoView {
    let reduced_motion = leptos_use_preferences::use_prefers_reduced_motion();
    let lab = Lab {
        text: RwSignal::new(String::new()),
        parsed: RwSignal::new(Release::default()),
        session: RwSignal::new(None),
        stale: RwSignal::new(None),
        playing: RwSignal::new(false),
        speed: RwSignal::new(1.0),
        traffic: RwSignal::new(false),
        rate: RwSignal::new(10),
        version: RwSignal::new(KubeVersion::LATEST),
        gates: RwSignal::new(FeatureGates::for_version(KubeVersion::LATEST)),
        assume_missing: RwSignal::new(true),
        counter_path: StoredValue::new(lab::counter_path(LAB_REPORT).unwrap_or_else(|| "/data/visits".into())),
        reduced_motion,
        rejection: RwSignal::new(None),
        rendered: RwSignal::new(None),
        summary: RwSignal::new(String::new()),
        mismatch: RwSignal::new(None),
        player: StoredValue::new(Player::default()),
        presenting: RwSignal::new(false),
        help: RwSignal::new(false),
        origin: RwSignal::new(keep::Origin::Own),
        kept: RwSignal::new(None),
        save_armed: RwSignal::new(true),
        save_error: RwSignal::new(None),
        notice: RwSignal::new(None),
        undo: RwSignal::new(Vec::new()),
        talk: RwSignal::new(None),
        chart_files: RwSignal::new(Vec::new()),
        chosen: RwSignal::new(None),
        terminal: RwSignal::new(false),
    };
    // A share link is shown over the saved work; without one the saved work comes back; a first
    // visit hears the lab's story.
    let own = keep::restore_own(lab);
    if !classroom::open_link(lab) && !own {
        tell_story(lab);
    }
    keep::install_persistence(lab);
    provide_context(lab);
    keys::install(lab);

    let scene = Memo::new(move |_| {
        lab.session.with(|s| {
            s.as_ref().map(|s| Scene::from_cluster(s.shown(), crate::scene::references(s.shown(), &s.release)))
        })
    });
    // User Timing marks once the stage is first drawn and once it first holds a pod: the
    // first-visit figures `cargo xtask bench` reads (`performance.getEntriesByName(...)`,
    // milliseconds since navigation). A first visit opens the story at its start, before any pod
    // exists, so the bench reads the first pod from a link that opens on a moment with pods.
    Effect::new(move |marked: Option<(bool, bool)>| {
        let (stage, pod) = scene.with(|s| (s.is_some(), s.as_ref().is_some_and(|s| !s.pods.is_empty())));
        let (was_stage, was_pod) = marked.unwrap_or_default();
        for (name, now, before) in [("sts-lab:first-stage", stage, was_stage), ("sts-lab:first-pod", pod, was_pod)] {
            if now && !before {
                // After the frame that paints it.
                request_animation_frame(move || {
                    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
                        let _ = p.mark(name);
                    }
                });
            }
        }
        (stage || was_stage, pod || was_pod)
    });
    let on_pod = Callback::new(move |ordinal: i32| controls::act(lab, crate::engine::Action::DeletePod(ordinal)));
    let motion = Signal::derive(move || !reduced_motion.get());
    let speed = move || lab.speed.get().to_string();

    view! {
        <div id="app" style:--speed=speed class:presenting=move || lab.presenting.get()>
            <header class="topbar">
                <h1>"StatefulSet "<span>"Lab"</span></h1>
                <span class="subtitle">"what the Kubernetes controller does with your StatefulSet, step by step"</span>
                <span class="spacer"></span>
                <span class="step-counter" aria-live="off">{move || lab.session.with(|s| s.as_ref().map(|s| format!("step {} of {}", s.position(), s.len())).unwrap_or_default())}</span>
                <classroom::ClassroomBar />
                <button class="btn" on:click=move |_| controls::toggle_presenter(lab) aria-keyshortcuts=key_table::shortcut(Command::Present) title="Presenter mode: stage and narration only, large type (key f)">{move || if lab.presenting.get() { "Leave presenter mode" } else { "Present" }}<kbd>{key_table::label(Command::Present)}</kbd></button>
                <button class="btn" on:click=move |_| lab.help.update(|h| *h = !*h) aria-keyshortcuts=key_table::shortcut(Command::Help) aria-label="Keyboard shortcuts">"?"</button>
            </header>
            <div class="workspace">
                <editor::InputPanel />
                <section class="stage-wrap" aria-label="The cluster">
                    <keep::KeptBanner />
                    {move || lab.stale.get().map(|why| view! { <p class="stale" role="status"><b>"Not your current text: "</b>{why}</p> })}
                    {move || lab.rejection.get().map(|msg| view! {
                        <div class="rejected" role="alert"><b>"The API server said no: "</b><code>{msg}</code></div>
                    })}
                    {move || lab.mismatch.get().filter(|_| lab.stale.with(Option::is_none)).map(|m| view! {
                        <div class="mismatch" role="status">
                            <b>"Not your chart: "</b><rules::Cited text=m />
                        </div>
                    })}
                    <div class="stage" class:is-stale=move || lab.stale.with(Option::is_some)>
                        <Show
                            when=move || scene.with(Option::is_some)
                            fallback=|| view! { <p class="stale">"Paste a StatefulSet, a helm --debug log or rendered manifests on the left."</p> }
                        >
                            <stage::Stage scene=Memo::new(move |_| scene.get().unwrap_or_default()) on_pod motion presenting=Signal::derive(move || lab.presenting.get()) />
                        </Show>
                    </div>
                    <controls::Legend scene />
                    <controls::TryThis />
                </section>
                <aside class="panel" aria-label="Narration and kubectl">
                    <narration::Narration />
                    <div class="kubectl-switch" role="group" aria-label="kubectl">
                        <button class="btn small" id="show-watch" aria-pressed=move || (!lab.terminal.get()).to_string() on:click=move |_| lab.terminal.set(false)>"At this moment"</button>
                        <button class="btn small" id="show-terminal" aria-pressed=move || lab.terminal.get().to_string() on:click=move |_| lab.terminal.set(true)>"Terminal: type kubectl, helm"</button>
                    </div>
                    <div class="kubectl-view" hidden=move || lab.terminal.get()><kubectl_panel::KubectlPanel /></div>
                    <div class="kubectl-view" hidden=move || !lab.terminal.get()><terminal::Terminal /></div>
                </aside>
            </div>
            <controls::Controls />
            <Show when=move || lab.help.get()>
                <keys::Help />
            </Show>
        </div>
    }
}
