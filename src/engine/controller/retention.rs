//! `persistentVolumeClaimRetentionPolicy` as ownerReferences on claims (spec §5): the garbage
//! collector, not the controller, deletes a claim once its owner is gone.

use super::super::cluster::{claim_name, Cluster};
use super::super::spec::{RetentionPolicy, SetSpec};

/// The owners a claim should have: (owned by the set, owned by this pod uid). Port of
/// `updateClaimOwnerRefForSetAndPod`.
pub(crate) fn desired_owners(spec: &SetSpec, in_range: bool, pod_uid: u64) -> (bool, Option<u64>) {
    use RetentionPolicy::*;
    match (spec.when_scaled, spec.when_deleted) {
        (Retain, Retain) => (false, None),
        (Retain, Delete) => (true, None),
        (Delete, Retain) => (false, (!in_range).then_some(pod_uid)),
        (Delete, Delete) => {
            if in_range {
                (true, None)
            } else {
                (false, Some(pod_uid))
            }
        }
    }
}

/// Sets a pod's claims' ownerReferences to what the policy asks for; true when a claim changed
/// (`UpdatePodClaimForRetentionPolicy` updated one).
pub(crate) fn fix_claims(c: &mut Cluster, spec: &SetSpec, ordinal: i32, in_range: bool) -> bool {
    let Some(uid) = c.pods.get(&ordinal).map(|p| p.uid) else {
        return false;
    };
    let (by_set, by_pod) = desired_owners(spec, in_range, uid);
    if !needs_fix(c, spec, ordinal, in_range) {
        return false;
    }
    let mut changed = false;
    if let Some(p) = c.pods.get_mut(&ordinal) {
        p.claim_owners = Some((by_set, by_pod));
    }
    for tpl in &spec.claims {
        if let Some(claim) = c.claims.get_mut(&claim_name(&tpl.name, &spec.name, ordinal)) {
            if claim.is_terminating() {
                continue;
            }
            changed |= claim.owned_by_set != by_set || claim.owned_by_pod != by_pod;
            claim.owned_by_set = by_set;
            claim.owned_by_pod = by_pod;
        }
    }
    changed
}

/// Whether a pod's claims may not carry the ownerReferences the policy asks for (cheap: no lookup).
pub(crate) fn needs_fix(c: &Cluster, spec: &SetSpec, ordinal: i32, in_range: bool) -> bool {
    match c.pods.get(&ordinal) {
        Some(p) => p.claim_owners != Some(desired_owners(spec, in_range, p.uid)),
        None => false,
    }
}
