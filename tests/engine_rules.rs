//! One test per rule of spec §2-§7 (and §10), named after the rule. Each builds a small cluster,
//! drives it and checks what the spec says must happen.

use sts_lab::engine::{
    Action, ActionError, ClaimStatus, Cluster, EventKind, FeatureGates, Input, RetentionPolicy, Settled, SimDuration,
    Timeline, UpdateStrategy,
};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

/// web.yaml with extra spec lines after `replicas:` and text replacements.
fn manifest(replicas: i32, extra_spec: &str, replace: &[(&str, &str)]) -> String {
    let mut m = WEB.replace("  replicas: 3\n", &format!("  replicas: {replicas}\n{extra_spec}"));
    for (a, b) in replace {
        m = m.replace(a, b);
    }
    m
}

fn build(yaml: &str, gate: bool) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    Cluster::from_release(
        &release,
        Some("web"),
        1,
        FeatureGates { max_unavailable_stateful_set: gate, ..FeatureGates::default() },
    )
    .expect("a set")
}

fn settled(replicas: i32, extra: &str) -> Cluster {
    let mut c = build(&manifest(replicas, extra, &[]), false);
    assert_eq!(c.settle(), Settled::Done);
    c
}

fn tuple(c: &Cluster) -> (i32, i32, i32, i32, i32) {
    let s = c.status().expect("a set");
    (s.replicas, s.ready_replicas, s.available_replicas, s.current_replicas, s.updated_replicas)
}

fn events_of(c: &Cluster, from: usize, kind: EventKind) -> Vec<String> {
    c.events()[from..].iter().filter(|e| e.kind == kind).map(|e| e.object.clone()).collect()
}

fn rev_of(c: &Cluster, ordinal: i32) -> String {
    c.pod(ordinal).expect("pod").revision.clone()
}

fn image(c: &mut Cluster, tag: &str) {
    c.apply(Action::Image(format!("registry.k8s.io/nginx-slim:{tag}"))).expect("image");
}

// ----- §1 / §2.1 revisions ---------------------------------------------------------------------

#[test]
fn revision_names_use_the_controller_alphabet_1() {
    let c = settled(3, "");
    let name = &c.revisions()[0].name;
    let hash = name.strip_prefix("web-").expect("prefixed by the set name");
    assert!(!hash.is_empty() && hash.len() <= 10);
    assert!(hash.chars().all(|ch| "bcdfghjklmnpqrstvwxz2456789".contains(ch)), "{hash}");
    assert!(c.pods().all(|p| &p.revision == name));
}

#[test]
fn only_template_changes_create_revisions_2_1() {
    let mut c = settled(3, "");
    c.apply(Action::Scale(4)).unwrap();
    c.apply(Action::Partition(1)).unwrap();
    c.apply(Action::MinReadySeconds(1)).unwrap();
    c.settle();
    assert_eq!(c.revisions().len(), 1);
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(c.revisions().len(), 2);
    assert_eq!(c.revisions()[1].revision, 2);
}

#[test]
fn rollback_reuses_the_old_revision_with_a_bumped_number_2_1() {
    let mut c = settled(3, "");
    let a = c.revisions()[0].name.clone();
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(c.apply(Action::Rollback { to_revision: None }), Ok("statefulset.apps/web rolled back".into()));
    c.settle();
    let ra = c.revision(&a).expect("A kept");
    assert_eq!(ra.revision, 3, "A renumbered newest+1");
    assert_eq!(c.revisions().len(), 2, "no third revision");
    assert_eq!(c.status().unwrap().update_revision, a);
    assert_eq!(c.status().unwrap().current_revision, a);
}

// ----- §2.2 slots and condemned ------------------------------------------------------------

#[test]
fn without_rolling_update_block_slots_below_current_replicas_stay_current_2_2() {
    let m = manifest(3, "  updateStrategy:\n    type: RollingUpdate\n", &[]);
    let mut c = build(&m, false);
    c.settle();
    assert!(!c.statefulset().unwrap().spec.rolling_update_present);
    image(&mut c, "0.8");
    c.settle();
    // The legacy update still replaces every pod (partition 0), highest first.
    let b = c.status().unwrap().update_revision.clone();
    assert!(c.pods().all(|p| p.revision == b));
    assert_eq!(c.status().unwrap().current_revision, b);
}

#[test]
fn pods_outside_the_ordinal_range_are_condemned_2_2() {
    let mut c = settled(3, "");
    c.apply(Action::OrdinalsStart(1)).unwrap();
    c.settle();
    let ordinals: Vec<i32> = c.pods().map(|p| p.ordinal).collect();
    assert_eq!(ordinals, vec![1, 2, 3]);
}

// ----- §2.5 replica pass -------------------------------------------------------------------

#[test]
fn claims_are_created_before_their_pod_2_5b() {
    let mut c = build(&manifest(1, "", &[]), false);
    c.step();
    let kinds: Vec<EventKind> = c.events().iter().map(|e| e.kind).collect();
    let pvc = kinds.iter().position(|k| *k == EventKind::CreatePvc).expect("claim created");
    let pod = kinds.iter().position(|k| *k == EventKind::CreatePod).expect("pod created");
    assert!(pvc < pod);
    assert_eq!(c.pod(0).unwrap().status_text(c.now()), "Pending");
}

