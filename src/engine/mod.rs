//! The engine: a deterministic simulation of the parts of a cluster a StatefulSet touches — the
//! StatefulSet controller (spec §2-§7), pods on a node, claims and volumes, the garbage collector,
//! Service endpoints and traffic — with a simulated clock and a seed, and no I/O at all.
//!
//! # Driving it (raft-rs `RawNode` style)
//!
//! The engine never runs by itself. The UI's animation loop, the CLI and the tests all call the same
//! methods and read the same state:
//!
//! ```
//! use sts_lab::engine::{Action, Cluster, FeatureGates, SimDuration};
//! let release = sts_lab::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
//! let mut cluster = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
//! cluster.settle();                                  // run until nothing changes
//! cluster.apply(Action::Scale(3)).unwrap();          // "statefulset.apps/python-helm-python scaled"
//! while let Some(step) = cluster.step() {            // one controller/kubelet step at a time
//!     for e in &cluster.events()[step.events] { let _ = (&e.kind, &e.rule, &e.text); }
//! }
//! cluster.advance(SimDuration::from_secs(30));       // let time pass
//! cluster.apply(Action::Traffic(100)).unwrap();      // requests through the Service
//! let table = sts_lab::kubectl::get(&cluster, "po,sts,svc,pvc", false).unwrap();
//! assert!(table.contains("pod/python-helm-python-2"));
//! ```
//!
//! - [`Cluster::new`] / [`Cluster::from_release`]: build from a StatefulSet (+ Services, namespace,
//!   seed, [`FeatureGates`]). The set is submitted at time 0; nothing runs until driven.
//! - [`Cluster::apply`] with an [`Action`]: every user action of the issue (scale, image, partition,
//!   maxUnavailable, strategy, policy change → [`ActionError::Rejected`] with the API server's exact
//!   message, retention, ordinals start, minReadySeconds, delete pod, break/fix readiness, break image,
//!   rollback, delete/orphan the set, apply a new manifest, traffic, one request to a pod's own
//!   DNS name). `Ok` is kubectl's stdout line.
//! - Every write of the StatefulSet (create, apply, patch, scale, set image, rollout restart/undo)
//!   goes through [`crate::apiserver`] as the API server takes it: defaulted, validated, stored;
//!   [`Action::Patch`] is `kubectl patch` with its patch type, and every spec action shows and sends
//!   its own patch body ([`Action::patch_body`]).
//! - [`Cluster::step`]: the next controller sync or node-side change, until at least one event is
//!   logged (the UI's "step" button); [`Cluster::advance`]: let a duration pass;
//!   [`Cluster::settle`]: run until nothing changes or nothing can change ([`Settled`]).
//!   Finer: [`Cluster::tick`] (exactly one unit of work, even a silent one such as scheduling),
//!   [`Cluster::sync_pending`] (let the controller react now, no time passes),
//!   [`Cluster::reconcile`] (one forced sync), [`Cluster::next_change_at`], [`Cluster::has_pending_sync`].
//! - [`Cluster::command_for`]: the kubectl command a user would type for an action (for narration).
//! - Timings the template does not give (volume binding, image pull, SIGTERM exit, crash-loop
//!   back-off) are stated in [`pod::timing`].
//! - Reading: [`Cluster::now`], [`Cluster::pods`] ([`Pod`]), [`Cluster::pod_views`] ([`PodView`]: the
//!   kubectl STATUS string, READY, RESTARTS, AGE, visits), [`Cluster::claims`] / [`Cluster::claim_views`]
//!   ([`ClaimView`]), [`Cluster::statefulset`] / [`Cluster::status`] ([`SetStatus`]),
//!   [`Cluster::revisions`] ([`Revision`]), [`Cluster::endpoints`], [`Cluster::traffic_share`],
//!   [`Cluster::dns_record`] (a pod's stable DNS name and whether it resolves, spec §1),
//!   [`Cluster::traffic_service`],
//!   [`Cluster::events`] ([`Event`]: time, kind, object, revision, rule id, sentence).
//! - As Kubernetes objects (k8s-openapi types, for a YAML view): [`Cluster::statefulset_object`],
//!   [`Cluster::pod_object`], [`Cluster::claim_object`], [`Cluster::revision_object`].
//! - What the controller is waiting for right now, in one sentence: [`Cluster::waiting_for`].
//! - Rewinding: `Cluster` is `Clone`; [`Timeline`] records inputs and keeps a snapshot every N, so
//!   [`Timeline::at`] rebuilds any earlier moment without replaying from zero.
//! - Output: [`crate::kubectl`] renders `kubectl get`, `rollout status`, `get -w` lines and `exec cat`
//!   as pure functions of a `Cluster`.
//!
//! Determinism: all randomness comes from one seeded PCG32 ([`rng`]), all maps are ordered, time is
//! simulated: the same input, steps and seed give byte-identical transcripts, natively and in wasm.

pub mod action;
pub mod claim;
pub mod clock;
pub mod cluster;
pub mod configuration;
pub(crate) mod controller;
pub mod disruption;
pub mod dns;
pub mod drain;
pub mod endpoints;
pub mod event;
pub(crate) mod fault;
pub(crate) mod garbagecollector;
pub(crate) mod kubelet;
pub mod node;
pub mod objects;
pub mod pod;
pub mod recorder;
pub mod rng;
pub mod spec;
pub mod storage;
pub mod timeline;
pub mod traffic;
pub mod upgrade;
pub mod version;
pub mod view;

pub use action::{Action, ActionError, PatchType, FORCE_DELETE_WARNING};
pub use claim::{Claim, ClaimStatus};
pub use clock::{SimDuration, SimTime};
pub use cluster::{
    Cluster, ClusterConfig, FeatureGates, Revision, ServiceState, SetState, SetStatus, Settled, StepReport,
};
pub use configuration::{ConfigKind, ConfigObject, Configuration};
pub use disruption::{PdbState, PdbStatus};
pub use dns::{DnsName, DnsRecord, NoRecord};
pub use drain::{Drain, DrainLine};
pub use endpoints::Endpoint;
pub use event::{Event, EventKind, EventType, Recorded};
pub use node::{Node, Taint};
pub use pod::Pod;
pub use spec::{PodManagementPolicy, RetentionPolicy, SetSpec, UpdateStrategy};
pub use storage::StorageClassState;
pub use timeline::{Input, Outcome, Timeline};
pub use traffic::{RevisionShare, TrafficReport};
pub use version::KubeVersion;
pub use view::{ClaimView, PodView};

/// The hash part of a revision name (`web-6c5f8d9b7c` → `6c5f8d9b7c`), for the `controller-revision-hash` display.
pub fn revision_hash<'a>(set: &str, revision: &'a str) -> &'a str {
    revision.strip_prefix(set).and_then(|r| r.strip_prefix('-')).unwrap_or(revision)
}

/// Names and hashes of ControllerRevisions, exposed for tests and the UI.
pub mod revision_names {
    pub use super::controller::revision::{hash, revision_name, safe_encode};
}
