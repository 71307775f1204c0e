//! The replica pass (spec §2.5, §3): slots in ascending ordinal. OrderedReady creates one pod and
//! stops, and stops at the first pod that is terminating, not Running and Ready, or not available;
//! Parallel creates every missing pod in one sync and never waits.

use super::super::claim::ClaimStatus;
use super::super::cluster::{claim_name, pod_name, Cluster};
use super::super::spec::{PodManagementPolicy, SetSpec, UpdateStrategy};
use super::{partition, retention, Flow, Revisions};

pub(crate) fn run(c: &mut Cluster, spec: &SetSpec, revs: &Revisions, monotonic: bool) -> Flow {
    let status_current = c.set.as_ref().map_or(0, |s| s.status.current_replicas);
    let mut created_in_this_sync = 0;
    let mut slot = 0;
    while let Some(found) = next_slot_needing_work(c, spec, slot, monotonic) {
        slot = found + 1;
        let ordinal = spec.ordinal(found);
        let slot = found;
        let Some(pod) = c.pods.get(&ordinal) else {
            // spec §2.5b: not created.
            if let Some(wait) = blocked_by_claims(c, spec, ordinal) {
                if monotonic {
                    return wait;
                }
                continue;
            }
            let (rev, why) = partition::revision_for_new_pod(spec, slot, revs, status_current);
            let rev = rev.to_string();
            create_claims(c, spec, ordinal);
            if rev.len() > 63 {
                // spec §1 (known issue, not validated): the claims are made, then every pod create fails on
                // the label value length.
                let pod = pod_name(&spec.name, ordinal);
                let err = format!(
                    "Pod \"{pod}\" is invalid: metadata.labels: Invalid value: \"{rev}\": must be no more than 63 \
                     characters"
                );
                super::record_pod_failure(c, "create", &pod, &err);
                let wait = Flow::wait(
                    pod.clone(),
                    "1",
                    format!(
                        "create Pod {pod} in StatefulSet {} failed error: {err} (the set name is too long for the \
                         controller-revision-hash label)",
                        spec.name
                    ),
                );
                if monotonic {
                    return wait;
                }
                continue;
            }
            let name = pod_name(&spec.name, ordinal);
            let (rule, text) = creation_sentence(c, spec, ordinal, &name, &rev, why, monotonic, created_in_this_sync);
            c.create_pod(spec, ordinal, &rev, rule, text);
            super::record_pod_success(c, "create", &name);
            created_in_this_sync += 1;
            if monotonic {
                return Flow::Stop;
            }
            continue;
        };
        let (terminating, rr, pending) =
            (pod.is_terminating(), pod.is_running_and_ready(), pod.phase == super::super::pod::PodPhase::Pending);
        // spec §2.5a: a Failed pod is deleted; a later sync recreates it (same name, same claims).
        if pod.phase == super::super::pod::PodPhase::Failed {
            if !terminating {
                let name = pod.name.clone();
                super::delete_stateful_pod(
                    c,
                    ordinal,
                    "2.5a",
                    format!("{name} has phase Failed: the controller deletes it so that it can be created again."),
                );
            }
            if monotonic {
                return Flow::Stop;
            }
            continue;
        }
        let available = pod.is_available(c.now, spec.min_ready_seconds);
        let name = pod.name.clone();
        // spec §2.5c: a Pending pod gets any missing claim (re)created.
        if pending && !terminating {
            create_claims(c, spec, ordinal);
        }
        if monotonic {
            // spec §2.5d
            if terminating {
                let (rev, _) = partition::revision_for_new_pod(spec, slot, revs, status_current);
                return Flow::wait(
                    name.clone(),
                    "3",
                    format!(
                        "OrderedReady: {name} is Terminating; the controller waits until it is gone, then creates it again \
                         (at revision {rev})."
                    ),
                );
            }
            if !rr {
                let hint = if c.pods[&ordinal].crash_looping {
                    format!(
                        "; {name} crash-loops at a broken revision and the controller never deletes it by itself, \
                         so delete it to have it recreated (forced rollback, spec 4.6)"
                    )
                } else {
                    String::new()
                };
                return match pending_work(c, spec, revs, slot) {
                    Some(next) => Flow::wait(
                        name.clone(),
                        "3",
                        format!("OrderedReady: {next} only after {name} is Running and Ready{hint}."),
                    ),
                    None => Flow::Stop,
                };
            }
            if !available {
                return match pending_work(c, spec, revs, slot) {
                    Some(next) => Flow::wait(
                        name.clone(),
                        "3",
                        format!(
                            "OrderedReady with minReadySeconds {}: {next} only after {name} has been Ready that long (available).",
                            spec.min_ready_seconds
                        ),
                    ),
                    None => Flow::Stop,
                };
            }
        }
        // spec §2.5e: repair claim ownerReferences that drifted from the retention policy.
        if !terminating && retention::fix_claims(c, spec, ordinal, true) {
            // UpdateStatefulPod: the claims' ownerReferences changed, then the pod is updated.
            super::record_pod_success(c, "update", &name);
        }
    }
    Flow::Continue
}

