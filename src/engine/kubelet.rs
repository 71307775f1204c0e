//! The node side and the garbage collector: everything that happens to pods and claims after the
//! controller asked for it, as timers on the simulated clock. Each firing changes one object and
//! wakes the controller (it watches pods, spec §2: "the controller re-runs on every pod/set change").

use std::collections::{BTreeMap, BTreeSet};

use super::claim::ClaimStatus;
use super::clock::{SimDuration, SimTime};
use super::cluster::Cluster;
use super::event::{EventKind, EventType};
use super::pod::{timing, ConfigError, FailedContainer, PodPhase, Stage};
use super::recorder::{go_duration, source, Note};
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
    /// node-monitor-grace-period after a node stopped reporting ([`super::node`]).
    NodeNotReady {
        node: String,
        epoch: u64,
    },
    /// A pod's toleration of a NoExecute taint runs out (taint eviction controller).
    TaintEvict {
        ordinal: i32,
        uid: u64,
        node: String,
        epoch: u64,
    },
    /// The pod garbage collector's next pass (`gcTerminating`).
    PodGc,
    /// `kubectl drain` tries a refused eviction again ([`super::drain`]).
    DrainRetry {
        drain: u64,
        pod: usize,
    },
    /// The pod worker's next sync of a pod stuck in `CreateContainerConfigError`, due because a
    /// ConfigMap or Secret was created since its last attempt.
    ConfigRetry {
        ordinal: i32,
        uid: u64,
    },
}

pub(crate) fn fire(c: &mut Cluster, kind: TimerKind) {
    // What a kubelet does on a node that does not reach the API server changes nothing the cluster
    // sees; it catches up when the node comes back (`Cluster::node_up`).
    let from_node = match &kind {
        TimerKind::Started { ordinal, .. }
        | TimerKind::Ready { ordinal, .. }
        | TimerKind::ReadinessFailed { ordinal, .. }
        | TimerKind::Stopped { ordinal, .. }
        | TimerKind::Gone { ordinal, .. }
        | TimerKind::ConfigRetry { ordinal, .. } => Some(*ordinal),
        _ => None,
    };
    if from_node.is_some_and(|o| c.on_unreachable_node(o)) {
        return;
    }
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
        TimerKind::NodeNotReady { node, epoch } => c.node_not_ready(&node, epoch),
        TimerKind::TaintEvict { ordinal, uid, node, epoch } => c.taint_evict(ordinal, uid, &node, epoch),
        TimerKind::PodGc => c.pod_gc(),
        TimerKind::DrainRetry { drain, pod } => c.drain_retry(drain, pod),
        TimerKind::ConfigRetry { ordinal, uid } => retry_config(c, ordinal, uid),
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
    let (ordinal, capacity, class) = (claim.ordinal, claim.capacity.clone(), claim.storage_class.clone());
    let pinned = c.pin_volume(name);
    // sig-storage-lib-external-provisioner `provisionClaimOperation`: "Successfully provisioned volume %s".
    c.record(Note::new(
        c.provisioner_source(&class),
        EventType::Normal,
        "ProvisioningSucceeded",
        "PersistentVolumeClaim",
        name,
        uid,
        format!("Successfully provisioned volume {volume}"),
    ));
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
        format!("{name} is Bound to a new {capacity} volume {volume} made by the provisioner{pinned}{then}."),
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
    if !c.claims_allow_scheduling(ordinal) {
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
    let node = match c.pick_node(ordinal) {
        Ok(node) => node,
        Err(message) => {
            failed_scheduling(c, ordinal, message);
            return;
        }
    };
    // WaitForFirstConsumer: the volume is made for the chosen node first (VolumeBinding PreBind).
    if c.provision_for(ordinal, &node) {
        return;
    }
    let ip = c.next_pod_ip(&node);
    let pod = c.pods.get_mut(&ordinal).expect("checked");
    pod.stage = Stage::ContainerCreating;
    pod.ip = Some(ip);
    pod.node = Some(node);
    pod.unschedulable = None;
    pod.scheduled_at = Some(c.now);
    let uid = pod.uid;
    scheduled_and_pulling(c, ordinal);
    // The phase stays Pending: nothing the controller reads changed, so no sync is triggered.
    c.schedule(timing::CONTAINER_START, TimerKind::Started { ordinal, uid });
}

/// No node fits: the pod stays Pending; the scheduler records FailedScheduling (schedule_one.go
/// `handleSchedulingFailure`) and tries again when a node or pod changes.
fn failed_scheduling(c: &mut Cluster, ordinal: i32, message: String) {
    let pod = c.pods.get_mut(&ordinal).expect("checked");
    if pod.unschedulable.as_deref() == Some(message.as_str()) {
        return;
    }
    pod.unschedulable = Some(message.clone());
    let (name, uid, rev) = (pod.name.clone(), pod.uid, pod.revision.clone());
    c.record(Note::new(
        source::SCHEDULER,
        EventType::Warning,
        "FailedScheduling",
        "Pod",
        name.clone(),
        uid,
        message.clone(),
    ));
    c.log(
        EventKind::Wait,
        name.clone(),
        Some(&rev),
        "node",
        format!("No node fits {name}, so it stays Pending: \"{message}\" The scheduler tries again when a node or a pod changes."),
    );
}

fn started(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) || c.pods[&ordinal].is_terminating() {
        return;
    }
    // kuberuntime_container.go `startContainer` → `generateContainerConfig` → kubelet_pods.go
    // `makeEnvironmentVariables`: the environment is built before each container is created.
    if let Some((failed, init)) = env_failures(c, ordinal) {
        config_failed(c, ordinal, failed, init);
        return;
    }
    start_containers(c, ordinal, None);
}

