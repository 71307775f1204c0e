//! A session: one input, the engine's timeline of everything done to it, and the moment being
//! shown. The UI's play/step/scrub buttons and actions all land here; it never touches the DOM.
//! Beside it: the one playback rule, the key table, what the one-key actions mean, the talks
//! (the lab's story and the guided scenarios' points) and a sentence for every step.

pub mod intent;
pub mod keys;
pub mod lab;
pub mod narrate;
pub mod playback;
pub mod story;
pub mod talk;

pub use playback::{Player, Tick};
pub use talk::{Point, Talk};

use std::ops::Range;

use crate::engine::{
    Action, Cluster, EventKind, FeatureGates, Input, KubeVersion, Outcome, SimDuration, SimTime, Timeline,
};
use crate::model::Release;

/// What one recorded input was, for the narration list and the timeline markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// What the user would have typed (`kubectl scale ...`), or None for a controller step.
    pub command: Option<String>,
    /// kubectl's answer (stdout, or the API's rejection on stderr).
    pub answer: Option<Result<String, String>>,
    /// Events the input produced, as indices into the cluster's event log.
    pub events: Range<usize>,
    /// Simulated time after the input.
    pub t: SimTime,
    /// A user action (drawn as a marker on the timeline) rather than a step of the controller.
    pub is_action: bool,
    /// Only requests: kept on the timeline, left out of the narration list.
    pub is_traffic: bool,
}

/// How many inputs that did something between full snapshots: restoring any moment replays at most
/// this many (and idle steps, cheap to replay; see `engine::timeline`).
const SNAPSHOT_EVERY: usize = 16;
/// A runaway guard for "run until settled" loops (a crash loop steps forever).
const MAX_STEPS: usize = 400;

#[derive(Debug, Clone)]
pub struct Session {
    pub release: Release,
    /// Which StatefulSet of the input is simulated (the first one unless chosen).
    pub statefulset: Option<String>,
    pub seed: u64,
    /// The Kubernetes release simulated.
    pub version: KubeVersion,
    pub gates: FeatureGates,
    /// Whether the ConfigMaps and Secrets the pod template names but the paste does not define are
    /// in the cluster already (`engine::ClusterConfig::assume_missing_references`).
    pub assume_missing_references: bool,
    timeline: Timeline,
    marks: Vec<Mark>,
    position: usize,
    /// The moment shown when it is not the present; at the head the timeline's own cluster is
    /// shown, so recording an input never copies the whole cluster and its event log.
    past: Option<Cluster>,
}

impl Session {
    pub fn new(
        release: Release,
        statefulset: Option<String>,
        seed: u64,
        gates: FeatureGates,
    ) -> Result<Session, String> {
        Session::new_on(release, statefulset, seed, KubeVersion::LATEST, gates, true)
    }

    /// [`Session::new`] on a chosen Kubernetes release, with the objects the paste names but does
    /// not define in the cluster or not (`assume_missing_references`).
    pub fn new_on(
        release: Release,
        statefulset: Option<String>,
        seed: u64,
        version: KubeVersion,
        gates: FeatureGates,
        assume_missing_references: bool,
    ) -> Result<Session, String> {
        let cluster = Cluster::from_release_on(
            &release,
            statefulset.as_deref(),
            seed,
            version,
            gates,
            assume_missing_references,
        )?;
        Ok(Session {
            release,
            statefulset,
            seed,
            version,
            gates,
            assume_missing_references,
            timeline: Timeline::new(cluster, SNAPSHOT_EVERY),
            marks: Vec::new(),
            position: 0,
            past: None,
        })
    }

    /// The cluster at the moment shown.
    pub fn shown(&self) -> &Cluster {
        self.past.as_ref().unwrap_or_else(|| self.timeline.current())
    }

    /// Everything recorded, in order (what a share link and an exported scenario carry).
    pub fn inputs(&self) -> &[Input] {
        self.timeline.inputs()
    }

    pub fn marks(&self) -> &[Mark] {
        &self.marks
    }

    /// How many inputs the shown moment comes after (0 = as submitted).
    pub fn position(&self) -> usize {
        self.position
    }

    pub fn len(&self) -> usize {
        self.marks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }

    pub fn at_head(&self) -> bool {
        self.position == self.marks.len()
    }

    /// The input that led to the shown moment.
    pub fn current_mark(&self) -> Option<&Mark> {
        self.position.checked_sub(1).and_then(|i| self.marks.get(i))
    }

