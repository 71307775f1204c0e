//! What a user can do to the cluster, as kubectl would do it, and what kubectl prints back: the
//! [`Action`] list, the command each one shows, and the dispatch. The work is elsewhere, named as
//! Kubernetes names it: the API server's writes in [`crate::apiserver`] (`kubectl patch`, scale,
//! set image, rollout restart/undo, apply), cascade deletion in `engine/garbagecollector.rs`, the
//! lab's fault buttons in `engine/fault.rs`.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::cluster::{pod_name, Cluster};
use super::configuration::ConfigKind;
use super::garbagecollector::Cascade;
use super::spec::{PodManagementPolicy, RetentionPolicy, UpdateStrategy};

/// A user action (the scenario steps that change the cluster).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `kubectl scale statefulset web --replicas=N`.
    Scale(i32),
    /// `kubectl set image statefulset/web <first container>=IMAGE`: a template change, a new revision.
    Image(String),
    /// `rollingUpdate.partition`.
    Partition(i32),
    /// `rollingUpdate.maxUnavailable` (int or "50%"); dropped by the API server while the gate is off.
    MaxUnavailable(IntOrString),
    /// `updateStrategy.type`.
    Strategy(UpdateStrategy),
    /// `podManagementPolicy`: immutable, so always rejected unless unchanged (spec §7).
    PodManagementPolicy(PodManagementPolicy),
    /// `persistentVolumeClaimRetentionPolicy`.
    Retention { when_scaled: RetentionPolicy, when_deleted: RetentionPolicy },
    /// `spec.ordinals.start`.
    OrdinalsStart(i32),
    /// `spec.minReadySeconds`.
    MinReadySeconds(i32),
    /// `kubectl delete pod <set>-N`.
    DeletePod(i32),
    /// The pod's container is killed (e.g. OOM): the kubelet restarts it in place, RESTARTS + 1.
    KillContainer(i32),
    /// The kubelet evicts the pod (node pressure): phase Failed, containers stopped (spec §2.5a).
    EvictPod(i32),
    /// The pod's readiness probe starts failing (it stays Running, 0/1).
    BreakReadiness(i32),
    /// The pod's readiness probe passes again.
    FixReadiness(i32),
    /// The next revision created is broken: its pods crash-loop and never become Ready.
    BreakImage,
    /// `kubectl rollout undo statefulset/web [--to-revision=N]`.
    Rollback { to_revision: Option<i64> },
    /// `kubectl rollout restart statefulset/web`: a template annotation, so a new revision.
    Restart,
    /// `kubectl delete statefulset web` (cascade: the garbage collector deletes the pods).
    DeleteStatefulSet,
    /// `kubectl delete statefulset web --cascade=orphan`.
    OrphanStatefulSet,
    /// `kubectl delete statefulset web --cascade=foreground`: the set stays (being deleted) until
    /// the garbage collector has removed its pods.
    DeleteStatefulSetForeground,
    /// `kubectl apply -f` of an updated manifest (and any new Services in it).
    Apply { statefulset: Box<StatefulSet>, services: Vec<Service> },
    /// N requests through the Service.
    Traffic(u64),
    /// `kubectl patch statefulset <set> [--type=TYPE] -p PATCH`: the patch as kubectl sends it,
    /// applied by the API server to the stored object, then defaulted and validated.
    Patch { patch_type: PatchType, patch: String },
    /// `helm install|upgrade|rollback|uninstall ...` as typed, with the `-f` files it read.
    Helm(Box<crate::helm::HelmCommand>),
    /// One request to pod N's own DNS name (`curl web-1.nginx`): straight to that pod, no
    /// kube-proxy; refused as curl would when the name does not resolve (spec §1).
    Request(i32),
    /// The node stops reporting (its kubelet is down, or the network to it is cut): the lab's
    /// fault button and the scenario step `node-down: NAME` ([`super::node`]).
    NodeDown(String),
    /// The node reaches the API server again (`node-up: NAME`).
    NodeUp(String),
    /// `kubectl delete pod <set>-N --force --grace-period=0`: removed without the kubelet's confirmation.
    ForceDeletePod(i32),
    /// `kubectl cordon NODE` (`on`) / `kubectl uncordon NODE`.
    Cordon { node: String, on: bool },
    /// `kubectl drain NODE`: cordon, then evict its pods.
    Drain(String),
    /// `minikube start --kubernetes-version=vX` on the running cluster: the control plane and the
    /// kubelets upgraded in place ([`super::upgrade`]).
    UpgradeControlPlane(super::KubeVersion),
    /// `kubectl taint nodes NODE KEY[=VALUE]:EFFECT` (or `KEY[:EFFECT]-` with `remove`).
    Taint { node: String, key: String, value: String, effect: String, remove: bool },
    /// `kubectl create secret generic NAME --from-literal=KEY=VALUE...` or `kubectl create
    /// configmap NAME --from-literal=KEY=VALUE...` ([`super::configuration`]).
    CreateConfig { kind: ConfigKind, name: String, data: Vec<(String, String)> },
    /// `kubectl delete secret NAME` / `kubectl delete configmap NAME`.
    DeleteConfig { kind: ConfigKind, name: String },
}

