//! Issue #12: what the Kubernetes release changes. Each test names the Kubernetes source it
//! follows; the facts are the ones the issue's note records as checked against that source.

use sts_lab::engine::{Action, Cluster, EventKind, FeatureGates, KubeVersion, Settled, SimDuration, UpdateStrategy};

const WEB_PARALLEL: &str = include_str!("scenarios/inputs/web-parallel.yaml");

fn v(text: &str) -> KubeVersion {
    KubeVersion::parse(text).expect("a version the lab offers")
}

fn build_on(yaml: &str, version: KubeVersion, gates: FeatureGates) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    Cluster::from_release_on(&release, Some("web"), 9, version, gates, true).expect("a set")
}

fn image(c: &mut Cluster, tag: &str) {
    c.apply(Action::Image(format!("registry.k8s.io/nginx-slim:{tag}"))).expect("image");
}

/// Parallel set whose current revision never gets Ready on web-2, then a fixed template: the
/// rollout of kubernetes/kubernetes #137409.
fn broken_then_fixed(version: KubeVersion) -> (Cluster, Settled) {
    let mut c = build_on(WEB_PARALLEL, version, FeatureGates::for_version(version));
    assert_eq!(c.settle(), Settled::Done);
    c.apply(Action::BreakImage).expect("break");
    image(&mut c, "broken");
    c.settle();
    assert!(!c.pod(2).expect("web-2").is_running_and_ready(), "web-2 is at the broken revision");
    image(&mut c, "0.8");
    let end = c.settle();
    (c, end)
}

// pkg/features/kube_features.go defaultVersionedKubernetesFeatureGates: MaxUnavailableStatefulSet
// alpha off from 1.24, beta on from 1.35; #137926 (1.35.4) and #137904 (1.36) off; #139466 (1.37) on.
// StatefulSetSemanticRevisionComparison: beta, on, from 1.34.2 (#135017 and its 1.34 cherry-pick
// #135087, CHANGELOG-1.34.md under 1.34.2); 1.33 and 1.34.0-1.34.1 compare revision bytes.
// StatefulSetRecreateStrategy: alpha, off, only in 1.37.
#[test]
fn each_release_ships_its_gate_defaults_kube_features_go() {
    let on = |s: &str| FeatureGates::for_version(v(s)).max_unavailable_stateful_set;
    assert!(!on("1.33") && !on("1.34.9"));
    assert!(on("1.35.0") && on("1.35.3"));
    assert!(!on("1.35.4") && !on("1.35.7") && !on("1.36.2"));
    assert!(on("1.37"));
    for s in ["1.33", "1.34", "1.34.1", "1.34.2", "1.35.2", "1.36", "1.37"] {
        let g = FeatureGates::for_version(v(s));
        let semantic = !matches!(s, "1.33" | "1.34" | "1.34.1");
        assert_eq!(g.stateful_set_semantic_revision_comparison, semantic, "{s}");
        assert!(!g.stateful_set_recreate_strategy, "{s}: alpha, off by default");
    }
    assert!(!FeatureGates::has_recreate_strategy(v("1.36")));
    assert!(FeatureGates::has_recreate_strategy(v("1.37")));
}

// The #137666 fix landed in 1.37 only (its 1.35 cherry-pick #137667 was closed), so the code that
// counts old unavailable pods is in every release before 1.37.
#[test]
fn the_regression_code_is_in_every_release_before_1_37_pr_137666() {
    for s in ["1.33", "1.34", "1.35.2", "1.35.4", "1.36"] {
        assert!(FeatureGates::for_version(v(s)).max_unavailable_parallel_regression, "{s}");
    }
    assert!(!FeatureGates::for_version(v("1.37")).max_unavailable_parallel_regression);
}

