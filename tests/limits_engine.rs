//! Issue #14, the simulation: replica counts, arithmetic on user numbers, traffic, waits, and
//! the scenarios and share links that carry them. Every input answers with a message that names
//! the limit and why; none panics, and none runs unbounded (each limit bounds the work by
//! construction: these tests check the answer, not the clock).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use sts_lab::engine::{Action, ActionError, Cluster, EventKind, FeatureGates, SimDuration};
use sts_lab::limits::{MAX_INPUTS, MAX_REPLICAS, MAX_REQUESTS_PER_ACTION};
use sts_lab::scenario;
use sts_lab::share::{self, ShareError};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

fn web_with(replace: &[(&str, &str)]) -> String {
    replace.iter().fold(WEB.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    })
}

fn settled_web() -> Cluster {
    let release = sts_lab::input::parse(WEB);
    let mut c = Cluster::from_release(&release, None, 1, FeatureGates::default()).unwrap();
    c.settle();
    c
}

fn no_scenario_files(path: &str) -> Result<String, String> {
    Err(format!("no files here ({path})"))
}

fn link_of(yaml: &str) -> String {
    format!("v1={}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(yaml.as_bytes(), 9)))
}

fn scenario_with_steps(steps: &str) -> String {
    let input: String = WEB.lines().map(|l| format!("  {l}\n")).collect();
    format!("input_text: |\n{input}steps:\n{steps}")
}

#[test]
fn a_pasted_set_of_2147483647_replicas_is_refused_at_its_line_with_the_labs_limit() {
    let text = web_with(&[
        ("  replicas: 3\n", "  replicas: 2147483647\n"),
        ("  serviceName", "  podManagementPolicy: Parallel\n  serviceName"),
    ]);
    let release = sts_lab::input::parse(&text);
    let e = release.errors().find(|d| d.message.contains("animates")).expect("a replica limit error");
    assert_eq!(e.message.split(';').next(), Some(format!("the lab animates up to {MAX_REPLICAS} replicas").as_str()));
    assert!(e.message.contains("this set asks for 2147483647"), "{}", e.message);
    let line = text.lines().position(|l| l.contains("replicas: 2147483647")).unwrap() + 1;
    assert_eq!((e.line, e.column), (line, 3));
    // The engine refuses it too, with the same words, and builds nothing.
    let err = Cluster::from_release(&release, None, 1, FeatureGates::default()).unwrap_err();
    assert!(err.starts_with("the lab animates up to 300 replicas"), "{err}");
}

#[test]
fn a_cluster_built_directly_above_the_limit_logs_why_and_creates_no_pod() {
    let release = sts_lab::input::parse(&web_with(&[("  replicas: 3\n", "  replicas: 100000\n")]));
    let config = sts_lab::engine::ClusterConfig {
        statefulset: release.statefulsets[0].object.clone(),
        services: release.services.clone(),
        namespace: "default".into(),
        seed: 1,
        version: sts_lab::engine::KubeVersion::LATEST,
        gates: FeatureGates::default(),
        config_maps: Vec::new(),
        secrets: Vec::new(),
        assume_missing_references: true,
    };
    let mut c = Cluster::new(config);
    c.settle();
    assert_eq!(c.pods().count(), 0);
    let rejected = c.events().iter().find(|e| e.kind == EventKind::Rejected).expect("a rejection");
    assert!(
        rejected.text.contains("the lab animates up to 300 replicas; this set asks for 100000"),
        "{}",
        rejected.text
    );
}

#[test]
fn the_largest_set_the_lab_takes_is_simulated() {
    let release = sts_lab::input::parse(&web_with(&[
        ("  replicas: 3\n", "  replicas: 300\n"),
        ("  serviceName", "  podManagementPolicy: Parallel\n  serviceName"),
    ]));
    assert!(!release.has_errors(), "{:?}", release.diagnostics);
    let mut c = Cluster::from_release(&release, None, 1, FeatureGates::default()).unwrap();
    c.settle();
    assert_eq!(c.status().unwrap().ready_replicas, MAX_REPLICAS);
}

#[test]
fn scaling_past_the_labs_limit_is_refused_with_its_reason_and_changes_nothing() {
    let mut c = settled_web();
    for n in [MAX_REPLICAS + 1, 100_000, i32::MAX] {
        match c.apply(Action::Scale(n)) {
            Err(ActionError::Refused(m)) => {
                assert!(
                    m.contains(&format!("the lab animates up to {MAX_REPLICAS} replicas; this set asks for {n}")),
                    "{m}"
                )
            }
            other => panic!("scale {n}: {other:?}"),
        }
    }
    assert_eq!(c.statefulset().unwrap().spec.replicas, 3);
    assert!(c.is_idle());
    // Scaling to the limit itself is fine.
    assert!(c.apply(Action::Scale(MAX_REPLICAS)).is_ok());
}

#[test]
fn a_negative_scale_is_still_the_api_servers_rejection() {
    let mut c = settled_web();
    let e = c.apply(Action::Scale(-1)).unwrap_err();
    assert!(matches!(e, ActionError::Rejected(_)), "{e:?}");
}

#[test]
fn ordinals_start_at_the_top_of_int32_is_refused_not_a_btreemap_panic() {
    let text = web_with(&[("  serviceName", "  ordinals:\n    start: 2147483647\n  serviceName")]);
    let release = sts_lab::input::parse(&text);
    let e = release.errors().find(|d| d.message.contains("ordinals.start")).expect("an ordinal error");
    assert!(e.message.contains("int32"), "{}", e.message);
    let line = text.lines().position(|l| l.contains("start: 2147483647")).unwrap() + 1;
    assert_eq!(e.line, line);
    assert!(Cluster::from_release(&release, None, 1, FeatureGates::default()).is_err());

    let mut c = settled_web();
    assert!(matches!(c.apply(Action::OrdinalsStart(i32::MAX)), Err(ActionError::Refused(_))));
    assert!(matches!(c.apply(Action::OrdinalsStart(i32::MAX - 2)), Err(ActionError::Refused(_))));
    // The highest start that still fits: the pods are numbered up to 2147483646.
    c.apply(Action::OrdinalsStart(i32::MAX - 3)).unwrap();
    c.settle();
    let names: Vec<String> = c.pods().map(|p| p.name.clone()).collect();
    assert_eq!(names, ["web-2147483644", "web-2147483645", "web-2147483646"]);
}

#[test]
fn a_partition_of_int32_max_updates_nothing_and_does_not_overflow() {
    let mut c = settled_web();
    c.apply(Action::Partition(i32::MAX)).unwrap();
    c.apply(Action::OrdinalsStart(1000)).unwrap();
    c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    c.settle();
    assert_eq!(c.status().unwrap().updated_replicas, 0);
}

#[test]
fn a_max_unavailable_percentage_on_the_largest_set_stays_bounded() {
    let gates = FeatureGates { max_unavailable_stateful_set: true, ..FeatureGates::default() };
    let release = sts_lab::input::parse(&web_with(&[
        ("  replicas: 3\n", "  replicas: 300\n"),
        ("  serviceName", "  podManagementPolicy: Parallel\n  serviceName"),
    ]));
    let mut c = Cluster::from_release(&release, None, 1, gates).unwrap();
    c.settle();
    c.apply(Action::MaxUnavailable(IntOrString::String("100%".into()))).unwrap();
    let e = c.apply(Action::MaxUnavailable(IntOrString::String("9223372036854775807%".into()))).unwrap_err();
    assert!(e.to_string().contains("must not be greater than 100%"), "{e}");
    c.apply(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    c.settle();
    assert_eq!(c.status().unwrap().updated_replicas, MAX_REPLICAS);
}

#[test]
fn traffic_near_two_to_the_64_is_refused_with_the_limit() {
    let mut c = settled_web();
    match c.apply(Action::Traffic(u64::MAX)) {
        Err(ActionError::Refused(m)) => {
            assert!(m.contains(&format!("up to {MAX_REQUESTS_PER_ACTION} requests at once")), "{m}");
            assert!(m.contains("18446744073709551615"), "{m}");
        }
        other => panic!("{other:?}"),
    }
    let out = c.apply(Action::Traffic(MAX_REQUESTS_PER_ACTION)).unwrap();
    assert!(out.contains("web-0="), "{out}");
}

#[test]
fn a_probe_period_of_int32_max_does_not_overflow_when_readiness_breaks() {
    let text = web_with(&[("periodSeconds: 5", "periodSeconds: 2147483647\n            failureThreshold: 2147483647")]);
    let release = sts_lab::input::parse(&text);
    let mut c = Cluster::from_release(&release, None, 1, FeatureGates::default()).unwrap();
    c.settle();
    c.apply(Action::BreakReadiness(0)).unwrap();
    c.apply(Action::FixReadiness(0)).unwrap();
    c.advance(SimDuration::from_secs(60));
}

#[test]
fn waits_longer_than_a_day_are_refused_and_huge_numbers_do_not_overflow() {
    for text in ["25h", "86400001ms", "99999999999999999999", "18446744073709551615h", "1e400s"] {
        let e = SimDuration::parse(text).unwrap_err();
        assert!(e.contains("longer than a day") || e.contains("invalid duration"), "{text}: {e}");
    }
    assert_eq!(SimDuration::parse("24h").unwrap(), SimDuration::from_secs(86_400));
    assert_eq!(SimDuration::from_secs(u64::MAX), SimDuration(u64::MAX));
}

#[test]
fn a_crash_loop_settles_within_the_step_limit() {
    let mut c = settled_web();
    c.apply(Action::BreakImage).unwrap();
    c.apply(Action::Image("registry.k8s.io/nginx-slim:broken".into())).unwrap();
    let settled = c.settle();
    assert!(matches!(settled, sts_lab::engine::Settled::Stuck(_)), "{settled:?}");
    // A day of crash loop is a bounded number of restarts.
    c.advance(SimDuration::from_secs(86_400));
}

#[test]
fn step_4294967296_is_an_error_at_its_line_not_zero_steps() {
    let text = scenario_with_steps("  - settle\n  - step: 4294967296\n");
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    let line = text.lines().position(|l| l.contains("4294967296")).unwrap() + 1;
    assert_eq!((e.line, e.column), (line, 5));
    assert!(e.message.contains(&format!("more than {MAX_INPUTS} inputs")), "{}", e.message);
}

#[test]
fn step_4000000000_is_refused_before_any_input_is_allocated() {
    let text = scenario_with_steps("  - step: 4000000000\n");
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    assert!(e.message.contains("more than 100000 inputs"), "{}", e.message);
    // Importing it (the page's "open scenario") refuses it the same way.
    let e = share::import_scenario(&text, &no_scenario_files, share::Granularity::AsWritten).unwrap_err();
    assert!(matches!(e, ShareError::Scenario(_)), "{e:?}");
}

#[test]
fn steps_adding_up_past_the_input_limit_are_refused_at_the_step_that_passes_it() {
    let text = scenario_with_steps("  - step: 60000\n  - step: 60000\n");
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    let line = text.lines().enumerate().filter(|(_, l)| l.contains("step: 60000")).last().unwrap().0 + 1;
    assert_eq!(e.line, line);
}

#[test]
fn a_scale_beyond_int32_in_a_scenario_says_the_fields_range() {
    let text = scenario_with_steps("  - scale: 2147483648\n");
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    assert!(e.message.contains("out of range") && e.message.contains("int32"), "{}", e.message);
}

#[test]
fn traffic_in_a_scenario_past_the_limit_is_an_error_at_its_line() {
    let text = scenario_with_steps("  - traffic: 18446744073709551615\n");
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    assert!(e.message.contains("up to 1000000 requests at once"), "{}", e.message);
    assert!(e.line > 1);
}

#[test]
fn a_scale_to_100000_in_a_scenario_is_refused_in_the_transcript() {
    let text = scenario_with_steps("  - settle\n  - scale: 100000\n  - settle\n");
    let s = scenario::parse(&text, &no_scenario_files).unwrap();
    let t = scenario::run(&s).unwrap();
    let out = t.to_text();
    assert!(out.contains("the lab animates up to 300 replicas; this set asks for 100000"), "{out}");
    assert_eq!(t.cluster.pods().count(), 3);
}

#[test]
fn a_scenario_nested_100000_deep_is_refused_at_once_with_its_position() {
    let text = format!("steps: {}", "[".repeat(100_000));
    let e = scenario::parse(&text, &no_scenario_files).unwrap_err();
    assert_eq!((e.line, e.column), (1, 8 + 128));
    assert!(e.message.contains("nests deeper than 128"), "{}", e.message);
    // The same as a 173-character share link.
    let link = link_of(&text);
    assert!(link.len() < 400, "{}", link.len());
    match share::decode(&link) {
        Err(ShareError::Scenario(e)) => assert!(e.message.contains("nests deeper"), "{}", e.message),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_share_link_with_ordinals_start_2147483647_explains_instead_of_crashing() {
    let yaml = scenario_with_steps("  - settle\n").replacen(
        "    serviceName: \"nginx\"\n",
        "    serviceName: \"nginx\"\n    ordinals:\n      start: 2147483647\n",
        1,
    );
    let state = share::decode(&link_of(&yaml)).unwrap();
    assert!(state.input_text.contains("start: 2147483647"));
    match state.replay() {
        Err(ShareError::Simulation(m)) => assert!(m.contains("ordinals.start 2147483647"), "{m}"),
        other => panic!("{:?}", other.map(|s| s.len())),
    }
}

#[test]
fn a_share_link_with_traffic_near_two_to_the_64_is_refused_at_its_step() {
    let yaml = scenario_with_steps("  - settle\n  - traffic: 18446744073709551000\n");
    match share::decode(&link_of(&yaml)) {
        Err(ShareError::Scenario(e)) => assert!(e.message.contains("requests at once"), "{}", e.message),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_share_link_with_100000_replicas_and_steps_is_refused_before_replaying() {
    let yaml = scenario_with_steps("  - step: 1000\n").replace("replicas: 3", "replicas: 100000");
    let state = share::decode(&link_of(&yaml)).unwrap();
    match state.replay() {
        Err(ShareError::Simulation(m)) => assert!(m.contains("the lab animates up to 300 replicas"), "{m}"),
        other => panic!("{:?}", other.map(|s| s.len())),
    }
}

#[test]
fn a_day_stuck_in_create_container_config_error_is_counted_not_replayed() {
    // The kubelet retries every 10s (pod_workers.go completeWork, backOffPeriod): a day of it is
    // 8,640 failed syncs, written as the recorder counts them, with no timer left behind.
    let release = sts_lab::input::parse(include_str!("fixtures/helm-python-install-dry-run-debug.txt"));
    let mut c = Cluster::from_release_on(
        &release,
        None,
        1,
        sts_lab::engine::KubeVersion::LATEST,
        FeatureGates::default(),
        false,
    )
    .unwrap();
    c.settle();
    c.advance(SimDuration::from_secs(86_400));
    assert!(c.is_idle(), "nothing is scheduled for the retries");
    let failed = c.recorded().iter().find(|e| e.reason == "Failed").expect("the Failed event");
    assert_eq!(failed.message, "Error: secret \"secret-base\" not found");
    assert!(failed.count > 8_000, "{}", failed.count);
    let status = sts_lab::kubectl::get(&c, "po", false).unwrap();
    assert!(status.contains("CreateContainerConfigError"), "{status}");
}