/// A word as a shell reads it back: as is when plain, else in single quotes.
fn shell_word(w: &str) -> String {
    let plain = !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_.=/:@%+,".contains(c));
    if plain {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// `kubectl patch --type`: which kind of patch the body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `--type=strategic` (kubectl's default for built-in kinds): strategic merge patch, lists merged
    /// by their merge keys, `null` deletes a field.
    Strategic,
    /// `--type=merge`: JSON merge patch (RFC 7386), lists replaced whole.
    Merge,
    /// `--type=json`: JSON patch (RFC 6902), a list of operations.
    Json,
}

impl PatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            PatchType::Strategic => "strategic",
            PatchType::Merge => "merge",
            PatchType::Json => "json",
        }
    }
}

/// Why an action did not happen; the text is what kubectl prints on stderr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// The API server refused the change (spec §7); logged as a `rejected` event.
    #[error("{0}")]
    Rejected(String),
    /// The object does not exist.
    #[error("{0}")]
    NotFound(String),
    /// kubectl itself refused (e.g. nothing to roll back to).
    #[error("{0}")]
    Refused(String),
}

/// delete.go `Validate`: what kubectl prints on stderr (through its WarningPrinter, `Warning: `)
/// before an immediate deletion.
pub const FORCE_DELETE_WARNING: &str = "Warning: Immediate deletion does not wait for confirmation that the running \
                                        resource has been terminated. The resource may continue to run on the cluster \
                                        indefinitely.";