/// The first slot at or after `from` where the replica pass has something to do: a missing pod, a
/// Pending pod, claims to repair, or (OrderedReady) a pod that is not healthy and available. Walks
/// the pods in order instead of looking each slot up, so a sync of 1,000 healthy pods stays cheap.
fn next_slot_needing_work(c: &Cluster, spec: &SetSpec, from: i32, monotonic: bool) -> Option<i32> {
    let end = spec.end();
    let mut expected = spec.ordinal(from);
    for (&ordinal, pod) in c.pods.range(expected..end) {
        if ordinal != expected {
            return Some(expected - spec.start);
        }
        let busy = pod.phase != super::super::pod::PodPhase::Running
            || (monotonic && (pod.is_terminating() || !pod.is_available(c.now, spec.min_ready_seconds)))
            || (!pod.is_terminating() && retention::needs_fix(c, spec, ordinal, true));
        if busy {
            return Some(ordinal - spec.start);
        }
        expected += 1;
    }
    (expected < end).then_some(expected - spec.start)
}

/// spec §5: a claim still owned by an old pod of the same name, or being deleted, blocks creation.
fn blocked_by_claims(c: &mut Cluster, spec: &SetSpec, ordinal: i32) -> Option<Flow> {
    let pod = pod_name(&spec.name, ordinal);
    let wait = claims_wait(c, spec, ordinal, &pod)?;
    // processReplica: a stale claim (PodClaimIsStale) stops the create without an event; else
    // CreateStatefulPod's createPersistentVolumeClaims fails on each claim being deleted, and
    // recordPodEvent("create", ..., err) writes the aggregate error.
    let names: Vec<String> = spec.claims.iter().map(|t| claim_name(&t.name, &spec.name, ordinal)).collect();
    let stale = spec.when_scaled == super::super::spec::RetentionPolicy::Delete
        && names.iter().any(|n| c.claims.get(n).is_some_and(|cl| cl.owned_by_pod.is_some()));
    let deleting: Vec<String> = names
        .iter()
        .filter(|n| c.claims.get(*n).is_some_and(|cl| cl.status == ClaimStatus::Terminating))
        .map(|n| format!("pvc {n} is being deleted"))
        .collect();
    if !stale && !deleting.is_empty() {
        let err = if deleting.len() == 1 { deleting[0].clone() } else { format!("[{}]", deleting.join(", ")) };
        super::record_pod_failure(c, "create", &pod, &err);
    }
    Some(wait)
}

fn claims_wait(c: &Cluster, spec: &SetSpec, ordinal: i32, pod: &str) -> Option<Flow> {
    let pod = pod.to_string();
    for tpl in &spec.claims {
        let name = claim_name(&tpl.name, &spec.name, ordinal);
        let Some(claim) = c.claims.get(&name) else {
            continue;
        };
        if claim.status == ClaimStatus::Terminating {
            return Some(Flow::wait(
                pod.clone(),
                "5",
                format!("{pod} is not created yet: pvc {name} is being deleted; a new, empty claim is made once it is gone."),
            ));
        }
        if claim.owned_by_pod.is_some() && spec.when_scaled == super::super::spec::RetentionPolicy::Delete {
            return Some(Flow::wait(
                pod.clone(),
                "5",
                format!(
                    "{pod} is not created yet: {name} still belongs to the old {pod} (whenScaled: Delete) and waits for the garbage collector."
                ),
            ));
        }
    }
    None
}

