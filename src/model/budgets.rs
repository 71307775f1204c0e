//! The two objects of a paste that shape voluntary disruptions and volume placement, reduced to the
//! fields the lab simulates: a PodDisruptionBudget (policy/v1) and a StorageClass (storage.k8s.io/v1).
//! They are read field by field from the YAML (not through k8s-openapi's deserialisers, which would
//! cost the page more than the rest of the feature).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `kind: PodDisruptionBudget`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodDisruptionBudget {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `spec.minAvailable` (a number or a percentage).
    pub min_available: Option<IntOrString>,
    /// `spec.maxUnavailable`.
    pub max_unavailable: Option<IntOrString>,
    /// `spec.selector`; a budget without one selects no pod.
    pub selector: Option<LabelSelector>,
    /// `spec.unhealthyPodEvictionPolicy` (`IfHealthyBudget`, the default, or `AlwaysAllow`).
    pub unhealthy_pod_eviction_policy: Option<String>,
}

/// `kind: StorageClass`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StorageClass {
    pub name: String,
    pub provisioner: String,
    /// `volumeBindingMode`: `Immediate` (the default) or `WaitForFirstConsumer`.
    pub volume_binding_mode: Option<String>,
    /// The `topology.kubernetes.io/zone` values of `allowedTopologies`, in order, without repeats.
    pub zones: Vec<String>,
}