/// The containers are created and started (phase Running); `after` opens the sentence when a
/// retry got past a `CreateContainerConfigError`.
fn start_containers(c: &mut Cluster, ordinal: i32, after: Option<String>) {
    let now = c.now;
    let pod = c.pods.get_mut(&ordinal).expect("matched");
    if pod.is_terminating() {
        return;
    }
    pod.stage = Stage::Started;
    pod.phase = PodPhase::Running;
    pod.started_at = Some(now);
    let (name, rev, crash, broken_probe, uid) =
        (pod.name.clone(), pod.revision.clone(), pod.crash_looping, pod.readiness_broken, pod.uid);
    containers_started(c, ordinal, now);
    let after = after.unwrap_or_default();
    let probe = c.revision(&rev).and_then(|r| r.shape.readiness);
    if crash {
        c.log(
            EventKind::PodRunning,
            name.clone(),
            Some(&rev),
            "4.6",
            format!(
                "{after}{name}'s container starts but exits with an error every time: revision {rev} is broken, so {name} \
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
                format!("{after}{name}'s container started (phase Running)."),
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
                format!(
                    "{after}{name}'s container started (Running, 0/1): not Ready until its readiness probe passes."
                ),
            );
            if !broken_probe {
                c.schedule(delay, TimerKind::Ready { ordinal, uid });
            }
        }
    }
    c.dirty = true;
}

// ----- CreateContainerConfigError: a ConfigMap, Secret or key the environment needs is missing ---

/// The containers of the pod's revision whose environment cannot be built
/// ([`super::configuration::Configuration::make_environment`]): init containers first, one at a
/// time (the first that fails stops the pod there: `true`), then every container.
fn env_failures(c: &Cluster, ordinal: i32) -> Option<(Vec<FailedContainer>, bool)> {
    let rev = &c.pods.get(&ordinal)?.revision;
    let template = c.revision(rev)?.template.clone();
    let spec = template.spec.as_ref()?;
    let ns = &c.namespace;
    for k in spec.init_containers.iter().flatten() {
        if let Err(e) = c.configuration.make_environment(ns, k) {
            let field_path = format!("spec.initContainers{{{}}}", k.name);
            return Some((vec![FailedContainer { field_path, name: k.name.clone(), error: e }], true));
        }
    }
    let failed: Vec<FailedContainer> = spec
        .containers
        .iter()
        .filter_map(|k| {
            let error = c.configuration.make_environment(ns, k).err()?;
            Some(FailedContainer { field_path: format!("spec.containers{{{}}}", k.name), name: k.name.clone(), error })
        })
        .collect();
    (!failed.is_empty()).then_some((failed, false))
}

