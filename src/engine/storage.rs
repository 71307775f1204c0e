//! StorageClasses and where a volume can be used: `volumeBindingMode` (Immediate, or
//! WaitForFirstConsumer: the volume is made where the claim's first pod is scheduled),
//! `allowedTopologies` (a zonal class gives the lab's nodes zones), and the scheduler's VolumeBinding
//! filter, which keeps a pod on the nodes its bound volume's node affinity allows.
//!
//! The default cluster is minikube's: one class `standard` (provisioner `k8s.io/minikube-hostpath`,
//! Immediate, no topology), nodes without zones, volumes any node can mount. A StorageClass in the
//! paste is created in the cluster next to it; when its `allowedTopologies` name zones
//! (`topology.kubernetes.io/zone`), the lab simulates the cluster that class was written for: its
//! nodes are spread over those zones, in order (`minikube` in the first, `minikube-m02` in the second,
//! ...). A volume provisioned for a WaitForFirstConsumer claim is pinned by its node affinity to the
//! zone of the node its pod was scheduled to, or, on a cluster without zones, to that node itself (a
//! local volume, as kind's `rancher.io/local-path` makes).
//!
//! Sources (kubernetes/kubernetes): `pkg/controller/volume/persistentvolume/pv_controller.go`
//! (`syncUnboundClaim`, `emitEventForUnboundDelayBindingClaim`, `provisionClaimOperationExternal`),
//! `pkg/scheduler/framework/plugins/volumebinding/binder.go` (`FindPodVolumes`, `checkBoundClaims`,
//! `checkVolumeProvisions`, `AssumePodVolumes`, which writes `volume.kubernetes.io/selected-node`),
//! `volume_binding.go` (Filter: UnschedulableAndUnresolvable) and component-helpers
//! `storage/volume` (`CheckNodeAffinity`).

use crate::model::budgets::StorageClass;

use super::claim::{Claim, ClaimStatus};
use super::clock::SimTime;
use super::cluster::{claim_name, Cluster};
use super::event::{EventKind, EventType};
use super::kubelet::TimerKind;
use super::node::Node;
use super::pod::timing;
use super::recorder::{source, Note};

/// The well-known zone label of nodes (and of a zonal class's `allowedTopologies`).
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";
/// The node name label a local volume's node affinity names.
pub const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";
/// The annotation the scheduler writes on a delayed-binding claim (`volume.AnnSelectedNode`).
pub const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
/// minikube's default class's provisioner.
pub const MINIKUBE_PROVISIONER: &str = "k8s.io/minikube-hostpath";

/// binder.go `ErrReasonNodeConflict`: a bound volume's node affinity excludes the node. The text
/// since kubernetes/kubernetes #129887 (before it: "node(s) had volume node affinity conflict").
pub const ERR_NODE_CONFLICT: &str = "node(s) didn't match PersistentVolume's node affinity";
/// binder.go `ErrReasonBindConflict`: no volume can be bound or provisioned for the node.
pub const ERR_BIND_CONFLICT: &str = "node(s) didn't find available persistent volumes to bind";

/// A StorageClass of the paste, reduced to what binding and provisioning read.
#[derive(Debug, Clone)]
pub struct StorageClassState {
    pub name: String,
    pub provisioner: String,
    /// `volumeBindingMode: WaitForFirstConsumer` (the default is Immediate).
    pub wait_for_first_consumer: bool,
    /// The zones its `allowedTopologies` allow (`topology.kubernetes.io/zone` values); empty: any.
    pub zones: Vec<String>,
    pub created_at: SimTime,
}

impl StorageClassState {
    fn of(class: StorageClass, at: SimTime) -> StorageClassState {
        StorageClassState {
            wait_for_first_consumer: class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"),
            name: class.name,
            provisioner: class.provisioner,
            zones: class.zones,
            created_at: at,
        }
    }
}

/// Event sources are `&'static str`; a pasted class names its own provisioner, so its name is
/// kept once for the life of the program (a handful of names at most).
fn interned(name: &str) -> &'static str {
    use std::sync::Mutex;
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

impl Cluster {
    /// The StorageClasses the paste created (minikube's `standard` is not listed).
    pub fn storage_classes(&self) -> &[StorageClassState] {
        &self.storage_classes
    }

    pub fn storage_class(&self, name: &str) -> Option<&StorageClassState> {
        self.storage_classes.iter().find(|c| c.name == name)
    }

