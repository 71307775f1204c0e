//! The namespace's ConfigMaps and Secrets (Kubernetes' "Configuration" objects) with their data
//! keys, and how the kubelet reads them when it starts a container: `makeEnvironmentVariables`
//! (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go) builds a container's environment from
//! `envFrom` and `env[].valueFrom`, and a Secret, ConfigMap or key that is missing and not
//! `optional` stops the container with `CreateContainerConfigError` ([`super::kubelet`]).
//!
//! What is in the cluster: the objects of the paste (helm installs them with the release), those
//! created or deleted from the terminal, and — unless the setting says otherwise — the objects the
//! pod template names that the paste does not define. Those are *assumed*: the lab chart's pods
//! read Secret `secret-base`, which the chart never creates, and they ran in the student's
//! cluster, so it was there. An assumed object has the keys the template asks for; a reference
//! marked `optional` proves nothing and is not assumed.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{ConfigMap, Container, PodSpec, Secret};
use serde::Serialize;

use super::clock::SimTime;

/// Which of the two kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ConfigKind {
    ConfigMap,
    Secret,
}

impl ConfigKind {
    /// The kind as written in a manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "ConfigMap",
            ConfigKind::Secret => "Secret",
        }
    }

    /// The resource the kubelet's managers name in their NotFound (pkg/kubelet/secret
    /// `NewWatchingSecretManager`: `corev1.Resource("secret")`; configmap likewise `"configmap"`),
    /// which apimachinery's `NewNotFound` prints as `secret "NAME" not found`.
    pub fn manager_resource(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "configmap",
            ConfigKind::Secret => "secret",
        }
    }

    /// The API resource (`secrets`), as the API server's errors name it.
    pub fn plural(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "configmaps",
            ConfigKind::Secret => "secrets",
        }
    }

    /// The command that creates one with a key (`kubectl create secret generic NAME --from-literal=KEY=…`).
    pub fn create_command(self, name: &str, key: &str) -> String {
        let key = if key.is_empty() { "KEY" } else { key };
        match self {
            ConfigKind::ConfigMap => format!("kubectl create configmap {name} --from-literal={key}=…"),
            ConfigKind::Secret => format!("kubectl create secret generic {name} --from-literal={key}=…"),
        }
    }
}

/// Where an object came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Origin {
    /// Defined in the paste (installed with the release).
    Paste,
    /// Named by the pod template, not in the paste: assumed to be in the cluster already.
    Assumed,
    /// Created in this session (`kubectl create secret|configmap`).
    Created,
}

/// One ConfigMap or Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigObject {
    pub kind: ConfigKind,
    pub name: String,
    /// A Secret's `type` (`Opaque` by default); empty for a ConfigMap.
    pub type_: String,
    /// Its keys with their values as text (a Secret's `data` decoded, `stringData` merged in as the
    /// API server does; a ConfigMap's `data` and `binaryData`). An assumed object's values are
    /// unknown and left empty.
    pub data: BTreeMap<String, String>,
    pub created_at: SimTime,
    pub origin: Origin,
}

/// What a container's environment could not be built from: the first reference
/// `makeEnvironmentVariables` fails on (envFrom first, then env, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    pub kind: ConfigKind,
    pub name: String,
    /// The key asked for (`env[].valueFrom.*KeyRef`); `None` for `envFrom`.
    pub key: Option<String>,
    /// The variable it was to set (`MY_PASS`); `None` for `envFrom`.
    pub variable: Option<String>,
    /// The object exists but lacks the key.
    pub missing_key: bool,
    /// The kubelet's own words: `secret "secret-base" not found`,
    /// `couldn't find key password in Secret default/secret-base`.
    pub message: String,
}

/// The ConfigMaps and Secrets of the namespace.
#[derive(Debug, Clone, Default)]
pub struct Configuration {
    /// By kind, then name (a handful: a Vec costs the wasm less than another BTreeMap).
    objects: Vec<ConfigObject>,
    /// The setting: Secrets and ConfigMaps the pod template names but the paste does not define
    /// are in the cluster already (true: the lab's default).
    pub(crate) assume_missing: bool,
    /// Deleted in this session: a later template naming it does not bring it back as assumed.
    deleted: Vec<(ConfigKind, String)>,
}