    /// Shows the moment after `position` inputs (clamped), rebuilt from the nearest snapshot.
    pub fn seek(&mut self, position: usize) {
        let position = position.min(self.marks.len());
        if position != self.position {
            self.past = (position != self.marks.len()).then(|| self.timeline.at(position));
            self.position = position;
        }
    }

    /// Records an input at the shown moment. If the user had scrubbed back, what came after is
    /// dropped first: acting on the past starts a new branch, as an editor's undo history does.
    pub fn push(&mut self, input: Input) -> Outcome {
        if !self.at_head() {
            self.timeline.rewind(self.position);
            self.marks.truncate(self.position);
        }
        let before = self.timeline.current().events().len();
        let (command, is_action, is_traffic) = match &input {
            Input::Action(a) => (Some(self.timeline.current().command_for(a)), true, matches!(a, Action::Traffic(_))),
            Input::Advance(d) => (Some(format!("# {} later", crate::kubectl::human_duration(*d))), false, false),
            _ => (None, false, false),
        };
        let outcome = self.timeline.push(input);
        let answer = match &outcome {
            Outcome::Action(r) => Some(r.clone().map_err(|e| e.to_string())),
            _ => None,
        };
        let head = self.timeline.current();
        self.marks.push(Mark {
            command,
            answer,
            events: before..head.events().len(),
            t: head.now(),
            is_action: is_action && !is_traffic,
            is_traffic,
        });
        self.past = None;
        self.position = self.marks.len();
        outcome
    }

    pub fn act(&mut self, action: Action) -> Result<String, String> {
        if self.at_head() {
            self.within_budget()?;
        }
        match self.push(Input::Action(action)) {
            Outcome::Action(r) => r.map_err(|e| e.to_string()),
            _ => Ok(String::new()),
        }
    }

    /// An action typed in the terminal: recorded as [`Session::act`] records it, with the line as
    /// the user typed it as its command (the narration shows what they wrote, not our spelling).
    pub fn act_typed(&mut self, action: Action, typed: String) -> Result<String, String> {
        let before = self.marks.len();
        let result = self.act(action);
        if self.marks.len() > before {
            if let Some(mark) = self.marks.last_mut() {
                mark.command = Some(typed);
            }
        }
        result
    }

    /// One controller (or kubelet) step, recorded. False when nothing was pending.
    pub fn step(&mut self) -> bool {
        if self.at_head() && (self.timeline.current().is_idle() || self.within_budget().is_err()) {
            return false;
        }
        matches!(self.push(Input::Step), Outcome::Step(Some(_)))
    }

    /// Steps until nothing is pending or only a crash loop keeps ticking (the controller waits for
    /// it forever), each step recorded so the timeline can show it.
    pub fn run_until_quiet(&mut self) {
        let mut idle_steps = 0u32;
        for _ in 0..MAX_STEPS {
            if !self.step() {
                return;
            }
            if self.step_was_only_waiting() {
                idle_steps += 1;
                if idle_steps >= playback::QUIET_STEPS {
                    return;
                }
            } else {
                idle_steps = 0;
            }
        }
    }

    /// The last step changed nothing the controller acts on (only waits, restarts, unreadiness):
    /// playing on would just watch a crash loop.
    pub fn step_was_only_waiting(&self) -> bool {
        let Some(mark) = self.marks.last() else {
            return false;
        };
        let head = self.timeline.current();
        only_waiting(head, &head.events()[mark.events.clone()])
    }

    /// Lets simulated time pass (ages move; timers fire).
    pub fn wait(&mut self, d: SimDuration) {
        if self.within_budget().is_ok() {
            self.push(Input::Advance(d));
        }
    }

    /// The event log of the head: every recorded step's `Mark::events` indexes into it (the shown
    /// moment's log is a prefix of it).
    pub fn head_events(&self) -> &[crate::engine::Event] {
        self.timeline.current().events()
    }

    /// Whether the session may record more: under [`crate::limits::MAX_INPUTS`] inputs and
    /// [`crate::limits::MAX_EVENTS`] events (what bounds the work of replaying it, and its memory).
    pub fn within_budget(&self) -> Result<(), String> {
        if self.len() >= crate::limits::MAX_INPUTS {
            return Err(format!(
                "this session has {} steps, as many as the lab keeps in one session (so that it can be \
                 replayed and shared); export it, or reset to start again",
                self.len()
            ));
        }
        if self.head_events().len() >= crate::limits::MAX_EVENTS {
            return Err(format!(
                "this session has logged {} events, as many as the lab replays in one session (more would \
                 freeze the page when it is reloaded or shared); export it, or reset to start again",
                self.head_events().len()
            ));
        }
        Ok(())
    }

