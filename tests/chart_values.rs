//! Issue #6: values merged as `helm install -f a.yaml -f b.yaml` merges them, output in Helm's
//! kind install order with hooks apart, subcharts and their globals.

use sts_lab::chart::{render, Chart, RenderOptions};

fn chart(files: &[(&str, &str)]) -> Chart {
    let mut all = vec![("Chart.yaml".to_string(), "apiVersion: v2\nname: c\nversion: 1.0.0\n".to_string())];
    all.extend(files.iter().map(|(p, t)| (p.to_string(), t.to_string())));
    Chart::from_files(all).unwrap()
}

fn opts(values: &[&str]) -> RenderOptions {
    RenderOptions { user_values: values.iter().map(|v| v.to_string()).collect(), ..RenderOptions::default() }
}

#[test]
fn user_files_merge_left_to_right_over_chart_defaults() {
    let c = chart(&[
        ("values.yaml", "a: 1\nm:\n  x: 1\n  w: 2\ngone: here\nlist: [1, 2]\n"),
        ("templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: cm\ndata:\n{{ toYaml .Values | indent 2 }}\n"),
    ]);
    let r = render(&c, &opts(&["m:\n  w: 20\nlist: [9]\n", "a: 3\nm:\n  z: 30\ngone: null\n"])).unwrap();
    assert_eq!(r.computed_values, "a: 3\nlist:\n- 9\nm:\n  w: 20\n  x: 1\n  z: 30\n");
    assert_eq!(r.user_values, "a: 3\ngone: null\nlist:\n- 9\nm:\n  w: 20\n  z: 30\n");
}

#[test]
fn bad_user_values_are_a_values_error() {
    let c = chart(&[]);
    let e = render(&c, &opts(&["a: [1"])).unwrap_err();
    assert_eq!(e.kind, sts_lab::chart::ChartErrorKind::Values);
}

#[test]
fn kinds_in_install_order_same_kind_in_file_order_hooks_apart() {
    let c = chart(&[
        ("templates/a-deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n"),
        ("templates/b-svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n"),
        ("templates/c-crd.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"),
        ("templates/d-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm2\n"),
        ("templates/c-cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm1\n"),
        ("templates/e-sts.yaml", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n"),
        ("templates/hook.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n"),
        ("templates/empty.yaml", "{{- if false }}\nkind: Secret\n{{- end }}\n"),
    ]);
    let r = render(&c, &RenderOptions::default()).unwrap();
    let order: Vec<(&str, &str)> = r.manifests.iter().map(|m| (m.kind.as_str(), m.name.as_str())).collect();
    assert_eq!(
        order,
        [
            ("Namespace", "n"),
            ("ConfigMap", "cm1"),
            ("ConfigMap", "cm2"),
            ("Service", "s"),
            ("Deployment", "d"),
            ("StatefulSet", "web"),
            ("Widget", "w")
        ]
    );
    assert_eq!(r.hooks.len(), 1);
    assert_eq!(r.hooks[0].events, ["pre-install", "pre-upgrade"]);
    assert_eq!(r.hooks[0].weight, -5);
    let out = r.helm_template_output();
    assert!(out.starts_with("---\n# Source: c/templates/b-svc.yaml\napiVersion: v1\nkind: Namespace\n"), "{out}");
    assert!(out.ends_with("---\n# Source: c/templates/hook.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n"), "{out}");
    assert!(r.helm_debug_output().contains("TEST SUITE: None\n"));
}

#[test]
fn subcharts_get_their_section_and_globals_library_charts_render_nothing() {
    let c = chart(&[
        ("values.yaml", "global:\n  env: prod\nsub:\n  port: 81\n"),
        ("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n"),
        ("charts/sub/values.yaml", "port: 80\nname: s\n"),
        ("charts/sub/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}-{{ .Values.port }}-{{ .Values.global.env }}-{{ .Chart.Name }}\n"),
        ("charts/lib/Chart.yaml", "apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n"),
        ("charts/lib/templates/_x.tpl", "{{- define \"lib.hello\" -}}hello {{ . }}{{- end }}"),
        ("charts/lib/templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: never\n"),
        ("templates/cm.yaml", "kind: ConfigMap\nmetadata:\n  name: {{ include \"lib.hello\" \"x\" | replace \" \" \"-\" }}\n"),
    ]);
    let r = render(&c, &RenderOptions::default()).unwrap();
    let names: Vec<(&str, &str)> = r.manifests.iter().map(|m| (m.source.as_str(), m.name.as_str())).collect();
    assert_eq!(names, [("c/charts/sub/templates/cm.yaml", "s-81-prod-sub"), ("c/templates/cm.yaml", "hello-x")]);
    assert!(r.computed_values.contains("lib:\n  global:\n    env: prod\n"), "{}", r.computed_values);
}

#[test]
fn a_pasted_values_file_changes_the_lab_statefulset() {
    let c = Chart::builtin("helm-python").unwrap();
    let values = "replicaCount: 3\npodManagementPolicy: Parallel\nvolumeClaimTemplates:\n- metadata:\n    name: data\n  spec:\n    accessModes: [ReadWriteOnce]\n    resources:\n      requests:\n        storage: 1Gi\n";
    let r = render(&c, &RenderOptions { release_name: "python".into(), ..opts(&[values]) }).unwrap();
    let sts = r.manifests.iter().find(|m| m.kind == "StatefulSet").unwrap();
    assert!(sts.text.contains("  replicas: 3\n  podManagementPolicy: Parallel\n"), "{}", sts.text);
    assert!(sts.text.contains("  volumeClaimTemplates:\n  - metadata:\n      name: data\n"), "{}", sts.text);
    assert!(sts.text.contains("storage: 1Gi"));
}

#[test]
fn done_right_has_a_headless_service_governing_the_statefulset() {
    let c = Chart::builtin("done-right").unwrap();
    let r = render(&c, &RenderOptions { release_name: "web".into(), ..RenderOptions::default() }).unwrap();
    let headless = r.manifests.iter().find(|m| m.name == "web-done-right-headless").unwrap();
    assert!(headless.text.contains("clusterIP: None"));
    let sts = r.manifests.iter().find(|m| m.kind == "StatefulSet").unwrap();
    assert!(sts.text.contains("serviceName: web-done-right-headless"));
    assert!(sts.text.contains("volumeClaimTemplates:"));
    assert!(r.notes.contains("web-done-right-2.web-done-right-headless.default.svc.cluster.local"), "{}", r.notes);
    // Every built-in chart renders with its own defaults.
    for name in Chart::builtin_names() {
        render(&Chart::builtin(name).unwrap(), &RenderOptions::default()).unwrap();
    }
}

#[test]
fn chart_yaml_is_validated_as_helm_does() {
    let e = Chart::from_files(vec![("Chart.yaml", "apiVersion: v2\nname: c\n")]).unwrap_err();
    assert_eq!(e.message, "validation: chart.metadata.version is required");
    let e = Chart::from_files(vec![("templates/x.yaml", "a: 1")]).unwrap_err();
    assert_eq!(e.kind, sts_lab::chart::ChartErrorKind::Chart);
    // A common leading folder is accepted.
    let c = Chart::from_files(vec![
        ("mine/Chart.yaml", "apiVersion: v2\nname: mine\nversion: 1.0.0\n"),
        ("mine/values.yaml", "a: 1\n"),
    ])
    .unwrap();
    assert_eq!(c.name, "mine");
    assert_eq!(render(&c, &RenderOptions::default()).unwrap().computed_values, "a: 1\n");
}
