//! The node side and the garbage collector: everything that happens to pods and claims after the
//! controller asked for it, as timers on the simulated clock. Each firing changes one object and
//! wakes the controller (it watches pods, spec §2: "the controller re-runs on every pod/set change").

use super::claim::ClaimStatus;
use super::clock::SimDuration;
use super::cluster::Cluster;
use super::event::EventKind;
use super::pod::{timing, PodPhase, Stage};
use super::spec::DEFAULT_PROBE;

/// A pending node-side change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Timer {
    pub at: super::clock::SimTime,
    pub seq: u64,
    pub kind: TimerKind,
}

impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// What happens when a timer fires. Pod timers carry the pod's uid: a timer of a pod that was
/// replaced by a new object of the same name does nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimerKind {
    ClaimBound {
        name: String,
        uid: u64,
    },
    Scheduled {
        ordinal: i32,
        uid: u64,
    },
    Started {
        ordinal: i32,
        uid: u64,
    },
    Ready {
        ordinal: i32,
        uid: u64,
    },
    ReadinessFailed {
        ordinal: i32,
        uid: u64,
    },
    Stopped {
        ordinal: i32,
        uid: u64,
    },
    Gone {
        ordinal: i32,
        uid: u64,
    },
    ClaimGone {
        name: String,
        uid: u64,
    },
    /// The controller re-queues itself after minReadySeconds (spec §2: available).
    Resync,
}

pub(crate) fn fire(c: &mut Cluster, kind: TimerKind) {
    match kind {
        TimerKind::ClaimBound { name, uid } => claim_bound(c, &name, uid),
        TimerKind::Scheduled { ordinal, uid } => {
            if pod_matches(c, ordinal, uid) {
                bind_to_node(c, ordinal);
            }
        }
        TimerKind::Started { ordinal, uid } => started(c, ordinal, uid),
        TimerKind::Ready { ordinal, uid } => ready(c, ordinal, uid),
        TimerKind::ReadinessFailed { ordinal, uid } => readiness_failed(c, ordinal, uid),
        TimerKind::Stopped { ordinal, uid } => stopped(c, ordinal, uid),
        TimerKind::Gone { ordinal, uid } => gone(c, ordinal, uid),
        TimerKind::ClaimGone { name, uid } => claim_gone(c, &name, uid),
        TimerKind::Resync => c.dirty = true,
    }
}

fn pod_matches(c: &Cluster, ordinal: i32, uid: u64) -> bool {
    c.pods.get(&ordinal).is_some_and(|p| p.uid == uid)
}

fn claim_bound(c: &mut Cluster, name: &str, uid: u64) {
    let volume = format!("pvc-{}", c.rng.uuid());
    let Some(claim) = c.claims.get_mut(name).filter(|cl| cl.uid == uid && cl.status == ClaimStatus::Pending) else {
        return;
    };
    claim.status = ClaimStatus::Bound;
    claim.bound = true;
    claim.volume = Some(volume.clone());
    let (ordinal, capacity) = (claim.ordinal, claim.capacity.clone());
    let waiting = c.pods.get(&ordinal).filter(|p| p.stage == Stage::Unscheduled).map(|p| p.name.clone());
    let then = match &waiting {
        Some(p) => format!("; {p} can now be scheduled"),
        None => String::new(),
    };
    c.log(
        EventKind::PvcBound,
        name.to_string(),
        None,
        "5",
        format!("{name} is Bound to a new {capacity} volume {volume} made by the provisioner{then}."),
    );
    if waiting.is_some() {
        // The pod has been Pending at least as long as the binding took: schedule it now.
        try_schedule(c, ordinal, SimDuration::ZERO);
    }
    // The StatefulSet controller does not watch claims: no sync.
}

