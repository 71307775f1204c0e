//! `updateStrategy.type: Recreate` (KEP-3541, alpha in 1.37 behind `StatefulSetRecreateStrategy`).
//! The KEP and the release note of kubernetes/kubernetes #137187 describe it: when the template
//! changes, every pod is deleted at once, the controller waits until all of them are gone, and only
//! then creates the new pods, in the order podManagementPolicy gives. Old and new revisions never
//! run side by side, at the price of downtime. The lab's sources hold the KEP and the PR's review,
//! not the merged controller code, so the wording of any log line is not copied from Go.

use super::super::cluster::Cluster;
use super::{Flow, Revisions};

/// Runs before the replica pass: while any pod is not at the update revision, delete the ones not
/// yet terminating and create nothing.
pub(crate) fn run(c: &mut Cluster, revs: &Revisions) -> Flow {
    let old: Vec<(i32, String, bool)> = c
        .pods
        .iter()
        .filter(|(_, p)| p.revision != revs.update)
        .map(|(o, p)| (*o, p.name.clone(), p.is_terminating()))
        .collect();
    if old.is_empty() {
        return Flow::Continue;
    }
    for (ordinal, name, terminating) in &old {
        if !terminating {
            super::delete_stateful_pod(
                c,
                *ordinal,
                "4.7",
                format!(
                    "{name} is deleted with every other old pod: updateStrategy Recreate replaces all pods at once, so revision {} never runs beside an older one.",
                    revs.update
                ),
            );
        }
    }
    let names: Vec<String> = old.into_iter().map(|(_, n, _)| n).collect();
    Flow::wait(
        c.set_name.clone(),
        "4.7",
        format!(
            "Recreate: no pod is created at revision {} until every old pod is gone; waiting for {} to terminate.",
            revs.update,
            names.join(", ")
        ),
    )
}
