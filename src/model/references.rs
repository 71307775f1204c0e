//! The ConfigMaps, Secrets and ServiceAccount a pod template names. A dangling one is the most
//! common reason a lab pod stays in `ContainerCreating` (volume) or `CreateContainerConfigError`
//! (env), so the lab says which names the paste does not define.

use k8s_openapi::api::core::v1::PodSpec;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReferenceKind {
    ConfigMap,
    Secret,
    ServiceAccount,
}

impl ReferenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfigMap => "ConfigMap",
            Self::Secret => "Secret",
            Self::ServiceAccount => "ServiceAccount",
        }
    }
}

/// One name the pod template points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub kind: ReferenceKind,
    pub name: String,
    /// Where in the pod template, e.g. `volume config` or `env MY_PASS (container app)`.
    pub used_by: String,
    /// `optional: true` references do not block the pod when missing.
    pub optional: bool,
    /// Whether the paste defines an object of that kind and name (the `default` ServiceAccount
    /// always exists in a namespace, so it counts as found).
    pub found: bool,
}

impl Reference {
    pub fn is_dangling(&self) -> bool {
        !self.found
    }
}

/// Every reference in a pod spec, with `found` still false: `input` resolves them against the paste.
pub fn collect(pod: &PodSpec) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut push = |kind, name: &str, used_by: String, optional: Option<bool>| {
        if name.is_empty() {
            return;
        }
        out.push(Reference {
            kind,
            name: name.to_string(),
            used_by,
            optional: optional.unwrap_or(false),
            found: false,
        });
    };
    if let Some(sa) = pod.service_account_name.as_deref().or(pod.service_account.as_deref()) {
        push(ReferenceKind::ServiceAccount, sa, "serviceAccountName".into(), None);
    }
    for secret in pod.image_pull_secrets.iter().flatten() {
        push(ReferenceKind::Secret, &secret.name, "imagePullSecrets".into(), None);
    }
    for volume in pod.volumes.iter().flatten() {
        let used_by = format!("volume {}", volume.name);
        if let Some(cm) = &volume.config_map {
            push(ReferenceKind::ConfigMap, &cm.name, used_by.clone(), cm.optional);
        }
        if let Some(secret) = &volume.secret {
            push(ReferenceKind::Secret, secret.secret_name.as_deref().unwrap_or(""), used_by.clone(), secret.optional);
        }
        for source in volume.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(cm) = &source.config_map {
                push(ReferenceKind::ConfigMap, &cm.name, used_by.clone(), cm.optional);
            }
            if let Some(secret) = &source.secret {
                push(ReferenceKind::Secret, &secret.name, used_by.clone(), secret.optional);
            }
        }
    }
    let containers = pod.init_containers.iter().flatten().chain(pod.containers.iter());
    for container in containers {
        for env in container.env.iter().flatten() {
            let Some(from) = &env.value_from else {
                continue;
            };
            let used_by = format!("env {} (container {})", env.name, container.name);
            if let Some(key) = &from.config_map_key_ref {
                push(ReferenceKind::ConfigMap, &key.name, used_by.clone(), key.optional);
            }
            if let Some(key) = &from.secret_key_ref {
                push(ReferenceKind::Secret, &key.name, used_by, key.optional);
            }
        }
        for env_from in container.env_from.iter().flatten() {
            let used_by = format!("envFrom (container {})", container.name);
            if let Some(cm) = &env_from.config_map_ref {
                push(ReferenceKind::ConfigMap, &cm.name, used_by.clone(), cm.optional);
            }
            if let Some(secret) = &env_from.secret_ref {
                push(ReferenceKind::Secret, &secret.name, used_by, secret.optional);
            }
        }
    }
    out
}