impl Action {
    /// What kubectl prints on stderr before it sends this action (`None` for most).
    pub fn warning(&self) -> Option<&'static str> {
        match self {
            Action::ForceDeletePod(_) => Some(FORCE_DELETE_WARNING),
            _ => None,
        }
    }

    /// The `kubectl patch` behind a spec change: its patch type and body, exactly as the command
    /// shows it and as [`Cluster::apply`] sends it to the API server. `None` for actions that are
    /// another kubectl command (scale, set image, rollout ...) or no API write at all.
    pub fn patch_body(&self) -> Option<(PatchType, String)> {
        let spec = |p: String| Some((PatchType::Strategic, format!("{{\"spec\":{p}}}")));
        match self {
            Action::Partition(p) => spec(format!(
                "{{\"updateStrategy\":{{\"type\":\"RollingUpdate\",\"rollingUpdate\":{{\"partition\":{p}}}}}}}"
            )),
            Action::MaxUnavailable(m) => spec(format!(
                "{{\"updateStrategy\":{{\"rollingUpdate\":{{\"maxUnavailable\":{}}}}}}}",
                serde_json::to_string(m).unwrap_or_default()
            )),
            // The defaulted `rollingUpdate: {partition: 0}` must be removed with the type, or the
            // update is invalid (`only allowed for updateStrategy 'RollingUpdate'`, kubernetes/website #47038).
            Action::Strategy(UpdateStrategy::OnDelete) => {
                spec("{\"updateStrategy\":{\"type\":\"OnDelete\",\"rollingUpdate\":null}}".to_string())
            }
            Action::Strategy(UpdateStrategy::Recreate) => {
                spec("{\"updateStrategy\":{\"type\":\"Recreate\",\"rollingUpdate\":null}}".to_string())
            }
            Action::Strategy(UpdateStrategy::RollingUpdate) => spec(
                "{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":0}}}".to_string(),
            ),
            Action::PodManagementPolicy(p) => spec(format!("{{\"podManagementPolicy\":\"{}\"}}", p.as_str())),
            Action::Retention { when_scaled, when_deleted } => spec(format!(
                "{{\"persistentVolumeClaimRetentionPolicy\":{{\"whenScaled\":\"{}\",\"whenDeleted\":\"{}\"}}}}",
                when_scaled.as_str(),
                when_deleted.as_str()
            )),
            Action::OrdinalsStart(s) => spec(format!("{{\"ordinals\":{{\"start\":{s}}}}}")),
            Action::MinReadySeconds(s) => spec(format!("{{\"minReadySeconds\":{s}}}")),
            Action::Patch { patch_type, patch } => Some((*patch_type, patch.clone())),
            _ => None,
        }
    }

    /// The kubectl command a user would type for this action (for narration and transcripts);
    /// `set image` names the container `CONTAINER` here — [`Cluster::command_for`] fills it in.
    pub fn kubectl_command(&self, set: &str) -> String {
        if let Some((patch_type, patch)) = self.patch_body() {
            let t = match patch_type {
                PatchType::Strategic => String::new(),
                other => format!(" --type={}", other.as_str()),
            };
            return format!("kubectl patch statefulset {set}{t} -p '{}'", patch.replace('\'', "'\\''"));
        }
        match self {
            Action::Scale(n) => format!("kubectl scale statefulset {set} --replicas={n}"),
            Action::Image(i) => format!("kubectl set image statefulset/{set} CONTAINER={i}"),
            Action::DeletePod(o) => format!("kubectl delete pod {}", pod_name(set, *o)),
            Action::EvictPod(o) => format!("# the kubelet evicts {} (node pressure)", pod_name(set, *o)),
            Action::KillContainer(o) => format!("# {}'s container is killed", pod_name(set, *o)),
            Action::BreakReadiness(o) => format!("# {}'s readiness probe starts failing", pod_name(set, *o)),
            Action::FixReadiness(o) => format!("# {}'s readiness probe passes again", pod_name(set, *o)),
            Action::BreakImage => "# the next revision is broken: its pods will never become Ready".to_string(),
            Action::Rollback { to_revision: None } => format!("kubectl rollout undo statefulset/{set}"),
            Action::Rollback { to_revision: Some(n) } => {
                format!("kubectl rollout undo statefulset/{set} --to-revision={n}")
            }
            Action::Restart => format!("kubectl rollout restart statefulset/{set}"),
            Action::DeleteStatefulSet => format!("kubectl delete statefulset {set}"),
            Action::OrphanStatefulSet => format!("kubectl delete statefulset {set} --cascade=orphan"),
            Action::DeleteStatefulSetForeground => format!("kubectl delete statefulset {set} --cascade=foreground"),
            Action::Apply { .. } => "kubectl apply -f manifest.yaml".to_string(),
            Action::Traffic(n) => format!("# {n} requests through the Service"),
            Action::Helm(cmd) => format!("helm {}", cmd.line),
            Action::NodeDown(n) => format!("# {n} stops reporting (its kubelet is down, or the network to it is cut)"),
            Action::NodeUp(n) => format!("# {n} reports again"),
            Action::ForceDeletePod(o) => format!("kubectl delete pod {} --force --grace-period=0", pod_name(set, *o)),
            Action::Cordon { node, on: true } => format!("kubectl cordon {node}"),
            Action::Cordon { node, on: false } => format!("kubectl uncordon {node}"),
            Action::Drain(n) => format!("kubectl drain {n}"),
            Action::UpgradeControlPlane(v) => format!("minikube start --kubernetes-version=v{v}"),
            Action::Taint { node, key, value, effect, remove } => {
                let mut t = key.clone();
                if !value.is_empty() {
                    t.push_str(&format!("={value}"));
                }
                if !effect.is_empty() {
                    t.push_str(&format!(":{effect}"));
                }
                if *remove {
                    t.push('-');
                }
                format!("kubectl taint nodes {node} {t}")
            }
            Action::CreateConfig { kind, name, data } => {
                let what = match kind {
                    ConfigKind::Secret => "secret generic",
                    ConfigKind::ConfigMap => "configmap",
                };
                let literals: String =
                    data.iter().map(|(k, v)| format!(" --from-literal={}", shell_word(&format!("{k}={v}")))).collect();
                format!("kubectl create {what} {name}{literals}")
            }
            Action::DeleteConfig { kind, name } => format!("kubectl delete {} {name}", kind.manager_resource()),
            // The spec patches returned above.
            Action::Partition(_)
            | Action::MaxUnavailable(_)
            | Action::Strategy(_)
            | Action::PodManagementPolicy(_)
            | Action::Retention { .. }
            | Action::OrdinalsStart(_)
            | Action::MinReadySeconds(_)
            | Action::Patch { .. } => unreachable!("patch_body covers it"),
            // The host and port depend on the cluster's Services: `Cluster::command_for` writes the real one.
            Action::Request(o) => super::traffic::curl_command(&pod_name(set, *o), None, None),
        }
    }
}

