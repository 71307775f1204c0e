//! The model's helpers: Kubernetes defaults, claims and PVC names per ordinal.

use sts_lab::input::parse;
use sts_lab::model::{PodManagementPolicy, RetentionPolicyType, UpdateStrategyType};

const BARE: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";

#[test]
fn absent_fields_get_kubernetes_defaults() {
    let e = parse(BARE).statefulsets[0].effective();
    assert_eq!(e.replicas, 1);
    assert_eq!(e.pod_management_policy, PodManagementPolicy::OrderedReady);
    assert_eq!(e.update_strategy, UpdateStrategyType::RollingUpdate);
    assert_eq!(e.partition, 0);
    assert_eq!(e.when_deleted, RetentionPolicyType::Retain);
    assert_eq!(e.when_scaled, RetentionPolicyType::Retain);
    assert_eq!(e.ordinals_start, 0);
    assert_eq!(e.min_ready_seconds, 0);
}

#[test]
fn an_empty_pod_management_policy_is_the_default() {
    let text = BARE.replace("spec:\n  selector", "spec:\n  podManagementPolicy:\n  selector");
    let r = parse(&text);
    assert!(!r.has_errors());
    assert_eq!(
        r.statefulsets[0].effective().pod_management_policy,
        PodManagementPolicy::OrderedReady
    );
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
    assert_eq!(e.when_scaled, RetentionPolicyType::Delete);
    assert_eq!(e.when_deleted, RetentionPolicyType::Retain);
    assert_eq!(e.partition, 3);
}
