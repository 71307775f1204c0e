//! The event log: what happened, when, under which rule of the spec, in one sentence for a student.

use serde::Serialize;

use super::clock::SimTime;

/// What kind of thing happened (the `kind` of the JSON transcript, issue #4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    CreateRevision,
    CreatePvc,
    PvcBound,
    CreatePod,
    PodRunning,
    PodReady,
    PodUnready,
    DeletePod,
    PodGone,
    DeletePvc,
    PvcGone,
    Request,
    Wait,
    Rejected,
    Status,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CreateRevision => "create-revision",
            EventKind::CreatePvc => "create-pvc",
            EventKind::PvcBound => "pvc-bound",
            EventKind::CreatePod => "create-pod",
            EventKind::PodRunning => "pod-running",
            EventKind::PodReady => "pod-ready",
            EventKind::PodUnready => "pod-unready",
            EventKind::DeletePod => "delete-pod",
            EventKind::PodGone => "pod-gone",
            EventKind::DeletePvc => "delete-pvc",
            EventKind::PvcGone => "pvc-gone",
            EventKind::Request => "request",
            EventKind::Wait => "wait",
            EventKind::Rejected => "rejected",
            EventKind::Status => "status",
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Position in the log (0-based); stable, so the timeline can point at it.
    pub seq: usize,
    pub t: SimTime,
    pub kind: EventKind,
    /// The object it is about: a pod, claim, revision or the StatefulSet.
    pub object: String,
    /// The ControllerRevision involved (the pod's, or the new one), when there is one.
    pub revision: Option<String>,
    /// The spec section it follows, e.g. `4.2`.
    pub rule: &'static str,
    /// One plain sentence for a student; a wait says what it waits for.
    pub text: String,
}

/// `type` of a Kubernetes Event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A Kubernetes Event as the cluster records it (what `kubectl get events` and the Events section
/// of `kubectl describe` print): written by the component's event recorder, with the reason and
/// message formats of its source, and counted when the same event repeats (the client-go
/// EventCorrelator aggregates identical events: same source, object, type, reason and message).
///
/// For printers: `first` is the Event's `firstTimestamp`, `last` its `lastTimestamp`, `count` its
/// `count`. `kubectl get events` prints `LAST SEEN` as the age of `last` (now − last, in kubectl's
/// short duration form); `-o wide` adds `FIRST SEEN` (the age of `first`) and `COUNT`. `kubectl
/// describe` prints `Age` as the age of `last`, written `<age of last> (x<count> over <age of first>)`
/// when `count > 1`. [`crate::engine::Cluster::recorded`] is ordered by `first`. Written by
/// [`crate::engine::recorder`] (aggregation, counting, spam filter, one-hour TTL).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    pub type_: EventType,
    /// `SuccessfulCreate`, `Scheduled`, `Pulled`, `BackOff`, ...
    pub reason: &'static str,
    /// The involved object's kind: `Pod`, `StatefulSet`, `PersistentVolumeClaim`, `Service`.
    pub kind: &'static str,
    /// The involved object's name.
    pub name: String,
    /// For a pod's container events, `spec.containers{NAME}` (the event's `involvedObject.fieldPath`).
    pub field_path: Option<String>,
    pub message: String,
    /// `source.component`: `statefulset-controller`, `kubelet`, `default-scheduler`, `persistentvolume-controller`.
    pub source: &'static str,
    /// `source.host`: the node, for the kubelet's events.
    pub host: Option<String>,
    pub first: SimTime,
    pub last: SimTime,
    pub count: u32,
}