/// The first attempt fails: each image is pulled (or found), then `startContainer` records
/// `Failed` with `Error: <err>` (kuberuntime_container.go: `recordContainerEvent(...,
/// events.FailedToCreateContainer, "Error: %v", s.Message())`) and returns `ErrCreateContainerConfig`
/// (`CreateContainerConfigError`), the container's waiting reason; the pod stays Pending. Init
/// containers before a failing one ran; the lab holds every container of a pod whose containers
/// do not all resolve (a real kubelet starts the others).
fn config_failed(c: &mut Cluster, ordinal: i32, failed: Vec<FailedContainer>, init: bool) {
    let now = c.now;
    let (uid, rev) = (c.pods[&ordinal].uid, c.pods[&ordinal].revision.clone());
    let pulls = c.node.pulling.remove(&uid).unwrap_or_default();
    for (i, k) in containers_of(c, &rev).into_iter().enumerate() {
        let pulled = pulls.get(i).copied().unwrap_or(k.always);
        let took = if pulled { Some(timing::CONTAINER_START) } else { None };
        match failed.iter().find(|f| f.field_path == k.field_path) {
            Some(f) => {
                pulled_event(c, ordinal, &k, took, now);
                failed_event(c, ordinal, &k, &f.error.message, now);
                if init {
                    break;
                }
            }
            // An init container before the failing one ran to completion.
            None if k.init => container_start_events(c, ordinal, &k, took, now),
            None => pulled_event(c, ordinal, &k, took, now),
        }
    }
    let text = config_error_text(c, ordinal, &failed, init);
    let pod = c.pods.get_mut(&ordinal).expect("exists");
    pod.config_error = Some(ConfigError { since: now, failed, init, retry_at: None });
    let name = pod.name.clone();
    c.log(EventKind::Wait, name, Some(&rev), "config", text);
    // The phase stays Pending: nothing the controller reads changed.
}

/// `Warning Failed` with `Error: <err>` for one container.
fn failed_event(c: &mut Cluster, ordinal: i32, k: &ContainerInfo, message: &str, at: SimTime) {
    let note = kubelet_note(c, ordinal, EventType::Warning, "Failed", format!("Error: {message}"));
    c.record_at(at, note.container(k.field_path.clone()));
}

/// What the narration says of a pod stuck in `CreateContainerConfigError`, with the way out.
fn config_error_text(c: &Cluster, ordinal: i32, failed: &[FailedContainer], init: bool) -> String {
    let pod = &c.pods[&ordinal].name;
    let Some(FailedContainer { name: container, error: e, .. }) = failed.first() else { return String::new() };
    let (kind, name) = (e.kind.as_str(), &e.name);
    let what = match (&e.variable, &e.key) {
        (Some(var), Some(key)) => format!("sets {var} from key {key} of {kind} {name}"),
        _ => format!("takes its environment from {kind} {name} (envFrom)"),
    };
    let key = e.key.clone().unwrap_or_default();
    let (problem, way_out) = if e.missing_key {
        (
            format!("but {name} has no key {key}"),
            format!(
                "give {kind} {name} the key: `kubectl delete {} {name}`, then `{}` (with its other keys too)",
                e.kind.manager_resource(),
                e.kind.create_command(name, &key)
            ),
        )
    } else {
        let why = if c.configuration.was_deleted(e.kind, name) {
            "which was deleted"
        } else if c.configuration.assumes_missing() {
            "which is not in the cluster"
        } else {
            "which is not in this cluster: a fresh cluster has only what the paste creates"
        };
        (why.to_string(), format!("create it: `{}`", e.kind.create_command(name, &key)))
    };
    let status = if init { "Init:CreateContainerConfigError" } else { "CreateContainerConfigError" };
    let others = match failed.len() {
        1 => String::new(),
        n => format!(" ({n} of its containers fail this way.)"),
    };
    format!(
        "{pod} cannot start: container {container} {what}, {problem}. The kubelet reports `{}`: {pod} stays Pending \
         with STATUS {status}, not Ready, and the kubelet tries again every {}s. The way out: {way_out}.{others}",
        e.message,
        timing::SYNC_RETRY.0 / 1000
    )
}

