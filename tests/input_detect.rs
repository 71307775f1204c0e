//! Detection: what kind of paste it is, decided from its content alone.

use sts_lab::input::{parse, parse_as};
use sts_lab::model::InputKind;

const LAB_LOG: &str = include_str!("fixtures/helm-python-install-dry-run-debug.txt");
const LAB_MANIFEST: &str = include_str!("fixtures/helm-python-manifest.yaml");
const LAB_VALUES: &str = include_str!("fixtures/helm-python-values.yaml");

#[test]
fn helm_debug_log_is_detected_by_its_status_block_and_sections() {
    assert_eq!(parse(LAB_LOG).input, InputKind::HelmDebug);
}

#[test]
fn rendered_manifests_are_detected() {
    assert_eq!(parse(LAB_MANIFEST).input, InputKind::Manifests);
}

#[test]
fn a_values_file_has_no_objects_and_is_kept() {
    let release = parse(LAB_VALUES);
    assert_eq!(release.input, InputKind::Values);
    assert!(release.values.file.is_some());
    assert!(!release.has_errors());
}

#[test]
fn a_raw_template_is_named_plainly_not_reported_as_a_yaml_error() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ include \"app.fullname\" . }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n";
    let release = parse(text);
    assert_eq!(release.input, InputKind::Template);
    let errors: Vec<_> = release.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].column), (4, 9));
    assert!(errors[0].message.contains("Helm chart template"), "{}", errors[0].message);
    assert!(!errors[0].message.contains("invalid YAML"));
}

#[test]
fn template_text_inside_notes_and_annotations_of_a_helm_log_is_not_a_template() {
    let log = LAB_LOG.replace(
        "  kubectl --namespace default port-forward",
        "  kubectl get svc -o template --template \"{{ range (index .status.loadBalancer.ingress 0) }}{{.}}{{ end }}\"\n  kubectl --namespace default port-forward",
    );
    assert_eq!(parse(&log).input, InputKind::HelmDebug);
}

#[test]
fn vault_template_in_a_block_scalar_annotation_of_manifests_is_data() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    vault.hashicorp.com/agent-inject-template-config: |\n      {{- with secret \"internal/data/x\" -}}\n      {{ .Data.data.username }}\n      {{- end }}\nspec:\n  containers: []\n";
    let release = parse(text);
    assert_eq!(release.input, InputKind::Manifests);
    assert!(!release.has_errors(), "{:?}", release.diagnostics);
}

#[test]
fn the_kind_can_be_chosen_by_hand() {
    let release = parse_as(LAB_MANIFEST, InputKind::Values);
    assert_eq!(release.input, InputKind::Values);
    assert!(release.values.file.is_some());
}

#[test]
fn a_kubectl_get_table_is_named_plainly() {
    let r = parse(include_str!("fixtures/kubectl-get-po-sts-svc-pvc.txt"));
    let e = r.errors().next().expect("an error");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("kubectl get"), "{}", e.message);
}
