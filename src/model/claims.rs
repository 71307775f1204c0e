//! volumeClaimTemplates and the PersistentVolumeClaim each one gives a pod.
//!
//! The controller names a pod's claim `<template>-<statefulset>-<ordinal>` (stateful_set_utils.go,
//! getPersistentVolumeClaimName); that name is what survives a pod's deletion and re-binds it.

use k8s_openapi::api::core::v1::PersistentVolumeClaim;
use serde::Serialize;

/// One claim template, reduced to what a student reads on a PVC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    pub name: String,
    /// `resources.requests.storage`, as written (`1Gi`).
    pub storage: Option<String>,
    pub access_modes: Vec<String>,
    pub storage_class_name: Option<String>,
}

impl Claim {
    pub fn from_template(template: &PersistentVolumeClaim) -> Self {
        let spec = template.spec.as_ref();
        Self {
            name: template.metadata.name.clone().unwrap_or_default(),
            storage: spec
                .and_then(|s| s.resources.as_ref())
                .and_then(|r| r.requests.as_ref())
                .and_then(|r| r.get("storage"))
                .map(|q| q.0.clone()),
            access_modes: spec.and_then(|s| s.access_modes.clone()).unwrap_or_default(),
            storage_class_name: spec.and_then(|s| s.storage_class_name.clone()),
        }
    }

    /// The claim the controller creates for the pod with this ordinal.
    pub fn pvc_name(&self, statefulset: &str, ordinal: i32) -> String {
        crate::engine::cluster::claim_name(&self.name, statefulset, ordinal)
    }
}
