//! Properties over random action sequences: the engine never panics, `settle` always ends, a run is
//! reproducible, a timeline rebuilds any moment, and once everything is healthy and unpartitioned a
//! RollingUpdate set ends fully rolled out.

use proptest::prelude::*;
use sts_lab::engine::{
    Action, Cluster, FeatureGates, Input, PodManagementPolicy, RetentionPolicy, Settled, SimDuration, Timeline,
    UpdateStrategy,
};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0..6i32).prop_map(Action::Scale),
        (0..3u8).prop_map(|i| Action::Image(format!("registry.k8s.io/nginx-slim:0.{i}"))),
        (0..5i32).prop_map(Action::Partition),
        (1..4i32)
            .prop_map(|n| Action::MaxUnavailable(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n))),
        prop_oneof![Just(UpdateStrategy::OnDelete), Just(UpdateStrategy::RollingUpdate)].prop_map(Action::Strategy),
        Just(Action::PodManagementPolicy(PodManagementPolicy::Parallel)),
        (any::<bool>(), any::<bool>()).prop_map(|(s, d)| Action::Retention {
            when_scaled: if s { RetentionPolicy::Delete } else { RetentionPolicy::Retain },
            when_deleted: if d { RetentionPolicy::Delete } else { RetentionPolicy::Retain },
        }),
        (0..3i32).prop_map(Action::OrdinalsStart),
        (0..3i32).prop_map(Action::MinReadySeconds),
        (0..6i32).prop_map(Action::DeletePod),
        (0..6i32).prop_map(Action::EvictPod),
        (0..6i32).prop_map(Action::KillContainer),
        (0..6i32).prop_map(Action::BreakReadiness),
        (0..6i32).prop_map(Action::FixReadiness),
        Just(Action::BreakImage),
        Just(Action::Rollback { to_revision: None }),
        Just(Action::Restart),
        Just(Action::OrphanStatefulSet),
        Just(Action::DeleteStatefulSet),
        Just(Action::DeleteStatefulSetForeground),
        (0..50u64).prop_map(Action::Traffic),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        4 => action().prop_map(Input::Action),
        2 => Just(Input::Step),
        1 => (0..40u64).prop_map(|s| Input::Advance(SimDuration::from_secs(s))),
        1 => Just(Input::Settle),
    ]
}

fn cluster(parallel: bool, gate: bool) -> Cluster {
    let yaml = if parallel {
        WEB.replace("  replicas: 3\n", "  replicas: 3\n  podManagementPolicy: Parallel\n")
    } else {
        WEB.to_string()
    };
    let release = sts_lab::input::parse(&yaml);
    Cluster::from_release(
        &release,
        Some("web"),
        9,
        FeatureGates { max_unavailable_stateful_set: gate, ..FeatureGates::default() },
    )
    .unwrap()
}