/// Schedules a Pending pod once all its claims are Bound (spec §8: `Pending` = waiting for PVC binding),
/// after `delay` (the scheduler's own latency, so a new pod is seen `Pending` first).
pub(crate) fn try_schedule(c: &mut Cluster, ordinal: i32, delay: SimDuration) {
    let Some(pod) = c.pods.get(&ordinal) else {
        return;
    };
    if pod.stage != Stage::Unscheduled || pod.is_terminating() {
        return;
    }
    let set = c.set_name.clone();
    let templates: Vec<String> = match &c.set {
        Some(s) => s.spec.claims.iter().map(|t| t.name.clone()).collect(),
        None => c.claims.values().filter(|cl| cl.ordinal == ordinal).map(|cl| cl.template.clone()).collect(),
    };
    let all_bound = templates.iter().all(|t| {
        c.claims.get(&super::cluster::claim_name(t, &set, ordinal)).is_some_and(|cl| cl.status == ClaimStatus::Bound)
    });
    if !all_bound {
        return;
    }
    if delay > SimDuration::ZERO {
        let uid = c.pods[&ordinal].uid;
        c.schedule(delay, TimerKind::Scheduled { ordinal, uid });
        return;
    }
    bind_to_node(c, ordinal);
}

/// The scheduler binds the pod to the node; the kubelet starts pulling and creating containers.
fn bind_to_node(c: &mut Cluster, ordinal: i32) {
    let Some(pod) = c.pods.get(&ordinal) else {
        return;
    };
    if pod.stage != Stage::Unscheduled || pod.is_terminating() {
        return;
    }
    let ip = format!("10.244.0.{}", c.next_ip);
    c.next_ip = if c.next_ip >= 254 { 2 } else { c.next_ip + 1 };
    let pod = c.pods.get_mut(&ordinal).expect("checked");
    pod.stage = Stage::ContainerCreating;
    pod.ip = Some(ip);
    let uid = pod.uid;
    // The phase stays Pending: nothing the controller reads changed, so no sync is triggered.
    c.schedule(timing::CONTAINER_START, TimerKind::Started { ordinal, uid });
}

fn started(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let now = c.now;
    let pod = c.pods.get_mut(&ordinal).expect("matched");
    if pod.is_terminating() {
        return;
    }
    pod.stage = Stage::Started;
    pod.phase = PodPhase::Running;
    pod.started_at = Some(now);
    let (name, rev, crash, broken_probe) =
        (pod.name.clone(), pod.revision.clone(), pod.crash_looping, pod.readiness_broken);
    let probe = c.revision(&rev).and_then(|r| r.shape.readiness);
    if crash {
        c.log(
            EventKind::PodRunning,
            name.clone(),
            Some(&rev),
            "4.6",
            format!(
                "{name}'s container starts but exits with an error every time: revision {rev} is broken, so {name} \
                 crash-loops (CrashLoopBackOff) and never becomes Ready."
            ),
        );
        c.dirty = true;
        return;
    }
    match probe {
        None if !broken_probe => {
            c.log(
                EventKind::PodRunning,
                name.clone(),
                Some(&rev),
                "2",
                format!("{name}'s container started (phase Running)."),
            );
            // No readiness probe: a started container is Ready at once.
            become_ready(c, ordinal, "it has no readiness probe, so a started container counts as Ready");
        }
        _ => {
            let p = probe.unwrap_or(DEFAULT_PROBE);
            let delay = SimDuration::from_secs(p.initial_delay_seconds.max(0) as u64).max(timing::MIN_PROBE_DELAY);
            c.log(
                EventKind::PodRunning,
                name.clone(),
                Some(&rev),
                "2",
                format!("{name}'s container started (Running, 0/1): not Ready until its readiness probe passes."),
            );
            if !broken_probe {
                c.schedule(delay, TimerKind::Ready { ordinal, uid });
            }
        }
    }
    c.dirty = true;
}

fn become_ready(c: &mut Cluster, ordinal: i32, why: &str) {
    let now = c.now;
    let pod = c.pods.get_mut(&ordinal).expect("exists");
    pod.ready = true;
    pod.ready_since = Some(now);
    let (name, rev) = (pod.name.clone(), pod.revision.clone());
    let min_ready = c.set.as_ref().map_or(0, |s| s.spec.min_ready_seconds);
    let avail = if min_ready > 0 {
        format!("; it counts as available after minReadySeconds ({min_ready}s)")
    } else {
        String::new()
    };
    c.log(
        EventKind::PodReady,
        name.clone(),
        Some(&rev),
        "2",
        format!("{name} is Ready ({why}) and joins the Service endpoints{avail}."),
    );
    c.dirty = true;
}

