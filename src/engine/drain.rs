//! `kubectl drain NODE` as a process that lives in the simulated cluster: kubectl cordons the node,
//! then evicts each of its pods through the Eviction API at once (one goroutine per pod), retries
//! every 5 s an eviction the API server refuses with 429 (a PodDisruptionBudget allows no disruption
//! now), waits for every evicted pod to be gone, and prints `node/NAME drained`.
//!
//! Sources (kubernetes/kubectl): `pkg/cmd/drain/drain.go` (`RunDrain`, `deleteOrEvictPodsSimple`,
//! `RunCordonOrUncordon`, `onPodDeletionOrEvictionFinished`: `pod/NAME evicted`, `EvictErrorRetryDelay:
//! 5 * time.Second`) and `pkg/drain/drain.go` (`evictPods`: `evicting pod NS/NAME` before every try,
//! `error when evicting pods/%q -n %q (will retry after %v): %v` on 429, `waitForDelete`).
//!
//! Each line kubectl prints is kept with the simulated time it was printed ([`Drain::lines`]), so a
//! caller can show them as they come or all at the end. Retries cost a timer every 5 s while anything
//! else can change; once nothing else is pending the outcome of a retry cannot change either, so the
//! drain stops retrying until the next action (the retries of that pause are counted, not lost).

use serde::Serialize;

use super::action::ActionError;
use super::clock::{SimDuration, SimTime};
use super::cluster::Cluster;
use super::disruption::{Eviction, VIOLATES_BUDGET};
use super::event::EventKind;
use super::kubelet::TimerKind;

/// drain.go `EvictErrorRetryDelay` as `kubectl drain` sets it.
pub const EVICT_RETRY: SimDuration = SimDuration::from_secs(5);

/// After this many identical refusals in a row, a pod's further retries are counted in one line.
const SHOWN_REFUSALS: u32 = 2;

/// One line kubectl printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DrainLine {
    pub t: SimTime,
    /// Printed on stderr (the eviction errors, the final error).
    pub stderr: bool,
    pub text: String,
}

/// Where the eviction of one pod is (one goroutine of `evictPods`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Refused; the next try is on a timer.
    Retrying,
    /// Refused while nothing else could change: the next try waits for the next action.
    Paused {
        since: SimTime,
    },
    /// Evicted: `waitForDelete` polls until the object with this uid is gone.
    Waiting {
        uid: u64,
    },
    Done,
    /// Given up with this error (`returnCh <- err`).
    Failed,
}

#[derive(Debug, Clone)]
struct DrainPod {
    name: String,
    ordinal: i32,
    step: Step,
    /// The last refusal, and how many identical ones in a row were printed or counted.
    last_refusal: Option<String>,
    repeats: u32,
    /// Refusals not printed since the last shown one.
    folded: u32,
    /// When the last of those was.
    folded_until: SimTime,
    error: Option<String>,
}

/// One `kubectl drain` run.
#[derive(Debug, Clone)]
pub struct Drain {
    pub id: u64,
    pub node: String,
    pub started_at: SimTime,
    /// What kubectl printed, in order, with the time of each line.
    pub lines: Vec<DrainLine>,
    /// When kubectl exited (None while it still runs).
    pub finished_at: Option<SimTime>,
    /// Whether it exited with an error.
    pub failed: bool,
    pods: Vec<DrainPod>,
}

impl Drain {
    pub fn is_running(&self) -> bool {
        self.finished_at.is_none()
    }

    /// The command as typed.
    pub fn command(&self) -> String {
        format!("kubectl drain {}", self.node)
    }

    /// Both streams as a terminal shows them (2>&1).
    pub fn output(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }

    pub fn stdout(&self) -> String {
        self.lines.iter().filter(|l| !l.stderr).map(|l| format!("{}\n", l.text)).collect()
    }

    pub fn stderr(&self) -> String {
        self.lines.iter().filter(|l| l.stderr).map(|l| format!("{}\n", l.text)).collect()
    }

    /// Whether kubectl is only retrying evictions the budget keeps refusing.
    pub fn paused(&self) -> bool {
        self.pods.iter().any(|p| matches!(p.step, Step::Paused { .. }))
    }

    fn say(&mut self, t: SimTime, stderr: bool, text: String) {
        self.lines.push(DrainLine { t, stderr, text });
    }

    /// Says how many refusals of a pod were counted instead of printed.
    fn unfold(&mut self, i: usize, t: SimTime) {
        let folded = std::mem::take(&mut self.pods[i].folded);
        if folded > 0 {
            let name = self.pods[i].name.clone();
            let until = self.pods[i].folded_until;
            self.say(
                t,
                false,
                format!(
                    "# (kubectl printed the two lines above for {name} {folded} more time{}, every 5s, the last at {until})",
                    if folded == 1 { "" } else { "s" }
                ),
            );
        }
    }
}

impl Cluster {
    /// Every `kubectl drain` run, oldest first (the running one last).
    pub fn drains(&self) -> &[Drain] {
        &self.drains
    }

    fn drain_mut(&mut self, id: u64) -> Option<&mut Drain> {
        self.drains.iter_mut().find(|d| d.id == id)
    }

