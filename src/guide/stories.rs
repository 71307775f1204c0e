//! Each guided scenario tells a story the teacher's words depend on; these tests pin the story's
//! facts, so a change in the engine that would make a talking point wrong fails here first.

use crate::engine::{Cluster, EventKind};
use crate::scenario::{self, Entry, Transcript};

use super::builtin::{builtin, load_input};

fn run(id: &str) -> Transcript {
    let guide = builtin().unwrap().into_iter().find(|g| g.id == id).unwrap();
    scenario::run(&scenario::parse(&guide.text, &load_input).unwrap()).unwrap()
}

/// What the `kubectl` commands starting with `prefix` printed, in order.
fn outputs(t: &Transcript, prefix: &str) -> Vec<String> {
    t.entries
        .iter()
        .filter_map(|e| match e {
            Entry::Output { command, stdout, stderr } if command.starts_with(prefix) => {
                Some(format!("{stdout}{stderr}"))
            }
            _ => None,
        })
        .collect()
}

fn revisions(c: &Cluster) -> Vec<String> {
    c.pods().map(|p| p.revision.clone()).collect()
}

#[test]
fn ordered_creation_creates_web_0_1_2_in_order_spec_3() {
    let t = run("01-ordered-creation");
    let created: Vec<String> =
        t.cluster.events().iter().filter(|e| e.kind == EventKind::CreatePod).map(|e| e.object.clone()).collect();
    assert_eq!(created, ["web-0", "web-1", "web-2"]);
}

#[test]
fn a_deleted_pod_keeps_its_counter_spec_5() {
    let t = run("02-stable-identity");
    let cats = outputs(&t, "kubectl exec web-1");
    assert_eq!(cats.len(), 2);
    assert!(cats[0].starts_with("{\"count\": ") && cats[0] == cats[1], "{cats:?}");
}

#[test]
fn scaling_down_and_up_keeps_the_counter_spec_5() {
    let t = run("03-scale-down-and-up");
    let cats = outputs(&t, "kubectl exec web-2");
    assert!(cats[0].starts_with("{\"count\": ") && cats[0] == cats[1], "{cats:?}");
}

#[test]
fn a_rolling_update_ends_with_every_pod_at_the_new_revision_spec_4_2() {
    let t = run("04-rolling-update");
    let s = t.cluster.status().unwrap();
    assert_ne!(s.update_revision, t.cluster.revisions()[0].name);
    assert!(revisions(&t.cluster).iter().all(|r| *r == s.update_revision));
    assert_eq!(s.current_revision, s.update_revision);
}

#[test]
fn the_canary_is_web_2_and_a_deleted_web_1_returns_at_the_old_revision_spec_4_4() {
    let t = run("05-staged-and-canary");
    let s = t.cluster.status().unwrap();
    let revs = revisions(&t.cluster);
    assert_eq!(revs, [s.current_revision.clone(), s.current_revision.clone(), s.update_revision.clone()]);
    assert_ne!(s.current_revision, s.update_revision);
    assert!(outputs(&t, "kubectl rollout status")[0].contains("partitioned roll out complete: 0 new pods"));
}

#[test]
fn a_phased_rollout_ends_promoted_spec_4_4() {
    let t = run("06-phased-rollout");
    let s = t.cluster.status().unwrap();
    assert_eq!(s.current_revision, s.update_revision);
    assert!(revisions(&t.cluster).iter().all(|r| *r == s.update_revision));
}

#[test]
fn on_delete_updates_only_deleted_pods_and_never_promotes_spec_4_4() {
    let t = run("07-on-delete");
    let s = t.cluster.status().unwrap();
    assert!(revisions(&t.cluster).iter().all(|r| *r == s.update_revision));
    assert_ne!(s.current_revision, s.update_revision, "bug #73492: OnDelete never promotes");
    assert!(outputs(&t, "kubectl rollout status")[0].starts_with("error: rollout status is only available"));
}

#[test]
fn the_forced_rollback_needs_the_stuck_pod_deleted_spec_4_6() {
    let t = run("08-broken-image-forced-rollback");
    let gets = outputs(&t, "kubectl get po,sts");
    assert!(gets[1].contains("statefulset.apps/web   2/3"), "still stuck after undo: {}", gets[1]);
    assert!(t.cluster.rolled_out());
    let first = t.cluster.revisions().iter().find(|r| !r.broken).unwrap().name.clone();
    assert!(revisions(&t.cluster).iter().all(|r| *r == first));
}

#[test]
fn parallel_creates_together_and_the_policy_is_immutable_spec_3_7() {
    let t = run("09-parallel-vs-ordered-ready");
    assert!(t.cluster.events().iter().any(|e| e.kind == EventKind::Rejected));
    let created_at: Vec<_> =
        t.cluster.events().iter().filter(|e| e.kind == EventKind::CreatePod).take(3).map(|e| e.t).collect();
    assert!(created_at.iter().all(|t| *t == created_at[0]), "{created_at:?}");
}

#[test]
fn when_scaled_delete_loses_the_data_and_when_deleted_retain_keeps_the_claims_spec_5() {
    let t = run("10-pvc-retention");
    assert!(outputs(&t, "kubectl exec web-2")[0].contains("No such file"));
    assert_eq!(t.cluster.pods().count(), 0);
    assert_eq!(t.cluster.claims().count(), 3);
}