/// The pod worker syncs a failed pod again every [`timing::SYNC_RETRY`]: each attempt pulls (or
/// finds) the image and fails the same way, written as the clock passes it. An attempt at or after
/// a pending [`TimerKind::ConfigRetry`] is that timer's to make.
fn config_retry_events(c: &mut Cluster, ordinal: i32, from: SimTime, to: SimTime) {
    let pod = &c.pods[&ordinal];
    let Some(err) = pod.config_error.clone() else { return };
    if pod.is_terminating() || pod.stage != Stage::ContainerCreating || pod.phase == PodPhase::Failed {
        return;
    }
    let period = timing::SYNC_RETRY.0;
    let end = match err.retry_at {
        Some(r) => SimTime(r.0.saturating_sub(1)).min(to),
        None => to,
    };
    // Attempts at since + k·period, k ≥ 1, within (from, end].
    let first_k = from.since(err.since).0 / period + 1;
    let last_k = end.since(err.since).0 / period;
    if end <= err.since || last_k < first_k {
        return;
    }
    let first = err.since.plus(SimDuration(period * first_k));
    let n = last_k - first_k + 1;
    let rev = pod.revision.clone();
    let failing: Vec<(ContainerInfo, String)> = containers_of(c, &rev)
        .into_iter()
        .filter_map(|k| err.failed.iter().find(|f| f.field_path == k.field_path).map(|f| (k, f.error.message.clone())))
        .collect();
    // A long wait: the earlier attempts in one pass per event (the recorder counts them as that
    // many writes), the last 100 one by one, so the latest writes interleave as the kubelet's do.
    let bulk = n.saturating_sub(100);
    if bulk > 0 {
        for (k, message) in &failing {
            let mut notes = Vec::new();
            if k.always {
                let pulling = format!("Pulling image \"{}\"", k.image);
                notes.push(kubelet_note(c, ordinal, EventType::Normal, "Pulling", pulling));
            }
            let pulled = pulled_message(k, k.always.then_some(SimDuration::ZERO));
            notes.push(kubelet_note(c, ordinal, EventType::Normal, "Pulled", pulled));
            notes.push(kubelet_note(c, ordinal, EventType::Warning, "Failed", format!("Error: {message}")));
            for note in notes {
                c.record_series(first, timing::SYNC_RETRY, bulk, note.container(k.field_path.clone()));
            }
        }
    }
    for i in bulk..n {
        let at = first.plus(SimDuration(period * i));
        for (k, message) in &failing {
            retry_pull(c, ordinal, k, at);
            failed_event(c, ordinal, k, message, at);
        }
    }
}

/// A retry's step 1: with imagePullPolicy Always the image is pulled again, else it is found.
fn retry_pull(c: &mut Cluster, ordinal: i32, k: &ContainerInfo, at: SimTime) {
    let took = k.always.then_some(SimDuration::ZERO);
    if took.is_some() {
        let note = kubelet_note(c, ordinal, EventType::Normal, "Pulling", format!("Pulling image \"{}\"", k.image));
        c.record_at(at, note.container(k.field_path.clone()));
    }
    pulled_event(c, ordinal, k, took, at);
}

/// A ConfigMap or Secret was created: each pod stuck in `CreateContainerConfigError` gets its next
/// attempt as a timer, so it starts then if its environment now resolves (the secret and configmap
/// managers do not trigger a sync; the pod worker's back-off does).
pub(crate) fn config_created(c: &mut Cluster) {
    let now = c.now;
    let due: Vec<(i32, u64, SimTime)> = c
        .pods
        .iter()
        .filter(|(_, p)| !p.is_terminating() && p.phase != PodPhase::Failed)
        .filter_map(|(o, p)| {
            let e = p.config_error.as_ref().filter(|e| e.retry_at.is_none())?;
            let period = timing::SYNC_RETRY.0;
            let k = now.since(e.since).0 / period + 1;
            Some((*o, p.uid, e.since.plus(SimDuration(period * k))))
        })
        .collect();
    for (ordinal, uid, at) in due {
        if let Some(e) = c.pods.get_mut(&ordinal).and_then(|p| p.config_error.as_mut()) {
            e.retry_at = Some(at);
        }
        c.schedule(at.since(now), TimerKind::ConfigRetry { ordinal, uid });
    }
}

/// The next attempt after a ConfigMap or Secret was created.
fn retry_config(c: &mut Cluster, ordinal: i32, uid: u64) {
    if !pod_matches(c, ordinal, uid) {
        return;
    }
    let now = c.now;
    let pod = &c.pods[&ordinal];
    let Some(err) = pod.config_error.clone() else { return };
    if pod.is_terminating() || pod.phase == PodPhase::Failed || err.retry_at != Some(now) {
        return;
    }
    let name = pod.name.clone();
    match env_failures(c, ordinal) {
        Some((failed, init)) => {
            let rev = pod.revision.clone();
            for k in containers_of(c, &rev) {
                if let Some(f) = failed.iter().find(|f| f.field_path == k.field_path) {
                    retry_pull(c, ordinal, &k, now);
                    failed_event(c, ordinal, &k, &f.error.message, now);
                }
            }
            let text = config_error_text(c, ordinal, &failed, init);
            let changed = failed.iter().map(|f| &f.error).ne(err.failed.iter().map(|f| &f.error));
            let pod = c.pods.get_mut(&ordinal).expect("matched");
            pod.config_error = Some(ConfigError { since: err.since, failed, init, retry_at: None });
            let text = if changed { text } else { format!("The kubelet tried again and still fails: {text}") };
            c.log(EventKind::Wait, name, Some(&rev), "config", text);
        }
        None => {
            c.pods.get_mut(&ordinal).expect("matched").config_error = None;
            let what: Vec<String> =
                err.failed.iter().map(|f| format!("{} {}", f.error.kind.as_str(), f.error.name)).collect();
            let after = format!(
                "The kubelet tried {name} again and {} now has what it needs, so CreateContainerConfigError is over: ",
                what.join(" and ")
            );
            start_containers(c, ordinal, Some(after));
        }
    }
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
    remove_pod(c, ordinal);
}

