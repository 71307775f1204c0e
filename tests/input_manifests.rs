//! Rendered manifests in every shape students paste: multi-document, List, JSON, anchors,
//! flow style, duplicate keys, old API versions, unknown kinds.

use sts_lab::input::parse;
use sts_lab::model::{InputKind, PodManagementPolicy, UpdateStrategy};

const SVC_AND_STS: &str = "# a comment before anything\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: None\n  selector:\n    app: web\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n";

#[test]
fn multi_document_yaml_links_the_statefulset_to_its_headless_service() {
    let r = parse(SVC_AND_STS);
    assert_eq!(r.input, InputKind::Manifests);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let sts = &r.statefulsets[0];
    assert_eq!(sts.line, 11);
    assert_eq!(sts.governing_service_headless(), Some(true));
    assert_eq!(sts.selecting_services.len(), 1);
    assert_eq!(sts.pvc_names(), vec!["www-web-0", "www-web-1"]);
}

#[test]
fn kind_list_is_unwrapped_and_items_keep_their_lines() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: db\n  spec:\n    clusterIP: None\n- apiVersion: \"apps/v1beta1\"\n  kind: StatefulSet\n  metadata:\n    name: db\n  spec:\n    serviceName: db\n    template:\n      metadata:\n        labels:\n          app: db\n      spec:\n        containers:\n        - name: db\n          image: cassandra\n- apiVersion: batch/v1\n  kind: Job\n  metadata:\n    name: schema\n";
    let r = parse(text);
    let kinds: Vec<_> = r.objects.iter().map(|o| (o.kind.as_str(), o.line)).collect();
    assert_eq!(kinds, vec![("Service", 4), ("StatefulSet", 10), ("Job", 24)]);
    assert_eq!(r.statefulsets.len(), 1);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
}

#[test]
fn apps_v1beta1_and_a_missing_selector_are_accepted_with_warnings() {
    let text = "apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata:\n  name: zk\nspec:\n  serviceName: zk\n  template:\n    metadata:\n      labels:\n        app: zk\n    spec:\n      containers:\n      - name: zk\n        image: zk\n";
    let r = parse(text);
    assert!(!r.has_errors());
    let warnings: Vec<_> = r.warnings().map(|w| w.line).collect();
    assert!(warnings.contains(&1), "{warnings:?}");
    assert!(warnings.contains(&5), "{warnings:?}");
    let selector = r.statefulsets[0].object.spec.as_ref().unwrap().selector.match_labels.clone().unwrap();
    assert_eq!(selector.get("app").map(String::as_str), Some("zk"));
}

#[test]
fn json_manifests_are_read() {
    let text = r#"{
  "apiVersion": "apps/v1",
  "kind": "StatefulSet",
  "metadata": {"name": "es"},
  "spec": {
    "replicas": 2,
    "updateStrategy": {"type": "OnDelete"},
    "selector": {"matchLabels": {"app": "es"}},
    "template": {"metadata": {"labels": {"app": "es"}}, "spec": {"containers": [{"name": "es", "image": "es:8"}]}}
  }
}"#;
    let r = parse(text);
    assert_eq!(r.statefulsets[0].effective().strategy, UpdateStrategy::OnDelete);
    assert_eq!(r.statefulsets[0].effective().replicas, 2);
}

#[test]
fn json_syntax_errors_have_json_positions() {
    let r = parse("{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\"\n  \"metadata\": {}\n}\n");
    let e = r.errors().next().unwrap();
    assert_eq!(e.line, 4);
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: c\n  labels: &labels\n    app: c\nspec:\n  serviceName: c\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels: *labels\n    spec:\n      containers:\n      - name: c\n        image: c\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.statefulsets.len(), 1);
}

#[test]
fn flow_style_with_trailing_commas_is_read() {
    let text = "---\n{ apiVersion: apps/v1, kind: StatefulSet,\n  metadata: { name: rabbitmq, },\n  spec: { serviceName: rabbitmq, replicas: 1, podManagementPolicy: Parallel,\n    selector: { matchLabels: { app: r, }, },\n    template: { metadata: { labels: { app: r } }, spec: { containers: [ { name: r, image: rabbitmq, }, ], }, },\n  },\n}\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.statefulsets[0].effective().policy, PodManagementPolicy::Parallel);
}

#[test]
fn duplicate_keys_warn_at_the_second_key_and_the_last_one_wins() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  updateStrategy:\n    type: RollingUpdate\n  selector:\n    matchLabels:\n      app: r\n  template:\n    metadata:\n      labels:\n        app: r\n    spec:\n      containers:\n      - name: r\n        image: redis\n  updateStrategy:\n    type: OnDelete\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let w: Vec<_> = r.warnings().filter(|w| w.message.contains("duplicate")).collect();
    assert_eq!(w.len(), 1);
    assert_eq!((w[0].line, w[0].column), (19, 3));
    assert_eq!(r.statefulsets[0].effective().strategy, UpdateStrategy::OnDelete);
}

#[test]
fn unknown_kinds_are_kept_and_listed() {
    let text = "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m\n  namespace: mon\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: pdb\n";
    let r = parse(text);
    let kinds: Vec<_> = r.objects.iter().map(|o| o.kind.as_str()).collect();
    assert_eq!(kinds, vec!["ServiceMonitor", "PodDisruptionBudget"]);
    assert_eq!(r.objects[0].namespace.as_deref(), Some("mon"));
    assert!(!r.has_errors());
}

#[test]
fn yaml_1_1_octal_file_modes_read_like_kubectl() {
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: r\nspec:\n  selector:\n    matchLabels:\n      app: r\n  template:\n    metadata:\n      labels:\n        app: r\n    spec:\n      containers:\n      - name: r\n        image: redis\n      volumes:\n      - name: health\n        configMap:\n          name: health\n          defaultMode: 0755\n";
    let r = parse(text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let volumes =
        r.statefulsets[0].object.spec.as_ref().unwrap().template.spec.as_ref().unwrap().volumes.clone().unwrap();
    assert_eq!(volumes[0].config_map.as_ref().unwrap().default_mode, Some(0o755));
}

#[test]
fn a_file_ending_with_blank_lines_and_document_markers_is_fine() {
    let text = format!("---\n{SVC_AND_STS}\n...\n\n---\n\n");
    let r = parse(&text);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.objects.len(), 2);
}

#[test]
fn hooks_among_helm_template_output_are_hooks_not_running_objects() {
    let r = parse(include_str!("fixtures/helm-python-hooks.yaml"));
    assert_eq!(r.hooks.len(), 3);
    assert!(r.objects.iter().all(|o| o.section == sts_lab::model::Section::Hooks));
}