// pkg/controller/statefulset/stateful_set_control.go updateStatefulSetAfterInvariantEstablished
// (1.35): unavailablePods counts the broken old web-2; unavailablePods >= maxUnavailable returns
// before any deletion, so the rollout to the fixed template stalls (#137409).
#[test]
fn on_1_35_2_an_old_broken_pod_stalls_a_parallel_rollout_issue_137409() {
    let (c, end) = broken_then_fixed(v("1.35.2"));
    let Settled::Stuck(why) = end else { panic!("the rollout must stall on 1.35.2") };
    assert!(
        why.contains("on 1.35.2 this rollout stalls") && why.contains("#137409") && why.contains("#137666"),
        "{why}"
    );
    let s = c.status().expect("set");
    assert_ne!(s.current_revision, s.update_revision);
    assert_eq!(s.updated_replicas, 0, "no pod reached the fixed template");
}

// The same function with #137666 (1.37), Parallel: unavailablePodsNeedingUpdate > 0 skips the
// short circuit; phase 1 deletes the old unavailable web-2, phase 2 the available old pods within
// the budget. The rollout completes.
#[test]
fn on_1_37_old_unavailable_pods_are_replaced_first_pr_137666() {
    let (c, end) = broken_then_fixed(v("1.37"));
    assert_eq!(end, Settled::Done);
    let s = c.status().expect("set");
    assert_eq!((s.updated_replicas, s.ready_replicas), (3, 3));
    let first = c.events().iter().filter(|e| e.kind == EventKind::DeletePod).find(|e| e.text.contains("#137666"));
    assert_eq!(first.map(|e| e.object.as_str()), Some("web-2"), "web-2 goes first, at no cost in availability");
}

// Gate off (1.35.4, 1.36): the legacy loop of stateful_set_control.go updateStatefulSet deletes a
// pod not at the update revision before it waits for unavailable ones, so Parallel self-heals.
#[test]
fn with_the_gate_off_the_legacy_path_replaces_the_broken_pod_update_stateful_set() {
    for s in ["1.35.4", "1.36"] {
        let (_, end) = broken_then_fixed(v(s));
        assert_eq!(end, Settled::Done, "{s}");
    }
}

// A cluster admin flipping the gate on a 1.36 control plane gets the 1.36 code, regression included.
#[test]
fn flipping_the_gate_on_1_36_runs_the_unfixed_code() {
    let version = v("1.36");
    let gates = FeatureGates { max_unavailable_stateful_set: true, ..FeatureGates::for_version(version) };
    let mut c = build_on(WEB_PARALLEL, version, gates);
    c.settle();
    c.apply(Action::BreakImage).expect("break");
    image(&mut c, "broken");
    c.settle();
    image(&mut c, "0.8");
    assert!(matches!(c.settle(), Settled::Stuck(why) if why.contains("on 1.36.0 this rollout stalls")));
}

// stateful_set_control.go updateStatefulSetAfterInvariantEstablished counts with
// isUnavailable(pod, minReadySeconds): a new pod Ready for less than minReadySeconds still uses the
// budget, so the next old pod waits (#130909 made maxUnavailable honour minReadySeconds).
#[test]
fn max_unavailable_honours_min_ready_seconds_is_unavailable() {
    let yaml = WEB_PARALLEL.replace("  replicas: 3\n", "  replicas: 3\n  minReadySeconds: 20\n");
    let mut c = build_on(&yaml, v("1.37"), FeatureGates::for_version(v("1.37")));
    assert_eq!(c.settle(), Settled::Done);
    let from = c.events().len();
    image(&mut c, "0.8");
    assert_eq!(c.settle(), Settled::Done);
    let events = &c.events()[from..];
    let deleted: Vec<_> = events.iter().filter(|e| e.kind == EventKind::DeletePod).collect();
    assert_eq!(deleted.iter().map(|e| e.object.as_str()).collect::<Vec<_>>(), ["web-2", "web-1", "web-0"]);
    for pair in deleted.windows(2) {
        let ready = events
            .iter()
            .find(|e| e.kind == EventKind::PodReady && e.object == pair[0].object && e.t >= pair[0].t)
            .expect("the replacement gets Ready");
        assert!(pair[1].t.since(ready.t) >= SimDuration::from_secs(20), "{} waited minReadySeconds", pair[1].object);
    }
}

