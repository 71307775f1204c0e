//! Small inputs that reproduce, one by one, the quirks of real pastes (student lab reports,
//! upstream manifests): each test names the quirk it guards.

use sts_lab::input::parse;
use sts_lab::model::{InputKind, UpdateStrategy};

const LAB_LOG: &str = include_str!("fixtures/helm-python-install-dry-run-debug.txt");

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn a_stray_key_after_a_list_at_the_end_of_a_crlf_log_is_reported_at_its_line() {
    let broken = LAB_LOG
        .replace(
            "              subPath: config.json\n      volumes:",
            "              subPath: config.json\n            storage: 10Mi\n      volumes:",
        )
        .replace('\n', "\r\n");
    let r = parse(&broken);
    let e = r.errors().next().expect("error");
    assert!(e.line.abs_diff(line_of(&broken, "storage: 10Mi")) <= 2, "{e:?}");
    assert_eq!(r.statefulsets.len(), 1, "the StatefulSet is still read");
}

#[test]
fn unicode_prompts_and_non_ascii_chart_paths_are_preamble() {
    let log = LAB_LOG.replacen(
        "install.go:214",
        "❯ helm install --dry-run --debug python .\\app-python\\\ninstall.go:214",
        1,
    );
    let log = log.replace("C:\\Files\\Innopolis", "C:\\Users\\Angel\\Рабочий стол");
    let r = parse(&log);
    assert!(!r.has_errors());
    assert!(r.header.as_ref().unwrap().chart_path.as_deref().unwrap().contains("Рабочий стол"));
}

#[test]
fn a_vault_template_in_a_folded_single_quoted_scalar_is_data() {
    let log = LAB_LOG.replace(
        "        vault.hashicorp.com/role: internal-app\n      labels:",
        "        vault.hashicorp.com/role: internal-app\n        vault.hashicorp.com/agent-inject-template-x: '{{- with secret \"internal/data/db\" -}}\n          {{ .Data.data.password }}{{- end -}}'\n      labels:",
    );
    let r = parse(&log);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
}

#[test]
fn a_list_with_a_license_header_and_items_at_column_0_is_read() {
    let text = "#\n# Copyright 2017 The Jaeger Authors\n#\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: es\n  spec:\n    clusterIP: None\n    selector:\n      app: es\n- apiVersion: apps/v1\n  kind: StatefulSet\n  metadata:\n    name: es\n  spec:\n    serviceName: es\n    selector:\n      matchLabels:\n        app: es\n    template:\n      metadata:\n        labels:\n          app: es\n      spec:\n        containers:\n        - name: es\n          image: es\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.statefulsets[0].line, 15);
    assert_eq!(r.statefulsets[0].governing_service_headless(), Some(true));
}

#[test]
fn a_null_on_the_line_after_a_key_and_split_empty_collections_are_valid() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ingester\n  annotations:\nspec:\n  podManagementPolicy: Parallel\n  updateStrategy:\n    type: OnDelete\n  selector:\n    matchLabels:\n      app: i\n  template:\n    metadata:\n      labels:\n        app: i\n    spec:\n      initContainers:\n        []\n      nodeSelector:\n        {}\n      containers:\n        - name: i\n          image: mimir\n          livenessProbe:\n            null\n          env:\n          envFrom:\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.statefulsets[0].effective().strategy, UpdateStrategy::OnDelete);
}

#[test]
fn json_with_escaped_json_in_an_annotation_is_read() {
    let text = r#"{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"es","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"apps/v1beta2\",\"kind\":\"StatefulSet\"}\n"}},"spec":{"replicas":2,"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"es","image":"es"}]}}}}"#;
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.statefulsets[0].effective().replicas, 2);
}

#[test]
fn values_with_ampersands_in_comments_and_crlf_are_values() {
    let text = "## see https://example.com/?a=1&b=2\r\nreplicaCount: 2\r\nvolumeClaimTemplates:\r\n  - name: Data\r\n    size: 2Gi\r\n";
    let r = parse(text);
    assert_eq!(r.input, InputKind::Values);
    assert!(!r.has_errors());
    assert_eq!(r.values.file.as_ref().unwrap()["replicaCount"], yaml_serde::Value::from(2));
}

#[test]
fn a_template_still_lists_the_kinds_it_would_render() {
    let text = "{{- if .Values.statefulset.enabled }}\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {{ include \"app.fullname\" . }}\n{{- end }}\n";
    let r = parse(text);
    assert_eq!(r.input, InputKind::Template);
    let kinds: Vec<_> = r.objects.iter().map(|o| (o.kind.as_str(), o.line)).collect();
    assert_eq!(kinds, vec![("StatefulSet", 3)]);
}
