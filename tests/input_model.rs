//! The model's helpers: Kubernetes defaults, claims and PVC names per ordinal.

use sts_lab::input::parse;
use sts_lab::model::{PodManagementPolicy, RetentionPolicy, UpdateStrategy};

const BARE: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

#[test]
fn absent_fields_get_kubernetes_defaults() {
    let e = parse(BARE).statefulsets[0].effective();
    assert_eq!(e.replicas, 1);
    assert_eq!(e.policy, PodManagementPolicy::OrderedReady);
    assert_eq!(e.strategy, UpdateStrategy::RollingUpdate);
    assert_eq!(e.partition, 0);
    assert_eq!(e.when_deleted, RetentionPolicy::Retain);
    assert_eq!(e.when_scaled, RetentionPolicy::Retain);
    assert_eq!(e.start, 0);
    assert_eq!(e.min_ready_seconds, 0);
}

#[test]
fn an_empty_pod_management_policy_is_the_default() {
    let text = BARE.replace("spec:\n  selector", "spec:\n  podManagementPolicy:\n  selector");
    let r = parse(&text);
    assert!(!r.has_errors());
    assert_eq!(r.statefulsets[0].effective().policy, PodManagementPolicy::OrderedReady);
}

#[test]
fn pvc_names_follow_claim_statefulset_ordinal_from_the_start_ordinal() {
    let text = BARE.replace(
        "spec:\n  selector",
        "spec:\n  replicas: 2\n  ordinals:\n    start: 5\n  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      storageClassName: fast\n      resources:\n        requests:\n          storage: 1Gi\n  selector",
    );
    let sts = &parse(&text).statefulsets[0];
    assert_eq!(sts.pvc_names(), vec!["data-web-5", "data-web-6"]);
    let claim = &sts.claims()[0];
    assert_eq!(claim.storage.as_deref(), Some("1Gi"));
    assert_eq!(claim.storage_class_name.as_deref(), Some("fast"));
    assert_eq!(claim.access_modes, vec!["ReadWriteOnce"]);
}

#[test]
fn retention_and_partition_are_read_as_written() {
    let text = BARE.replace(
        "spec:\n  selector",
        "spec:\n  persistentVolumeClaimRetentionPolicy:\n    whenScaled: Delete\n  updateStrategy:\n    rollingUpdate:\n      partition: 3\n  selector",
    );
    let e = parse(&text).statefulsets[0].effective();
    assert_eq!(e.when_scaled, RetentionPolicy::Delete);
    assert_eq!(e.when_deleted, RetentionPolicy::Retain);
    assert_eq!(e.partition, 3);
}

#[test]
fn the_defaulted_object_has_what_the_api_server_would_store() {
    let sts = &parse(BARE).statefulsets[0];
    let spec = sts.defaulted().spec.unwrap();
    assert_eq!(spec.replicas, Some(1));
    assert_eq!(spec.pod_management_policy.as_deref(), Some("OrderedReady"));
    assert_eq!(spec.revision_history_limit, Some(10));
    let strategy = spec.update_strategy.unwrap();
    assert_eq!(strategy.type_.as_deref(), Some("RollingUpdate"));
    assert_eq!(strategy.rolling_update.unwrap().partition, Some(0));
    let retention = spec.persistent_volume_claim_retention_policy.unwrap();
    assert_eq!(retention.when_deleted.as_deref(), Some("Retain"));
    assert_eq!(retention.when_scaled.as_deref(), Some("Retain"));
}

#[test]
fn hooks_run_by_weight_then_name_within_a_phase() {
    let hook = |name: &str, weight: i32| {
        format!("---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: \"{weight}\"\n")
    };
    let text = [hook("c", 5), hook("b", -1), hook("a", 5)].concat();
    let r = parse(&text);
    let order: Vec<_> =
        r.hooks_for(&sts_lab::model::HookPhase::PreInstall).iter().map(|h| h.name.clone().unwrap()).collect();
    assert_eq!(order, vec!["b", "a", "c"]);
}

#[test]
fn a_governing_service_in_another_namespace_does_not_count() {
    let text = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: other\nspec:\n  clusterIP: None\n---\n{}",
        BARE.replace("spec:\n  selector", "spec:\n  serviceName: web\n  selector")
    );
    let r = parse(&text);
    assert!(r.statefulsets[0].governing_service.is_none());
}