// pkg/apis/apps/validation/validation.go ValidateStatefulSetSpec, updateStrategy switch: with
// StatefulSetRecreateStrategy off (registry strategy_test.go
// TestStatefulSetStrategy_RecreateStrategy_Validate), Recreate is an Invalid value at
// spec.updateStrategy.
#[test]
fn recreate_is_refused_where_its_gate_is_off_validation_go() {
    let mut c = build_on(WEB_PARALLEL, v("1.37"), FeatureGates::for_version(v("1.37")));
    c.settle();
    let err = c.apply(Action::Strategy(UpdateStrategy::Recreate)).unwrap_err().to_string();
    assert!(
        err.contains(
            "spec.updateStrategy: Invalid value: {\"Type\":\"Recreate\",\"RollingUpdate\":null}: must be 'RollingUpdate' or 'OnDelete'"
        ),
        "{err}"
    );
    let said = &c.events().last().expect("the rejection is narrated").text;
    assert!(said.ends_with("(on 1.37.0, updateStrategy Recreate needs the alpha feature gate StatefulSetRecreateStrategy, which is off)"), "{said}");
    let mut c = build_on(WEB_PARALLEL, v("1.35.2"), FeatureGates::for_version(v("1.35.2")));
    c.settle();
    assert!(c.apply(Action::Strategy(UpdateStrategy::Recreate)).is_err());
    let said = &c.events().last().expect("the rejection is narrated").text;
    assert!(
        said.ends_with(
            "(1.35.2 has no Recreate strategy: it comes in 1.37, behind the StatefulSetRecreateStrategy gate)"
        ),
        "{said}"
    );
}

// KEP-3541 (#137187): with the gate on, every old pod is deleted at once and no new pod is created
// until all of them are gone; then the new pods come as podManagementPolicy says.
#[test]
fn recreate_deletes_every_pod_before_creating_any_kep_3541() {
    let version = v("1.37");
    let gates = FeatureGates { stateful_set_recreate_strategy: true, ..FeatureGates::for_version(version) };
    let mut c = build_on(WEB_PARALLEL, version, gates);
    assert_eq!(c.settle(), Settled::Done);
    c.apply(Action::Strategy(UpdateStrategy::Recreate)).expect("accepted with the gate on");
    c.settle();
    let from = c.events().len();
    image(&mut c, "0.8");
    assert_eq!(c.settle(), Settled::Done);
    let events = &c.events()[from..];
    let last_gone = events.iter().filter(|e| e.kind == EventKind::PodGone).map(|e| e.t).max().expect("pods went");
    let first_created = events.iter().filter(|e| e.kind == EventKind::CreatePod).map(|e| e.t).min().expect("created");
    assert!(first_created >= last_gone, "no new pod while an old one exists");
    assert_eq!(events.iter().filter(|e| e.kind == EventKind::DeletePod).count(), 3);
    let s = c.status().expect("set");
    assert_eq!((s.updated_replicas, s.ready_replicas), (3, 3));
    assert_eq!(s.current_revision, s.update_revision);
}

// ----- the version in files, links and the command line ------------------------------------------

fn scenario(text: &str) -> Result<sts_lab::scenario::Scenario, sts_lab::scenario::ScenarioError> {
    sts_lab::scenario::parse(text, &|_| Err("no files".into()))
}

const INPUT: &str = "input_text: |\n  apiVersion: apps/v1\n  kind: StatefulSet\n  metadata: {name: web}\n  spec:\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec: {containers: [{name: c, image: nginx}]}\n";