/// The pod object is removed (its deletion confirmed, or forced): the name is free, claims the
/// pod owned are collected, pods waiting for a node may fit now.
pub(crate) fn remove_pod(c: &mut Cluster, ordinal: i32) {
    let Some(pod) = c.pods.remove(&ordinal) else { return };
    c.node.forget(pod.uid);
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
    c.retry_unschedulable();
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

// ----- events: what the scheduler, the kubelet and the volume provisioner record ---------------

/// What the kubelet of the lab's one node keeps besides the pods, for its events.
#[derive(Debug, Clone, Default)]
pub(crate) struct NodeState {
    /// Images pulled onto the node. A new cluster has none of the app's images: the first pod pulls
    /// them, later ones find them (imagePullPolicy IfNotPresent), unless they pull Always.
    pub images: BTreeSet<(String, String)>,
    /// Pods whose containers are being created: pod uid → per container, whether its image is pulled.
    pub pulling: BTreeMap<u64, Vec<bool>>,
    /// Crash loops written so far: pod uid → (start of the container's current run, restarts).
    pub crash: BTreeMap<u64, (SimTime, u32)>,
    /// Readiness probes failing: pod uid → the time the failures are counted from.
    pub probes: BTreeMap<u64, SimTime>,
}

impl NodeState {
    pub(crate) fn forget(&mut self, uid: u64) {
        self.pulling.remove(&uid);
        self.crash.remove(&uid);
        self.probes.remove(&uid);
    }
}

/// One container of a pod's template, as the kubelet's events name it.
#[derive(Debug, Clone)]
pub(crate) struct ContainerInfo {
    /// `spec.containers{NAME}` or `spec.initContainers{NAME}`.
    pub field_path: String,
    pub name: String,
    pub image: String,
    /// imagePullPolicy Always (given, or defaulted for a `:latest` or untagged image).
    pub always: bool,
    pub init: bool,
}

/// The init containers, then the containers, of a revision's pod template.
pub(crate) fn containers_of(c: &Cluster, revision: &str) -> Vec<ContainerInfo> {
    let Some(template) = c.revision(revision).map(|r| r.template.clone()) else {
        return Vec::new();
    };
    let Some(spec) = template.spec.as_ref() else {
        return Vec::new();
    };
    let init = spec.init_containers.as_deref().unwrap_or(&[]).iter().map(|k| (true, k));
    init.chain(spec.containers.iter().map(|k| (false, k)))
        .map(|(init, k)| {
            let image = k.image.clone().unwrap_or_default();
            let always = match k.image_pull_policy.as_deref() {
                Some(p) => p == "Always",
                None => pulls_always_by_default(&image),
            };
            let list = if init { "initContainers" } else { "containers" };
            ContainerInfo {
                field_path: format!("spec.{list}{{{}}}", k.name),
                name: k.name.clone(),
                image,
                always,
                init,
            }
        })
        .collect()
}

/// The API server's default imagePullPolicy (`SetDefaults_Container`): Always for a `:latest` tag
/// or no tag (and no digest), else IfNotPresent.
fn pulls_always_by_default(image: &str) -> bool {
    if image.contains('@') {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) => tag == "latest",
        None => true,
    }
}

/// The stand-in for `Image size: N bytes` of a pull: the lab has no registry to ask.
pub const IMAGE_SIZE_BYTES: u64 = 72_000_000;

fn kubelet_note(c: &Cluster, ordinal: i32, type_: EventType, reason: &'static str, message: String) -> Note {
    let pod = &c.pods[&ordinal];
    Note::new(source::KUBELET, type_, reason, "Pod", pod.name.clone(), pod.uid, message).host(pod.node.clone())
}