    /// `kubectl drain NODE`: cordon, then evict every pod on the node; what kubectl printed at once.
    pub(crate) fn drain(&mut self, name: &str) -> Result<String, ActionError> {
        let cordoned = self.cordon(name, true)?;
        let now = self.now;
        self.next_drain += 1;
        let id = self.next_drain;
        // GetPodsForDeletion lists the node's pods (name order); a terminating one is evicted too
        // (the API server deletes it without asking a budget) and waited for.
        let mut on: Vec<(String, i32)> = self
            .pods
            .values()
            .filter(|p| p.node.as_deref() == Some(name))
            .map(|p| (p.name.clone(), p.ordinal))
            .collect();
        crate::sorting::sort(&mut on);
        let pods = on
            .into_iter()
            .map(|(name, ordinal)| DrainPod {
                name,
                ordinal,
                step: Step::Retrying,
                last_refusal: None,
                repeats: 0,
                folded: 0,
                folded_until: SimTime::ZERO,
                error: None,
            })
            .collect::<Vec<_>>();
        let count = pods.len();
        self.drains.push(Drain {
            id,
            node: name.to_string(),
            started_at: now,
            lines: vec![DrainLine { t: now, stderr: false, text: cordoned }],
            finished_at: None,
            failed: false,
            pods,
        });
        for i in 0..count {
            self.drain_try(id, i, false);
        }
        self.drain_observe();
        let d = self.drains.iter().find(|d| d.id == id).expect("pushed");
        let mut out = d.output();
        if d.is_running() {
            let unreachable = self.node(name).is_some_and(|n| !n.reporting);
            out.push_str(&if unreachable {
                format!(
                    "# (kubectl drain keeps running: it waits for each evicted pod to be gone, and on the unreachable \
                     {name} they stay Terminating)"
                )
            } else {
                format!(
                    "# (kubectl drain keeps running: it waits for each evicted pod to be gone, retries a refused eviction \
                     every 5s, and prints node/{name} drained at the end)"
                )
            });
        }
        Ok(out.trim_end().to_string())
    }

    /// One pass of an eviction goroutine: `evicting pod NS/NAME`, then the Eviction API's answer.
    /// With `pause`, a refusal does not set a timer: the goroutine waits for the next action.
    fn drain_try(&mut self, id: u64, i: usize, pause: bool) {
        let now = self.now;
        let ns = self.namespace.clone();
        let Some(d) = self.drains.iter().find(|d| d.id == id) else { return };
        let (pod, node) = (d.pods[i].name.clone(), d.node.clone());
        // kubectl evicts by name: the pod of that name now (getPodFn refreshes activePod).
        let ordinal = self.pods.values().find(|p| p.name == pod).map(|p| p.ordinal);
        let answer = match ordinal {
            Some(o) => self.evict(o, &node),
            None => Eviction::NotFound,
        };
        let d = self.drain_mut(id).expect("found");
        let refusal = match &answer {
            Eviction::TooManyRequests { .. } => {
                Some(format!("error when evicting pods/{pod:?} -n {ns:?} (will retry after 5s): {VIOLATES_BUDGET}"))
            }
            _ => None,
        };
        let repeated = refusal.is_some() && d.pods[i].last_refusal == refusal;
        let shown = !repeated || d.pods[i].repeats < SHOWN_REFUSALS;
        if shown {
            d.unfold(i, now);
            d.say(now, false, format!("evicting pod {ns}/{pod}"));
        }
        match answer {
            Eviction::Evicted => {
                let uid = ordinal.and_then(|o| self.pods.get(&o)).map_or(0, |p| p.uid);
                let d = self.drain_mut(id).expect("found");
                d.pods[i].step = Step::Waiting { uid };
                d.pods[i].last_refusal = None;
            }
            Eviction::NotFound => {
                d.pods[i].step = Step::Done;
            }
            Eviction::Failed(message) => {
                d.pods[i].step = Step::Failed;
                d.pods[i].error = Some(format!("error when evicting pods/{pod:?} -n {ns:?}: {message}"));
            }
            Eviction::TooManyRequests { pdb, desired, current } => {
                let text = refusal.expect("a refusal");
                let p = &mut d.pods[i];
                p.repeats = if repeated { p.repeats + 1 } else { 1 };
                if shown {
                    d.say(now, true, text.clone());
                } else {
                    d.pods[i].folded += 1;
                    d.pods[i].folded_until = now;
                }
                let p = &mut d.pods[i];
                p.last_refusal = Some(text);
                p.step = if pause { Step::Paused { since: now } } else { Step::Retrying };
                if !repeated {
                    self.log_refusal(ordinal.expect("refused pods exist"), &pdb, desired, current);
                }
                if !pause {
                    self.schedule(EVICT_RETRY, TimerKind::DrainRetry { drain: id, pod: i });
                }
            }
        }
    }

