//! Label selectors: which Services send traffic to a StatefulSet's pods. A Service selects a pod
//! when every key/value of its `spec.selector` is among the pod's labels (an empty selector
//! selects nothing: such a Service has hand-managed endpoints).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Service;

/// Whether the Service's selector picks pods carrying these labels.
pub fn service_selects(service: &Service, pod_labels: &BTreeMap<String, String>) -> bool {
    match service.spec.as_ref().and_then(|s| s.selector.as_ref()) {
        Some(selector) if !selector.is_empty() => selector.iter().all(|(k, v)| pod_labels.get(k) == Some(v)),
        _ => false,
    }
}

/// A headless Service (`clusterIP: None`) gives each pod its own DNS name, which is what a
/// StatefulSet's governing Service is for.
pub fn is_headless(service: &Service) -> bool {
    service.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None")
}