#[test]
fn a_file_names_its_release_and_flips_gates_from_its_defaults() {
    let s = scenario(&format!("version: \"1.35.2\"\ngates: {{MaxUnavailableStatefulSet: false}}\n{INPUT}")).unwrap();
    assert_eq!(s.version, v("1.35.2"));
    assert_eq!(s.gates, FeatureGates { max_unavailable_stateful_set: false, ..FeatureGates::for_version(v("1.35.2")) });
    // `version: 1.37` unquoted is a YAML number; it means the release.
    assert_eq!(scenario(&format!("version: 1.37\n{INPUT}")).unwrap().gates, FeatureGates::for_version(v("1.37")));
    let e = scenario(&format!("version: \"1.36\"\ngates: {{StatefulSetRecreateStrategy: true}}\n{INPUT}")).unwrap_err();
    assert!(e.message.contains("1.36.0 has no feature gate StatefulSetRecreateStrategy"), "{}", e.message);
    assert_eq!(e.line, 2);
    assert!(scenario(&format!("version: \"1.32\"\n{INPUT}")).unwrap_err().message.contains("1.33 to 1.37"));
}

#[test]
fn a_file_from_before_versions_runs_on_1_37_with_the_gates_it_names() {
    let s = scenario(&format!("gates: {{MaxUnavailableStatefulSet: true}}\n{INPUT}")).unwrap();
    assert_eq!(s.version, KubeVersion::LATEST);
    assert_eq!(s.gates, FeatureGates { max_unavailable_stateful_set: true, ..FeatureGates::default() });
}

#[test]
fn the_written_file_reads_back_to_the_same_release_and_gates() {
    let version = v("1.37");
    let gates = FeatureGates { stateful_set_recreate_strategy: true, ..FeatureGates::for_version(version) };
    let inputs = [sts_lab::engine::Input::Settle];
    let s =
        sts_lab::scenario::Scenario::from_inputs(INPUT[14..].replace("\n  ", "\n"), 3, version, gates, None, &inputs);
    let yaml = s.to_yaml();
    assert!(yaml.contains("version: \"1.37.0\"\ngates: {MaxUnavailableStatefulSet: true, StatefulSetRecreateStrategy: true, StatefulSetSemanticRevisionComparison: true}\n"), "{yaml}");
    let back = scenario(&yaml).unwrap();
    assert_eq!((back.version, back.gates), (version, gates));
}

#[test]
fn a_share_link_carries_the_release_and_old_links_still_open() {
    let version = v("1.35.2");
    let state = sts_lab::share::SharedState {
        input_text: INPUT[14..].replace("\n  ", "\n"),
        statefulset: None,
        seed: 4,
        version,
        gates: FeatureGates::for_version(version),
        assume_missing_references: true,
        inputs: vec![sts_lab::engine::Input::Step],
        position: 0,
    };
    let back = sts_lab::share::decode(&sts_lab::share::encode(&state).unwrap()).unwrap();
    assert_eq!((back.version, back.gates), (version, state.gates));
    // A link made before versions: its scenario text has no `version`.
    let old = state.to_scenario_yaml().unwrap().replace("version: \"1.35.2\"\n", "").replace(
        "gates: {MaxUnavailableStatefulSet: true, StatefulSetSemanticRevisionComparison: true}",
        "gates: {MaxUnavailableStatefulSet: false}",
    );
    let back = sts_lab::share::SharedState::from_scenario_yaml(&old).unwrap();
    assert_eq!((back.version, back.gates), (KubeVersion::LATEST, FeatureGates::default()));
}

