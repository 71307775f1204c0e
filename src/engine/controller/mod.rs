//! The StatefulSet controller's sync (spec §2), one concept per file, in the order the real
//! controller (`stateful_set_control.go`) runs them:
//!
//! 1. [`revision`]: find or create the update revision, resolve the current one.
//! 2. [`partition`]: which slot a pod is in, which revision a missing pod is built at.
//! 3. [`replicas`]: the replica pass (create, wait, repair), ascending ordinal.
//! 4. [`condemned`]: the condemned pass (scale-down), highest ordinal first.
//! 5. [`update`]: the rolling update (legacy path, or maxUnavailable with the gate on).
//! 6. [`status`]: status fields, promotion of `currentRevision`, history pruning.
//!
//! [`retention`] holds the claim ownerReference rules of `persistentVolumeClaimRetentionPolicy`.

pub(crate) mod condemned;
pub(crate) mod partition;
pub(crate) mod recreate;
pub(crate) mod replicas;
pub(crate) mod retention;
pub(crate) mod revision;
pub(crate) mod status;
pub(crate) mod update;

use super::cluster::Cluster;
use super::spec::{PodManagementPolicy, UpdateStrategy};

/// How a pass ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Go on with the next pass.
    Continue,
    /// The sync ends here (OrderedReady after one creation or deletion).
    Stop,
    /// The sync ends here because the controller waits for something; the sentence says for what.
    Wait { object: String, rule: &'static str, text: String },
}

impl Flow {
    pub(crate) fn wait(object: impl Into<String>, rule: &'static str, text: String) -> Flow {
        Flow::Wait { object: object.into(), rule, text }
    }
}

/// The revisions one sync works with.
#[derive(Debug, Clone)]
pub(crate) struct Revisions {
    pub current: String,
    pub update: String,
}

/// One sync of the StatefulSet (spec §2). Does nothing without a StatefulSet (after its deletion the
/// garbage collector, not the controller, handles what is left).
pub(crate) fn sync(c: &mut Cluster) {
    let Some(set) = &c.set else { return };
    let spec = set.spec.clone();
    if set.deleting {
        // spec §2.3: a set being deleted only gets its status recomputed.
        let revs =
            Revisions { current: set.status.current_revision.clone(), update: set.status.update_revision.clone() };
        let mark = c.next_uid;
        status::write(c, &spec, &revs, mark);
        return;
    }
    let before = c.events.len();
    // spec §2.1
    let revs = revision::resolve(c, &spec);
    // spec §2.4
    let monotonic = spec.policy == PodManagementPolicy::OrderedReady;
    let uid_mark = c.next_uid;
    // KEP-3541: Recreate deletes every old pod and creates nothing until they are all gone.
    let mut flow = if spec.strategy == UpdateStrategy::Recreate { recreate::run(c, &revs) } else { Flow::Continue };
    // spec §2.5
    if flow == Flow::Continue {
        flow = replicas::run(c, &spec, &revs, monotonic);
    }
    // spec §2.6
    if flow == Flow::Continue {
        flow = condemned::run(c, &spec, &revs, monotonic);
    }
    // spec §2.7
    if flow == Flow::Continue && spec.strategy == UpdateStrategy::RollingUpdate {
        flow = if c.gates.max_unavailable_stateful_set {
            update::max_unavailable(c, &spec, &revs)
        } else {
            update::rolling(c, &spec, &revs)
        };
    }
    let acted = c.events.len() > before;
    if acted {
        // The controller acted: whatever it waited for before is over.
        c.last_wait = None;
    }
    // spec §2.8
    let status_inputs_changed = status::write(c, &spec, &revs, uid_mark);
    // The real controller runs again after its own writes (pod create/delete, status update are
    // watched). A sync that acted on nothing and changed no status field it reads would compute the
    // same again, so that no-op run is skipped.
    if acted || status_inputs_changed {
        c.dirty = true;
    }
    // The real controller re-queues itself after minReadySeconds while some Ready pod is not yet
    // available (spec §2: available), so a pod that turns available wakes it up.
    if spec.min_ready_seconds > 0 {
        let s = &c.set.as_ref().expect("set").status;
        if s.ready_replicas != s.available_replicas {
            let at = c.now.plus(super::clock::SimDuration::from_secs(spec.min_ready_seconds as u64));
            let pending = c.timers.iter().any(|t| t.0.kind == super::kubelet::TimerKind::Resync && t.0.at == at);
            if !pending {
                c.schedule(
                    super::clock::SimDuration::from_secs(spec.min_ready_seconds as u64),
                    super::kubelet::TimerKind::Resync,
                );
            }
        }
    }
    revision::truncate_history(c, &spec, &revs);
    match flow {
        Flow::Wait { object, rule, text } => c.wait(object, rule, text),
        // Nothing is being waited for any more (or nothing worth telling): forget the last wait.
        _ => c.last_wait = None,
    }
}

// ----- the controller's events (stateful_pod_control.go `recordPodEvent`, `recordClaimEvent`) ------

/// Records an event about the StatefulSet from `statefulset-controller`.
pub(crate) fn record(c: &mut Cluster, type_: super::event::EventType, reason: &'static str, message: String) {
    let set = c.set_name.clone();
    c.record(super::recorder::Note::new(
        super::recorder::source::STATEFULSET_CONTROLLER,
        type_,
        reason,
        "StatefulSet",
        set,
        0,
        message,
    ));
}

/// `recordPodEvent(verb, set, pod, nil)`: `Successful<Verb>`, "<verb> Pod %s in StatefulSet %s successful".
pub(crate) fn record_pod_success(c: &mut Cluster, verb: &str, pod: &str) {
    let reason = match verb {
        "create" => "SuccessfulCreate",
        "update" => "SuccessfulUpdate",
        _ => "SuccessfulDelete",
    };
    let set = c.set_name.clone();
    record(c, super::event::EventType::Normal, reason, format!("{verb} Pod {pod} in StatefulSet {set} successful"));
}

/// `recordPodEvent(verb, set, pod, err)`: `Failed<Verb>`, "<verb> Pod %s in StatefulSet %s failed error: %s".
pub(crate) fn record_pod_failure(c: &mut Cluster, verb: &str, pod: &str, err: &str) {
    let reason = match verb {
        "create" => "FailedCreate",
        "update" => "FailedUpdate",
        _ => "FailedDelete",
    };
    let set = c.set_name.clone();
    record(
        c,
        super::event::EventType::Warning,
        reason,
        format!("{verb} Pod {pod} in StatefulSet {set} failed error: {err}"),
    );
}

/// `DeleteStatefulPod`: the delete, and its event as the API call returns (before the kubelet,
/// which watches the pod, stops its containers).
pub(crate) fn delete_stateful_pod(c: &mut Cluster, ordinal: i32, rule: &'static str, text: String) {
    let Some(name) = c.pods.get(&ordinal).filter(|p| !p.is_terminating()).map(|p| p.name.clone()) else {
        return;
    };
    record_pod_success(c, "delete", &name);
    c.delete_pod(ordinal, rule, text);
}