impl Cluster {
    /// The kubectl command for an action on this cluster (with the real container name).
    pub fn command_for(&self, action: &Action) -> String {
        if let Action::Request(o) = action {
            return self.request_command(*o);
        }
        let cmd = action.kubectl_command(&self.set_name);
        match (action, self.set.as_ref().and_then(|s| s.spec.containers.first())) {
            (Action::Image(_), Some((container, _))) => cmd.replacen("CONTAINER=", &format!("{container}="), 1),
            _ => cmd,
        }
    }

    /// Applies a user action now. `Ok` holds what kubectl prints on stdout.
    pub fn apply(&mut self, action: Action) -> Result<String, ActionError> {
        // A running `kubectl drain` that paused its retries (nothing could change) tries again.
        self.drain_resume();
        let result = self.apply_now(action);
        self.drain_observe();
        result
    }

    fn apply_now(&mut self, action: Action) -> Result<String, ActionError> {
        let set = self.set_name.clone();
        match action {
            Action::Traffic(n) if n > crate::limits::MAX_REQUESTS_PER_ACTION => Err(ActionError::Refused(format!(
                "the lab sends up to {} requests at once; this asks for {n} (each request is one random pick of an \
                 endpoint, and a million already take a moment in the page)",
                crate::limits::MAX_REQUESTS_PER_ACTION
            ))),
            Action::Traffic(n) => {
                let r = self.send_requests(n);
                let parts: Vec<String> = r.per_pod.iter().map(|(p, c)| format!("{p}={c}")).collect();
                Ok(if r.refused > 0 {
                    format!("{} requests refused: no Ready endpoint", r.refused)
                } else {
                    parts.join(" ")
                })
            }
            Action::Request(o) => self.request_pod(o),
            Action::DeletePod(o) => {
                let name = pod_name(&set, o);
                if !self.pods.contains_key(&o) {
                    return Err(ActionError::NotFound(format!(
                        "Error from server (NotFound): pods \"{name}\" not found"
                    )));
                }
                let owned = self.set.is_some() && self.pods[&o].owned;
                let later =
                    if owned { "; the controller will create it again with the same name and claims" } else { "" };
                self.delete_pod(o, "2.5b", format!("You delete {name} with kubectl delete pod{later}."));
                Ok(self.deleted_message("pod", &name))
            }
            Action::KillContainer(o) => self.kill_container(o),
            Action::EvictPod(o) => self.evict_pod(o),
            Action::BreakReadiness(o) => self.break_readiness(o),
            Action::FixReadiness(o) => self.fix_readiness(o),
            Action::BreakImage => {
                self.break_next_revision = true;
                Ok("the next revision will never become Ready".to_string())
            }
            Action::DeleteStatefulSet => self.delete_set(Cascade::Background),
            Action::OrphanStatefulSet => self.delete_set(Cascade::Orphan),
            Action::DeleteStatefulSetForeground => self.delete_set(Cascade::Foreground),
            Action::Apply { statefulset, services } => self.apply_manifest(*statefulset, services),
            Action::Rollback { to_revision } => self.rollback(to_revision),
            Action::Scale(n) => self.scale(n),
            Action::Image(image) => self.set_image(&image),
            Action::Restart => self.restart(),
            Action::Helm(cmd) => self.helm(&cmd),
            Action::NodeDown(n) => self.node_down(&n),
            Action::NodeUp(n) => self.node_up(&n),
            Action::ForceDeletePod(o) => self.force_delete_pod(o),
            Action::Cordon { node, on } => self.cordon(&node, on),
            Action::Drain(n) => self.drain(&n),
            Action::UpgradeControlPlane(v) => self.upgrade_control_plane(v),
            Action::Taint { node, key, value, effect, remove } => {
                self.taint(&node, super::node::Taint { key, value, effect, time_added: None }, remove)
            }
            Action::CreateConfig { kind, name, data } => self.create_config(kind, &name, &data),
            Action::DeleteConfig { kind, name } => self.delete_config(kind, &name),
            patch @ (Action::Partition(_)
            | Action::MaxUnavailable(_)
            | Action::Strategy(_)
            | Action::PodManagementPolicy(_)
            | Action::Retention { .. }
            | Action::OrdinalsStart(_)
            | Action::MinReadySeconds(_)
            | Action::Patch { .. }) => self.kubectl_patch(&patch),
        }
    }
}