/// spec §5: claims are created before the pod; an existing claim is reused (same ordinal, same data).
fn create_claims(c: &mut Cluster, spec: &SetSpec, ordinal: i32) {
    for (i, tpl) in spec.claims.iter().enumerate() {
        let name = claim_name(&tpl.name, &spec.name, ordinal);
        if !c.claims.contains_key(&name) {
            let pod = pod_name(&spec.name, ordinal);
            let set = spec.name.clone();
            c.create_claim(
                spec,
                i,
                ordinal,
                format!(
                    "{name} is created from volumeClaimTemplate {} before {pod}: claims always come first.",
                    tpl.name
                ),
            );
            // recordClaimEvent("create", set, pod, claim, nil); then the volume side sees the claim.
            super::record(
                c,
                super::super::event::EventType::Normal,
                "SuccessfulCreate",
                format!("create Claim {name} Pod {pod} in StatefulSet {set} success"),
            );
            super::super::kubelet::provisioning_started(c, &name);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn creation_sentence(
    c: &Cluster,
    spec: &SetSpec,
    ordinal: i32,
    name: &str,
    rev: &str,
    why: Option<String>,
    monotonic: bool,
    created_before: i32,
) -> (&'static str, String) {
    let claims: Vec<String> = spec
        .claims
        .iter()
        .map(|t| claim_name(&t.name, &spec.name, ordinal))
        .filter(|n| c.claims.get(n).is_some_and(|cl| cl.created_at < c.now))
        .collect();
    let reuse = if claims.is_empty() {
        String::new()
    } else {
        format!("; it mounts the existing {} again (same ordinal, same data)", claims.join(", "))
    };
    let why_text = why.map(|w| format!(" ({w})")).unwrap_or_default();
    let order = if monotonic {
        if ordinal > spec.start {
            if spec.min_ready_seconds > 0 {
                "; OrderedReady lets it be created now because every lower ordinal is Running, Ready and available"
                    .to_string()
            } else {
                "; OrderedReady lets it be created now because every lower ordinal is Running and Ready".to_string()
            }
        } else {
            String::new()
        }
    } else if created_before > 0 {
        "; Parallel creates it in the same sync as the others, without waiting".to_string()
    } else if spec.policy == PodManagementPolicy::Parallel {
        "; Parallel does not wait for other pods".to_string()
    } else {
        String::new()
    };
    let rule = if why_text.is_empty() {
        if monotonic {
            "3"
        } else {
            "2.5b"
        }
    } else if spec.strategy == UpdateStrategy::Recreate {
        "4.7"
    } else {
        "4.4"
    };
    (rule, format!("{name} is created at revision {rev}{why_text}{order}{reuse}."))
}

/// What the controller would do next after `slot` if it could (for a wait sentence), or None.
fn pending_work(c: &Cluster, spec: &SetSpec, revs: &Revisions, slot: i32) -> Option<String> {
    let end = spec.end();
    let mut expected = spec.ordinal(slot.saturating_add(1));
    for &o in c.pods.range(expected..end).map(|(o, _)| o) {
        if o != expected {
            break;
        }
        expected += 1;
    }
    if expected < end {
        return Some(format!("{} is created", pod_name(&spec.name, expected)));
    }
    let condemned = c.pods.range(end..).next_back().or_else(|| c.pods.range(..spec.start).next_back());
    if let Some((o, _)) = condemned {
        return Some(format!("the scale-down (deleting {}) continues", pod_name(&spec.name, *o)));
    }
    let update_pending = spec.strategy == UpdateStrategy::RollingUpdate
        && (spec.partition.max(0)..spec.replicas.max(0))
            .filter_map(|s| c.pods.get(&spec.ordinal(s)))
            .any(|p| p.revision != revs.update && !p.is_terminating());
    if update_pending {
        return Some("the rolling update continues".to_string());
    }
    None
}
