//! The condemned pass (spec §2.6, §3): pods outside the ordinal range are deleted, highest ordinal
//! first. OrderedReady deletes one per sync and waits until it is completely gone; Parallel deletes
//! them all at once. Reached in OrderedReady only when every in-range pod is healthy, so scaling
//! always goes before updating.

use super::super::cluster::{claim_name, Cluster};
use super::super::spec::{RetentionPolicy, SetSpec};
use super::{partition, retention, Flow, Revisions};

pub(crate) fn run(c: &mut Cluster, spec: &SetSpec, _revs: &Revisions, monotonic: bool) -> Flow {
    let condemned = partition::condemned(c, spec);
    if condemned.is_empty() {
        return Flow::Continue;
    }
    // spec §5: claims of condemned pods get their ownerReferences first (whenScaled: Delete → the pod).
    for &o in &condemned {
        if c.pods.get(&o).is_some_and(|p| !p.is_terminating()) {
            retention::fix_claims(c, spec, o, false);
        }
    }
    let first_unhealthy = partition::first_unhealthy(c, spec, &condemned);
    let now = c.now;
    for (i, &o) in condemned.iter().enumerate() {
        let pod = &c.pods[&o];
        let name = pod.name.clone();
        if pod.is_terminating() {
            if monotonic {
                let next = condemned.get(i + 1).map(|n| c.pods[n].name.clone());
                let text = match next {
                    Some(n) => format!("OrderedReady scale-down: {name} must be completely gone before {n} is deleted."),
                    None => format!("OrderedReady: {name} must be completely gone before anything else happens (scaling goes before updates)."),
                };
                return Flow::wait(name, "3", text);
            }
            continue;
        }
        let healthy_enough = pod.is_running_and_ready() && pod.is_available(now, spec.min_ready_seconds);
        if monotonic && pod.is_running_and_ready() && !healthy_enough && first_unhealthy != Some(o) {
            return Flow::wait(
                name.clone(),
                "3",
                format!(
                    "OrderedReady scale-down waits: {name} has been Ready for less than minReadySeconds ({}s), so it is not available yet.",
                    spec.min_ready_seconds
                ),
            );
        }
        if monotonic && !healthy_enough && first_unhealthy != Some(o) {
            let lowest = first_unhealthy.and_then(|u| c.pods.get(&u)).map(|p| p.name.clone()).unwrap_or_default();
            return Flow::wait(
                name.clone(),
                "3",
                format!(
                    "OrderedReady scale-down is blocked: {name} is not Ready, and only the lowest unhealthy pod ({lowest}) may be deleted, \
                     which the highest-first scale-down never reaches while {name} stays unhealthy (spec 13.13)."
                ),
            );
        }
        let claims_note = if spec.when_scaled == RetentionPolicy::Delete && !spec.claims.is_empty() {
            let names: Vec<String> = spec.claims.iter().map(|t| claim_name(&t.name, &spec.name, o)).collect();
            format!("; with whenScaled: Delete, {} now belongs to {name} and is deleted after it", names.join(", "))
        } else if !spec.claims.is_empty() {
            let names: Vec<String> = spec.claims.iter().map(|t| claim_name(&t.name, &spec.name, o)).collect();
            format!("; its claim {} is kept (whenScaled: Retain)", names.join(", "))
        } else {
            String::new()
        };
        let order = if monotonic {
            "scale-down goes from the highest ordinal down, one pod at a time"
        } else {
            "Parallel deletes all condemned pods at once"
        };
        let range = if spec.replicas > 0 { format!("{}..{}", spec.start, spec.end() - 1) } else { "empty".to_string() };
        super::delete_stateful_pod(
            c,
            o,
            "3",
            format!("{name} is deleted: its ordinal is outside the range {range}; {order}{claims_note}."),
        );
        if monotonic {
            return Flow::Stop;
        }
    }
    Flow::Continue
}