proptest! {
    // 96 cases by default (CI time); PROPTEST_CASES=N for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        .. ProptestConfig::default()
    })]

    #[test]
    fn random_histories_never_panic_and_always_settle(
        inputs in proptest::collection::vec(input(), 0..25),
        parallel in any::<bool>(),
        gate in any::<bool>(),
    ) {
        let mut t = Timeline::new(cluster(parallel, gate), 5);
        for i in &inputs {
            t.push(i.clone());
        }
        let mut c = t.current().clone();
        c.settle();
        prop_assert!(c.is_idle());
        // Rendering never fails on any state.
        let _ = sts_lab::kubectl::get(&c, "po,sts,svc,pvc", true);
        let _ = sts_lab::kubectl::rollout_status(&c);
        // A rebuilt moment equals the live one.
        let mid = inputs.len() / 2;
        let mut direct = cluster(parallel, gate);
        for i in &inputs[..mid] {
            sts_lab::engine::timeline::run_input(&mut direct, i);
        }
        let rebuilt = t.at(mid);
        prop_assert_eq!(rebuilt.events(), direct.events());
        prop_assert_eq!(rebuilt.now(), direct.now());
    }

    #[test]
    fn a_healthy_rolling_update_set_ends_rolled_out(
        inputs in proptest::collection::vec(input(), 0..20),
        parallel in any::<bool>(),
        gate in any::<bool>(),
    ) {
        let mut c = cluster(parallel, gate);
        for i in &inputs {
            // Keep the set: deletion is covered by the other property.
            if matches!(
                i,
                Input::Action(
                    Action::DeleteStatefulSet
                        | Action::DeleteStatefulSetForeground
                        | Action::OrphanStatefulSet
                        | Action::BreakImage
                        // Two unhealthy condemned pods block an OrderedReady scale-down for good
                        // (spec §13.13), and an evicted condemned pod stays unhealthy.
                        | Action::EvictPod(_)
                )
            ) {
                continue;
            }
            sts_lab::engine::timeline::run_input(&mut c, i);
        }
        // Heal everything, go back to an unpartitioned RollingUpdate, and wait.
        let ordinals: Vec<i32> = c.pods().map(|p| p.ordinal).collect();
        for o in ordinals {
            let _ = c.apply(Action::FixReadiness(o));
        }
        let _ = c.apply(Action::Strategy(UpdateStrategy::RollingUpdate));
        let _ = c.apply(Action::Partition(0));
        let settled = c.settle();
        prop_assert_eq!(settled, Settled::Done, "{:?}", c.waiting_for());
        let s = c.status().unwrap().clone();
        let spec = c.statefulset().unwrap().spec.clone();
        prop_assert_eq!(s.replicas, spec.replicas);
        prop_assert_eq!(s.ready_replicas, spec.replicas);
        prop_assert_eq!(s.updated_replicas, spec.replicas);
        prop_assert_eq!(&s.current_revision, &s.update_revision);
        prop_assert!(c.pods().all(|p| spec.in_range(p.ordinal) && p.revision == s.update_revision));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        .. ProptestConfig::default()
    })]

    /// Invariants after every input: time and the log only move forward; a pod's claims exist while it
    /// does (pvc-protection); a counter never goes down while its claim lives; status counts at most
    /// the pods there are.
    #[test]
    fn invariants_hold_after_every_input(
        inputs in proptest::collection::vec(input(), 0..30),
        parallel in any::<bool>(),
        gate in any::<bool>(),
    ) {
        let mut c = cluster(parallel, gate);
        let mut visits: std::collections::BTreeMap<(String, u64), u64> = Default::default();
        let mut last_t = c.now();
        for i in &inputs {
            sts_lab::engine::timeline::run_input(&mut c, i);
            prop_assert!(c.now() >= last_t);
            last_t = c.now();
            for (n, e) in c.events().iter().enumerate() {
                prop_assert_eq!(e.seq, n);
            }
            prop_assert!(c.events().windows(2).all(|w| w[0].t <= w[1].t));
            for p in c.pods() {
                for cl in c.claims().filter(|cl| cl.ordinal == p.ordinal) {
                    prop_assert!(c.claim_in_use(cl));
                }
                if let Some(set) = c.statefulset() {
                    if p.owned && p.stage != sts_lab::engine::pod::Stage::Unscheduled {
                        for t in &set.spec.claims {
                            let name = format!("{}-web-{}", t.name, p.ordinal);
                            prop_assert!(c.claim(&name).is_some(), "{} runs without {}", p.name, name);
                        }
                    }
                }
            }
            for cl in c.claims() {
                let key = (cl.name.clone(), cl.uid);
                let now = cl.visit_count();
                if let Some(before) = visits.insert(key, now) {
                    prop_assert!(now >= before);
                }
            }
            // The status is the controller's last write: compare once it has reacted.
            let mut synced = c.clone();
            synced.sync_pending();
            if let Some(s) = synced.status() {
                prop_assert!(s.replicas as usize <= synced.pods().count());
                prop_assert!(s.ready_replicas <= s.replicas && s.available_replicas <= s.ready_replicas);
            }
        }
    }
}
