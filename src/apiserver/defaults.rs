//! Defaulting as the API server does it on every write (create, update, patch, apply), before
//! validation and before the object is stored: `SetObjectDefaults_StatefulSet` from
//! `pkg/apis/apps/v1/zz_generated.defaults.go`, i.e. `SetDefaults_StatefulSet`
//! (`pkg/apis/apps/v1/defaults.go`) and, for the pod template and the claim templates, the core
//! defaulters of `pkg/apis/core/v1/defaults.go` (`SetDefaults_PodSpec`, `SetDefaults_Container`,
//! `SetDefaults_Probe`, `SetDefaults_HTTPGetAction`, `SetDefaults_Volume`, ...), plus the declarative
//! `+default=` markers of `k8s.io/api/core/v1/types.go` (a container port's `protocol: TCP`, a gRPC
//! probe's `service: ""`). `SetDefaults_Service` is here too, for the Services of a release.
//!
//! The controller only ever sees stored objects, so every rule of the engine reads a defaulted
//! object, and the ControllerRevision hash is computed from the defaulted template: a manifest
//! that spells out a default (`imagePullPolicy: IfNotPresent`, `protocol: TCP`) is the same object.
//!
//! Not modelled (nothing in the lab reads them, and the manifests it takes rarely use them):
//! `SetDefaults_ResourceList`'s rounding of quantities to milli-units, the defaults of the legacy
//! in-tree volume plugins (iSCSI, RBD, AzureDisk, ScaleIO), and `SetDefaults_Pod` (pods only,
//! never templates).

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy,
};
use k8s_openapi::api::core::v1::{
    Container, HTTPGetAction, PersistentVolumeClaim, PersistentVolumeClaimSpec, PodSecurityContext, PodSpec, Probe,
    Service, Volume,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `v1.TerminationMessagePathDefault`.
pub const TERMINATION_MESSAGE_PATH_DEFAULT: &str = "/dev/termination-log";
/// `v1.DefaultTerminationGracePeriodSeconds`.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// `v1.DefaultSchedulerName`.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// `v1.SecretVolumeSourceDefaultMode` and its siblings: 0644.
pub const VOLUME_SOURCE_DEFAULT_MODE: i32 = 0o644;

/// The feature gates that change defaulting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DefaultingGates {
    /// `MaxUnavailableStatefulSet`: `rollingUpdate.maxUnavailable` defaults to 1 only while on.
    pub max_unavailable_stateful_set: bool,
}

/// `SetObjectDefaults_StatefulSet`: everything the API server fills in on a StatefulSet.
pub fn set_object_defaults_stateful_set(obj: &mut StatefulSet, gates: DefaultingGates) {
    set_defaults_stateful_set(obj, gates);
    let spec = obj.spec.get_or_insert_with(Default::default);
    set_defaults_pod_spec(spec.template.spec.get_or_insert_with(Default::default));
    for claim in spec.volume_claim_templates.iter_mut().flatten() {
        set_defaults_persistent_volume_claim(claim);
    }
}

/// `SetDefaults_StatefulSet` (apps/v1): podManagementPolicy OrderedReady; updateStrategy RollingUpdate
/// with a `rollingUpdate` block only when `type` was omitted; partition 0 whenever that block exists;
/// maxUnavailable 1 with the gate on; retention Retain/Retain; replicas 1; revisionHistoryLimit 10.
pub fn set_defaults_stateful_set(obj: &mut StatefulSet, gates: DefaultingGates) {
    let spec = obj.spec.get_or_insert_with(Default::default);
    if spec.pod_management_policy.as_deref().is_none_or(str::is_empty) {
        spec.pod_management_policy = Some("OrderedReady".into());
    }
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    if strategy.type_.as_deref().is_none_or(str::is_empty) {
        strategy.type_ = Some("RollingUpdate".into());
        if strategy.rolling_update.is_none() {
            strategy.rolling_update = Some(RollingUpdateStatefulSetStrategy::default());
        }
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        if let Some(ru) = strategy.rolling_update.as_mut() {
            if ru.partition.is_none() {
                ru.partition = Some(0);
            }
            if gates.max_unavailable_stateful_set && ru.max_unavailable.is_none() {
                ru.max_unavailable = Some(IntOrString::Int(1));
            }
        }
    }
    // StatefulSetAutoDeletePVC is GA (locked on): the policy is always filled in.
    let policy = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(StatefulSetPersistentVolumeClaimRetentionPolicy::default);
    if policy.when_deleted.as_deref().is_none_or(str::is_empty) {
        policy.when_deleted = Some("Retain".into());
    }
    if policy.when_scaled.as_deref().is_none_or(str::is_empty) {
        policy.when_scaled = Some("Retain".into());
    }
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
}

