//! Which revision a pod that does not exist yet is built at (spec §2.2, §4.4), and which pods are
//! condemned (outside `start … start+replicas-1`, highest ordinal first).

use super::super::cluster::Cluster;
use super::super::spec::{SetSpec, UpdateStrategy};
use super::Revisions;

/// The revision for a new pod in `slot`, and why (a clause for the narration).
pub(crate) fn revision_for_new_pod<'a>(
    spec: &SetSpec,
    slot: i32,
    revs: &'a Revisions,
    status_current_replicas: i32,
) -> (&'a str, Option<String>) {
    if revs.current == revs.update {
        return (&revs.update, None);
    }
    match spec.strategy {
        // spec §4.4: OnDelete recreates any deleted pod at the update revision.
        UpdateStrategy::OnDelete => {
            (&revs.update, Some("OnDelete recreates any deleted pod at the update revision".into()))
        }
        // KEP-3541: new pods are only created once no old one is left, all at the update revision.
        UpdateStrategy::Recreate => {
            (&revs.update, Some("Recreate creates every new pod at the update revision".into()))
        }
        UpdateStrategy::RollingUpdate if spec.rolling_update_present => {
            if slot < spec.partition {
                // spec 4.4: slots below the partition keep the current revision
                (
                    &revs.current,
                    Some(format!(
                        "slot {slot} is below partition {}, so it keeps the current revision",
                        spec.partition
                    )),
                )
            } else {
                (
                    &revs.update,
                    Some(format!(
                        "slot {slot} is at or above partition {}, so it gets the update revision",
                        spec.partition
                    )),
                )
            }
        }
        UpdateStrategy::RollingUpdate => {
            // spec §2.2: without a rollingUpdate block, slots below status.currentReplicas stay current.
            if slot < status_current_replicas {
                (
                    &revs.current,
                    Some(format!(
                        "slot {slot} is below currentReplicas {status_current_replicas} (no rollingUpdate block)"
                    )),
                )
            } else {
                (
                    &revs.update,
                    Some(format!(
                        "slot {slot} is at or above currentReplicas {status_current_replicas} (no rollingUpdate block)"
                    )),
                )
            }
        }
    }
}

/// Ordinals of condemned pods, highest first (spec §2.2).
pub(crate) fn condemned(c: &Cluster, spec: &SetSpec) -> Vec<i32> {
    let end = spec.end();
    c.pods.range(end..).rev().chain(c.pods.range(..spec.start).rev()).map(|(o, _)| *o).collect()
}

/// The ordinal of the first unhealthy pod: in-range pods first (ascending), else the lowest
/// unhealthy condemned pod (spec §2.6, §13.13).
pub(crate) fn first_unhealthy(c: &Cluster, spec: &SetSpec, condemned: &[i32]) -> Option<i32> {
    let in_range = c.pods.range(spec.start..spec.end()).find(|(_, p)| !p.is_healthy()).map(|(o, _)| *o);
    in_range.or_else(|| condemned.iter().rev().find(|o| !c.pods[o].is_healthy()).copied())
}