impl Configuration {
    /// The objects of the paste, created at time 0 with the release.
    pub fn from_paste(config_maps: &[ConfigMap], secrets: &[Secret], assume_missing: bool) -> Configuration {
        let mut c = Configuration { assume_missing, ..Configuration::default() };
        for cm in config_maps {
            let Some(name) = cm.metadata.name.clone().filter(|n| !n.is_empty()) else { continue };
            let mut data: BTreeMap<String, String> = cm.data.clone().unwrap_or_default();
            for k in cm.binary_data.iter().flat_map(|b| b.keys()) {
                data.insert(k.clone(), String::new());
            }
            c.insert(ConfigObject {
                kind: ConfigKind::ConfigMap,
                name,
                type_: String::new(),
                data,
                created_at: SimTime::ZERO,
                origin: Origin::Paste,
            });
        }
        for s in secrets {
            let Some(name) = s.metadata.name.clone().filter(|n| !n.is_empty()) else { continue };
            let mut data: BTreeMap<String, String> = BTreeMap::new();
            for (k, v) in s.data.iter().flatten() {
                data.insert(k.clone(), String::from_utf8_lossy(&v.0).into_owned());
            }
            // The API server merges stringData into data (pkg/apis/core/v1 conversion).
            for (k, v) in s.string_data.iter().flatten() {
                data.insert(k.clone(), v.clone());
            }
            c.insert(ConfigObject {
                kind: ConfigKind::Secret,
                name,
                type_: s.type_.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "Opaque".into()),
                data,
                created_at: SimTime::ZERO,
                origin: Origin::Paste,
            });
        }
        c
    }

    fn insert(&mut self, o: ConfigObject) {
        let at = self.objects.partition_point(|x| (x.kind, x.name.as_str()) < (o.kind, o.name.as_str()));
        match self.objects.get(at).filter(|x| x.kind == o.kind && x.name == o.name) {
            Some(_) => self.objects[at] = o,
            None => self.objects.insert(at, o),
        }
    }

    /// Whether objects the template names but nothing defines are taken to exist.
    pub fn assumes_missing(&self) -> bool {
        self.assume_missing
    }

    /// Whether it was deleted in this session (and not created again).
    pub fn was_deleted(&self, kind: ConfigKind, name: &str) -> bool {
        self.deleted.iter().any(|(k, n)| *k == kind && n == name)
    }

    pub fn get(&self, kind: ConfigKind, name: &str) -> Option<&ConfigObject> {
        self.objects.iter().find(|o| o.kind == kind && o.name == name)
    }

    /// The objects of one kind, by name (the API server's list order).
    pub fn of_kind(&self, kind: ConfigKind) -> impl Iterator<Item = &ConfigObject> {
        self.objects.iter().filter(move |o| o.kind == kind)
    }

    /// Every object, ConfigMaps first, by name.
    pub fn all(&self) -> impl Iterator<Item = &ConfigObject> {
        self.objects.iter()
    }

    /// With the setting on, adds what `spec` names and nothing defines (and the keys it asks of an
    /// object assumed before). Optional references prove nothing and are skipped, and so is what
    /// was deleted in this session.
    pub(crate) fn assume_references(&mut self, spec: &PodSpec) {
        if !self.assume_missing {
            return;
        }
        for (kind, name, key) in required_references(spec) {
            if self.was_deleted(kind, &name) {
                continue;
            }
            if self.get(kind, &name).is_none() {
                self.insert(ConfigObject {
                    kind,
                    name: name.clone(),
                    type_: if kind == ConfigKind::Secret { "Opaque".into() } else { String::new() },
                    data: BTreeMap::new(),
                    created_at: SimTime::ZERO,
                    origin: Origin::Assumed,
                });
            }
            let entry = self.objects.iter_mut().find(|o| o.kind == kind && o.name == name).expect("inserted");
            if let (Origin::Assumed, Some(k)) = (entry.origin, key) {
                entry.data.entry(k).or_default();
            }
        }
    }

    /// `kubectl create secret generic|configmap`: the API server's `AlreadyExists` message when taken.
    pub(crate) fn create(
        &mut self,
        kind: ConfigKind,
        name: &str,
        data: &[(String, String)],
        at: SimTime,
    ) -> Result<(), String> {
        if self.get(kind, name).is_some() {
            return Err(format!("{} \"{name}\" already exists", kind.plural()));
        }
        self.deleted.retain(|(k, n)| !(*k == kind && n == name));
        self.insert(ConfigObject {
            kind,
            name: name.to_string(),
            type_: if kind == ConfigKind::Secret { "Opaque".into() } else { String::new() },
            data: data.iter().cloned().collect(),
            created_at: at,
            origin: Origin::Created,
        });
        Ok(())
    }

    /// `kubectl delete secret|configmap NAME`: the object, if it was there.
    pub(crate) fn delete(&mut self, kind: ConfigKind, name: &str) -> Option<ConfigObject> {
        let at = self.objects.iter().position(|o| o.kind == kind && o.name == name)?;
        let gone = self.objects.remove(at);
        self.deleted.push((kind, name.to_string()));
        Some(gone)
    }

    /// kubelet_pods.go `makeEnvironmentVariables`, for the ConfigMaps and Secrets it reads: envFrom
    /// first (a missing object fails unless optional), then each env var's `configMapKeyRef` /
    /// `secretKeyRef` (a missing object or key fails unless optional). The first failure is returned,
    /// with the message the kubelet writes.
    pub fn make_environment(&self, namespace: &str, container: &Container) -> Result<(), EnvError> {
        let not_found = |kind: ConfigKind, name: &str| format!("{} \"{name}\" not found", kind.manager_resource());
        for from in container.env_from.iter().flatten() {
            let refs = [
                from.config_map_ref.as_ref().map(|r| (ConfigKind::ConfigMap, &r.name, r.optional)),
                from.secret_ref.as_ref().map(|r| (ConfigKind::Secret, &r.name, r.optional)),
            ];
            // Go's `switch`: configMapRef wins when both are set.
            if let Some((kind, name, optional)) = refs.into_iter().flatten().next() {
                if self.get(kind, name).is_none() && optional != Some(true) {
                    return Err(EnvError {
                        kind,
                        name: name.clone(),
                        key: None,
                        variable: None,
                        missing_key: false,
                        message: not_found(kind, name),
                    });
                }
            }
        }
        for env in container.env.iter().flatten() {
            // A literal value wins over valueFrom (`if runtimeVal != ""`).
            if env.value.as_deref().is_some_and(|v| !v.is_empty()) {
                continue;
            }
            let Some(from) = &env.value_from else { continue };
            // The switch's order: fieldRef, resourceFieldRef, then configMapKeyRef, secretKeyRef.
            if from.field_ref.is_some() || from.resource_field_ref.is_some() {
                continue;
            }
            let r = match (&from.config_map_key_ref, &from.secret_key_ref) {
                (Some(k), _) => (ConfigKind::ConfigMap, &k.name, &k.key, k.optional),
                (None, Some(k)) => (ConfigKind::Secret, &k.name, &k.key, k.optional),
                (None, None) => continue,
            };
            let (kind, name, key, optional) = r;
            let optional = optional == Some(true);
            let err = |missing_key: bool, message: String| EnvError {
                kind,
                name: name.clone(),
                key: Some(key.clone()),
                variable: Some(env.name.clone()),
                missing_key,
                message,
            };
            match self.get(kind, name) {
                None if optional => {}
                None => return Err(err(false, not_found(kind, name))),
                Some(o) if o.data.contains_key(key) || optional => {}
                Some(_) => {
                    return Err(err(true, format!("couldn't find key {key} in {} {namespace}/{name}", kind.as_str())))
                }
            }
        }
        Ok(())
    }
}