/// The guided scenario imported step by step: the session, where each step ends, and the steps.
fn imported(id: &str) -> (crate::share::Imported, Vec<crate::scenario::Step>) {
    let guide = builtin().unwrap().into_iter().find(|g| g.id == id).unwrap();
    let steps = scenario::parse(&guide.text, &load_input).unwrap().steps;
    (guide.import(crate::share::Granularity::AsWritten).unwrap(), steps)
}

/// The partition is ONE threshold (05 and 06 say so): once the controller settled, every pod at
/// or above it runs the update revision and every pod below it the current one — never a
/// group updated on its own.
fn assert_one_threshold(id: &str) {
    let (imp, steps) = imported(id);
    let mut checked = 0;
    for (i, step) in steps.iter().enumerate() {
        if step.source.trim() != "settle" || i == 0 {
            continue;
        }
        let mut s = imp.session.clone();
        s.seek(imp.positions[i]);
        let c = s.shown();
        let (spec, status) = (c.statefulset().unwrap().spec.clone(), c.status().unwrap());
        for p in c.pods() {
            let want = if p.ordinal - spec.start >= spec.partition {
                &status.update_revision
            } else {
                &status.current_revision
            };
            assert_eq!(
                &p.revision, want,
                "{id} step {i} ({}): {} with partition {}",
                step.source, p.name, spec.partition
            );
        }
        checked += 1;
    }
    assert!(checked >= 2, "{id}: {checked} settled moments");
}

#[test]
fn a_partition_is_one_threshold_in_the_canary_scenario_spec_4_4() {
    assert_one_threshold("05-staged-and-canary");
}

#[test]
fn a_partition_is_one_threshold_at_every_phase_spec_4_4() {
    assert_one_threshold("06-phased-rollout");
    // Phase 2 leaves web-1 and web-2 at B together, as its talking point says.
    let (imp, steps) = imported("06-phased-rollout");
    let at = steps.iter().position(|s| s.source.contains("partition: 1")).unwrap() + 1;
    let mut s = imp.session.clone();
    s.seek(imp.positions[at]);
    let status = s.shown().status().unwrap().clone();
    let at_b: Vec<&str> =
        s.shown().pods().filter(|p| p.revision == status.update_revision).map(|p| p.name.as_str()).collect();
    assert_eq!(at_b, ["web-1", "web-2"]);
    assert_ne!(status.current_revision, status.update_revision, "currentRevision is still A (spec §4.5)");
}

/// 05: the canary's share follows the pod count: 1 of 3 Ready pods gets ≈1/3 of 300 requests
/// (kube-proxy's random pick, spec §10), within ±10 points (over 3 standard deviations).
#[test]
fn a_canarys_share_of_requests_follows_the_pod_count_spec_10() {
    let (imp, steps) = imported("05-staged-and-canary");
    let at = steps.iter().position(|s| s.source.contains("traffic: 300")).unwrap();
    let mut s = imp.session.clone();
    s.seek(imp.positions[at]);
    let c = s.shown();
    let status = c.status().unwrap();
    let t = c.last_traffic().unwrap();
    assert_eq!((t.requests, t.refused, t.per_pod.len()), (300, 0, 3), "3 Ready pods served");
    let canary_pods = c.pods().filter(|p| p.revision == status.update_revision).count();
    assert_eq!(canary_pods, 1);
    let share = t.per_revision[&status.update_revision] as f64 / 300.0;
    assert!((share - 1.0 / 3.0).abs() < 0.10, "canary share {share}");
}

/// 09: Parallel changes creation and deletion order, not rolling updates: the new image still
/// replaces one pod at a time, highest ordinal first, each new pod Ready before the next old pod
/// is deleted (`updateStatefulSet` runs the same update loop for both policies; spec §3, §4.2).
#[test]
fn parallel_still_updates_one_pod_at_a_time_highest_ordinal_first_spec_3_4_2() {
    let t = run("09-parallel-vs-ordered-ready");
    let events = t.cluster.events();
    let deletions: Vec<&crate::engine::Event> =
        events.iter().filter(|e| e.kind == EventKind::DeletePod && e.rule == "4.2").collect();
    let order: Vec<&str> = deletions.iter().map(|e| e.object.as_str()).collect();
    assert_eq!(order, ["web-4", "web-3", "web-2", "web-1", "web-0"]);
    for pair in deletions.windows(2) {
        let replaced = &pair[0].object;
        let ready_again = events
            .iter()
            .filter(|e| e.kind == EventKind::PodReady && &e.object == replaced && e.seq > pair[0].seq)
            .map(|e| e.seq)
            .next()
            .unwrap_or_else(|| panic!("{replaced} never Ready again"));
        assert!(ready_again < pair[1].seq, "{} deleted before the new {replaced} was Ready", pair[1].object);
    }
}

/// Each talking point is read aloud: at most two sentences.
#[test]
fn every_talking_point_is_at_most_two_sentences() {
    for g in builtin().unwrap() {
        for p in g.talking_points.iter().flatten() {
            let sentences = p.matches(". ").count() + p.matches("? ").count() + 1;
            assert!(sentences <= 2, "{}: {p:?} has {sentences} sentences", g.id);
        }
    }
}