fn fill(field: &mut Option<String>, value: &str) {
    if field.as_deref().is_none_or(str::is_empty) {
        *field = Some(value.to_string());
    }
}

/// `SetDefaults_PodSpec` and the defaulters of everything inside a pod template's spec.
pub fn set_defaults_pod_spec(obj: &mut PodSpec) {
    fill(&mut obj.dns_policy, "ClusterFirst");
    fill(&mut obj.restart_policy, "Always");
    if obj.security_context.is_none() {
        obj.security_context = Some(PodSecurityContext::default());
    }
    if obj.termination_grace_period_seconds.is_none() {
        obj.termination_grace_period_seconds = Some(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    fill(&mut obj.scheduler_name, DEFAULT_SCHEDULER_NAME);
    for volume in obj.volumes.iter_mut().flatten() {
        set_defaults_volume(volume);
    }
    for c in obj.init_containers.iter_mut().flatten().chain(obj.containers.iter_mut()) {
        set_defaults_container(c);
    }
}

/// `ParseImageName`'s tag: the one after the last `:` of the last path component; an image with
/// neither tag nor digest is `latest`.
pub fn image_tag(image: &str) -> Option<&str> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.rsplit_once(':') {
        Some((_, tag)) => Some(tag),
        None if digest.is_none() => Some("latest"),
        None => None,
    }
}

/// `SetDefaults_Container` (imagePullPolicy from the tag, termination message path and policy),
/// with the nested defaulters zz_generated.defaults.go calls for a container.
pub fn set_defaults_container(obj: &mut Container) {
    if obj.image_pull_policy.as_deref().is_none_or(str::is_empty) {
        let latest = image_tag(obj.image.as_deref().unwrap_or_default()) == Some("latest");
        obj.image_pull_policy = Some(if latest { "Always" } else { "IfNotPresent" }.into());
    }
    fill(&mut obj.termination_message_path, TERMINATION_MESSAGE_PATH_DEFAULT);
    fill(&mut obj.termination_message_policy, "File");
    for port in obj.ports.iter_mut().flatten() {
        // `+default="TCP"` on ContainerPort.Protocol.
        fill(&mut port.protocol, "TCP");
    }
    for env in obj.env.iter_mut().flatten() {
        if let Some(field_ref) = env.value_from.as_mut().and_then(|v| v.field_ref.as_mut()) {
            // SetDefaults_ObjectFieldSelector.
            fill(&mut field_ref.api_version, "v1");
        }
    }
    for probe in [&mut obj.liveness_probe, &mut obj.readiness_probe, &mut obj.startup_probe].into_iter().flatten() {
        set_defaults_probe(probe);
    }
    if let Some(lifecycle) = obj.lifecycle.as_mut() {
        for handler in [&mut lifecycle.post_start, &mut lifecycle.pre_stop].into_iter().flatten() {
            if let Some(http) = handler.http_get.as_mut() {
                set_defaults_http_get_action(http);
            }
        }
    }
}

/// `SetDefaults_Probe`: timeoutSeconds 1, periodSeconds 10, successThreshold 1, failureThreshold 3;
/// an httpGet gets path `/` and scheme HTTP; a gRPC probe's `service` defaults to `""`.
pub fn set_defaults_probe(obj: &mut Probe) {
    let zero = |v: &mut Option<i32>, d: i32| {
        if v.is_none_or(|v| v == 0) {
            *v = Some(d);
        }
    };
    zero(&mut obj.timeout_seconds, 1);
    zero(&mut obj.period_seconds, 10);
    zero(&mut obj.success_threshold, 1);
    zero(&mut obj.failure_threshold, 3);
    if let Some(http) = obj.http_get.as_mut() {
        set_defaults_http_get_action(http);
    }
    if let Some(grpc) = obj.grpc.as_mut() {
        if grpc.service.is_none() {
            grpc.service = Some(String::new());
        }
    }
}

/// `SetDefaults_HTTPGetAction`.
pub fn set_defaults_http_get_action(obj: &mut HTTPGetAction) {
    fill(&mut obj.path, "/");
    fill(&mut obj.scheme, "HTTP");
}

/// `SetDefaults_Volume` (a volume with no source is an emptyDir) and the defaulters of its source:
/// secret, configMap, downwardAPI and projected `defaultMode` 0644, a downward field's `apiVersion`
/// v1, a projected token's `expirationSeconds` 3600, hostPath `type: ""`, an ephemeral volume's
/// claim template `volumeMode: Filesystem`.
pub fn set_defaults_volume(obj: &mut Volume) {
    let only_name = crate::apiserver::codec::to_value(&*obj)
        .ok()
        .and_then(|v| v.as_object().map(|m| m.len() <= 1))
        .unwrap_or(false);
    if only_name {
        obj.empty_dir = Some(Default::default());
    }
    let mode = |m: &mut Option<i32>| {
        if m.is_none() {
            *m = Some(VOLUME_SOURCE_DEFAULT_MODE);
        }
    };
    if let Some(s) = obj.secret.as_mut() {
        mode(&mut s.default_mode);
    }
    if let Some(s) = obj.config_map.as_mut() {
        mode(&mut s.default_mode);
    }
    if let Some(s) = obj.downward_api.as_mut() {
        mode(&mut s.default_mode);
        for item in s.items.iter_mut().flatten() {
            if let Some(f) = item.field_ref.as_mut() {
                fill(&mut f.api_version, "v1");
            }
        }
    }
    if let Some(s) = obj.projected.as_mut() {
        mode(&mut s.default_mode);
        for source in s.sources.iter_mut().flatten() {
            for item in source.downward_api.iter_mut().flat_map(|d| d.items.iter_mut().flatten()) {
                if let Some(f) = item.field_ref.as_mut() {
                    fill(&mut f.api_version, "v1");
                }
            }
            if let Some(t) = source.service_account_token.as_mut() {
                if t.expiration_seconds.is_none() {
                    t.expiration_seconds = Some(3600);
                }
            }
        }
    }
    if let Some(h) = obj.host_path.as_mut() {
        if h.type_.is_none() {
            h.type_ = Some(String::new());
        }
    }
    if let Some(t) = obj.ephemeral.as_mut().and_then(|e| e.volume_claim_template.as_mut()) {
        set_defaults_persistent_volume_claim_spec(&mut t.spec);
    }
}

/// `SetDefaults_PersistentVolumeClaim` (status phase Pending: a claim template is stored with it)
/// and `SetDefaults_PersistentVolumeClaimSpec` (volumeMode Filesystem).
pub fn set_defaults_persistent_volume_claim(obj: &mut PersistentVolumeClaim) {
    let status = obj.status.get_or_insert_with(Default::default);
    fill(&mut status.phase, "Pending");
    set_defaults_persistent_volume_claim_spec(obj.spec.get_or_insert_with(Default::default));
}

/// `SetDefaults_PersistentVolumeClaimSpec`.
pub fn set_defaults_persistent_volume_claim_spec(obj: &mut PersistentVolumeClaimSpec) {
    fill(&mut obj.volume_mode, "Filesystem");
}

/// `SetDefaults_Service`: sessionAffinity None, type ClusterIP, each port TCP with targetPort = port,
/// internalTrafficPolicy Cluster; externalTrafficPolicy Cluster and allocateLoadBalancerNodePorts for
/// externally reachable types.
pub fn set_defaults_service(obj: &mut Service) {
    let spec = obj.spec.get_or_insert_with(Default::default);
    fill(&mut spec.session_affinity, "None");
    if spec.session_affinity.as_deref() == Some("None") {
        spec.session_affinity_config = None;
    }
    fill(&mut spec.type_, "ClusterIP");
    for port in spec.ports.iter_mut().flatten() {
        fill(&mut port.protocol, "TCP");
        let unset = match &port.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::String(s)) => s.is_empty(),
            _ => false,
        };
        if unset {
            port.target_port = Some(IntOrString::Int(port.port));
        }
    }
    let ty = spec.type_.clone().unwrap_or_default();
    let external = matches!(ty.as_str(), "NodePort" | "LoadBalancer")
        || spec.external_ips.as_ref().is_some_and(|ips| !ips.is_empty());
    if external {
        fill(&mut spec.external_traffic_policy, "Cluster");
    }
    if spec.internal_traffic_policy.is_none() && matches!(ty.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        spec.internal_traffic_policy = Some("Cluster".into());
    }
    if ty == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_defaults_container_pull_policy_follows_the_tag() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("registry.k8s.io/nginx-slim:0.8", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:1.0", "IfNotPresent"),
            ("nginx@sha256:abc", "IfNotPresent"),
        ] {
            let mut c = Container { name: "c".into(), image: Some(image.into()), ..Default::default() };
            set_defaults_container(&mut c);
            assert_eq!(c.image_pull_policy.as_deref(), Some(want), "{image}");
            assert_eq!(c.termination_message_path.as_deref(), Some("/dev/termination-log"));
            assert_eq!(c.termination_message_policy.as_deref(), Some("File"));
        }
    }

    #[test]
    fn set_defaults_stateful_set_adds_rolling_update_only_when_type_omitted() {
        let mut s = StatefulSet::default();
        set_object_defaults_stateful_set(&mut s, DefaultingGates::default());
        let spec = s.spec.as_ref().unwrap();
        let ru = spec.update_strategy.as_ref().unwrap().rolling_update.as_ref().unwrap();
        assert_eq!(ru.partition, Some(0));
        assert_eq!(ru.max_unavailable, None);
        assert_eq!(spec.replicas, Some(1));
        assert_eq!(spec.revision_history_limit, Some(10));
        assert_eq!(spec.pod_management_policy.as_deref(), Some("OrderedReady"));
        let pod = spec.template.spec.as_ref().unwrap();
        assert_eq!(pod.restart_policy.as_deref(), Some("Always"));
        assert_eq!(pod.dns_policy.as_deref(), Some("ClusterFirst"));
        assert_eq!(pod.scheduler_name.as_deref(), Some("default-scheduler"));
        assert_eq!(pod.termination_grace_period_seconds, Some(30));

        let mut s: StatefulSet =
            serde_json::from_value(serde_json::json!({"spec": {"updateStrategy": {"type": "RollingUpdate"}}})).unwrap();
        set_object_defaults_stateful_set(&mut s, DefaultingGates { max_unavailable_stateful_set: true });
        assert_eq!(s.spec.unwrap().update_strategy.unwrap().rolling_update, None);
    }

    #[test]
    fn defaulting_is_idempotent() {
        let mut s: StatefulSet = serde_json::from_value(serde_json::json!({
            "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x:1",
                "ports": [{"containerPort": 80}],
                "readinessProbe": {"httpGet": {"port": 80}}}],
                "volumes": [{"name": "v"}]}},
             "volumeClaimTemplates": [{"metadata": {"name": "www"}}]}
        }))
        .unwrap();
        set_object_defaults_stateful_set(&mut s, DefaultingGates::default());
        let once = s.clone();
        set_object_defaults_stateful_set(&mut s, DefaultingGates::default());
        assert_eq!(s, once);
        let pod = once.spec.as_ref().unwrap().template.spec.as_ref().unwrap();
        assert_eq!(pod.containers[0].ports.as_ref().unwrap()[0].protocol.as_deref(), Some("TCP"));
        let probe = pod.containers[0].readiness_probe.as_ref().unwrap();
        assert_eq!((probe.timeout_seconds, probe.period_seconds), (Some(1), Some(10)));
        assert_eq!((probe.success_threshold, probe.failure_threshold), (Some(1), Some(3)));
        assert_eq!(probe.http_get.as_ref().unwrap().scheme.as_deref(), Some("HTTP"));
        assert!(pod.volumes.as_ref().unwrap()[0].empty_dir.is_some());
        let claim = &once.spec.as_ref().unwrap().volume_claim_templates.as_ref().unwrap()[0];
        assert_eq!(claim.spec.as_ref().unwrap().volume_mode.as_deref(), Some("Filesystem"));
        assert_eq!(claim.status.as_ref().unwrap().phase.as_deref(), Some("Pending"));
    }
}