/// The PersistentVolume controller and the provisioner see a new claim of the default StorageClass
/// (minikube's `standard`, volumeBindingMode Immediate); a claim of a WaitForFirstConsumer class
/// waits until the scheduler chose a node for its pod ([`Cluster::provision_for`]).
pub(crate) fn provisioning_started(c: &mut Cluster, name: &str) {
    let Some((uid, class, selected)) =
        c.claims.get(name).map(|cl| (cl.uid, cl.storage_class.clone(), cl.selected_node.is_some()))
    else {
        return;
    };
    if c.delays_binding(&class) && !selected {
        c.wait_for_first_consumer(name);
        return;
    }
    let (provisioner, from) = (c.provisioner_of(&class).to_string(), c.provisioner_source(&class));
    let ns = c.namespace.clone();
    // pv_controller.go `provisionClaimOperationExternal`.
    c.record(Note::new(
        source::PV_CONTROLLER,
        EventType::Normal,
        "ExternalProvisioning",
        "PersistentVolumeClaim",
        name,
        uid,
        format!(
            "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the \
             system administrator. If volume creation is delayed, please verify that the provisioner is running and \
             correctly registered."
        ),
    ));
    // sig-storage-lib-external-provisioner `provisionClaimOperation`.
    c.record(Note::new(
        from,
        EventType::Normal,
        "Provisioning",
        "PersistentVolumeClaim",
        name,
        uid,
        format!("External provisioner is provisioning volume for claim \"{ns}/{name}\""),
    ));
}

/// The scheduler binds the pod (`Scheduled`), and the kubelet starts pulling what is not on the node.
fn scheduled_and_pulling(c: &mut Cluster, ordinal: i32) {
    let (name, uid, rev, node) = {
        let p = &c.pods[&ordinal];
        (p.name.clone(), p.uid, p.revision.clone(), p.node.clone().unwrap_or_default())
    };
    let ns = c.namespace.clone();
    // pkg/scheduler/schedule_one.go `bindingCycle`: "Successfully assigned %v/%v to %v".
    c.record(Note::new(
        source::SCHEDULER,
        EventType::Normal,
        "Scheduled",
        "Pod",
        name,
        uid,
        format!("Successfully assigned {ns}/{} to {node}", c.pods[&ordinal].name),
    ));
    let mut pulls = Vec::new();
    for k in containers_of(c, &rev) {
        let pull = k.always || !c.node.images.contains(&(node.clone(), k.image.clone()));
        if pull {
            // pkg/kubelet/images/image_manager.go `pullImage`: "Pulling image %q".
            let note = kubelet_note(c, ordinal, EventType::Normal, "Pulling", format!("Pulling image \"{}\"", k.image));
            c.record(note.container(k.field_path.clone()));
        }
        pulls.push(pull);
    }
    c.node.pulling.insert(uid, pulls);
}

/// The pulls end (timing::CONTAINER_START after scheduling) and each container is created and started.
fn containers_started(c: &mut Cluster, ordinal: i32, at: SimTime) {
    let (uid, rev) = (c.pods[&ordinal].uid, c.pods[&ordinal].revision.clone());
    let pulls = c.node.pulling.remove(&uid).unwrap_or_default();
    for (i, k) in containers_of(c, &rev).into_iter().enumerate() {
        let pulled = pulls.get(i).copied().unwrap_or(k.always);
        let took = if pulled { Some(timing::CONTAINER_START) } else { None };
        container_start_events(c, ordinal, &k, took, at);
    }
}

/// Pulled, Created, Started for one container at `at`; `pulled` is how long its pull took, `None`
/// when the image was on the node already.
fn container_start_events(c: &mut Cluster, ordinal: i32, k: &ContainerInfo, pulled: Option<SimDuration>, at: SimTime) {
    pulled_event(c, ordinal, k, pulled, at);
    let fp = k.field_path.clone();
    for (reason, message) in [
        // kuberuntime_container.go `startContainer` (since 1.35, PR #134043; "Created container: %s" in 1.33-1.34).
        ("Created", "Container created".to_string()),
        ("Started", "Container started".to_string()),
    ] {
        let note = kubelet_note(c, ordinal, EventType::Normal, reason, message).container(fp.clone());
        c.record_at(at, note);
    }
}