    /// Whether the head has anything left to do.
    pub fn head_is_idle(&self) -> bool {
        self.timeline.current().is_idle()
    }
}

/// Whether events change nothing the controller acts on: waits, status updates, unreadiness, and
/// a crash-looping container started again. A container's first start is progress (its readiness
/// probe is next): 200 Parallel pods start over many steps in a row, and counting those as waits
/// stopped playback with every pod Running 0/1.
pub fn only_waiting(cluster: &crate::engine::Cluster, events: &[crate::engine::Event]) -> bool {
    let looping: Vec<&str> = cluster.pods().filter(|p| p.crash_looping).map(|p| p.name.as_str()).collect();
    events.iter().all(|e| match e.kind {
        EventKind::Wait | EventKind::PodUnready | EventKind::Status => true,
        EventKind::PodRunning => looping.contains(&e.object.as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab() -> Session {
        let release = crate::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        Session::new(release, None, 7, FeatureGates::default()).unwrap()
    }

    /// The quiet rule (`only_waiting`, `playback::QUIET_STEPS`): 200 Parallel pods start over
    /// many steps whose only events are containers starting; those are progress, so Play goes on
    /// after the paste's first steps until every readiness probe has passed (spec §2), as `settle`
    /// does on the CLI. Counted as waits, they stopped Play with every pod Running 0/1.
    #[test]
    fn two_hundred_parallel_pods_all_become_ready_before_play_stops() {
        let text = include_str!("../../tests/scenarios/inputs/web.yaml")
            .replace("replicas: 3", "replicas: 200\n  podManagementPolicy: Parallel");
        let mut s = Session::new(crate::input::parse(&text), None, 7, FeatureGates::default()).unwrap();
        s.run_until_quiet();
        let mut player = Player::default();
        player.start(&mut s, false);
        let mut ticks = 0;
        while player.tick(&mut s, None, None) == playback::Tick::Continue {
            ticks += 1;
            assert!(ticks < 10_000, "playback stops");
        }
        let pods: Vec<_> = s.shown().pods().collect();
        assert_eq!(pods.len(), 200);
        let unready: Vec<&str> = pods.iter().filter(|p| !p.ready).map(|p| p.name.as_str()).collect();
        assert!(unready.is_empty(), "not Ready when the session went quiet: {unready:?}");
    }

    /// The other half of the rule: a crash-looping container that starts again is only waiting,
    /// so a crash loop still ends playback.
    #[test]
    fn a_crash_loop_restart_is_only_waiting() {
        let mut s = lab();
        s.run_until_quiet();
        let mut c = s.shown().clone();
        let name = c.pods().next().unwrap().name.clone();
        let start = crate::engine::Event {
            seq: 0,
            t: c.now,
            kind: EventKind::PodRunning,
            object: name.clone(),
            revision: None,
            rule: "4.6",
            text: String::new(),
        };
        assert!(!only_waiting(&c, std::slice::from_ref(&start)), "a first start is progress");
        c.pods.values_mut().for_each(|p| p.crash_looping = true);
        assert!(only_waiting(&c, std::slice::from_ref(&start)), "a crash loop's restart only waits");
    }

    #[test]
    fn every_step_is_a_moment_that_can_be_shown_again() {
        let mut s = lab();
        s.run_until_quiet();
        s.act(Action::Scale(3)).unwrap();
        s.run_until_quiet();
        let final_table = crate::kubectl::get(s.shown(), "po", false).unwrap();
        let n = s.len();
        s.seek(2);
        assert_ne!(crate::kubectl::get(s.shown(), "po", false).unwrap(), final_table);
        s.seek(n);
        assert_eq!(crate::kubectl::get(s.shown(), "po", false).unwrap(), final_table);
    }

    #[test]
    fn acting_on_an_earlier_moment_starts_a_new_branch() {
        let mut s = lab();
        s.run_until_quiet();
        let settled = s.len();
        s.act(Action::Scale(3)).unwrap();
        s.run_until_quiet();
        s.seek(settled);
        s.act(Action::Scale(2)).unwrap();
        assert_eq!(s.len(), settled + 1);
        assert!(s.at_head());
    }

    #[test]
    fn a_rejected_change_is_recorded_with_the_api_servers_words_spec_7() {
        let mut s = lab();
        s.run_until_quiet();
        let err = s.act(Action::PodManagementPolicy(crate::engine::PodManagementPolicy::Parallel)).unwrap_err();
        assert!(err.contains("Forbidden: updates to statefulset spec"), "{err}");
        assert!(matches!(s.current_mark().unwrap().answer, Some(Err(_))));
    }
}
