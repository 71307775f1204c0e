//! What a user can do to the cluster, as kubectl would do it, and what kubectl prints back.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    RollingUpdateStatefulSetStrategy, StatefulSet, StatefulSetOrdinals,
    StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetUpdateStrategy,
};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::clock::SimDuration;
use super::cluster::{pod_name, Cluster};
use super::event::EventKind;
use super::kubelet::TimerKind;
use super::spec::{PodManagementPolicy, RetentionPolicy, UpdateStrategy, DEFAULT_PROBE};
use super::validation;

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
    /// The kubectl command a user would type for this action (for narration and transcripts);
    /// `set image` names the container `CONTAINER` here — [`Cluster::command_for`] fills it in.
    pub fn kubectl_command(&self, set: &str) -> String {
        let patch = |p: String| format!("kubectl patch statefulset {set} -p '{{\"spec\":{p}}}'");
        match self {
            Action::Scale(n) => format!("kubectl scale statefulset {set} --replicas={n}"),
            Action::Image(i) => format!("kubectl set image statefulset/{set} CONTAINER={i}"),
            Action::Partition(p) => patch(format!(
                "{{\"updateStrategy\":{{\"type\":\"RollingUpdate\",\"rollingUpdate\":{{\"partition\":{p}}}}}}}"
            )),
            Action::MaxUnavailable(m) => patch(format!(
                "{{\"updateStrategy\":{{\"rollingUpdate\":{{\"maxUnavailable\":{}}}}}}}",
                serde_json::to_string(m).unwrap_or_default()
            )),
            Action::Strategy(s) => patch(format!("{{\"updateStrategy\":{{\"type\":\"{}\"}}}}", s.as_str())),
            Action::PodManagementPolicy(p) => patch(format!("{{\"podManagementPolicy\":\"{}\"}}", p.as_str())),
            Action::Retention { when_scaled, when_deleted } => patch(format!(
                "{{\"persistentVolumeClaimRetentionPolicy\":{{\"whenScaled\":\"{}\",\"whenDeleted\":\"{}\"}}}}",
                when_scaled.as_str(),
                when_deleted.as_str()
            )),
            Action::OrdinalsStart(s) => patch(format!("{{\"ordinals\":{{\"start\":{s}}}}}")),
            Action::MinReadySeconds(s) => patch(format!("{{\"minReadySeconds\":{s}}}")),
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
            Action::Patch { patch_type, patch } => {
                let t = match patch_type {
                    PatchType::Strategic => String::new(),
                    other => format!(" --type={}", other.as_str()),
                };
                format!("kubectl patch statefulset {set}{t} -p '{}'", patch.replace('\'', "'\\''"))
            }
            Action::Traffic(n) => format!("# {n} requests through the Service"),
            // The host and port depend on the cluster's Services: `Cluster::command_for` writes the real one.
            Action::Request(o) => super::traffic::curl_command(&pod_name(set, *o), None, None),
        }
    }
}

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
            // TEMPORARY interface for the apiserver branch (issue #11), replaced before merge.
            Action::Patch { .. } => Err(ActionError::Refused("patch: not wired yet".into())),
            other => self.patch(other),
        }
    }

    /// The readiness probe of a revision's pods, or kubelet's defaults when the template has none.
    fn probe_of(&self, revision: &str) -> super::spec::Probe {
        self.revision(revision).and_then(|r| r.shape.readiness).unwrap_or(DEFAULT_PROBE)
    }

    fn not_found(&self) -> ActionError {
        ActionError::NotFound(format!(
            "Error from server (NotFound): statefulsets.apps \"{}\" not found",
            self.set_name
        ))
    }

    /// Changes of the spec: build the new object, validate it like the API server, store it.
    fn patch(&mut self, action: Action) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let old = state.object.clone();
        let mut new = old.clone();
        let spec = new.spec.get_or_insert_with(Default::default);
        let verb = match &action {
            Action::Scale(n) => {
                spec.replicas = Some(*n);
                "scaled"
            }
            Action::Image(image) => {
                if let Some(c) = spec.template.spec.as_mut().and_then(|p| p.containers.first_mut()) {
                    c.image = Some(image.clone());
                }
                "image updated"
            }
            Action::Restart => {
                let secs = EPOCH_TEXT_BASE + (self.now.0 / 1000) as i64;
                let meta = spec.template.metadata.get_or_insert_with(Default::default);
                meta.annotations
                    .get_or_insert_with(BTreeMap::new)
                    .insert("kubectl.kubernetes.io/restartedAt".into(), rfc3339(secs));
                "restarted"
            }
            Action::Partition(p) => {
                let us = spec.update_strategy.get_or_insert_with(Default::default);
                us.rolling_update.get_or_insert_with(Default::default).partition = Some(*p);
                "patched"
            }
            Action::MaxUnavailable(m) => {
                let us = spec.update_strategy.get_or_insert_with(Default::default);
                let ru = us.rolling_update.get_or_insert_with(Default::default);
                // The API server drops a disabled-gate field unless the object already used it.
                let already = old_max_unavailable(&old).is_some();
                if self.gates.max_unavailable_stateful_set || already {
                    ru.max_unavailable = Some(m.clone());
                }
                "patched"
            }
            Action::Strategy(s) => {
                spec.update_strategy = Some(match s {
                    UpdateStrategy::OnDelete => {
                        StatefulSetUpdateStrategy { type_: Some("OnDelete".into()), rolling_update: None }
                    }
                    UpdateStrategy::RollingUpdate => StatefulSetUpdateStrategy {
                        type_: Some("RollingUpdate".into()),
                        rolling_update: Some(RollingUpdateStatefulSetStrategy {
                            partition: Some(0),
                            max_unavailable: None,
                        }),
                    },
                });
                "patched"
            }
            Action::PodManagementPolicy(p) => {
                spec.pod_management_policy = Some(p.as_str().to_string());
                "patched"
            }
            Action::Retention { when_scaled, when_deleted } => {
                spec.persistent_volume_claim_retention_policy = Some(StatefulSetPersistentVolumeClaimRetentionPolicy {
                    when_scaled: Some(when_scaled.as_str().into()),
                    when_deleted: Some(when_deleted.as_str().into()),
                });
                "patched"
            }
            Action::OrdinalsStart(s) => {
                spec.ordinals = Some(StatefulSetOrdinals { start: Some(*s) });
                "patched"
            }
            Action::MinReadySeconds(s) => {
                spec.min_ready_seconds = Some(*s);
                "patched"
            }
            _ => unreachable!("handled in apply"),
        };
        if let Err(message) = validation::validate(&new, Some(&old)) {
            return Err(self.reject(message));
        }
        // The API server would take it (replicas up to int32); the lab refuses with its own reason.
        validation::lab_limits(&new).map_err(ActionError::Refused)?;
        let name = self.set_name.clone();
        if new.spec == old.spec {
            return Ok(if verb == "patched" {
                format!("statefulset.apps/{name} patched (no change)")
            } else {
                format!("statefulset.apps/{name} {verb}")
            });
        }
        self.install_set(new);
        Ok(format!("statefulset.apps/{name} {verb}"))
    }

    fn reject(&mut self, message: String) -> ActionError {
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

    fn apply_manifest(&mut self, new: StatefulSet, services: Vec<Service>) -> Result<String, ActionError> {
        let name = new.metadata.name.clone().unwrap_or_default();
        let old = self.set.as_ref().filter(|s| s.spec.name == name).map(|s| s.object.clone());
        let leftovers = !self.pods.is_empty() || !self.claims.is_empty();
        if (self.set.is_some() || leftovers) && name != self.set_name {
            return Err(ActionError::Refused(format!(
                "this simulation holds one StatefulSet ({}); {name} is a different one",
                self.set_name
            )));
        }
        if let Err(message) = validation::validate(&new, old.as_ref()) {
            return Err(self.reject(message));
        }
        validation::lab_limits(&new).map_err(ActionError::Refused)?;
        for svc in services {
            self.add_service(svc);
        }
        match old {
            Some(old) if old.spec == new.spec => Ok(format!("statefulset.apps/{name} unchanged")),
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

    fn rollback(&mut self, to_revision: Option<i64>) -> Result<String, ActionError> {
        let Some(state) = &self.set else {
            return Err(self.not_found());
        };
        let name = self.set_name.clone();
        let mut history: Vec<_> = self.revisions.iter().collect();
        history.sort_by_key(|r| r.revision);
        let target = match to_revision {
            None | Some(0) => {
                if history.len() <= 1 {
                    return Err(ActionError::Refused("error: no last revision to roll back to".into()));
                }
                history[history.len() - 2]
            }
            Some(n) => match history.iter().find(|r| r.revision == n) {
                Some(r) => *r,
                None => {
                    return Err(ActionError::Refused(format!(
                        "error: unable to find specified revision {n} in history"
                    )))
                }
            },
        };
        if *target.template_json == *state.template_json {
            return Ok(format!(
                "statefulset.apps/{name} skipped rollback (current template already matches revision {})",
                target.revision
            ));
        }
        let mut new = state.object.clone();
        if let Some(spec) = new.spec.as_mut() {
            spec.template = (*target.template).clone();
        }
        self.install_set(new);
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

fn old_max_unavailable(set: &StatefulSet) -> Option<IntOrString> {
    set.spec.as_ref()?.update_strategy.as_ref()?.rolling_update.as_ref()?.max_unavailable.clone()
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
