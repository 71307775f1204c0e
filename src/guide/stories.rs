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
            Entry::Output { command, text } if command.starts_with(prefix) => Some(text.clone()),
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
