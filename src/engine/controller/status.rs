//! Status (spec §4.5) and the end of a rolling update (spec §2.8): counts are taken from all pods,
//! in range and condemned; `currentRevision` becomes `updateRevision` only when every pod is updated
//! and Ready under RollingUpdate.

use super::super::cluster::{Cluster, SetStatus};
use super::super::event::EventKind;
use super::super::spec::{SetSpec, UpdateStrategy};
use super::Revisions;

/// `created_before`: pods with a uid above it were created in this sync. The controller counts its
/// local copies of them, which have no phase yet, so they appear in the status one sync later
/// (spec S6: "while web-2 is absent 2/2/2/2/0").
pub(crate) fn compute(c: &Cluster, spec: &SetSpec, revs: &Revisions, created_before: u64) -> SetStatus {
    let now = c.now;
    let mut s = SetStatus {
        observed_generation: c.set.as_ref().map_or(0, |s| s.generation),
        current_revision: revs.current.clone(),
        update_revision: revs.update.clone(),
        collision_count: c.set.as_ref().map_or(0, |s| s.status.collision_count),
        ..SetStatus::default()
    };
    for p in c.pods.values().filter(|p| p.owned && p.uid <= created_before) {
        s.replicas += 1;
        if p.is_running_and_ready() {
            s.ready_replicas += 1;
            if p.is_available(now, spec.min_ready_seconds) {
                s.available_replicas += 1;
            }
        }
        if !p.is_terminating() {
            if p.revision == revs.current {
                s.current_replicas += 1;
            }
            if p.revision == revs.update {
                s.updated_replicas += 1;
            }
        }
    }
    s
}

/// Writes the status; returns whether a field the next sync reads changed (currentRevision,
/// currentReplicas) or pods created in this sync are still uncounted — then the status update,
/// itself a watched change, must run the controller again.
pub(crate) fn write(c: &mut Cluster, spec: &SetSpec, revs: &Revisions, created_before: u64) -> bool {
    let mut s = compute(c, spec, revs, created_before);
    // spec §2.8 completeRollingUpdate (never for OnDelete: bug #73492, spec §4.4). Recreate is
    // promoted the same way once every pod is new and ready (the lab's reading of KEP-3541; the
    // merged code is not in its sources).
    let promote = matches!(spec.strategy, UpdateStrategy::RollingUpdate | UpdateStrategy::Recreate)
        && s.updated_replicas == s.ready_replicas
        && s.ready_replicas == s.replicas
        && s.ready_replicas == spec.replicas
        && s.current_revision != s.update_revision;
    if promote {
        s.current_replicas = s.updated_replicas;
        s.current_revision = s.update_revision.clone();
    }
    let old = c.set.as_ref().map(|x| x.status.clone()).unwrap_or_default();
    let uncounted = c.next_uid > created_before;
    if old == s {
        return uncounted;
    }
    let inputs_changed = old.current_revision != s.current_revision || old.current_replicas != s.current_replicas;
    let set = c.set.as_mut().expect("sync has a set");
    set.status = s.clone();
    let name = set.spec.name.clone();
    if promote {
        c.log(
            EventKind::Status,
            name.clone(),
            Some(&s.update_revision),
            "2.8",
            format!(
                "All {} pods are updated and Ready: currentRevision becomes {} — the {} is complete.",
                s.replicas,
                s.update_revision,
                if spec.strategy == UpdateStrategy::Recreate { "update" } else { "rolling update" }
            ),
        );
    } else if tuple(&old) != tuple(&s)
        || old.current_revision != s.current_revision
        || old.update_revision != s.update_revision
    {
        c.log(
            EventKind::Status,
            name,
            Some(&s.update_revision),
            "4.5",
            format!(
                "Status: replicas {}, ready {}, available {}, current {}, updated {} (currentRevision {}, updateRevision {}).",
                s.replicas, s.ready_replicas, s.available_replicas, s.current_replicas, s.updated_replicas, s.current_revision, s.update_revision
            ),
        );
    }
    inputs_changed || uncounted
}

fn tuple(s: &SetStatus) -> (i32, i32, i32, i32, i32) {
    (s.replicas, s.ready_replicas, s.available_replicas, s.current_replicas, s.updated_replicas)
}
