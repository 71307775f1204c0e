//! A PersistentVolumeClaim made from a volumeClaimTemplate, with the volume bound to it and the
//! lab app's visit counter stored on that volume (the counter lives with the claim, not the pod).

use serde::Serialize;

use super::clock::SimTime;

/// `status.phase`, plus Terminating (deletionTimestamp set) as kubectl shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClaimStatus {
    Pending,
    Bound,
    Terminating,
}

impl ClaimStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Pending => "Pending",
            ClaimStatus::Bound => "Bound",
            ClaimStatus::Terminating => "Terminating",
        }
    }
}

/// A claim `<template>-<set>-<ordinal>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    pub name: String,
    /// The volumeClaimTemplate name (the pod's volume name).
    pub template: String,
    pub ordinal: i32,
    pub uid: u64,
    pub status: ClaimStatus,
    /// Whether it was bound before deletion began (kubectl keeps showing the volume while Terminating).
    pub bound: bool,
    /// `pvc-<uuid>` once bound.
    pub volume: Option<String>,
    pub capacity: String,
    pub access_modes: Vec<String>,
    pub storage_class: String,
    pub created_at: SimTime,
    /// ownerReference to the StatefulSet (spec §5, whenDeleted: Delete).
    pub owned_by_set: bool,
    /// ownerReference to a pod by uid (spec §5, whenScaled: Delete on a condemned pod).
    pub owned_by_pod: Option<u64>,
    /// The lab counter file `{"count": N}` on this volume; `None` until the app first writes it.
    pub visits: Option<u64>,
    /// The annotation `volume.kubernetes.io/selected-node`: where the scheduler placed the claim's
    /// first consumer, written before the volume exists (volumeBindingMode WaitForFirstConsumer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_node: Option<String>,
    /// The pod (uid) whose scheduling asked for the volume: it is bound to `selected_node`.
    #[serde(skip)]
    pub(crate) selected_for: Option<u64>,
    /// The bound volume's `spec.nodeAffinity` as (label key, value): only a node with that label can
    /// mount it (a zonal disk: the zone; a local volume: the hostname). `None`: any node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<(String, String)>,
}

impl Claim {
    pub fn is_terminating(&self) -> bool {
        self.status == ClaimStatus::Terminating
    }

    pub fn visit_count(&self) -> u64 {
        self.visits.unwrap_or(0)
    }
}