fn ready(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let pod = &c.pods[&ordinal];
    if pod.ready || pod.readiness_broken || pod.is_terminating() || pod.crash_looping || pod.stage != Stage::Started {
        return;
    }
    become_ready(c, ordinal, "its readiness probe passed");
}

fn readiness_failed(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let pod = c.pods.get_mut(&ordinal).expect("matched");
    if !pod.ready || !pod.readiness_broken || pod.is_terminating() {
        return;
    }
    pod.ready = false;
    pod.ready_since = None;
    let (name, rev) = (pod.name.clone(), pod.revision.clone());
    let threshold = c.revision(&rev).and_then(|r| r.shape.readiness).unwrap_or(DEFAULT_PROBE).failure_threshold;
    c.log(
        EventKind::PodUnready,
        name.clone(),
        Some(&rev),
        "3",
        format!(
            "{name} failed its readiness probe {threshold} times in a row: it is no longer Ready and leaves the Service \
             endpoints; the controller does not restart or delete it."
        ),
    );
    c.dirty = true;
}

fn stopped(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let pod = c.pods.get_mut(&ordinal).expect("matched");
    if pod.containers_stopped {
        // An evicted pod's containers stopped already.
        return;
    }
    pod.containers_stopped = true;
    let was_ready = pod.ready;
    pod.ready = false;
    let (name, rev) = (pod.name.clone(), pod.revision.clone());
    c.log(
        EventKind::PodUnready,
        name.clone(),
        Some(&rev),
        "8",
        format!(
            "{name}'s container exited after SIGTERM (Terminating, 0/1){}.",
            if was_ready { "; it no longer counts as Ready" } else { "" }
        ),
    );
    c.dirty = true;
}

fn gone(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let pod = c.pods.remove(&ordinal).expect("matched");
    c.finish_foreground_deletion();
    let in_range = c.set.as_ref().is_some_and(|s| s.spec.in_range(ordinal));
    let next = if in_range && c.set.is_some() {
        format!("; the name {} is free again, so the controller can create it anew", pod.name)
    } else if c.set.is_some() {
        "; its ordinal is outside the set's replicas now, so nothing creates it again".to_string()
    } else {
        "; no StatefulSet owns its name now, so nothing creates it again".to_string()
    };
    c.log(EventKind::PodGone, pod.name.clone(), Some(&pod.revision), "2", format!("{} is gone{next}.", pod.name));
    // Garbage collector: claims whose owner was this pod object (spec §5, whenScaled: Delete).
    let owned: Vec<String> = c
        .claims
        .values()
        .filter(|cl| cl.owned_by_pod == Some(pod.uid) && !cl.owned_by_set)
        .map(|cl| cl.name.clone())
        .collect();
    for name in owned {
        c.delete_claim(
            &name,
            "5",
            format!(
                "The garbage collector deletes {name}: its owner {} is gone (whenScaled: Delete); the data on it is lost.",
                pod.name
            ),
        );
    }
    // pvc-protection: claims already being deleted may go now that no pod mounts them.
    let released: Vec<(String, u64)> = c
        .claims
        .values()
        .filter(|cl| cl.ordinal == ordinal && cl.status == ClaimStatus::Terminating)
        .map(|cl| (cl.name.clone(), cl.uid))
        .collect();
    for (name, uid) in released {
        if !c.timers.iter().any(|t| matches!(&t.0.kind, TimerKind::ClaimGone { uid: u, .. } if *u == uid)) {
            c.schedule(timing::CLAIM_REMOVE, TimerKind::ClaimGone { name, uid });
        }
    }
    c.dirty = true;
}

fn claim_gone(c: &mut Cluster, name: &str, uid: u64) {
    if c.claims.get(name).is_none_or(|cl| cl.uid != uid) {
        return;
    }
    let claim = c.claims.remove(name).expect("matched");
    let data = match claim.visits {
        Some(n) => format!(" with its counter ({n} visits)"),
        None => String::new(),
    };
    c.log(
        EventKind::PvcGone,
        name.to_string(),
        None,
        "5",
        format!(
            "{name} is gone, and its volume{data}; a pod created for ordinal {} later gets a new, empty claim.",
            claim.ordinal
        ),
    );
    c.dirty = true;
}
