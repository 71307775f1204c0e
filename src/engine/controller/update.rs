//! The update step of RollingUpdate (spec §4.2, §4.3): replace pods not at the update revision,
//! from the highest slot down to the partition.

use super::super::cluster::Cluster;
use super::super::spec::SetSpec;
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

/// spec §4.3 (gate on): count unavailable pods over all slots; delete up to maxUnavailable minus that
/// many old pods, highest slot first, among slots at or above the partition.
pub(crate) fn max_unavailable(c: &mut Cluster, spec: &SetSpec, revs: &Revisions) -> Flow {
    let min = update_min(spec);
    let now = c.now;
    let max = spec.max_unavailable_count();
    let unavailable = (0..spec.replicas.max(0))
        .filter(|s| c.pods.get(&spec.ordinal(*s)).is_none_or(|p| p.is_unavailable(now, spec.min_ready_seconds)))
        .count() as i32;
    let old: Vec<i32> = (min..spec.replicas.max(0))
        .rev()
        .map(|s| spec.ordinal(s))
        .filter(|o| c.pods.get(o).is_some_and(|p| p.revision != revs.update && !p.is_terminating()))
        .collect();
    if old.is_empty() {
        return Flow::Continue;
    }
    if unavailable >= max {
        return Flow::wait(
            c.set_name.clone(),
            "4.3",
            format!(
                "maxUnavailable {max}: {unavailable} pod(s) are unavailable, so no more old pods are deleted until one is available again."
            ),
        );
    }
    let budget = (max - unavailable) as usize;
    for &o in old.iter().take(budget) {
        let name = c.pods[&o].name.clone();
        super::delete_stateful_pod(
            c,
            o,
            "4.3",
            format!(
                "{name} is deleted to be replaced at revision {}: maxUnavailable {max} allows {budget} more unavailable pod(s) now, highest ordinal first.",
                revs.update
            ),
        );
    }
    Flow::Continue
}