#[test]
fn ordered_ready_creates_one_pod_per_sync_2_5() {
    let mut c = build(&manifest(3, "", &[]), false);
    c.step();
    assert_eq!(c.pods().count(), 1);
    c.settle();
    let created = events_of(&c, 0, EventKind::CreatePod);
    assert_eq!(created, vec!["web-0", "web-1", "web-2"]);
    // web-1 is created only once web-0 is Ready.
    let t_ready0 = c.events().iter().find(|e| e.kind == EventKind::PodReady && e.object == "web-0").unwrap().t;
    let t_create1 = c.events().iter().find(|e| e.kind == EventKind::CreatePod && e.object == "web-1").unwrap().t;
    assert!(t_create1 >= t_ready0);
    assert_eq!(tuple(&c), (3, 3, 3, 3, 3));
}

#[test]
fn a_terminating_pod_blocks_its_replacement_2_5d() {
    let mut c = settled(3, "");
    c.apply(Action::DeletePod(1)).unwrap();
    c.advance(SimDuration::from_millis(1500));
    let p = c.pod(1).expect("still there");
    assert!(p.is_terminating());
    assert_eq!(c.pods().filter(|p| p.ordinal == 1).count(), 1);
    c.settle();
    let p = c.pod(1).unwrap();
    assert!(!p.is_terminating() && p.ready);
}

// ----- §2.6 condemned pass ------------------------------------------------------------------

#[test]
fn scale_down_deletes_one_pod_at_a_time_highest_first_2_6() {
    let mut c = settled(5, "");
    let from = c.events().len();
    c.apply(Action::Scale(3)).unwrap();
    c.settle();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-4", "web-3"]);
    let gone4 = c.events()[from..].iter().find(|e| e.kind == EventKind::PodGone && e.object == "web-4").unwrap().t;
    let del3 = c.events()[from..].iter().find(|e| e.kind == EventKind::DeletePod && e.object == "web-3").unwrap().t;
    assert!(del3 >= gone4, "web-3 deleted only after web-4 is completely gone");
    assert_eq!(tuple(&c), (3, 3, 3, 3, 3));
}

// ----- §2.8 status write ---------------------------------------------------------------------

#[test]
fn current_revision_is_promoted_only_when_all_pods_are_updated_and_ready_2_8() {
    let mut c = settled(3, "");
    let a = c.status().unwrap().current_revision.clone();
    image(&mut c, "0.8");
    while c.pods().any(|p| p.revision == a) {
        c.step().expect("progress");
        assert_eq!(c.status().unwrap().current_revision, a, "not promoted while an old pod remains");
    }
    c.settle();
    assert_ne!(c.status().unwrap().current_revision, a);
}

#[test]
fn revision_history_is_pruned_beyond_the_limit_2_8() {
    let mut c = settled(1, "  revisionHistoryLimit: 2\n");
    for i in 0..6 {
        image(&mut c, &format!("1.{i}"));
        c.settle();
    }
    // current/update (one live revision) plus at most 2 historic ones.
    assert_eq!(c.revisions().len(), 3, "{:?}", c.revisions().iter().map(|r| r.revision).collect::<Vec<_>>());
    let numbers: Vec<i64> = c.revisions().iter().map(|r| r.revision).collect();
    assert_eq!(numbers, vec![5, 6, 7], "oldest pruned first");
}

// ----- §3 podManagementPolicy -----------------------------------------------------------------

#[test]
fn ordered_ready_halts_while_a_pod_is_unready_3() {
    let mut c = settled(3, "");
    c.apply(Action::BreakReadiness(1)).unwrap();
    c.advance(SimDuration::from_secs(20));
    assert!(!c.pod(1).unwrap().ready);
    c.apply(Action::Scale(5)).unwrap();
    c.advance(SimDuration::from_secs(60));
    assert!(c.pod(3).is_none(), "no creation while web-1 is unready");
    assert!(c
        .events()
        .iter()
        .any(|e| e.kind == EventKind::Wait && e.text.contains("web-3 is created only after web-1")));
    assert!(!c.pod(1).unwrap().is_terminating(), "the unhealthy pod is not deleted");
    c.apply(Action::FixReadiness(1)).unwrap();
    c.settle();
    assert_eq!(c.pods().count(), 5);
}

#[test]
fn parallel_creates_all_pods_in_one_sync_3() {
    let mut c = build(&manifest(3, "  podManagementPolicy: Parallel\n", &[]), false);
    c.step();
    assert_eq!(c.pods().count(), 3);
    assert_eq!(c.claims().count(), 3);
    c.settle();
    assert_eq!(tuple(&c), (3, 3, 3, 3, 3));
}

#[test]
fn parallel_rollout_replaces_a_broken_old_pod_3() {
    let mut c = settled(3, "  podManagementPolicy: Parallel\n");
    c.apply(Action::BreakReadiness(0)).unwrap();
    c.advance(SimDuration::from_secs(20));
    assert!(!c.pod(0).unwrap().ready);
    image(&mut c, "0.8");
    c.settle();
    let b = c.status().unwrap().update_revision.clone();
    assert!(c.pods().all(|p| p.revision == b && p.ready), "self-healed: the unready old pod was replaced");
}

#[test]
fn ordered_scale_down_is_blocked_by_a_higher_unhealthy_condemned_pod_3() {
    let mut c = settled(5, "");
    c.apply(Action::BreakReadiness(3)).unwrap();
    c.apply(Action::BreakReadiness(4)).unwrap();
    c.advance(SimDuration::from_secs(20));
    let from = c.events().len();
    c.apply(Action::Scale(3)).unwrap();
    c.settle();
    assert!(
        events_of(&c, from, EventKind::DeletePod).is_empty(),
        "web-4 unhealthy and not the lowest unhealthy: blocked"
    );
    assert!(c.events()[from..].iter().any(|e| e.kind == EventKind::Wait && e.text.contains("blocked")));
}

