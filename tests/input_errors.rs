//! Errors: a line and a column in the whole paste, plain words, the offending line, and one bad
//! document never hides the others.

use sts_lab::input::parse;

const LAB_LOG: &str = include_str!("fixtures/helm-python-install-dry-run-debug.txt");
const LAB_MANIFEST: &str = include_str!("fixtures/helm-python-manifest.yaml");

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn a_syntax_error_in_a_helm_log_has_the_line_of_the_whole_paste() {
    let broken = LAB_LOG.replace("  type: ClusterIP\n  ports:", "  type: ClusterIP\n ports:");
    let r = parse(&broken);
    let e = r.errors().next().expect("error");
    let fault = line_of(&broken, " ports:");
    assert!(e.line.abs_diff(fault) <= 1, "error at {} for a fault at {fault}", e.line);
    assert!(e.snippet.is_some());
}

#[test]
fn one_bad_document_does_not_hide_the_others() {
    let broken = LAB_MANIFEST.replacen("kind: ConfigMap", "kind: ConfigMap\n  oops: [", 1);
    let r = parse(&broken);
    assert!(r.has_errors());
    assert_eq!(r.statefulsets.len(), 1);
    assert!(r.services.len() == 1);
}

#[test]
fn a_stray_line_is_reported_and_the_statefulset_still_read() {
    let broken = LAB_LOG.replace(
        "# Source: helm-python/templates/statefulset.yaml\n",
        "# Source: helm-python/templates/statefulset.yaml\n  selector:\n",
    );
    let r = parse(&broken);
    let e = r.errors().next().expect("error");
    let fault = line_of(&broken, "# Source: helm-python/templates/statefulset.yaml") + 1;
    assert!(e.line.abs_diff(fault) <= 2, "error at {} for a fault at {fault}", e.line);
    assert_eq!(r.statefulsets.len(), 1);
    assert_eq!(r.statefulsets[0].name(), "python-helm-python");
}

#[test]
fn a_type_error_points_at_the_field_line_with_its_path() {
    let broken = LAB_LOG.replace("  replicas: 1\n", "  replicas: three\n");
    let r = parse(&broken);
    let e = r.errors().next().expect("error");
    assert_eq!(e.line, line_of(&broken, "replicas: three"));
    assert_eq!(e.column, 3);
    assert!(e.message.contains("spec.replicas"), "{}", e.message);
}

#[test]
fn a_tab_in_the_indentation_is_explained() {
    let r = parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n");
    let e = r.errors().next().expect("error");
    assert_eq!(e.line, 4);
    assert!(e.message.contains("tab"), "{}", e.message);
}

#[test]
fn an_invalid_policy_name_is_an_error_at_its_line() {
    let broken = LAB_LOG.replace("  podManagementPolicy:\n", "  podManagementPolicy: parallel\n");
    let r = parse(&broken);
    let e = r.errors().next().expect("error");
    assert_eq!(e.line, line_of(&broken, "podManagementPolicy: parallel"));
    assert!(e.message.contains("OrderedReady"));
}

#[test]
fn a_selector_that_misses_the_template_labels_is_an_error() {
    let broken = LAB_LOG.replacen(
        "      app.kubernetes.io/instance: python\n  template:",
        "      app.kubernetes.io/instance: other\n  template:",
        1,
    );
    let r = parse(&broken);
    assert!(r.errors().any(|e| e.message.contains("selector")), "{:?}", r.diagnostics);
}

#[test]
fn a_dangling_secret_reference_is_listed() {
    let r = parse(LAB_LOG);
    let dangling: Vec<_> = r.statefulsets[0].dangling_references().map(|r| r.name.as_str()).collect();
    assert_eq!(dangling, vec!["secret-base"]);
    assert!(r.statefulsets[0].references.iter().any(|r| r.name == "env-configmap" && r.found));
}
