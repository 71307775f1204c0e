//! What a user can do to the cluster, as kubectl would do it, and what kubectl prints back.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::clock::SimDuration;
use super::cluster::{pod_name, Cluster};
use super::event::EventKind;
use super::kubelet::TimerKind;
use super::spec::{PodManagementPolicy, RetentionPolicy, UpdateStrategy, DEFAULT_PROBE};
use super::validation;
use crate::apiserver::{last_applied_configuration, LAST_APPLIED_ANNOTATION};

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
    /// One request to pod N's own DNS name (`curl web-1.nginx`): straight to that pod, no
    /// kube-proxy; refused as curl would when the name does not resolve (spec §1).
    Request(i32),
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

impl Action {
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

/// The template annotation `kubectl rollout restart` sets.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Base of simulated wall-clock time, only for the `restartedAt` annotation text.
const EPOCH_TEXT_BASE: i64 = 1_748_944_800; // 2025-06-03T10:00:00Z

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
        let set = self.set_name.clone();
        let ns = self.namespace.clone();
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
                Ok(format!("pod \"{name}\" deleted from {ns} namespace"))
            }
            Action::KillContainer(o) => {
                let name = pod_name(&set, o);
                let now = self.now;
                let Some(pod) = self
                    .pods
                    .get_mut(&o)
                    .filter(|p| !p.is_terminating() && p.stage == super::pod::Stage::Started && !p.containers_stopped)
                else {
                    return Err(ActionError::NotFound(format!(
                        "error: unable to upgrade connection: container not found in pod \"{name}\""
                    )));
                };
                pod.kills += 1;
                pod.last_kill = Some(now);
                pod.ready = false;
                pod.ready_since = None;
                let (uid, rev, kills, wait_probe) =
                    (pod.uid, pod.revision.clone(), pod.kills, pod.readiness_broken || pod.crash_looping);
                self.log(
                    EventKind::PodUnready,
                    name.clone(),
                    Some(&rev),
                    "3",
                    format!(
                        "{name}'s container is killed and the kubelet restarts it in place (same pod, same AGE, RESTARTS {kills}); \
                         it is not Ready until its readiness probe passes again, and the controller does not replace it."
                    ),
                );
                if !wait_probe {
                    let delay = self
                        .revision(&rev)
                        .and_then(|r| r.shape.readiness)
                        .map(|p| SimDuration::from_secs(p.initial_delay_seconds.max(0) as u64))
                        .unwrap_or(SimDuration::ZERO)
                        .max(super::pod::timing::MIN_PROBE_DELAY);
                    self.schedule(delay, TimerKind::Ready { ordinal: o, uid });
                }
                self.dirty = true;
                Ok(format!("{name}: container killed, restarting"))
            }
            Action::EvictPod(o) => {
                let name = pod_name(&set, o);
                let Some(pod) = self.pods.get_mut(&o).filter(|p| !p.is_terminating()) else {
                    return Err(ActionError::NotFound(format!(
                        "Error from server (NotFound): pods \"{name}\" not found"
                    )));
                };
                pod.phase = super::pod::PodPhase::Failed;
                pod.ready = false;
                pod.ready_since = None;
                pod.containers_stopped = true;
                let rev = pod.revision.clone();
                self.log(
                    EventKind::PodUnready,
                    name.clone(),
                    Some(&rev),
                    "2.5a",
                    format!("The kubelet evicts {name} (node pressure): phase Failed, its containers are stopped."),
                );
                self.dirty = true;
                Ok(format!("{name}: evicted (phase Failed)"))
            }
            Action::BreakReadiness(o) => {
                let name = pod_name(&set, o);
                let Some(pod) = self.pods.get_mut(&o) else {
                    return Err(ActionError::NotFound(format!(
                        "Error from server (NotFound): pods \"{name}\" not found"
                    )));
                };
                pod.readiness_broken = true;
                let (ready, uid, rev) = (pod.ready, pod.uid, pod.revision.clone());
                if ready {
                    // kubelet marks the pod unready after failureThreshold failed probes, periodSeconds apart.
                    let p = self.probe_of(&rev);
                    let after = SimDuration::from_secs(
                        (p.period_seconds.max(0) as u64).saturating_mul(p.failure_threshold.max(0) as u64),
                    );
                    self.schedule(after, TimerKind::ReadinessFailed { ordinal: o, uid });
                }
                Ok(format!("{name}: readiness probe now failing"))
            }
            Action::FixReadiness(o) => {
                let name = pod_name(&set, o);
                let Some(pod) = self.pods.get_mut(&o) else {
                    return Err(ActionError::NotFound(format!(
                        "Error from server (NotFound): pods \"{name}\" not found"
                    )));
                };
                pod.readiness_broken = false;
                let (ready, uid, started, rev) = (pod.ready, pod.uid, pod.started_at.is_some(), pod.revision.clone());
                if !ready && started {
                    // The next probe (one period later) succeeds (successThreshold 1).
                    let p = self.probe_of(&rev);
                    self.schedule(
                        SimDuration::from_secs(p.period_seconds.max(0) as u64),
                        TimerKind::Ready { ordinal: o, uid },
                    );
                }
                Ok(format!("{name}: readiness probe passing again"))
            }
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
            other => {
                let (patch_type, body) = other.patch_body().expect("every other action is a kubectl patch");
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
    }

    /// The readiness probe of a revision's pods, or kubelet's defaults when the template has none.
    fn probe_of(&self, revision: &str) -> super::spec::Probe {
        self.revision(revision).and_then(|r| r.shape.readiness).unwrap_or(DEFAULT_PROBE)
    }

    pub(crate) fn not_found(&self) -> ActionError {
        ActionError::NotFound(format!(
            "Error from server (NotFound): statefulsets.apps \"{}\" not found",
            self.set_name
        ))
    }

    /// `kubectl scale`: a merge patch `{"spec":{"replicas":N}}` of the scale subresource
    /// (k8s.io/kubectl/pkg/scale), which the API server turns into an update of the StatefulSet's
    /// `spec.replicas`, validated like any update. kubectl prints `scaled` even when nothing changed.
    fn scale(&mut self, replicas: i32) -> Result<String, ActionError> {
        if self.set.is_none() {
            return Err(self.not_found());
        }
        self.patch_statefulset(PatchType::Merge, &format!("{{\"spec\":{{\"replicas\":{replicas}}}}}"))?;
        Ok(format!("statefulset.apps/{} scaled", self.set_name))
    }

    /// `kubectl set image` (pkg/cmd/set/set_image.go): the two-way strategic merge patch between the
    /// object and the object with the container's image changed, e.g.
    /// `{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.25","name":"nginx"}]}}}}`.
    /// An image that is already set makes the patch `{}`: kubectl sends nothing and prints nothing.
    fn set_image(&mut self, image: &str) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let containers =
            state.object.spec.as_ref().and_then(|s| s.template.spec.as_ref()).map(|p| p.containers.clone());
        let Some(first) = containers.as_ref().and_then(|c| c.first()) else {
            return Err(ActionError::Refused("error: unable to find container named \"CONTAINER\"".into()));
        };
        if first.image.as_deref() == Some(image) {
            return Ok(String::new());
        }
        let order: Vec<serde_json::Value> =
            containers.iter().flatten().map(|c| serde_json::json!({"name": c.name})).collect();
        let body = serde_json::json!({"spec": {"template": {"spec": {
            "$setElementOrder/containers": order,
            "containers": [{"image": image, "name": first.name}],
        }}}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())?;
        Ok(format!("statefulset.apps/{} image updated", self.set_name))
    }

    /// `kubectl rollout restart` (polymorphichelpers/objectrestarter.go): the template annotation
    /// `kubectl.kubernetes.io/restartedAt` set to now, sent as a strategic merge patch. Within the same
    /// second the patch is `{}` and kubectl refuses (rollout_restart.go).
    fn restart(&mut self) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let name = self.set_name.clone();
        let at = rfc3339(EPOCH_TEXT_BASE + (self.now.0 / 1000) as i64);
        let current = state
            .object
            .spec
            .as_ref()
            .and_then(|s| s.template.metadata.as_ref())
            .and_then(|m| m.annotations.as_ref())
            .and_then(|a| a.get(RESTARTED_AT))
            .cloned();
        if current.as_deref() == Some(at.as_str()) {
            return Err(ActionError::Refused(format!(
                "error: failed to create patch for {name}: if restart has already been triggered within the past second, \
                 please wait before attempting to trigger another"
            )));
        }
        let body = serde_json::json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: at}}}}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())?;
        Ok(format!("statefulset.apps/{name} restarted"))
    }

    pub(crate) fn reject(&mut self, message: String) -> ActionError {
        let name = self.set_name.clone();
        self.log(
            EventKind::Rejected,
            name,
            None,
            "7",
            format!("The API server rejects the change, nothing happens: {message}"),
        );
        ActionError::Rejected(message)
    }

    /// `kubectl apply -f` (client-side): the manifest, with the `last-applied-configuration`
    /// annotation kubectl adds, is created or replaces the stored spec; `unchanged` when the stored
    /// object (annotation included) would not change, so a manifest that only spells out defaults
    /// is `configured` the first time (its annotation text differs) and makes no new revision.
    fn apply_manifest(&mut self, manifest: StatefulSet, services: Vec<Service>) -> Result<String, ActionError> {
        let name = manifest.metadata.name.clone().unwrap_or_default();
        let old = self.set.as_ref().filter(|s| s.spec.name == name).map(|s| s.object.clone());
        let leftovers = !self.pods.is_empty() || !self.claims.is_empty();
        if (self.set.is_some() || leftovers) && name != self.set_name {
            return Err(ActionError::Refused(format!(
                "this simulation holds one StatefulSet ({}); {name} is a different one",
                self.set_name
            )));
        }
        let mut new = manifest.clone();
        new.metadata
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(LAST_APPLIED_ANNOTATION.into(), last_applied_configuration(&manifest));
        let new = match self.admit_statefulset(new, old.as_ref()) {
            Ok(n) => n,
            Err(message) => return Err(self.reject(message)),
        };
        validation::lab_limits(&new).map_err(ActionError::Refused)?;
        for svc in services {
            self.add_service(svc);
        }
        match old {
            Some(old) if old == new => Ok(format!("statefulset.apps/{name} unchanged")),
            Some(_) => {
                self.install_set(new);
                Ok(format!("statefulset.apps/{name} configured"))
            }
            None => {
                self.install_set(new);
                Ok(format!("statefulset.apps/{name} created"))
            }
        }
    }

    /// `kubectl rollout undo` (polymorphichelpers/rollback.go, `StatefulSetRollbacker`): the
    /// ControllerRevision's data, `{"spec":{"template":{...,"$patch":"replace"}}}`, sent as a strategic
    /// merge patch; skipped when the template already matches (the message names the revision asked
    /// for, 0 when none was).
    fn rollback(&mut self, to_revision: Option<i64>) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let name = self.set_name.clone();
        let to = to_revision.unwrap_or(0);
        if to < 0 {
            return Err(ActionError::Refused(format!("error: unable to find specified revision {to} in history")));
        }
        let mut history: Vec<_> = self.revisions.iter().collect();
        history.sort_by_key(|r| r.revision);
        if to == 0 && history.len() <= 1 {
            return Err(ActionError::Refused("error: no last revision to roll back to".into()));
        }
        let target = if to == 0 {
            history[history.len() - 2]
        } else {
            match history.iter().find(|r| r.revision == to) {
                Some(r) => *r,
                None => {
                    return Err(ActionError::Refused(format!(
                        "error: unable to find specified revision {to} in history"
                    )))
                }
            }
        };
        if *target.template_json == *state.template_json {
            return Ok(format!(
                "statefulset.apps/{name} skipped rollback (current template already matches revision {to})"
            ));
        }
        let mut template = serde_json::to_value(&*target.template).unwrap_or_default();
        if let Some(t) = template.as_object_mut() {
            t.insert("$patch".into(), "replace".into());
        }
        let body = serde_json::json!({"spec": {"template": template}});
        self.patch_statefulset(PatchType::Strategic, &body.to_string())
            .map_err(|e| ActionError::Rejected(format!("error: failed restoring revision {to}: {e}")))?;
        Ok(format!("statefulset.apps/{name} rolled back"))
    }

    fn delete_set(&mut self, cascade: Cascade) -> Result<String, ActionError> {
        if self.set.as_ref().is_none_or(|s| s.deleting) {
            return Err(self.not_found());
        }
        let name = self.set_name.clone();
        if cascade == Cascade::Foreground {
            self.set.as_mut().expect("checked").deleting = true;
        } else {
            self.set = None;
        }
        if cascade == Cascade::Orphan {
            for p in self.pods.values_mut() {
                p.owned = false;
            }
            for cl in self.claims.values_mut() {
                cl.owned_by_set = false;
            }
            self.log(
                EventKind::Status,
                name.clone(),
                None,
                "3",
                format!(
                    "StatefulSet {name} is deleted with --cascade=orphan: its pods keep running without an owner, \
                     its claims and ControllerRevisions stay."
                ),
            );
        } else {
            let ordinals: Vec<i32> = self.pods.iter().filter(|(_, p)| p.owned).map(|(o, _)| *o).collect();
            for o in ordinals {
                let pod = self.pods[&o].name.clone();
                self.delete_pod(
                    o,
                    "3",
                    format!(
                        "The garbage collector deletes {pod} because its StatefulSet is {}; all pods go at once, in no order.",
                        if cascade == Cascade::Foreground { "being deleted (foreground)" } else { "gone" }
                    ),
                );
            }
            let claims: Vec<String> = self.claims.values().filter(|c| c.owned_by_set).map(|c| c.name.clone()).collect();
            for c in claims {
                self.delete_claim(
                    &c,
                    "5",
                    format!("The garbage collector deletes {c} (whenDeleted: Delete); it stays Terminating while its pod still mounts it."),
                );
            }
            if cascade == Cascade::Background {
                self.revisions.clear();
            }
            self.finish_foreground_deletion();
        }
        self.last_wait = None;
        self.dirty = true;
        Ok(format!("statefulset.apps \"{name}\" deleted"))
    }
}

/// `2025-06-03T10:00:00Z` from Unix seconds.
fn rfc3339(secs: i64) -> String {
    crate::civil::Civil::from_unix(secs).rfc3339()
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_of_the_base() {
        assert_eq!(super::rfc3339(super::EPOCH_TEXT_BASE), "2025-06-03T10:00:00Z");
    }
}

/// How `kubectl delete statefulset` treats the set's dependents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cascade {
    Background,
    Foreground,
    Orphan,
}