#[test]
fn min_ready_seconds_gates_ordered_creation_3() {
    let mut c = build(&manifest(2, "  minReadySeconds: 10\n", &[]), false);
    c.settle();
    let ready0 = c.events().iter().find(|e| e.kind == EventKind::PodReady && e.object == "web-0").unwrap().t;
    let create1 = c.events().iter().find(|e| e.kind == EventKind::CreatePod && e.object == "web-1").unwrap().t;
    assert_eq!(create1.since(ready0), SimDuration::from_secs(10));
    assert_eq!(tuple(&c), (2, 2, 2, 2, 2));
}

// ----- §4.2 legacy rolling update ----------------------------------------------------------------

#[test]
fn rolling_update_deletes_highest_ordinal_first_4_2() {
    let mut c = settled(3, "");
    let from = c.events().len();
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-2", "web-1", "web-0"]);
}

#[test]
fn rolling_update_waits_for_the_new_pod_to_be_ready_before_the_next_4_2() {
    let mut c = settled(3, "");
    let from = c.events().len();
    image(&mut c, "0.8");
    c.settle();
    let ev = &c.events()[from..];
    let ready2 = ev.iter().find(|e| e.kind == EventKind::PodReady && e.object == "web-2").unwrap().t;
    let del1 = ev.iter().find(|e| e.kind == EventKind::DeletePod && e.object == "web-1").unwrap().t;
    assert!(del1 >= ready2);
}

#[test]
fn status_during_a_rolling_update_follows_s6_4_2() {
    let mut c = settled(3, "");
    image(&mut c, "0.8");
    let mut seen = Vec::new();
    while c.step().is_some() {
        let t = tuple(&c);
        if seen.last() != Some(&t) {
            seen.push(t);
        }
    }
    // spec S6 (the "mid-way" tuple is an example: the sync that sees web-1 Ready deletes web-0 at once).
    for want in [(3, 3, 3, 2, 0), (2, 2, 2, 2, 0), (3, 2, 2, 2, 1), (3, 3, 3, 1, 1), (3, 2, 2, 1, 2), (3, 3, 3, 3, 3)] {
        assert!(seen.contains(&want), "status {want:?} never seen in {seen:?}");
    }
}

#[test]
fn an_unhealthy_pod_below_the_partition_freezes_an_ordered_rollout_4_2() {
    let mut c = settled(3, "");
    c.apply(Action::BreakReadiness(0)).unwrap();
    c.advance(SimDuration::from_secs(20));
    c.apply(Action::Partition(1)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    let a = c.status().unwrap().current_revision.clone();
    assert!(c.pods().all(|p| p.revision == a), "nothing updated while web-0 is unready");
}

// ----- §4.3 maxUnavailable --------------------------------------------------------------------

#[test]
fn max_unavailable_percent_rounds_down_with_minimum_one_4_3() {
    let m = manifest(5, "", &[]);
    let mut c = build(&m, true);
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String("50%".into())))
        .unwrap();
    assert_eq!(c.statefulset().unwrap().spec.max_unavailable_count(), 2, "5 x 50% = 2.5 -> 2");
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String("10%".into())))
        .unwrap();
    assert_eq!(c.statefulset().unwrap().spec.max_unavailable_count(), 1, "0 -> minimum 1");
}

#[test]
fn max_unavailable_deletes_a_batch_with_the_gate_on_4_3() {
    let mut c = build(&manifest(5, "", &[]), true);
    c.settle();
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))).unwrap();
    let from = c.events().len();
    image(&mut c, "0.8");
    c.step();
    c.step();
    let deleted = events_of(&c, from, EventKind::DeletePod);
    assert_eq!(deleted, vec!["web-4", "web-3"], "two deleted together");
    c.settle();
    assert_eq!(tuple(&c), (5, 5, 5, 5, 5));
}

#[test]
fn max_unavailable_is_dropped_while_the_gate_is_off_4_3() {
    let mut c = settled(5, "");
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))).unwrap();
    assert!(c.statefulset().unwrap().spec.max_unavailable.is_none());
    let from = c.events().len();
    image(&mut c, "0.8");
    c.step();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-4"], "one at a time");
}

#[test]
fn max_unavailable_counts_unavailable_pods_below_the_partition_4_3() {
    // Parallel, so the update step is reached despite the unready pod (OrderedReady would halt earlier).
    let mut c = build(&manifest(4, "  podManagementPolicy: Parallel\n", &[]), true);
    c.settle();
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))).unwrap();
    c.apply(Action::Partition(2)).unwrap();
    c.apply(Action::BreakReadiness(0)).unwrap();
    c.advance(SimDuration::from_secs(20));
    let from = c.events().len();
    image(&mut c, "0.8");
    c.step();
    c.step();
    // web-0 (below the partition) is unavailable: only one more may go.
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-3"]);
}

// ----- §4.4 partition and OnDelete ---------------------------------------------------------------