    /// Creates a pasted StorageClass; a zonal one gives the nodes their zones (see the module doc).
    pub(crate) fn add_storage_class(&mut self, object: StorageClass) {
        let class = StorageClassState::of(object, self.now);
        if class.name.is_empty() || self.storage_class(&class.name).is_some() {
            return;
        }
        self.storage_classes.push(class);
        let zones: Vec<String> =
            self.storage_classes.iter().flat_map(|c| c.zones.iter().cloned()).fold(Vec::new(), |mut v, z| {
                if !v.contains(&z) {
                    v.push(z);
                }
                v
            });
        if zones.is_empty() {
            return;
        }
        for (i, node) in self.nodes.iter_mut().enumerate() {
            node.labels.insert(ZONE_LABEL.to_string(), zones[i % zones.len()].clone());
        }
    }

    /// Whether claims of this class wait for their first consumer (minikube's `standard` does not).
    pub(crate) fn delays_binding(&self, class: &str) -> bool {
        self.storage_class(class).is_some_and(|c| c.wait_for_first_consumer)
    }

    /// The provisioner that makes the volumes of a class.
    pub(crate) fn provisioner_of(&self, class: &str) -> &str {
        self.storage_class(class).map_or(MINIKUBE_PROVISIONER, |c| c.provisioner.as_str())
    }

