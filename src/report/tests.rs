//! The issue's acceptance check: the canary scenario on the lab's chart, exported, reads as a
//! correct lab report.

use super::*;
use crate::engine::{Action, FeatureGates};
use crate::guide::rules::readable;
use crate::scene::source;
use crate::share::state::tests::LAB;

const SET: &str = "python-helm-python";

/// Lab input, scale to 3, traffic, canary (partition 2 + new image), traffic, promote.
fn canary_session() -> Session {
    let release = source::understand(LAB).release;
    let mut s = Session::new(release, None, 7, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s.act(Action::Scale(3)).unwrap();
    s.run_until_quiet();
    s.act(Action::Traffic(30)).unwrap();
    s.act(Action::Partition(2)).unwrap();
    s.act(Action::Image("vladimirka002/innopolis-devops-python-app:v2".into())).unwrap();
    s.run_until_quiet();
    s.act(Action::Traffic(300)).unwrap();
    s.act(Action::Partition(0)).unwrap();
    s.run_until_quiet();
    s
}

fn report() -> (Session, String) {
    let s = canary_session();
    let md = lab_report(&s, &ReportOptions { input_text: Some(LAB.into()), ..ReportOptions::default() });
    (s, md)
}

/// The text of the section whose heading starts with `## Task N`.
fn task(md: &str, n: usize) -> &str {
    let start = md.find(&format!("## Task {n}:")).unwrap_or_else(|| panic!("no task {n} in\n{md}"));
    let rest = &md[start..];
    let end = rest[3..].find("\n## ").map(|e| e + 4).unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn the_report_starts_with_the_students_helm_command_and_its_log() {
    let (_, md) = report();
    assert!(md.starts_with(
        "# StatefulSet\n\n## Task 1: Installation\n\n`helm install --dry-run --debug python ./helm-python`\n\n```\n"
    ));
    assert!(task(&md, 1).contains("NAME: python\nLAST DEPLOYED:"));
}

#[test]
fn every_section_shows_kubectl_output_exactly_as_kubectl_prints_it_spec_8_9() {
    let (s, md) = report();
    let mut at = s.clone();
    at.seek(s.len());
    let get = crate::kubectl::get(at.shown(), "po,sts,svc,pvc", false).unwrap();
    assert!(md.contains(&format!("`kubectl get po,sts,svc,pvc`\n\n```\n{}\n```\n", get.trim_end())), "{md}");
    assert!(md.contains(&format!(
        "`kubectl rollout status statefulset/{SET}`\n\n```\npartitioned roll out complete: 3 new pods have been updated...\n```"
    )));
}

#[test]
fn ordered_creation_is_explained_when_scaling_to_three_spec_3() {
    let (_, md) = report();
    let scale = task(&md, 2);
    assert!(scale.starts_with("## Task 2: Scale to 3, traffic\n\n`kubectl scale statefulset python-helm-python --replicas=3`\n\n```\nstatefulset.apps/python-helm-python scaled\n```"), "{scale}");
    assert!(scale.contains(&format!("created {SET}-1, then {SET}-2 one at a time in ordinal order")), "{scale}");
}

#[test]
fn the_canary_updates_only_pod_2_because_of_partition_2_spec_4_4() {
    let (_, md) = report();
    let canary = task(&md, 3);
    assert!(canary.starts_with("## Task 3: Partition 2, new image, traffic\n"), "{canary}");
    assert!(
        canary.contains(&format!("deleted and recreated {SET}-2 only: a rolling update starts at the highest ordinal")),
        "{canary}"
    );
    assert!(canary.contains(&format!("Only {SET}-2 was updated.")), "{canary}");
    assert!(canary.contains(&format!(
        "With `partition: 2` only ordinals ≥ 2 are updated: {SET}-2 runs revision B (`vladimirka002/innopolis-devops-python-app:v2`) while {SET}-0 and {SET}-1 stay at revision A"
    )), "{canary}");
    assert!(canary.contains("partitioned roll out complete: 1 new pods have been updated..."), "{canary}");
    // Pods 0 and 1 were not touched by the canary.
    assert!(!canary.contains(&format!("recreated {SET}-1")));
}

#[test]
fn the_canary_pod_keeps_its_counter_on_its_claim_spec_5() {
    let (_, md) = report();
    let canary = task(&md, 3);
    assert!(
        canary.contains(&format!("The data survived: {SET}-2 is a new pod, yet its counter went on from 9")),
        "{canary}"
    );
    assert!(canary.contains(&format!("(`python-stateful-volume-{SET}-2`)")), "{canary}");
}

#[test]
fn the_canary_gets_about_a_third_of_the_requests_spec_10() {
    let (s, md) = report();
    let traffic = task(&md, 3);
    assert!(traffic.contains("The canary, revision B"), "{traffic}");
    assert!(traffic.contains("close to the expected 1/3 ≈ 33%"), "{traffic}");
    let _ = s;
}

#[test]
fn counters_are_reported_per_pod_as_the_app_prints_them() {
    let (s, md) = report();
    let mut at = s.clone();
    at.seek(s.len());
    let last = task(&md, 4);
    let mut total = 0;
    for o in 0..3 {
        let pod = at.shown().pod(o).unwrap();
        let n = at.shown().visits_of(pod).unwrap();
        total += n;
        assert!(
            last.contains(&format!(
                "`kubectl exec pod/{SET}-{o} -- cat app_python/volume/visits`\n\n```\n{{\"count\": {n}}}\n```"
            )),
            "{last}"
        );
    }
    assert_eq!(total, 330, "every request counted once, on one replica's volume");
}

#[test]
fn promoting_the_canary_updates_the_rest_highest_ordinal_first_spec_4_2() {
    let (_, md) = report();
    let promote = task(&md, 4);
    assert!(promote.starts_with("## Task 4: Partition 0\n"), "{promote}");
    assert!(
        promote.contains(&format!("deleted and recreated {SET}-1, then {SET}-0: highest ordinal first")),
        "{promote}"
    );
    assert!(promote.contains("promoted `currentRevision`"), "{promote}");
}

#[test]
fn the_conclusion_names_each_rule_the_session_showed() {
    let (_, md) = report();
    let conclusion = &md[md.find("## Conclusion").expect("a conclusion")..];
    for rule in [Rule::OrderedCreation, Rule::HighestFirst, Rule::Partition, Rule::CanaryShare, Rule::DataOnClaim] {
        assert!(conclusion.contains(&readable(rule.summary())), "{rule:?} missing from\n{conclusion}");
    }
}

#[test]
fn chosen_moments_give_one_section_each() {
    let s = canary_session();
    let md = lab_report(&s, &ReportOptions { moments: Some(vec![3, s.len()]), ..ReportOptions::default() });
    assert_eq!(md.matches("\n## Task ").count(), 2, "{md}");
}

/// Writes the canary report to $REPORT_OUT for reading (`REPORT_OUT=/tmp/r.md cargo test --lib report`).
#[test]
fn the_canary_report_can_be_written_out_for_reading() {
    if let Ok(path) = std::env::var("REPORT_OUT") {
        std::fs::write(path, report().1).unwrap();
    }
}

/// A broken image on the web example: the report says the controller waits, and why.
#[test]
fn a_stuck_rollout_is_reported_with_what_the_controller_waits_for_spec_4_2() {
    let text = include_str!("../../public/scenarios/inputs/web.yaml");
    let mut s = Session::new(source::understand(text).release, None, 3, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s.act(Action::BreakImage).unwrap();
    s.act(Action::Image("registry.k8s.io/nginx-slim:broken".into())).unwrap();
    s.run_until_quiet();
    let md = lab_report(
        &s,
        &ReportOptions {
            input_text: Some(text.into()),
            counter_path: "/usr/share/nginx/html/visits".into(),
            ..ReportOptions::default()
        },
    );
    let install = task(&md, 1);
    assert!(install.contains("`kubectl apply -f manifest.yaml`\n\n```\nservice/nginx created\nservice/web created\nstatefulset.apps/web created\n```"), "{install}");
    let broken = task(&md, 2);
    assert!(
        broken.starts_with(
            "## Task 2: Broken image, new image\n\n*The next revision is broken: its pods will never become Ready.*\n"
        ),
        "{broken}"
    );
    assert!(broken.contains("At this moment the rollout is not finished and the controller waits:"), "{broken}");
    assert!(broken.contains("Waiting for 1 pods to be ready..."), "{broken}");
    assert!(md.contains(&readable(Rule::Waiting.summary())));
    if let Ok(path) = std::env::var("REPORT_OUT_STUCK") {
        std::fs::write(path, &md).unwrap();
    }
}

#[test]
fn scaling_down_is_reported_highest_ordinal_first_with_the_claims_kept_spec_3_5() {
    let text = include_str!("../../public/scenarios/inputs/web.yaml");
    let mut s = Session::new(source::understand(text).release, None, 3, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s.act(Action::Scale(1)).unwrap();
    s.run_until_quiet();
    let md = lab_report(&s, &ReportOptions::default());
    let down = task(&md, 2);
    assert!(down.contains("Scaling down deleted web-2, then web-1: the highest ordinal goes first (rule 3: podManagementPolicy). Their claims `www-web-1` and `www-web-2` stay Bound"), "{down}");
}

#[test]
fn a_scale_up_after_a_scale_down_finds_the_old_counter_on_the_claim_spec_5() {
    let text = include_str!("../../public/scenarios/inputs/web.yaml");
    let mut s = Session::new(source::understand(text).release, None, 3, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s.act(Action::Traffic(60)).unwrap();
    s.act(Action::Scale(2)).unwrap();
    s.run_until_quiet();
    s.act(Action::Scale(3)).unwrap();
    s.run_until_quiet();
    let md = lab_report(&s, &ReportOptions::default());
    let up = task(&md, 3);
    assert!(up.contains("The data survived: web-2 is a new pod and still reads {\"count\": "), "{up}");
}

fn web_session(seed: u64) -> Session {
    let text = include_str!("../../public/scenarios/inputs/web.yaml");
    let mut s = Session::new(source::understand(text).release, None, seed, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s
}

/// Issue #10 item 8: the partition sentence names the pods on each side of the threshold, taken
/// after the rollout the patch started has settled (spec §4.4), even when the session ends
/// right after the patch.
#[test]
fn lowering_the_partition_is_reported_after_the_rollout_settles_spec_4_4() {
    let mut s = web_session(5);
    s.act(Action::Partition(2)).unwrap();
    s.act(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    s.run_until_quiet();
    // Lowered to 1 and exported at once: the controller has not replaced web-1 yet.
    s.act(Action::Partition(1)).unwrap();
    let md = lab_report(&s, &ReportOptions::default());
    let lowered = task(&md, 3);
    assert!(lowered.starts_with("## Task 3: Partition 1\n"), "{lowered}");
    assert!(
        lowered.contains("With `partition: 1` only ordinals ≥ 1 are updated: web-1 and web-2 run revision B (`registry.k8s.io/nginx-slim:0.8`) while web-0 stays at revision A"),
        "{lowered}"
    );
    assert!(!lowered.contains("web-1 stays"), "{lowered}");
    assert!(!md.contains(":  run"), "a list of pods is never empty: {md}");
}

/// A change typed while the controller was still rolling out joins the section before it: the
/// report never shows a moment half-way through a rollout (spec §4.2).
#[test]
fn a_change_typed_mid_rollout_joins_the_section_before_it_spec_4_2() {
    let mut s = web_session(5);
    s.act(Action::Partition(2)).unwrap();
    s.act(Action::Image("registry.k8s.io/nginx-slim:0.8".into())).unwrap();
    s.run_until_quiet();
    s.act(Action::Partition(1)).unwrap();
    s.act(Action::Traffic(20)).unwrap();
    s.step();
    s.act(Action::Partition(0)).unwrap();
    s.run_until_quiet();
    let sections = default_sections(&s);
    assert_eq!(sections.len(), 3, "{sections:?}");
    let md = lab_report(&s, &ReportOptions::default());
    let last = task(&md, 3);
    assert!(last.starts_with("## Task 3: Partition 1, traffic, partition 0\n"), "{last}");
    assert!(!last.contains("stays at revision A"), "{last}");
    assert!(last.contains("promoted `currentRevision`"), "{last}");
}

/// Before the first request the app has written no counter file: the report says so instead of
/// copying `cat`'s error as if it were the counter.
#[test]
fn a_pod_no_request_reached_has_no_counter_file_yet() {
    let s = web_session(5);
    let md =
        lab_report(&s, &ReportOptions { counter_path: "/usr/share/nginx/html/visits".into(), ..Default::default() });
    assert!(!md.contains("No such file or directory"), "{md}");
    assert!(
        md.contains("No counter file exists yet on the volumes of web-0, web-1 and web-2: no request has reached them, so `kubectl exec pod/web-0 -- cat /usr/share/nginx/html/visits` finds nothing to read."),
        "{md}"
    );
}

/// Issue #14: user text stays text in any Markdown viewer.
#[test]
fn a_backtick_in_an_image_name_does_not_end_its_code_span() {
    let mut s = web_session(5);
    s.act(Action::Image("evil`img:v2".into())).unwrap();
    s.run_until_quiet();
    let md = lab_report(&s, &ReportOptions::default());
    assert!(md.contains("``kubectl set image statefulset/web nginx=evil`img:v2``"), "{md}");
    assert!(md.contains("revision B (``evil`img:v2``)"), "{md}");
}

#[test]
fn html_in_the_title_and_in_image_names_is_not_live() {
    let mut s = web_session(5);
    s.act(Action::Image("<img src=x onerror=alert(1)>".into())).unwrap();
    let md =
        lab_report(&s, &ReportOptions { title: "Lab <script>alert(1)</script> & co".into(), ..Default::default() });
    assert!(md.starts_with("# Lab &lt;script&gt;alert(1)&lt;/script&gt; &amp; co\n"), "{md}");
    // Outside code spans and fences no `<` is left.
    let mut outside = String::new();
    let mut in_fence = false;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if !in_fence {
            // Drop code spans: between equal backtick runs.
            let mut rest = line;
            while let Some(a) = rest.find('`') {
                outside.push_str(&rest[..a]);
                let run = rest[a..].chars().take_while(|c| *c == '`').count();
                let after = &rest[a + run..];
                let close = "`".repeat(run);
                rest = after.find(&close).map(|e| &after[e + run..]).unwrap_or("");
            }
            outside.push_str(rest);
        }
    }
    assert!(!outside.contains('<'), "{outside}");
}

/// Issue #10 item 3: no citation is left as dead text, and each rule cited is explained at the end
/// with its source named.
#[test]
fn every_rule_cited_is_explained_at_the_end_with_its_source() {
    let (_, md) = report();
    let body = &md[..md.find("## Rules cited").expect("a Rules cited section")];
    assert!(!body.contains("spec §") && !body.contains("spec 4"), "{body}");
    assert!(body.contains("(rule 4.4: Partition)"), "{body}");
    let cited = &md[md.find("## Rules cited").unwrap()..];
    for id in ["3", "4.2", "4.4", "5", "10"] {
        let r = crate::guide::rules::rule(id).unwrap();
        assert!(
            cited.contains(&format!("**Rule {id}: {}.** {} Source: {}.", r.title, r.explanation, r.source())),
            "{id} missing from\n{cited}"
        );
    }
    assert!(cited
        .contains("`updateStatefulSet` in kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go"));
    // In the order of their ids, each once.
    let order: Vec<usize> = ["**Rule 3:", "**Rule 4.2:", "**Rule 4.4:", "**Rule 5:", "**Rule 10:"]
        .iter()
        .map(|h| cited.find(h).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{cited}");
    assert_eq!(cited.matches("**Rule 4.4:").count(), 1);
}

/// `processCondemned` without the monotonic wait: Parallel deletes every condemned pod at once,
/// so the report names no order (spec §3).
#[test]
fn a_parallel_scale_down_is_reported_as_all_at_once_spec_3() {
    let text = include_str!("../../public/scenarios/inputs/web.yaml")
        .replace("serviceName: \"nginx\"", "serviceName: \"nginx\"\n  podManagementPolicy: Parallel");
    let mut s = Session::new(source::understand(&text).release, None, 3, FeatureGates::default()).unwrap();
    s.run_until_quiet();
    s.act(Action::Scale(1)).unwrap();
    s.run_until_quiet();
    let md = lab_report(&s, &ReportOptions::default());
    let down = task(&md, 2);
    assert!(down.contains("Scaling down deleted web-1 and web-2 together, without waiting"), "{down}");
    assert!(!down.contains("highest ordinal goes first"), "{down}");
}