    /// A refused eviction's 5 s are up. When nothing but drain retries is pending and the answer
    /// would be the same, the goroutine's retries can change nothing: it pauses until an action.
    pub(crate) fn drain_retry(&mut self, id: u64, i: usize) {
        let Some(d) = self.drains.iter().find(|d| d.id == id && d.is_running()) else { return };
        if d.pods.get(i).map(|p| p.step) != Some(Step::Retrying) {
            return;
        }
        let pod = d.pods[i].name.clone();
        let idle = !self.dirty && self.timers.iter().all(|t| matches!(t.0.kind, TimerKind::DrainRetry { .. }));
        let still_refused =
            self.pods.values().find(|p| p.name == pod).is_some_and(|p| self.eviction_refused(p.ordinal));
        // This try happens like the others; when it is refused with nothing else pending, the
        // next ones wait for an action.
        self.drain_try(id, i, idle && still_refused);
    }

    /// After an action: paused retries go on, on their 5 s grid, counting the tries of the pause.
    pub(crate) fn drain_resume(&mut self) {
        let now = self.now;
        let mut timers = Vec::new();
        for d in self.drains.iter_mut().filter(|d| d.is_running()) {
            for (i, p) in d.pods.iter_mut().enumerate() {
                if let Step::Paused { since } = p.step {
                    let period = EVICT_RETRY.0;
                    // The next try is the first of since+5, since+10, ... not before now; those
                    // before now were refused the same way (nothing could change meanwhile).
                    let k = now.0.saturating_sub(since.0).div_ceil(period).max(1);
                    let missed = k - 1;
                    p.folded += missed as u32;
                    if missed > 0 {
                        p.folded_until = SimTime(since.0 + missed * period);
                    }
                    p.repeats += missed as u32;
                    let next = since.0 + k * period;
                    p.step = Step::Retrying;
                    timers.push((SimDuration(next - now.0), d.id, i));
                }
            }
        }
        for (after, drain, pod) in timers {
            self.schedule(after, TimerKind::DrainRetry { drain, pod });
        }
    }

    /// `waitForDelete` and the end of `RunDrain`: an evicted pod whose object is gone (or replaced
    /// by a new one of the same name) is `pod/NAME evicted`; when every goroutine returned, the node
    /// is `drained`, or the errors are printed.
    pub(crate) fn drain_observe(&mut self) {
        if self.drains.iter().all(|d| !d.is_running()) {
            return;
        }
        let now = self.now;
        let ids: Vec<u64> = self.drains.iter().filter(|d| d.is_running()).map(|d| d.id).collect();
        for id in ids {
            let gone: Vec<usize> = {
                let d = self.drains.iter().find(|d| d.id == id).expect("listed");
                d.pods
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| match p.step {
                        Step::Waiting { uid } => self.pods.get(&p.ordinal).is_none_or(|q| q.uid != uid),
                        _ => false,
                    })
                    .map(|(i, _)| i)
                    .collect()
            };
            let d = self.drain_mut(id).expect("listed");
            for i in gone {
                d.pods[i].step = Step::Done;
                let name = d.pods[i].name.clone();
                d.say(now, false, format!("pod/{name} evicted"));
            }
            let finished = d.pods.iter().all(|p| matches!(p.step, Step::Done | Step::Failed));
            if finished {
                self.finish_drain(id);
            }
        }
    }

    /// Every goroutine returned: `node/NAME drained`, or RunDrain's error lines.
    fn finish_drain(&mut self, id: u64) {
        let now = self.now;
        let on: Vec<String> = {
            let node = &self.drains.iter().find(|d| d.id == id).expect("exists").node;
            let mut v: Vec<String> =
                self.pods.values().filter(|p| p.node.as_deref() == Some(node)).map(|p| p.name.clone()).collect();
            crate::sorting::sort(&mut v);
            v
        };
        let d = self.drain_mut(id).expect("exists");
        d.finished_at = Some(now);
        let node = d.node.clone();
        let errors: Vec<String> = d.pods.iter().filter_map(|p| p.error.clone()).collect();
        if errors.is_empty() {
            d.say(now, false, format!("node/{node} drained"));
            self.log(
                EventKind::Status,
                node.clone(),
                None,
                "drain",
                format!(
                    "kubectl drain {node} is done: every pod it evicted is gone, and it prints node/{node} drained. \
                     {node} stays cordoned (SchedulingDisabled) until kubectl uncordon {node}."
                ),
            );
            return;
        }
        d.failed = true;
        // utilerrors.NewAggregate(...).Error(): one message, or `[a, b]`.
        let aggregate = if errors.len() == 1 { errors[0].clone() } else { format!("[{}]", errors.join(", ")) };
        if !on.is_empty() {
            d.say(now, true, format!("There are pending pods in node {node:?} when an error occurred: {aggregate}"));
            for p in &on {
                d.say(now, true, format!("pod/{p}"));
            }
        }
        d.say(
            now,
            true,
            format!("error: unable to drain node {node:?} due to error: {aggregate}, continuing command..."),
        );
        d.say(now, true, "There are pending nodes to be drained:".to_string());
        d.say(now, true, format!(" {node}"));
        d.say(now, true, format!("error: {aggregate}"));
        self.log(
            EventKind::Status,
            node.clone(),
            None,
            "drain",
            format!("kubectl drain {node} gives up: {aggregate}. {node} stays cordoned."),
        );
    }
}