#[test]
fn sts_lab_run_takes_a_version() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/x09-max-unavailable-regression-1-35.yaml");
    let run = |extra: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sts-lab"))
            .arg("run")
            .arg(file)
            .args(extra)
            .output()
            .expect("sts-lab runs");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, out, _) = run(&[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("on 1.35.2 this rollout stalls"));
    let (code, out, _) = run(&["--version", "1.37"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("partitioned roll out complete: 3 new pods have been updated..."));
    let (code, _, err) = run(&["--version=1.40"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("the lab simulates Kubernetes 1.33 to 1.37, not 1.40.0"), "{err}");
}

// kubectl pkg/cmd/version/version.go Run: `Client Version`, `Kustomize Version` (the kustomize
// module in that release's go.mod), `Server Version`; `--client` leaves the server out.
#[test]
fn kubectl_version_names_the_clusters_release_version_go() {
    let print = |c: &Cluster, cmd: &str| match sts_lab::kubectl::run(c, cmd, &|_| None) {
        sts_lab::kubectl::Outcome::Print { stdout, stderr } => (stdout, stderr),
        other => panic!("{other:?}"),
    };
    let c = build_on(WEB_PARALLEL, v("1.35.2"), FeatureGates::for_version(v("1.35.2")));
    assert_eq!(
        print(&c, "kubectl version").0,
        "Client Version: v1.35.2\nKustomize Version: v5.7.1\nServer Version: v1.35.2\n"
    );
    assert_eq!(print(&c, "kubectl version --client").0, "Client Version: v1.35.2\nKustomize Version: v5.7.1\n");
    assert_eq!(print(&c, "kubectl version extra").1, "error: extra arguments: [extra]\n");
    let c = build_on(WEB_PARALLEL, v("1.33.4"), FeatureGates::for_version(v("1.33.4")));
    assert!(print(&c, "kubectl version").0.contains("Kustomize Version: v5.6.0\nServer Version: v1.33.4\n"));
}

// kubectl pkg/cmd/delete/delete.go PrintObj: kubectl 1.34 (#126619) adds `from NS namespace` for
// namespaced objects; 1.33 prints `pod "web-1" deleted`.
#[test]
fn kubectl_delete_says_the_namespace_from_1_34_delete_go_print_obj() {
    for (s, want) in [("1.33", "pod \"web-1\" deleted"), ("1.34", "pod \"web-1\" deleted from default namespace")] {
        let mut c = build_on(WEB_PARALLEL, v(s), FeatureGates::for_version(v(s)));
        c.settle();
        assert_eq!(c.apply(Action::DeletePod(1)).unwrap(), want, "{s}");
        assert!(c.apply(Action::DeleteStatefulSet).unwrap().starts_with("statefulset.apps \"web\" deleted"), "{s}");
    }
    let mut c = build_on(WEB_PARALLEL, v("1.37"), FeatureGates::for_version(v("1.37")));
    c.settle();
    assert_eq!(c.apply(Action::DeleteStatefulSet).unwrap(), "statefulset.apps \"web\" deleted from default namespace");
}

// pkg/registry/apps/statefulset strategy_test.go TestStatefulSetStrategy_RecreateStrategy_ValidateUpdate:
// with the gate turned off after a set was stored with Recreate, updates that keep Recreate (or
// leave it) are allowed; switching another set to Recreate is not.
#[test]
fn a_stored_recreate_set_stays_updatable_when_the_gate_goes_off_strategy_test_go() {
    let version = v("1.37");
    let on = FeatureGates { stateful_set_recreate_strategy: true, ..FeatureGates::for_version(version) };
    let mut c = build_on(WEB_PARALLEL, version, on);
    c.settle();
    c.apply(Action::Strategy(UpdateStrategy::Recreate)).expect("gate on");
    c.set_gates(FeatureGates::for_version(version));
    assert!(c.apply(Action::Scale(4)).is_ok(), "Recreate to Recreate, gate off: allowed");
    assert!(c.apply(Action::Strategy(UpdateStrategy::OnDelete)).is_ok(), "Recreate to OnDelete, gate off: allowed");
    assert!(c.apply(Action::Strategy(UpdateStrategy::Recreate)).is_err(), "OnDelete to Recreate, gate off: forbidden");
}