/// Step 1 of `startContainer`: the image pulled (`pulled` is how long it took) or found on the node.
fn pulled_event(c: &mut Cluster, ordinal: i32, k: &ContainerInfo, pulled: Option<SimDuration>, at: SimTime) {
    let pulled_message = pulled_message(k, pulled);
    let node = c.pods[&ordinal].node.clone().unwrap_or_default();
    c.node.images.insert((node, k.image.clone()));
    let note = kubelet_note(c, ordinal, EventType::Normal, "Pulled", pulled_message).container(k.field_path.clone());
    c.record_at(at, note);
}

/// The `Pulled` event's message: how long the pull took, or that the image was on the node.
fn pulled_message(k: &ContainerInfo, pulled: Option<SimDuration>) -> String {
    match pulled {
        // image_manager.go `pullImage`.
        Some(d) => format!(
            "Successfully pulled image \"{}\" in {} ({} including waiting). Image size: {IMAGE_SIZE_BYTES} bytes.",
            k.image,
            go_duration(d),
            go_duration(d)
        ),
        // image_manager.go `EnsureImageExists` (KubeletEnsureSecretPulledImages, on by default since 1.35).
        None => format!("Container image \"{}\" already present on machine and can be accessed by the pod", k.image),
    }
}

/// A killed container (OOM) is restarted in place by the kubelet at once (the first restart has no
/// back-off): its Pulled, Created and Started are recorded again, as for a crash-loop restart
/// (`kuberuntime_container.go` startContainer; an image pulled with policy Always is pulled again).
pub(crate) fn restarted(c: &mut Cluster, ordinal: i32) {
    let Some(pod) = c.pods.get(&ordinal) else { return };
    let rev = pod.revision.clone();
    let Some(k) = containers_of(c, &rev).into_iter().find(|k| !k.init) else { return };
    let now = c.now;
    let took = k.always.then_some(SimDuration::ZERO);
    if took.is_some() {
        let note = kubelet_note(c, ordinal, EventType::Normal, "Pulling", format!("Pulling image \"{}\"", k.image));
        c.record_at(now, note.container(k.field_path.clone()));
    }
    container_start_events(c, ordinal, &k, took, now);
}

/// The kubelet sees the pod's deletion and stops its running containers (kuberuntime_container.go
/// `killContainer`: "Stopping container %s"); SIGTERM, then the grace period.
pub(crate) fn killing(c: &mut Cluster, ordinal: i32) {
    let Some(pod) = c.pods.get(&ordinal) else {
        return;
    };
    if pod.stage != Stage::Started || pod.containers_stopped {
        return;
    }
    let rev = pod.revision.clone();
    for k in containers_of(c, &rev).into_iter().filter(|k| !k.init) {
        let note = kubelet_note(c, ordinal, EventType::Normal, "Killing", format!("Stopping container {}", k.name));
        c.record(note.container(k.field_path));
    }
}

/// Writes the node's repeating events that fall in `(from, now]`: a crash-looping container's
/// back-offs and restarts, and a failing readiness probe's failures. The engine computes crash loops
/// from the time a pod started (no timers, see [`super::pod`]), so the kubelet's events are written
/// whenever the clock moves, before anything due at the new time.
pub(crate) fn catch_up(c: &mut Cluster, from: SimTime) {
    let to = c.now;
    let busy: Vec<i32> = c
        .pods
        .iter()
        .filter(|(_, p)| {
            p.crash_looping || p.readiness_broken || c.node.probes.contains_key(&p.uid) || p.config_error.is_some()
        })
        .map(|(o, _)| *o)
        .filter(|o| !c.on_unreachable_node(*o))
        .collect();
    for ordinal in busy {
        crash_loop_events(c, ordinal, from, to);
        probe_events(c, ordinal, from, to);
        config_retry_events(c, ordinal, from, to);
    }
}

