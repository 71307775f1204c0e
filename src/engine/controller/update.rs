//! The update step of RollingUpdate (spec §4.2, §4.3): replace pods not at the update revision,
//! from the highest slot down to the partition.

use super::super::cluster::Cluster;
use super::super::pod::Pod;
use super::super::spec::{PodManagementPolicy, SetSpec};
use super::{Flow, Revisions};

fn update_min(spec: &SetSpec) -> i32 {
    if spec.rolling_update_present {
        spec.partition.max(0)
    } else {
        0
    }
}

/// spec §4.2 (gate off): delete the highest old pod, one per sync; wait while the pod just looked at
/// is unavailable.
pub(crate) fn rolling(c: &mut Cluster, spec: &SetSpec, revs: &Revisions) -> Flow {
    let min = update_min(spec);
    let now = c.now;
    let end = spec.end();
    if spec.ordinal(min) >= end {
        // spec §4.4: a partition at or above replicas updates no pod.
        return Flow::Continue;
    }
    // Walk the slots from the highest down (in order, no per-slot lookup) to the first one that
    // needs a decision: a missing pod, an old pod, or an unavailable one.
    let mut expected = end - 1;
    let mut found: Option<(i32, bool)> = None; // (ordinal, is old and deletable)
    for (&ordinal, pod) in c.pods.range(spec.ordinal(min)..end).rev() {
        if ordinal != expected {
            break;
        }
        if pod.revision != revs.update && !pod.is_terminating() {
            found = Some((ordinal, true));
            break;
        }
        if pod.is_unavailable(now, spec.min_ready_seconds) {
            found = Some((ordinal, false));
            break;
        }
        expected -= 1;
    }
    let Some((ordinal, old)) = found else {
        // A missing pod is unavailable: wait (it is created by a later replica pass).
        return if expected >= spec.ordinal(min) { Flow::Stop } else { Flow::Continue };
    };
    let slot = ordinal - spec.start;
    let pod = &c.pods[&ordinal];
    let name = pod.name.clone();
    if old {
        let partition = if min > 0 { format!(", down to partition {min}") } else { String::new() };
        let text = format!(
            "{name} is deleted to be replaced at revision {}: rolling updates go from the highest ordinal down{partition}, one pod at a time.",
            revs.update
        );
        super::delete_stateful_pod(c, ordinal, "4.2", text);
        return Flow::Stop;
    }
    let next = (min..slot)
        .rev()
        .filter_map(|s| c.pods.get(&spec.ordinal(s)))
        .find(|p| p.revision != revs.update)
        .map(|p| p.name.clone());
    match next {
        Some(next) => Flow::wait(
            name.clone(),
            "4.2",
            format!(
                "Rolling update: {next} is replaced only after {name} (revision {}) is Running and Ready{}.",
                pod.revision,
                if spec.min_ready_seconds > 0 {
                    format!(" for minReadySeconds {}", spec.min_ready_seconds)
                } else {
                    String::new()
                }
            ),
        ),
        None => Flow::Stop,
    }
}

/// spec §4.3 (gate on): pkg/controller/statefulset/stateful_set_control.go
/// `updateStatefulSetAfterInvariantEstablished`. Count unavailable pods over all slots; with
/// OrderedReady (and, up to 1.36, with Parallel too) delete up to maxUnavailable minus that many old
/// pods, highest slot first, among slots at or above the partition. From 1.37 (#137666) Parallel
/// first replaces old pods that are already unavailable, which costs no availability, and spends
/// what is left of the budget on available old pods.
pub(crate) fn max_unavailable(c: &mut Cluster, spec: &SetSpec, revs: &Revisions) -> Flow {
    let min = update_min(spec);
    let now = c.now;
    let max = spec.max_unavailable_count();
    let parallel = spec.policy == PodManagementPolicy::Parallel;
    let fixed = parallel && !c.gates.max_unavailable_parallel_regression;
    let old_pod = |p: &Pod| p.revision != revs.update && !p.is_terminating();
    let mut unavailable = 0;
    // #137666's `unavailablePodsNeedingUpdate`: old, unavailable, not terminating, in any slot.
    let mut needing_update = 0;
    for s in 0..spec.replicas.max(0) {
        match c.pods.get(&spec.ordinal(s)) {
            None => unavailable += 1,
            Some(p) if p.is_unavailable(now, spec.min_ready_seconds) => {
                unavailable += 1;
                if parallel && old_pod(p) {
                    needing_update += 1;
                }
            }
            Some(_) => {}
        }
    }
    let old: Vec<i32> = (min..spec.replicas.max(0))
        .rev()
        .map(|s| spec.ordinal(s))
        .filter(|o| c.pods.get(o).is_some_and(old_pod))
        .collect();
    if old.is_empty() {
        return Flow::Continue;
    }
    if unavailable >= max && (!fixed || needing_update == 0) {
        let stuck: Vec<String> = old
            .iter()
            .map(|o| &c.pods[o])
            .filter(|p| p.is_unavailable(now, spec.min_ready_seconds))
            .map(|p| p.name.clone())
            .collect();
        let text = if parallel && !stuck.is_empty() {
            // The regression path: the pods that would free the budget are the ones it waits for.
            format!(
                "maxUnavailable {max}: {unavailable} pod(s) are unavailable, {} among them at an old revision, and they count against the budget, so no old pod is deleted: on {} this rollout stalls until they recover (kubernetes/kubernetes #137409); 1.37 fixes it (#137666) by replacing old unavailable pods first.",
                stuck.join(", "),
                c.version
            )
        } else {
            format!(
                "maxUnavailable {max}: {unavailable} pod(s) are unavailable, so no more old pods are deleted until one is available again."
            )
        };
        return Flow::wait(c.set_name.clone(), "4.3", text);
    }
    if fixed {
        // Phase 1: old pods that are already unavailable, whatever the budget.
        let broken: Vec<i32> =
            old.iter().copied().filter(|o| !c.pods[o].is_available(now, spec.min_ready_seconds)).collect();
        for &o in &broken {
            let name = c.pods[&o].name.clone();
            super::delete_stateful_pod(
                c,
                o,
                "4.3",
                format!(
                    "{name} is deleted to be replaced at revision {}: it is unavailable at an old revision, so replacing it costs no availability (Parallel, maxUnavailable {max}; #137666, 1.37).",
                    revs.update
                ),
            );
        }
        // Phase 2: available old pods, within what is left of the budget.
        let available: Vec<i32> = old.iter().copied().filter(|o| !broken.contains(o)).collect();
        delete_within_budget(c, &available, max, unavailable, &revs.update);
        return Flow::Continue;
    }
    delete_within_budget(c, &old, max, unavailable, &revs.update);
    Flow::Continue
}

/// Deletes old pods, highest ordinal first, as many as maxUnavailable leaves room for
/// (`max - unavailable`), each to be re-created at the update revision.
fn delete_within_budget(c: &mut Cluster, old: &[i32], max: i32, unavailable: i32, update: &str) {
    let budget = (max - unavailable).max(0) as usize;
    for &o in old.iter().take(budget) {
        let name = c.pods[&o].name.clone();
        super::delete_stateful_pod(
            c,
            o,
            "4.3",
            format!(
                "{name} is deleted to be replaced at revision {update}: maxUnavailable {max} allows {budget} more unavailable pod(s) now, highest ordinal first."
            ),
        );
    }
}