impl Cluster {
    /// `kubectl patch statefulset <set> [--type=...] -p <body>`: the body [`Action::patch_body`] shows.
    fn kubectl_patch(&mut self, action: &Action) -> Result<String, ActionError> {
        let Some((patch_type, body)) = action.patch_body() else {
            // Named by its command, not `{:?}`: Debug of an Action would put k8s-openapi's Debug of
            // a whole StatefulSet into the wasm (about 80 KB of code) for a message never shown.
            return Err(ActionError::Refused(format!("`{}` is not a kubectl patch", self.command_for(action))));
        };
        if self.set.is_none() {
            return Err(self.not_found());
        }
        let changed = self.patch_statefulset(patch_type, &body)?;
        let name = &self.set_name;
        Ok(if changed {
            format!("statefulset.apps/{name} patched")
        } else {
            format!("statefulset.apps/{name} patched (no change)")
        })
    }
}

impl Cluster {
    /// What `kubectl delete` prints for a namespaced object (kubectl pkg/cmd/delete/delete.go
    /// `PrintObj`): `pod "web-2" deleted`, and from kubectl 1.34 (#126619) `... deleted from
    /// default namespace`. The lab's kubectl is of the cluster's release.
    pub(crate) fn deleted_message(&self, kind: &str, name: &str) -> String {
        if self.version.minor >= 34 {
            format!("{kind} \"{name}\" deleted from {} namespace", self.namespace)
        } else {
            format!("{kind} \"{name}\" deleted")
        }
    }
}