/// kuberuntime_manager.go `doBackOff`: "Back-off restarting failed container %s in pod %v" (the pod
/// as `format.Pod`: `name_namespace(uid)`), once per crash here (the kubelet writes it again at each
/// sync during the back-off, so a real count runs somewhat higher); then at each restart the
/// container is pulled (or found), created and started again.
fn crash_loop_events(c: &mut Cluster, ordinal: i32, from: SimTime, to: SimTime) {
    let pod = &c.pods[&ordinal];
    if !pod.crash_looping || pod.is_terminating() || pod.containers_stopped {
        return;
    }
    let Some(started) = pod.started_at else { return };
    let (uid, rev) = (pod.uid, pod.revision.clone());
    let Some(k) = containers_of(c, &rev).into_iter().find(|k| !k.init) else { return };
    let pod_text = format!("{}_{}({})", pod.name, c.namespace, super::objects::uid_text(1, uid));
    let (mut t, mut restarts) = c.node.crash.get(&uid).copied().unwrap_or((started, 0));
    loop {
        let crash_at = t.plus(timing::CRASH_RUN);
        if crash_at > to {
            break;
        }
        restarts += 1;
        let shift = (restarts - 1).min(16);
        let backoff = SimDuration((timing::BACKOFF_START.0 << shift).min(timing::BACKOFF_MAX.0));
        let restart_at = crash_at.plus(backoff);
        if crash_at > from {
            let message = format!("Back-off restarting failed container {} in pod {pod_text}", k.name);
            let note = kubelet_note(c, ordinal, EventType::Warning, "BackOff", message);
            c.record_at(crash_at, note.container(k.field_path.clone()));
        }
        if restart_at > to {
            // Remember the run that crashed last, to go on from it next time.
            restarts -= 1;
            break;
        }
        if restart_at > from {
            let took = k.always.then_some(SimDuration::ZERO);
            if took.is_some() {
                let note =
                    kubelet_note(c, ordinal, EventType::Normal, "Pulling", format!("Pulling image \"{}\"", k.image));
                c.record_at(restart_at, note.container(k.field_path.clone()));
            }
            container_start_events(c, ordinal, &k, took, restart_at);
        }
        t = restart_at;
    }
    c.node.crash.insert(uid, (t, restarts));
}

/// prober.go `runProbe`: `Unhealthy`, "%s probe failed: %s", every periodSeconds while the
/// readiness probe fails (from `break-readiness` until `fix-readiness`).
fn probe_events(c: &mut Cluster, ordinal: i32, from: SimTime, to: SimTime) {
    let pod = &c.pods[&ordinal];
    let uid = pod.uid;
    let failing = pod.readiness_broken
        && !pod.crash_looping
        && !pod.is_terminating()
        && !pod.containers_stopped
        && pod.stage == Stage::Started;
    if !failing {
        if !pod.readiness_broken || pod.is_terminating() || pod.containers_stopped {
            c.node.probes.remove(&uid);
        }
        return;
    }
    let rev = pod.revision.clone();
    let probe = c.revision(&rev).and_then(|r| r.shape.readiness);
    let p = probe.unwrap_or(DEFAULT_PROBE);
    let first_probe =
        pod.started_at.unwrap_or(from).plus(SimDuration::from_secs(p.initial_delay_seconds.max(0) as u64));
    let base = *c.node.probes.entry(uid).or_insert(from.max(first_probe));
    let period = SimDuration::from_secs(p.period_seconds.max(1) as u64);
    // Failures at base + k·period, k ≥ 1, within (from, to].
    let first_k = from.since(base).0 / period.0 + 1;
    let last_k = to.since(base).0 / period.0;
    if to <= base || last_k < first_k {
        return;
    }
    let Some(k) = containers_of(c, &rev).into_iter().find(|k| !k.init) else { return };
    let message = format!("Readiness probe failed: {}", probe_failure_output(c, ordinal, &rev));
    let note = kubelet_note(c, ordinal, EventType::Warning, "Unhealthy", message).container(k.field_path);
    let first = base.plus(SimDuration(period.0 * first_k));
    c.record_series(first, period, last_k - first_k + 1, note);
}

/// What the failing probe reports, by the probe's handler: `pkg/probe/http` ("HTTP probe failed with
/// statuscode: %d"; the lab's app answers 503 when made unready), `pkg/probe/tcp` (the dial error),
/// `pkg/probe/exec` (the command's output, empty here), `pkg/probe/grpc`.
fn probe_failure_output(c: &Cluster, ordinal: i32, rev: &str) -> String {
    let probe = c.revision(rev).and_then(|r| {
        r.template.spec.as_ref().and_then(|s| s.containers.first()).and_then(|k| k.readiness_probe.clone())
    });
    let Some(probe) = probe else {
        return "HTTP probe failed with statuscode: 503".into();
    };
    if let Some(tcp) = &probe.tcp_socket {
        let ip = c.pods[&ordinal].ip.clone().unwrap_or_default();
        let port = match &tcp.port {
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(p) => p.to_string(),
            k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s) => s.clone(),
        };
        return format!("dial tcp {ip}:{port}: connect: connection refused");
    }
    if probe.exec.is_some() {
        return String::new();
    }
    if probe.grpc.is_some() {
        return "service unhealthy (responded with \"NOT_SERVING\")".into();
    }
    "HTTP probe failed with statuscode: 503".into()
}