/// apimachinery `IsConfigMapKey` (pkg/util/validation): what kubectl checks of each
/// `--from-literal` key before it sends anything; empty when the key is valid.
pub fn config_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if key.len() > 253 {
        errs.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        errs.push(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or \
             'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
                .to_string(),
        );
    }
    match key {
        "." => errs.push("must not be '.'".into()),
        ".." => errs.push("must not be '..'".into()),
        k if k.starts_with("..") => errs.push("must not start with '..'".into()),
        _ => {}
    }
    errs
}

/// The API server's check of a Secret's or ConfigMap's name (`NameIsDNSSubdomain`): the
/// `StatusError` message of the create it refuses.
fn name_error(kind: ConfigKind, name: &str) -> Option<String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let problem = if name.len() > 253 {
        "must be no more than 253 characters".to_string()
    } else if !name.split('.').all(label_ok) {
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must \
         start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is \
         '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
            .to_string()
    } else {
        return None;
    };
    Some(format!("{} \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": {problem}", kind.as_str()))
}

impl super::cluster::Cluster {
    /// The namespace's ConfigMaps and Secrets.
    pub fn configuration(&self) -> &Configuration {
        &self.configuration
    }

    /// `kubectl create secret generic NAME --from-literal=...` / `kubectl create configmap NAME ...`:
    /// `Ok` is kubectl's line (`secret/NAME created`); a pod waiting for it is tried again at its
    /// next sync. kubectl's own error texts: create_secret.go `failed to create secret %v`,
    /// create_configmap.go `failed to create configmap: %v`.
    pub(crate) fn create_config(
        &mut self,
        kind: ConfigKind,
        name: &str,
        data: &[(String, String)],
    ) -> Result<String, super::ActionError> {
        let refused = |e: String| {
            super::ActionError::Rejected(match kind {
                ConfigKind::Secret => format!("error: failed to create secret {e}"),
                ConfigKind::ConfigMap => format!("error: failed to create configmap: {e}"),
            })
        };
        if let Some(e) = name_error(kind, name) {
            return Err(refused(e));
        }
        let now = self.now;
        self.configuration.create(kind, name, data, now).map_err(refused)?;
        let keys: Vec<&str> = data.iter().map(|(k, _)| k.as_str()).collect();
        let with = match keys.as_slice() {
            [] => "with no keys".to_string(),
            [k] => format!("with key {k}"),
            ks => format!("with keys {}", ks.join(", ")),
        };
        let waiting: Vec<String> = self
            .pods
            .values()
            .filter(|p| p.config_error.is_some() && !p.is_terminating())
            .map(|p| p.name.clone())
            .collect();
        let then = match waiting.as_slice() {
            [] => String::new(),
            names => format!(
                " {} {} in CreateContainerConfigError: the kubelet reads it at its next try (every {}s).",
                names.join(", "),
                if names.len() == 1 { "waits" } else { "wait" },
                super::pod::timing::SYNC_RETRY.0 / 1000
            ),
        };
        self.log(
            super::EventKind::Status,
            name.to_string(),
            None,
            "config",
            format!("You create {} {name} {with}.{then}", kind.as_str()),
        );
        super::kubelet::config_created(self);
        Ok(format!("{}/{name} created", kind.manager_resource()))
    }

    /// `kubectl delete secret|configmap NAME`. Running containers keep their environment.
    pub(crate) fn delete_config(&mut self, kind: ConfigKind, name: &str) -> Result<String, super::ActionError> {
        let Some(gone) = self.configuration.delete(kind, name) else {
            return Err(super::ActionError::NotFound(format!(
                "Error from server (NotFound): {} \"{name}\" not found",
                kind.plural()
            )));
        };
        let assumed =
            if gone.origin == Origin::Assumed { " (the one the lab assumed was in your cluster)" } else { "" };
        self.log(
            super::EventKind::Status,
            name.to_string(),
            None,
            "config",
            format!(
                "You delete {} {name}{assumed}. Running containers keep the environment they started with: the kubelet \
                 reads ConfigMaps and Secrets into env only when it starts a container. A pod that starts from now on \
                 and needs it stops at CreateContainerConfigError.",
                kind.as_str()
            ),
        );
        Ok(self.deleted_message(kind.manager_resource(), name))
    }

    /// Why a set that has nothing left to do is not rolled out, when a pod is stuck in
    /// `CreateContainerConfigError` (the Parallel policy has no controller wait to say it).
    pub(crate) fn config_stuck(&self) -> Option<String> {
        let p = self.pods.values().find(|p| p.config_error.is_some() && !p.is_terminating())?;
        let e = p.config_error.as_ref()?;
        Some(format!("{} is in CreateContainerConfigError: {}", p.name, e.message()))
    }
}

/// The references of a pod spec that are not `optional`: (kind, name, the key asked for).
/// Volumes and imagePullSecrets name objects without a key.
fn required_references(spec: &PodSpec) -> Vec<(ConfigKind, String, Option<String>)> {
    let mut out = Vec::new();
    let mut push = |kind, name: &str, key: Option<&String>, optional: Option<bool>| {
        if !name.is_empty() && optional != Some(true) {
            out.push((kind, name.to_string(), key.cloned()));
        }
    };
    for s in spec.image_pull_secrets.iter().flatten() {
        push(ConfigKind::Secret, &s.name, None, None);
    }
    for v in spec.volumes.iter().flatten() {
        if let Some(cm) = &v.config_map {
            push(ConfigKind::ConfigMap, &cm.name, None, cm.optional);
        }
        if let Some(s) = &v.secret {
            push(ConfigKind::Secret, s.secret_name.as_deref().unwrap_or(""), None, s.optional);
        }
        for p in v.projected.iter().flat_map(|p| p.sources.iter().flatten()) {
            if let Some(cm) = &p.config_map {
                push(ConfigKind::ConfigMap, &cm.name, None, cm.optional);
            }
            if let Some(s) = &p.secret {
                push(ConfigKind::Secret, &s.name, None, s.optional);
            }
        }
    }
    for c in spec.init_containers.iter().flatten().chain(spec.containers.iter()) {
        for f in c.env_from.iter().flatten() {
            if let Some(r) = &f.config_map_ref {
                push(ConfigKind::ConfigMap, &r.name, None, r.optional);
            }
            if let Some(r) = &f.secret_ref {
                push(ConfigKind::Secret, &r.name, None, r.optional);
            }
        }
        for e in c.env.iter().flatten() {
            let Some(from) = &e.value_from else { continue };
            if let Some(k) = &from.config_map_key_ref {
                push(ConfigKind::ConfigMap, &k.name, Some(&k.key), k.optional);
            }
            if let Some(k) = &from.secret_key_ref {
                push(ConfigKind::Secret, &k.name, Some(&k.key), k.optional);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(yaml: &str) -> Container {
        yaml_serde::from_str(yaml).unwrap()
    }

    fn lab_container() -> Container {
        container(
            "name: app\nenv:\n- name: MY_PASS\n  valueFrom:\n    secretKeyRef: {name: secret-base, key: password}\n\
             - name: CONFIGMAP\n  valueFrom:\n    configMapKeyRef: {name: env-configmap, key: KEY}\n",
        )
    }

    fn with(objects: &[(ConfigKind, &str, &[&str])]) -> Configuration {
        let mut c = Configuration::default();
        for (kind, name, keys) in objects {
            let data: Vec<(String, String)> = keys.iter().map(|k| (k.to_string(), "v".to_string())).collect();
            c.create(*kind, name, &data, SimTime::ZERO).unwrap();
        }
        c
    }

    /// kubelet_pods.go `makeEnvironmentVariables` returns the secret manager's error as is: the watch
    /// based manager's `apierrors.NewNotFound(corev1.Resource("secret"), name)`, printed by
    /// apimachinery as `%s %q not found` with the resource's singular name.
    #[test]
    fn a_missing_secret_is_the_managers_not_found_make_environment_variables() {
        let c = with(&[(ConfigKind::ConfigMap, "env-configmap", &["KEY"])]);
        let e = c.make_environment("default", &lab_container()).unwrap_err();
        assert_eq!(e.message, "secret \"secret-base\" not found");
        assert_eq!((e.kind, e.variable.as_deref(), e.missing_key), (ConfigKind::Secret, Some("MY_PASS"), false));
        let c = with(&[(ConfigKind::Secret, "secret-base", &["password"])]);
        assert_eq!(
            c.make_environment("default", &lab_container()).unwrap_err().message,
            "configmap \"env-configmap\" not found"
        );
    }

    /// kubelet_pods.go `makeEnvironmentVariables`: `fmt.Errorf("couldn't find key %v in Secret %v/%v",
    /// key, pod.Namespace, name)`, and the same with `ConfigMap`.
    #[test]
    fn a_missing_key_names_the_namespace_and_object_make_environment_variables() {
        let c = with(&[
            (ConfigKind::Secret, "secret-base", &["username"]),
            (ConfigKind::ConfigMap, "env-configmap", &["KEY"]),
        ]);
        let e = c.make_environment("lab", &lab_container()).unwrap_err();
        assert_eq!(e.message, "couldn't find key password in Secret lab/secret-base");
        assert!(e.missing_key);
        let c = with(&[
            (ConfigKind::Secret, "secret-base", &["password"]),
            (ConfigKind::ConfigMap, "env-configmap", &["OTHER"]),
        ]);
        assert_eq!(
            c.make_environment("default", &lab_container()).unwrap_err().message,
            "couldn't find key KEY in ConfigMap default/env-configmap"
        );
        let c = with(&[
            (ConfigKind::Secret, "secret-base", &["password"]),
            (ConfigKind::ConfigMap, "env-configmap", &["KEY"]),
        ]);
        assert_eq!(c.make_environment("default", &lab_container()), Ok(()));
    }

    #[test]
    fn optional_references_and_env_from() {
        let optional = container(
            "name: app\nenv:\n- name: P\n  valueFrom:\n    secretKeyRef: {name: nope, key: k, optional: true}\n\
             envFrom:\n- configMapRef: {name: nothing, optional: true}\n",
        );
        assert_eq!(Configuration::default().make_environment("default", &optional), Ok(()));
        let env_from = container("name: app\nenvFrom:\n- secretRef: {name: creds}\n");
        let e = Configuration::default().make_environment("default", &env_from).unwrap_err();
        assert_eq!((e.message.as_str(), e.key), ("secret \"creds\" not found", None));
        // A literal value is used and the reference never read.
        let literal =
            container("name: app\nenv:\n- name: P\n  value: x\n  valueFrom:\n    secretKeyRef: {name: nope, key: k}\n");
        assert_eq!(Configuration::default().make_environment("default", &literal), Ok(()));
    }

    #[test]
    fn the_template_s_missing_references_are_assumed_with_their_keys() {
        let spec: PodSpec = yaml_serde::from_str(
            "containers:\n- name: app\n  env:\n  - name: MY_PASS\n    valueFrom:\n      secretKeyRef: {name: secret-base, key: password}\n\
             \n  - name: O\n    valueFrom:\n      secretKeyRef: {name: maybe, key: k, optional: true}\n\
             volumes:\n- name: config\n  configMap: {name: configmap}\n",
        )
        .unwrap();
        let mut c = Configuration { assume_missing: true, ..Configuration::default() };
        c.assume_references(&spec);
        let s = c.get(ConfigKind::Secret, "secret-base").unwrap();
        assert_eq!(
            (s.origin, s.data.keys().map(String::as_str).collect::<Vec<_>>()),
            (Origin::Assumed, vec!["password"])
        );
        assert!(c.get(ConfigKind::ConfigMap, "configmap").is_some());
        assert!(c.get(ConfigKind::Secret, "maybe").is_none(), "optional: not assumed");
        assert_eq!(c.make_environment("default", &spec.containers[0]), Ok(()));
        let mut off = Configuration::default();
        off.assume_references(&spec);
        assert!(off.all().next().is_none());
        // Deleted in the session: not assumed again.
        c.delete(ConfigKind::Secret, "secret-base");
        c.assume_references(&spec);
        assert!(c.get(ConfigKind::Secret, "secret-base").is_none());
    }
}