#[test]
fn slots_below_the_partition_keep_the_current_revision_4_4() {
    let mut c = settled(3, "");
    let a = c.status().unwrap().current_revision.clone();
    c.apply(Action::Partition(2)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    let b = c.status().unwrap().update_revision.clone();
    assert_eq!(rev_of(&c, 2), b);
    assert_eq!((rev_of(&c, 0), rev_of(&c, 1)), (a.clone(), a.clone()));
    assert_eq!(tuple(&c), (3, 3, 3, 2, 1));
    assert_eq!(c.status().unwrap().current_revision, a, "not promoted while partitioned");
    c.apply(Action::DeletePod(1)).unwrap();
    c.settle();
    assert_eq!(rev_of(&c, 1), a, "a deleted pod below the partition comes back at the current revision");
}

#[test]
fn a_partition_at_replicas_updates_no_pod_4_4() {
    let mut c = settled(3, "");
    c.apply(Action::Partition(3)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(tuple(&c), (3, 3, 3, 3, 0));
    assert_eq!(
        sts_lab::kubectl::rollout_status(&c).message,
        "partitioned roll out complete: 0 new pods have been updated..."
    );
}

#[test]
fn on_delete_recreates_at_the_update_revision_and_never_promotes_4_4() {
    let mut c = settled(3, "");
    c.apply(Action::Strategy(UpdateStrategy::OnDelete)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(tuple(&c), (3, 3, 3, 3, 0), "no pod touched");
    for o in [0, 1, 2] {
        c.apply(Action::DeletePod(o)).unwrap();
        c.settle();
    }
    assert_eq!(tuple(&c), (3, 3, 3, 0, 3));
    let s = c.status().unwrap();
    assert_ne!(s.current_revision, s.update_revision, "bug #73492: never promoted");
    assert_eq!(
        sts_lab::kubectl::rollout_status(&c).message,
        "error: rollout status is only available for RollingUpdate strategy type"
    );
}

// ----- §4.5 status -----------------------------------------------------------------------------

#[test]
fn ready_replicas_count_terminating_pods_while_ready_4_5() {
    let mut c = settled(4, "");
    c.apply(Action::Scale(3)).unwrap();
    c.step();
    let s = c.status().unwrap();
    assert_eq!((s.replicas, s.ready_replicas), (4, 4));
    let sts = sts_lab::kubectl::get(&c, "sts", false).unwrap();
    assert!(sts.contains("4/3"), "{sts}");
}

#[test]
fn a_pod_at_a_third_revision_counts_in_neither_4_5() {
    let mut c = settled(3, "");
    c.apply(Action::Partition(2)).unwrap();
    image(&mut c, "0.8");
    c.settle(); // web-2 at B, web-0/1 at A
    image(&mut c, "0.9"); // update revision C; current stays A
    c.step();
    let s = c.status().unwrap();
    // web-2 (B) may already be terminating; either way B is neither current (A) nor update (C).
    assert_eq!(s.current_replicas, 2);
    assert_eq!(s.updated_replicas, 0);
}

// ----- §4.6 rollback ---------------------------------------------------------------------------------

#[test]
fn forced_rollback_needs_the_stuck_pod_deleted_4_6() {
    let mut c = settled(3, "");
    c.apply(Action::BreakImage).unwrap();
    image(&mut c, "broken");
    assert!(matches!(c.settle(), Settled::Stuck(_)));
    assert_eq!(tuple(&c), (3, 2, 2, 2, 1));
    c.apply(Action::Rollback { to_revision: None }).unwrap();
    assert!(matches!(c.settle(), Settled::Stuck(_)), "reverting the template is not enough");
    assert_eq!(tuple(&c), (3, 2, 2, 2, 2));
    c.apply(Action::DeletePod(2)).unwrap();
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(tuple(&c), (3, 3, 3, 3, 3));
    let s = c.status().unwrap();
    assert_eq!(s.current_revision, s.update_revision);
}

#[test]
fn rollback_prints_kubectls_messages_4_6() {
    let mut c = settled(1, "");
    assert_eq!(
        c.apply(Action::Rollback { to_revision: None }),
        Err(ActionError::Refused("error: no last revision to roll back to".into()))
    );
    image(&mut c, "0.8");
    c.settle();
    assert_eq!(
        c.apply(Action::Rollback { to_revision: Some(2) }),
        Ok("statefulset.apps/web skipped rollback (current template already matches revision 2)".into())
    );
}

#[test]
fn a_crash_looping_pod_shows_crash_loop_back_off_and_restarts_4_6() {
    let mut c = settled(1, "");
    c.apply(Action::BreakImage).unwrap();
    image(&mut c, "broken");
    c.settle();
    c.advance(SimDuration::from_secs(60));
    let v = &c.pod_views()[0];
    assert!(v.restarts >= 2, "{v:?}");
    assert!(v.restarts_text.contains("ago"));
    assert!(["CrashLoopBackOff", "Running"].contains(&v.status.as_str()));
    assert_eq!(v.ready_text, "0/1");
}

// ----- §5 claims ------------------------------------------------------------------------------------

#[test]
fn the_counter_survives_pod_deletion_and_scale_down_up_with_retain_5() {
    let mut c = settled(3, "");
    c.apply(Action::Traffic(90)).unwrap();
    let before = c.visits_of(c.pod(2).unwrap());
    assert!(before.unwrap_or(0) > 0);
    c.apply(Action::Scale(2)).unwrap();
    c.settle();
    assert_eq!(c.claim("www-web-2").unwrap().status, ClaimStatus::Bound);
    c.apply(Action::Scale(3)).unwrap();
    c.settle();
    assert_eq!(c.visits_of(c.pod(2).unwrap()), before);
    let out = sts_lab::kubectl::exec_cat(&c, "web-2", "visits").unwrap();
    assert_eq!(out, format!("{{\"count\": {}}}", before.unwrap()));
}

#[test]
fn when_scaled_delete_removes_the_claims_of_condemned_pods_5() {
    let mut c = settled(3, "");
    c.apply(Action::Retention { when_scaled: RetentionPolicy::Delete, when_deleted: RetentionPolicy::Retain }).unwrap();
    c.apply(Action::Traffic(90)).unwrap();
    c.apply(Action::Scale(2)).unwrap();
    c.settle();
    assert!(c.claim("www-web-2").is_none(), "garbage-collected after its pod");
    assert!(c.events().iter().any(|e| e.kind == EventKind::PvcGone && e.object == "www-web-2"));
    c.apply(Action::Scale(3)).unwrap();
    c.settle();
    assert_eq!(c.visits_of(c.pod(2).unwrap()), None, "a new, empty claim: the counter starts again");
    assert!(c.claim("www-web-1").is_some());
}

#[test]
fn scaling_back_up_before_deletion_keeps_the_claim_5() {
    let mut c = settled(3, "");
    c.apply(Action::Retention { when_scaled: RetentionPolicy::Delete, when_deleted: RetentionPolicy::Retain }).unwrap();
    c.apply(Action::BreakReadiness(0)).unwrap();
    c.advance(SimDuration::from_secs(20));
    // web-0 unready: the condemned pass is never reached, web-2 keeps running.
    c.apply(Action::Scale(2)).unwrap();
    c.advance(SimDuration::from_secs(5));
    assert!(c.pod(2).is_some_and(|p| !p.is_terminating()));
    c.apply(Action::Scale(3)).unwrap();
    c.apply(Action::FixReadiness(0)).unwrap();
    c.settle();
    let claim = c.claim("www-web-2").unwrap();
    assert!(claim.owned_by_pod.is_none());
    assert_eq!(claim.status, ClaimStatus::Bound);
}

#[test]
fn when_deleted_delete_removes_the_claims_with_the_set_5() {
    let mut c = settled(2, "");
    c.apply(Action::Retention { when_scaled: RetentionPolicy::Retain, when_deleted: RetentionPolicy::Delete }).unwrap();
    c.settle();
    assert!(c.claims().all(|cl| cl.owned_by_set));
    assert_eq!(
        c.apply(Action::DeleteStatefulSet),
        Ok("statefulset.apps \"web\" deleted from default namespace".into())
    );
    c.step();
    assert!(c.claims().all(|cl| cl.status == ClaimStatus::Terminating), "Terminating while pods still mount them");
    c.settle();
    assert_eq!(c.pods().count(), 0);
    assert_eq!(c.claims().count(), 0);
}

#[test]
fn cascading_deletion_removes_all_pods_at_once_and_retains_claims_by_default_3() {
    let mut c = settled(3, "");
    let from = c.events().len();
    c.apply(Action::DeleteStatefulSet).unwrap();
    let deleted = events_of(&c, from, EventKind::DeletePod);
    assert_eq!(deleted.len(), 3, "all at once");
    c.settle();
    assert_eq!(c.pods().count(), 0);
    assert_eq!(c.claims().count(), 3);
    assert!(sts_lab::kubectl::get(&c, "sts", false).is_err());
}

#[test]
fn orphan_deletion_keeps_pods_and_claims_and_a_new_set_adopts_them_5() {
    let mut c = settled(2, "");
    c.apply(Action::OrphanStatefulSet).unwrap();
    c.settle();
    assert_eq!(c.pods().count(), 2);
    assert!(c.pods().all(|p| !p.owned && p.ready));
    let object = sts_lab::input::parse(&manifest(2, "", &[])).statefulsets[0].object.clone();
    let out = c.apply(Action::Apply { statefulset: Box::new(object), services: vec![] });
    assert_eq!(out, Ok("statefulset.apps/web created".into()));
    let from = c.events().len();
    c.settle();
    assert!(events_of(&c, from, EventKind::CreatePod).is_empty(), "adopted, not recreated");
    assert_eq!(tuple(&c), (2, 2, 2, 2, 2));
}

#[test]
fn a_terminating_claim_blocks_pod_creation_5() {
    let mut c = settled(3, "");
    c.apply(Action::Retention { when_scaled: RetentionPolicy::Delete, when_deleted: RetentionPolicy::Retain }).unwrap();
    c.apply(Action::Scale(2)).unwrap();
    // Run until the claim of web-2 is being deleted, then scale back up.
    while !c.claim("www-web-2").is_some_and(|cl| cl.is_terminating()) {
        c.step().expect("progress");
    }
    c.apply(Action::Scale(3)).unwrap();
    c.step();
    assert!(c.pod(2).is_none());
    assert!(c.events().iter().any(|e| e.kind == EventKind::Wait && e.text.contains("is being deleted")));
    c.settle();
    assert!(c.pod(2).is_some_and(|p| p.ready));
    assert_eq!(c.claim("www-web-2").unwrap().visits, None);
}

// ----- §6 ordinals.start ------------------------------------------------------------------------

#[test]
fn changing_ordinals_start_creates_new_pods_first_then_deletes_old_ones_6() {
    let mut c = settled(3, "");
    let from = c.events().len();
    c.apply(Action::OrdinalsStart(2)).unwrap();
    c.settle();
    assert_eq!(events_of(&c, from, EventKind::CreatePod), vec!["web-3", "web-4"]);
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-1", "web-0"]);
    let last_create = c.events()[from..].iter().rfind(|e| e.kind == EventKind::CreatePod).unwrap().seq;
    let first_delete = c.events()[from..].iter().find(|e| e.kind == EventKind::DeletePod).unwrap().seq;
    assert!(last_create < first_delete);
}

#[test]
fn partition_counts_slots_not_ordinals_6() {
    let mut c = settled(3, "  ordinals:\n    start: 5\n");
    let a = c.status().unwrap().current_revision.clone();
    c.apply(Action::Partition(1)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    let b = c.status().unwrap().update_revision.clone();
    assert_eq!((rev_of(&c, 5), rev_of(&c, 6), rev_of(&c, 7)), (a, b.clone(), b));
}

// ----- §7 validation --------------------------------------------------------------------------------

#[test]
fn a_change_to_an_immutable_field_is_rejected_with_the_api_message_7() {
    let mut c = settled(3, "");
    let object =
        sts_lab::input::parse(&manifest(3, "", &[("storage: 1Gi", "storage: 2Gi")])).statefulsets[0].object.clone();
    let err = c.apply(Action::Apply { statefulset: Box::new(object), services: vec![] }).unwrap_err();
    assert_eq!(
        err,
        ActionError::Rejected(
            "The StatefulSet \"web\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".into()
        )
    );
    let from = c.events().len();
    assert_eq!(c.settle(), Settled::Done);
    assert!(c.events()[from..].iter().all(|e| e.kind != EventKind::CreateRevision), "no revision, no change");
    assert!(matches!(
        c.apply(Action::PodManagementPolicy(sts_lab::engine::PodManagementPolicy::Parallel)),
        Err(ActionError::Rejected(_))
    ));
    assert!(c.apply(Action::PodManagementPolicy(sts_lab::engine::PodManagementPolicy::OrderedReady)).is_ok());
}

#[test]
fn invalid_values_are_rejected_7() {
    let mut c = build(&manifest(3, "", &[]), true);
    assert_eq!(
        c.apply(Action::Scale(-1)),
        Err(ActionError::Rejected(
            "The StatefulSet \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
                .into()
        ))
    );
    let zero = k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(0);
    assert!(
        matches!(c.apply(Action::MaxUnavailable(zero)), Err(ActionError::Rejected(m)) if m.ends_with("cannot be 0"))
    );
    assert!(matches!(c.apply(Action::Partition(-2)), Err(ActionError::Rejected(_))));
}

#[test]
fn defaults_are_applied_7() {
    let c = build(&manifest(3, "", &[]), false);
    let s = &c.statefulset().unwrap().spec;
    assert_eq!(s.policy, sts_lab::engine::PodManagementPolicy::OrderedReady);
    assert_eq!(s.strategy, UpdateStrategy::RollingUpdate);
    assert!(s.rolling_update_present);
    assert_eq!((s.partition, s.min_ready_seconds, s.revision_history_limit, s.start), (0, 0, 10, 0));
    assert_eq!((s.when_scaled, s.when_deleted), (RetentionPolicy::Retain, RetentionPolicy::Retain));
}

// ----- §10 traffic ------------------------------------------------------------------------------------

#[test]
fn only_ready_non_terminating_pods_get_traffic_10() {
    let mut c = settled(3, "");
    c.apply(Action::BreakReadiness(1)).unwrap();
    c.advance(SimDuration::from_secs(20));
    c.apply(Action::DeletePod(2)).unwrap();
    let r = c.send_requests(100);
    assert_eq!(r.per_pod.keys().cloned().collect::<Vec<_>>(), vec!["web-0".to_string()]);
    assert_eq!(r.per_pod["web-0"], 100);
}

#[test]
fn a_canary_gets_about_a_third_of_new_connections_10() {
    let mut c = settled(3, "");
    c.apply(Action::Partition(2)).unwrap();
    image(&mut c, "0.8");
    c.settle();
    let b = c.status().unwrap().update_revision.clone();
    let share = c.traffic_share();
    let canary = share.iter().find(|s| s.revision == b).unwrap();
    assert!((canary.share - 1.0 / 3.0).abs() < 1e-9);
    let r = c.send_requests(30_000);
    let got = r.per_revision[&b] as f64 / 30_000.0;
    assert!((got - 1.0 / 3.0).abs() < 0.02, "{got}");
}

// ----- engine properties ------------------------------------------------------------------------------

#[test]
fn the_timeline_restores_an_earlier_moment_without_replaying_from_zero() {
    let c = build(&manifest(3, "", &[]), false);
    let mut t = Timeline::new(c, 4);
    for _ in 0..10 {
        t.push(Input::Step);
    }
    t.push(Input::Action(Action::Scale(5)));
    t.push(Input::Settle);
    let at7 = t.at(7);
    let mut direct = build(&manifest(3, "", &[]), false);
    for _ in 0..7 {
        direct.step();
    }
    assert_eq!(at7.now(), direct.now());
    assert_eq!(at7.events(), direct.events());
    assert_eq!(t.current().pods().count(), 5);
    t.rewind(7);
    assert_eq!(t.current().events().len(), direct.events().len());
}

/// `Timeline::push`: steps that find nothing to do are not counted towards a snapshot (a share
/// link of 99,999 steps copied the cluster 6,250 times), and every moment is still restored exactly.
#[test]
fn the_timeline_keeps_no_snapshot_for_idle_steps_and_still_restores_every_moment() {
    let mut t = Timeline::new(build(&manifest(3, "", &[]), false), 4);
    let mut worked = 0;
    for _ in 0..10_000 {
        if let sts_lab::engine::timeline::Outcome::Step(Some(_)) = t.push(Input::Step) {
            worked += 1;
        }
    }
    assert!(worked > 0 && worked < 100, "the set settles early: {worked} steps did something");
    let most = 1 + worked / 4 + 10_000 / sts_lab::engine::timeline::MAX_INPUTS_BETWEEN_SNAPSHOTS + 1;
    assert!(t.snapshot_count() <= most, "{} snapshots for {worked} working steps", t.snapshot_count());
    for k in [0, 3, worked, worked + 1, 5_000, 9_999, 10_000] {
        let mut direct = build(&manifest(3, "", &[]), false);
        for _ in 0..k {
            direct.step();
        }
        let at = t.at(k);
        assert_eq!((at.now(), at.events()), (direct.now(), direct.events()), "moment {k}");
    }
    // Rewound into the idle stretch, it goes on as a fresh timeline would.
    t.rewind(5_000);
    t.push(Input::Action(Action::Scale(5)));
    t.push(Input::Settle);
    assert_eq!(t.current().pods().count(), 5);
    let mut direct = build(&manifest(3, "", &[]), false);
    for _ in 0..5_000 {
        direct.step();
    }
    direct.apply(Action::Scale(5)).unwrap();
    direct.settle();
    assert_eq!(t.at(5_002).events(), direct.events());
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_other_volumes() {
    let run = |seed: u64| {
        let release = sts_lab::input::parse(&manifest(3, "", &[]));
        let mut c = Cluster::from_release(&release, None, seed, FeatureGates::default()).unwrap();
        c.settle();
        c.apply(Action::Traffic(50)).unwrap();
        sts_lab::kubectl::get(&c, "po,sts,svc,pvc", true).unwrap()
    };
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn a_failed_pod_is_deleted_and_recreated_2_5a() {
    let mut c = settled(3, "");
    let uid = c.pod(1).unwrap().uid;
    c.apply(Action::EvictPod(1)).unwrap();
    assert_eq!(c.pod_views()[1].status, "Evicted");
    let from = c.events().len();
    c.settle();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-1"]);
    assert_eq!(events_of(&c, from, EventKind::CreatePod), vec!["web-1"]);
    let p = c.pod(1).unwrap();
    assert!(p.uid != uid && p.ready);
    assert_eq!(tuple(&c), (3, 3, 3, 3, 3));
}

#[test]
fn pods_get_identity_labels_and_a_dns_name_from_the_headless_service_1() {
    let c = settled(2, "");
    let v = &c.pod_views()[1];
    assert_eq!(v.labels["statefulset.kubernetes.io/pod-name"], "web-1");
    assert_eq!(v.labels["apps.kubernetes.io/pod-index"], "1");
    assert_eq!(v.labels["controller-revision-hash"], v.revision);
    assert_eq!(v.labels["app"], "nginx");
    assert_eq!(v.dns_name.as_deref(), Some("web-1.nginx.default.svc.cluster.local"));
    assert_eq!(c.claim_views()[1].name, "www-web-1");
}

#[test]
fn rollout_status_follows_the_s6_sequence_9() {
    let mut c = settled(3, "");
    image(&mut c, "0.8");
    c.sync_pending();
    let mut lines: Vec<String> = vec![sts_lab::kubectl::rollout_status(&c).message];
    while c.step().is_some() {
        let m = sts_lab::kubectl::rollout_status(&c).message;
        if lines.last() != Some(&m) {
            lines.push(m);
        }
    }
    assert_eq!(
        lines,
        vec![
            "Waiting for partitioned roll out to finish: 0 out of 3 new pods have been updated...",
            "Waiting for 1 pods to be ready...",
            "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...",
            "Waiting for 1 pods to be ready...",
            "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...",
            "Waiting for 1 pods to be ready...",
            "partitioned roll out complete: 3 new pods have been updated...",
        ]
    );
}

#[test]
fn parallel_deletes_all_condemned_pods_at_once_3() {
    let mut c = settled(5, "  podManagementPolicy: Parallel\n");
    let from = c.events().len();
    c.apply(Action::Scale(2)).unwrap();
    c.step();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-4", "web-3", "web-2"]);
    c.settle();
    assert_eq!(tuple(&c), (2, 2, 2, 2, 2));
}

#[test]
fn the_cluster_can_live_in_a_reactive_signal() {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    send_sync::<Cluster>();
    send_sync::<Timeline>();
}

#[test]
fn the_state_reads_back_as_kubernetes_objects_1() {
    let mut c = settled(2, "");
    c.apply(Action::Retention { when_scaled: RetentionPolicy::Retain, when_deleted: RetentionPolicy::Delete }).unwrap();
    c.settle();
    let pod = c.pod_object(c.pod(1).unwrap());
    assert_eq!(pod.spec.as_ref().unwrap().hostname.as_deref(), Some("web-1"));
    assert_eq!(pod.spec.as_ref().unwrap().subdomain.as_deref(), Some("nginx"));
    assert_eq!(pod.metadata.owner_references.as_ref().unwrap()[0].kind, "StatefulSet");
    let vols = pod.spec.as_ref().unwrap().volumes.clone().unwrap();
    assert!(vols
        .iter()
        .any(|v| v.name == "www" && v.persistent_volume_claim.as_ref().is_some_and(|p| p.claim_name == "www-web-1")));
    let pvc = c.claim_object(c.claim("www-web-1").unwrap());
    assert_eq!(pvc.status.unwrap().phase.as_deref(), Some("Bound"));
    assert_eq!(pvc.metadata.owner_references.unwrap()[0].kind, "StatefulSet");
    assert_eq!(pvc.metadata.labels.unwrap()["app"], "nginx");
    let sts = c.statefulset_object().unwrap();
    assert_eq!(sts.status.unwrap().ready_replicas, Some(2));
    let cr = c.revision_object(&c.revisions()[0]);
    assert_eq!(cr.revision, 1);
}

#[test]
fn rollout_restart_is_a_template_change_with_a_new_revision_4_1() {
    let mut c = settled(2, "");
    assert_eq!(c.apply(Action::Restart), Ok("statefulset.apps/web restarted".into()));
    c.settle();
    assert_eq!(c.revisions().len(), 2);
    let b = c.status().unwrap().update_revision.clone();
    assert!(c.pods().all(|p| p.revision == b));
    assert_eq!(c.command_for(&Action::Image("x:1".into())), "kubectl set image statefulset/web nginx=x:1");
}

#[test]
fn a_set_name_too_long_for_the_revision_label_cannot_create_pods_1() {
    let long = "a-very-long-statefulset-name-that-is-fifty-five-chars-x";
    assert_eq!(long.len(), 55);
    let m = manifest(1, "", &[("  name: web\nspec:\n  serviceName", &format!("  name: {long}\nspec:\n  serviceName"))]);
    let release = sts_lab::input::parse(&m);
    let mut c = Cluster::from_release(&release, Some(long), 1, FeatureGates::default()).unwrap();
    c.settle();
    assert_eq!(c.pods().count(), 0);
    assert!(c
        .events()
        .iter()
        .any(|e| e.kind == EventKind::Wait && e.text.contains("must be no more than 63 characters")));
}

#[test]
fn an_invalid_statefulset_is_not_created_7() {
    let m = manifest(
        1,
        "",
        &[("      labels:\n        app: nginx\n    spec:", "      labels:\n        app: other\n    spec:")],
    );
    let release = sts_lab::input::parse(&m);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).unwrap();
    c.settle();
    assert!(c.statefulset().is_none());
    let e = c.events().iter().find(|e| e.kind == EventKind::Rejected).expect("rejected");
    assert!(e.text.contains("`selector` does not match template `labels`"), "{}", e.text);
}

#[test]
fn the_max_unavailable_gate_can_be_toggled_mid_run_0() {
    let mut c = build(&manifest(5, "", &[]), true);
    c.settle();
    c.apply(Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(2))).unwrap();
    c.set_gates(FeatureGates { max_unavailable_stateful_set: false, ..FeatureGates::default() });
    let from = c.events().len();
    image(&mut c, "0.8");
    c.step();
    assert_eq!(events_of(&c, from, EventKind::DeletePod), vec!["web-4"], "gate off: one at a time again");
}

#[test]
fn a_killed_container_restarts_in_place_and_the_pod_is_not_replaced_3() {
    let mut c = settled(3, "");
    let uid = c.pod(1).unwrap().uid;
    let from = c.events().len();
    c.apply(Action::KillContainer(1)).unwrap();
    c.settle(); // Ready again after the probe's delay (2 s)
    c.advance(SimDuration::from_secs(29));
    let v = &c.pod_views()[1];
    assert_eq!(c.pod(1).unwrap().uid, uid, "same pod object");
    assert_eq!((v.status.as_str(), v.ready_text.as_str()), ("Running", "1/1"));
    assert_eq!(v.restarts_text, "1 (31s ago)");
    assert!(events_of(&c, from, EventKind::DeletePod).is_empty());
    let row = sts_lab::kubectl::get(&c, "pods", false).unwrap();
    assert!(row.contains("web-1   1/1     Running   1 (31s ago)"), "{row}");
}

#[test]
fn waiting_for_says_what_blocks_and_clears_when_done_3() {
    let mut c = build(&manifest(2, "", &[]), false);
    c.step();
    c.step();
    assert_eq!(c.waiting_for(), Some("OrderedReady: web-1 is created only after web-0 is Running and Ready."));
    c.settle();
    assert_eq!(c.waiting_for(), None);
}

#[test]
fn a_set_being_deleted_only_updates_its_status_2_3() {
    let mut c = settled(3, "");
    assert_eq!(
        c.apply(Action::DeleteStatefulSetForeground),
        Ok("statefulset.apps \"web\" deleted from default namespace".into())
    );
    c.step();
    assert!(c.statefulset().is_some_and(|s| s.deleting), "still there while its pods terminate");
    assert!(c.pods().all(|p| p.is_terminating()), "all pods at once");
    c.apply(Action::Scale(5)).unwrap();
    let from = c.events().len();
    c.settle();
    assert!(events_of(&c, from, EventKind::CreatePod).is_empty(), "the controller does nothing but status");
    assert!(c.statefulset().is_none());
    assert_eq!(c.pods().count(), 0);
    assert_eq!(c.claims().count(), 3, "Retain keeps the claims");
    assert!(c.revisions().is_empty());
}