    /// The provisioner's event source (`source.component`): minikube's, or the pasted class's
    /// provisioner name (a real external provisioner adds its pod and a uuid, which the lab leaves out).
    pub(crate) fn provisioner_source(&self, class: &str) -> &'static str {
        match self.storage_class(class) {
            Some(c) => interned(&c.provisioner),
            None => source::PROVISIONER,
        }
    }

    /// The claims a pod mounts (one per volumeClaimTemplate of its ordinal), when they exist.
    fn claims_of_pod(&self, ordinal: i32) -> Vec<&Claim> {
        let set = &self.set_name;
        match &self.set {
            Some(s) => {
                s.spec.claims.iter().filter_map(|t| self.claims.get(&claim_name(&t.name, set, ordinal))).collect()
            }
            None => self.claims.values().filter(|cl| cl.ordinal == ordinal).collect(),
        }
    }

    /// Whether the scheduler may take the pod: every claim exists and is Bound, or waits for its
    /// first consumer and has no node chosen yet (VolumeBinding PreFilter: an unbound Immediate
    /// claim makes the pod unschedulable until the PV controller binds it).
    pub(crate) fn claims_allow_scheduling(&self, ordinal: i32) -> bool {
        let names: Vec<String> = match &self.set {
            Some(s) => s.spec.claims.iter().map(|t| claim_name(&t.name, &self.set_name, ordinal)).collect(),
            None => self.claims.values().filter(|cl| cl.ordinal == ordinal).map(|cl| cl.name.clone()).collect(),
        };
        names.iter().all(|n| {
            self.claims.get(n).is_some_and(|cl| {
                cl.status == ClaimStatus::Bound
                    || (cl.status == ClaimStatus::Pending
                        && cl.selected_node.is_none()
                        && self.delays_binding(&cl.storage_class))
            })
        })
    }

    /// The VolumeBinding filter on one node (binder.go `FindPodVolumes`): a bound claim whose
    /// volume's node affinity the node does not satisfy, or a delayed claim the class cannot
    /// provision there (allowedTopologies) or whose node is already chosen elsewhere.
    pub(crate) fn volume_binding_misfit(&self, ordinal: i32, node: &Node) -> Option<&'static str> {
        let claims = self.claims_of_pod(ordinal);
        let bound_conflict = claims
            .iter()
            .filter(|cl| cl.bound)
            .filter_map(|cl| cl.node_affinity.as_ref())
            .any(|(key, value)| node.labels.get(key) != Some(value));
        if bound_conflict {
            return Some(ERR_NODE_CONFLICT);
        }
        let unbound_conflict =
            claims.iter().filter(|cl| !cl.bound && self.delays_binding(&cl.storage_class)).any(|cl| {
                if let Some(selected) = &cl.selected_node {
                    return selected != &node.name;
                }
                let zones = self.storage_class(&cl.storage_class).map(|c| c.zones.as_slice()).unwrap_or(&[]);
                !zones.is_empty() && !node.labels.get(ZONE_LABEL).is_some_and(|z| zones.contains(z))
            });
        unbound_conflict.then_some(ERR_BIND_CONFLICT)
    }

    /// The node the volumes were just provisioned for (AssumePodVolumes): the scheduler binds the
    /// pod there once its claims are Bound.
    pub(crate) fn assumed_node(&self, ordinal: i32) -> Option<String> {
        let uid = self.pods.get(&ordinal)?.uid;
        self.claims_of_pod(ordinal)
            .iter()
            .find(|cl| cl.selected_for == Some(uid))
            .and_then(|cl| cl.selected_node.clone())
    }

    /// The scheduler chose `node` for the pod: claims that wait for their first consumer get
    /// `volume.kubernetes.io/selected-node` and are provisioned there (PreBind waits for them).
    /// True when the pod must wait for that before it is bound to the node.
    pub(crate) fn provision_for(&mut self, ordinal: i32, node: &str) -> bool {
        let Some(uid) = self.pods.get(&ordinal).map(|p| p.uid) else { return false };
        let delayed: Vec<String> = self
            .claims_of_pod(ordinal)
            .iter()
            .filter(|cl| cl.status == ClaimStatus::Pending && cl.selected_node.is_none())
            .filter(|cl| self.delays_binding(&cl.storage_class))
            .map(|cl| cl.name.clone())
            .collect();
        if delayed.is_empty() {
            return false;
        }
        let zone = self.node(node).and_then(|n| n.labels.get(ZONE_LABEL).cloned());
        for name in &delayed {
            let claim = self.claims.get_mut(name).expect("listed");
            claim.selected_node = Some(node.to_string());
            claim.selected_for = Some(uid);
            let claim_uid = claim.uid;
            super::kubelet::provisioning_started(self, name);
            self.schedule(timing::CLAIM_BIND, TimerKind::ClaimBound { name: name.clone(), uid: claim_uid });
        }
        let pod = self.pods[&ordinal].name.clone();
        let rev = self.pods[&ordinal].revision.clone();
        let claims = delayed.join(", ");
        let provisioner = self.claims.get(&delayed[0]).map(|cl| self.provisioner_of(&cl.storage_class).to_string());
        let place = match &zone {
            Some(z) => format!("in zone {z}, the zone of {node}"),
            None => format!("on {node} itself (a local volume: this cluster has no zones)"),
        };
        self.log(
            EventKind::Wait,
            pod.clone(),
            Some(&rev),
            "5",
            format!(
                "The scheduler picks {node} for {pod}. {claims} waits for its first consumer (volumeBindingMode \
                 WaitForFirstConsumer), so the scheduler first writes {SELECTED_NODE}: {node} on it, and the provisioner \
                 {} creates the volume {place}; {pod} is bound to {node} once the claim is Bound (VolumeBinding PreBind).",
                provisioner.unwrap_or_default()
            ),
        );
        true
    }

    /// pv_controller.go `emitEventForUnboundDelayBindingClaim`: a new delayed-binding claim whose
    /// pod is not there yet.
    pub(crate) fn wait_for_first_consumer(&mut self, name: &str) {
        let Some(uid) = self.claims.get(name).map(|cl| cl.uid) else { return };
        self.record(Note::new(
            source::PV_CONTROLLER,
            EventType::Normal,
            "WaitForFirstConsumer",
            "PersistentVolumeClaim",
            name,
            uid,
            "waiting for first consumer to be created before binding".into(),
        ));
    }

    /// The volume of a delayed-binding claim is made: its node affinity pins it to the zone of the
    /// selected node (or to that node). Returns what to say about it.
    pub(crate) fn pin_volume(&mut self, name: &str) -> String {
        let Some(node) = self.claims.get(name).and_then(|cl| cl.selected_node.clone()) else { return String::new() };
        let zone = self.node(&node).and_then(|n| n.labels.get(ZONE_LABEL).cloned());
        let affinity = match zone {
            Some(z) => (ZONE_LABEL.to_string(), z),
            None => (HOSTNAME_LABEL.to_string(), node.clone()),
        };
        let text = format!(
            "; its node affinity ({}={}) lets only nodes with that label mount it, wherever the pod goes later",
            affinity.0, affinity.1
        );
        if let Some(claim) = self.claims.get_mut(name) {
            claim.node_affinity = Some(affinity);
        }
        text
    }
}
