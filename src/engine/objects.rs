//! The simulated state as Kubernetes objects (k8s-openapi types), for a `kubectl get -o yaml` view:
//! what the API server would return for the StatefulSet, its pods, claims and ControllerRevisions.
//! Pod timestamps are the simulated clock from 2025-06-03T10:00:00Z ([`sim_time`]); uids are derived
//! from the engine's.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{
    ConfigMapProjection, ContainerState, ContainerStateRunning, ContainerStateTerminated, ContainerStateWaiting,
    ContainerStatus, DownwardAPIProjection, DownwardAPIVolumeFile, HostIP, KeyToPath, ObjectFieldSelector,
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeClaimVolumeSource,
    Pod as PodObject, PodCondition, PodIP, PodSpec, PodStatus, ProjectedVolumeSource, ServiceAccountTokenProjection,
    Toleration, Volume, VolumeMount, VolumeProjection, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference, Time};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::claim::{Claim, ClaimStatus};
use super::clock::{SimDuration, SimTime};
use super::cluster::{Cluster, Revision};
use super::pod::{timing, Pod, PodPhase, Stage};

/// A uid in the API server's shape, stable for a given engine uid.
pub fn uid_text(kind: u32, uid: u64) -> String {
    format!("{kind:08x}-0000-4000-8000-{uid:012x}")
}

fn owner(kind: &str, api_version: &str, name: &str, uid: String) -> OwnerReference {
    OwnerReference {
        api_version: api_version.into(),
        kind: kind.into(),
        name: name.into(),
        uid,
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

const SET_UID: u64 = 1;

impl Cluster {
    fn set_owner(&self) -> OwnerReference {
        owner("StatefulSet", "apps/v1", &self.set_name, uid_text(0, SET_UID))
    }

    /// The StatefulSet as stored, with generation and status filled in.
    pub fn statefulset_object(&self) -> Option<StatefulSet> {
        let set = self.set.as_ref()?;
        let mut o = set.object.clone();
        o.metadata.generation = Some(set.generation);
        o.metadata.namespace = Some(self.namespace.clone());
        o.metadata.uid = Some(uid_text(0, SET_UID));
        let s = &set.status;
        o.status = Some(StatefulSetStatus {
            observed_generation: Some(s.observed_generation),
            replicas: s.replicas,
            ready_replicas: Some(s.ready_replicas),
            available_replicas: Some(s.available_replicas),
            current_replicas: Some(s.current_replicas),
            updated_replicas: Some(s.updated_replicas),
            current_revision: Some(s.current_revision.clone()),
            update_revision: Some(s.update_revision.clone()),
            collision_count: Some(s.collision_count),
            conditions: None,
        });
        Some(o)
    }

    /// A pod as the API server would return it: its revision's template, the identity the
    /// controller adds (spec §1: labels, hostname, subdomain, claim volumes, ownerReference) and status.
    pub fn pod_object(&self, p: &Pod) -> PodObject {
        let template = self.revision(&p.revision).map(|r| (*r.template).clone()).unwrap_or_default();
        let mut meta = template.metadata.clone().unwrap_or_default();
        meta.name = Some(p.name.clone());
        meta.namespace = Some(self.namespace.clone());
        meta.uid = Some(uid_text(1, p.uid));
        meta.labels = Some(self.pod_labels(p));
        if p.owned {
            meta.owner_references = Some(vec![self.set_owner()]);
        }
        let mut spec = template.spec.clone().unwrap_or_default();
        spec.hostname = Some(p.name.clone());
        if let Some(set) = &self.set {
            if !set.spec.service_name.is_empty() {
                spec.subdomain = Some(set.spec.service_name.clone());
            }
        }
        let mut volumes = spec.volumes.take().unwrap_or_default();
        for c in self.claims.values().filter(|c| c.ordinal == p.ordinal) {
            volumes.push(Volume {
                name: c.template.clone(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: c.name.clone(),
                    read_only: None,
                }),
                ..Volume::default()
            });
        }
        spec.volumes = (!volumes.is_empty()).then_some(volumes);
        spec.node_name = p.node.clone();
        self.admit_pod(p, &mut spec);
        let status = self.pod_status(p, &spec);
        if let Some(d) = p.deletion {
            meta.deletion_timestamp = Some(sim_time(d));
            meta.deletion_grace_period_seconds =
                Some(self.revision(&p.revision).map_or(30, |r| r.shape.termination_grace_seconds));
        }
        meta.creation_timestamp = Some(sim_time(p.created_at));
        PodObject { metadata: meta, spec: Some(spec), status: Some(status) }
    }

    /// What the API server's admission plugins add to a pod the controller creates: the
    /// ServiceAccount plugin's `serviceAccountName: default` and, unless the template opts out
    /// (`automountServiceAccountToken: false`), the projected `kube-api-access-<5>` volume and its
    /// read-only mount in every container (its suffix is utilrand.String(5), here drawn from the
    /// same alphabet by a hash of the pod's uid, so it is stable); Priority's `priority: 0`;
    /// DefaultTolerationSeconds' not-ready/unreachable NoExecute tolerations for 300 s.
    fn admit_pod(&self, p: &Pod, spec: &mut PodSpec) {
        let sa = spec.service_account_name.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| "default".into());
        spec.service_account_name = Some(sa.clone());
        spec.service_account = Some(sa);
        if spec.automount_service_account_token != Some(false) {
            // utilrand's alphanums: "bcdfghjklmnpqrstvwxz2456789".
            const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
            let h = hex_digest(&format!("kube-api-access/{}", p.uid));
            let suffix: String = h
                .as_bytes()
                .chunks(2)
                .take(5)
                .map(|b| ALPHANUMS[(b[0] as usize * 16 + b[1] as usize) % 27] as char)
                .collect();
            let name = format!("kube-api-access-{suffix}");
            spec.volumes.get_or_insert_with(Vec::new).push(Volume {
                name: name.clone(),
                projected: Some(ProjectedVolumeSource {
                    default_mode: Some(0o644),
                    sources: Some(vec![
                        VolumeProjection {
                            service_account_token: Some(ServiceAccountTokenProjection {
                                expiration_seconds: Some(3607),
                                path: "token".into(),
                                audience: None,
                            }),
                            ..VolumeProjection::default()
                        },
                        VolumeProjection {
                            config_map: Some(ConfigMapProjection {
                                name: "kube-root-ca.crt".into(),
                                items: Some(vec![KeyToPath {
                                    key: "ca.crt".into(),
                                    path: "ca.crt".into(),
                                    mode: None,
                                }]),
                                optional: None,
                            }),
                            ..VolumeProjection::default()
                        },
                        VolumeProjection {
                            downward_api: Some(DownwardAPIProjection {
                                items: Some(vec![DownwardAPIVolumeFile {
                                    path: "namespace".into(),
                                    field_ref: Some(ObjectFieldSelector {
                                        api_version: Some("v1".into()),
                                        field_path: "metadata.namespace".into(),
                                    }),
                                    ..DownwardAPIVolumeFile::default()
                                }]),
                            }),
                            ..VolumeProjection::default()
                        },
                    ]),
                }),
                ..Volume::default()
            });
            let containers = spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut());
            for c in containers {
                c.volume_mounts.get_or_insert_with(Vec::new).push(VolumeMount {
                    name: name.clone(),
                    mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
                    read_only: Some(true),
                    ..VolumeMount::default()
                });
            }
        }
        if spec.priority.is_none() {
            spec.priority = Some(0);
        }
        let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            if !tolerations.iter().any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref() == Some("NoExecute")) {
                tolerations.push(Toleration {
                    key: Some(key.into()),
                    operator: Some("Exists".into()),
                    effect: Some("NoExecute".into()),
                    toleration_seconds: Some(300),
                    value: None,
                });
            }
        }
    }

    /// The kubelet's view of the pod: phase, conditions in the kubelet's order
    /// (PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled), addresses,
    /// startTime and container statuses. Container and image IDs are the docker runtime's shape
    /// (`docker://<64 hex>`, `docker-pullable://<repo>@sha256:<64 hex>`) with the hex a SHA-256 of
    /// the pod uid and container (of the image name for the image), not a real digest. The restart
    /// count and last state of a crash loop or a kill are the first container's. Init containers
    /// get no statuses, and an evicted (Failed) pod none either (the lab does not keep them).
    fn pod_status(&self, p: &Pod, spec: &PodSpec) -> PodStatus {
        let now = self.now;
        let bool_text = |b: bool| if b { "True" } else { "False" }.to_string();
        let cond = |t: &str, s: bool| PodCondition { type_: t.into(), status: bool_text(s), ..PodCondition::default() };
        let ready = p.ready && !p.containers_stopped;
        let scheduled = p.ip.is_some();
        let host_ip = p.node.as_deref().and_then(|n| self.node(n)).filter(|_| scheduled).map(|n| n.ip.clone());
        let conditions = if scheduled {
            let initialized = !(p.stage == Stage::ContainerCreating && p.init_containers > 0);
            let sandbox = !p.containers_stopped && p.phase != PodPhase::Failed;
            vec![
                cond("PodReadyToStartContainers", sandbox),
                cond("Initialized", initialized),
                cond("Ready", ready),
                cond("ContainersReady", ready),
                cond("PodScheduled", true),
            ]
        } else {
            // schedule_one.go handleSchedulingFailure: reason Unschedulable, the FitError as message.
            let mut c = cond("PodScheduled", false);
            if let Some(m) = &p.unschedulable {
                c.reason = Some("Unschedulable".into());
                c.message = Some(m.clone());
            }
            vec![c]
        };
        let crash = p.crash_state(now);
        let grace = self.revision(&p.revision).map_or(30, |r| r.shape.termination_grace_seconds);
        let statuses = (scheduled && p.phase != PodPhase::Failed).then(|| {
            spec.containers
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let image = k.image.clone().unwrap_or_default();
                    let first = i == 0;
                    let restarts = if first { crash.restarts } else { 0 };
                    let run_started = if first { crash.run_started } else { p.started_at };
                    let waiting_with = |reason: &str, message: Option<String>| ContainerState {
                        waiting: Some(ContainerStateWaiting { reason: Some(reason.into()), message }),
                        ..ContainerState::default()
                    };
                    let waiting = |reason: &str| waiting_with(reason, None);
                    // kuberuntime: the failed start's reason and message (the error) stay on the
                    // waiting container until a sync starts it.
                    let config_error = p
                        .config_error
                        .as_ref()
                        .and_then(|e| e.failed.iter().find(|f| f.name == k.name && !e.init))
                        .map(|f| f.error.message.clone());
                    let terminated =
                        |reason: &str, code: i32, started: Option<SimTime>, finished: SimTime| ContainerState {
                            terminated: Some(ContainerStateTerminated {
                                reason: Some(reason.into()),
                                exit_code: code,
                                started_at: started.map(sim_time),
                                finished_at: Some(sim_time(finished)),
                                ..ContainerStateTerminated::default()
                            }),
                            ..ContainerState::default()
                        };
                    let (state, started) = match p.stage {
                        Stage::Started if p.containers_stopped => {
                            let d = p.deletion.unwrap_or(now);
                            let graceful = SimDuration::from_secs(grace.max(0) as u64) >= timing::STOP_ON_SIGTERM;
                            let s = if graceful {
                                terminated("Completed", 0, run_started, d.plus(timing::STOP_ON_SIGTERM))
                            } else {
                                terminated(
                                    "Error",
                                    137,
                                    run_started,
                                    d.plus(SimDuration::from_secs(grace.max(0) as u64)),
                                )
                            };
                            (s, false)
                        }
                        Stage::Started if first && crash.backing_off => (waiting("CrashLoopBackOff"), false),
                        Stage::ContainerCreating if config_error.is_some() => {
                            (waiting_with("CreateContainerConfigError", config_error), false)
                        }
                        Stage::Started => (
                            ContainerState {
                                running: Some(ContainerStateRunning { started_at: run_started.map(sim_time) }),
                                ..ContainerState::default()
                            },
                            true,
                        ),
                        _ => (waiting("ContainerCreating"), false),
                    };
                    let last_state = match crash.last_termination {
                        Some(end) if first && restarts > 0 => {
                            if p.last_kill == Some(end) {
                                // The kill is an OOM kill (fault.rs): SIGKILL, 128 + 9.
                                terminated("OOMKilled", 137, p.killed_run_started, end)
                            } else {
                                terminated("Error", 1, Some(SimTime(end.0.saturating_sub(timing::CRASH_RUN.0))), end)
                            }
                        }
                        _ => ContainerState::default(),
                    };
                    let running = p.stage == Stage::Started;
                    ContainerStatus {
                        name: k.name.clone(),
                        image: image.clone(),
                        image_id: if running {
                            let repo = image.split('@').next().unwrap_or_default();
                            let repo = match repo.rsplit_once(':') {
                                Some((r, tag)) if !tag.contains('/') => r,
                                _ => repo,
                            };
                            format!("docker-pullable://{repo}@sha256:{}", hex_digest(&image))
                        } else {
                            String::new()
                        },
                        container_id: running
                            .then(|| format!("docker://{}", hex_digest(&format!("{}/{}/{restarts}", p.uid, k.name)))),
                        ready: ready && started,
                        restart_count: restarts as i32,
                        started: Some(started),
                        state: Some(state),
                        last_state: Some(last_state),
                        ..ContainerStatus::default()
                    }
                })
                .collect()
        });
        PodStatus {
            phase: Some(
                match p.phase {
                    PodPhase::Pending => "Pending",
                    PodPhase::Running => "Running",
                    PodPhase::Failed => "Failed",
                }
                .into(),
            ),
            reason: (p.phase == PodPhase::Failed).then(|| "Evicted".to_string()),
            host_ip: host_ip.clone(),
            host_ips: host_ip.map(|ip| vec![HostIP { ip }]),
            pod_ip: p.ip.clone(),
            pod_ips: p.ip.clone().map(|ip| vec![PodIP { ip }]),
            start_time: p.scheduled_at.map(sim_time),
            qos_class: Some(qos_class(spec).into()),
            conditions: Some(conditions),
            container_statuses: statuses,
            ..PodStatus::default()
        }
    }

    /// A claim as the API server would return it (spec §1, §5: labels, ownerReferences, binding).
    pub fn claim_object(&self, c: &Claim) -> PersistentVolumeClaim {
        let labels = self
            .set
            .as_ref()
            .and_then(|s| s.spec.claims.iter().find(|t| t.name == c.template).map(|t| t.labels.clone()))
            .unwrap_or_default();
        let mut owners = Vec::new();
        if c.owned_by_set {
            owners.push(self.set_owner());
        }
        if let Some(uid) = c.owned_by_pod {
            let pod = super::cluster::pod_name(&self.set_name, c.ordinal);
            owners.push(owner("Pod", "v1", &pod, uid_text(1, uid)));
        }
        let storage = BTreeMap::from([("storage".to_string(), Quantity(c.capacity.clone()))]);
        let modes: Vec<String> = c
            .access_modes
            .iter()
            .map(|m| match m.as_str() {
                "RWO" => "ReadWriteOnce".to_string(),
                "ROX" => "ReadOnlyMany".to_string(),
                "RWX" => "ReadWriteMany".to_string(),
                "RWOP" => "ReadWriteOncePod".to_string(),
                other => other.to_string(),
            })
            .collect();
        PersistentVolumeClaim {
            metadata: ObjectMeta {
                name: Some(c.name.clone()),
                namespace: Some(self.namespace.clone()),
                uid: Some(uid_text(2, c.uid)),
                labels: (!labels.is_empty()).then_some(labels),
                // Written by the scheduler for a WaitForFirstConsumer claim (AssumePodVolumes).
                annotations: c
                    .selected_node
                    .as_ref()
                    .map(|n| BTreeMap::from([(super::storage::SELECTED_NODE.to_string(), n.clone())])),
                owner_references: (!owners.is_empty()).then_some(owners),
                finalizers: Some(vec!["kubernetes.io/pvc-protection".into()]),
                ..ObjectMeta::default()
            },
            spec: Some(PersistentVolumeClaimSpec {
                access_modes: Some(modes.clone()),
                resources: Some(VolumeResourceRequirements { requests: Some(storage.clone()), limits: None }),
                storage_class_name: Some(c.storage_class.clone()),
                volume_mode: Some("Filesystem".into()),
                volume_name: c.volume.clone(),
                ..PersistentVolumeClaimSpec::default()
            }),
            status: Some(PersistentVolumeClaimStatus {
                phase: Some(if c.bound { "Bound" } else { "Pending" }.into()),
                access_modes: c.bound.then_some(modes),
                capacity: c.bound.then_some(storage),
                ..PersistentVolumeClaimStatus::default()
            }),
        }
        .with_deletion(c.status == ClaimStatus::Terminating)
    }

    /// A ControllerRevision object: the template snapshot with its name and `.revision`.
    pub fn revision_object(&self, r: &Revision) -> ControllerRevision {
        // The template goes to JSON through the one serializer the lab uses (apiserver::codec).
        let template = crate::apiserver::codec::to_value(&*r.template).unwrap_or_default();
        let data = serde_json::json!({"spec": {"template": template, "$patch": "replace"}});
        ControllerRevision {
            metadata: ObjectMeta {
                name: Some(r.name.clone()),
                namespace: Some(self.namespace.clone()),
                owner_references: self.set.as_ref().map(|_| vec![self.set_owner()]),
                ..ObjectMeta::default()
            },
            data: Some(RawExtension(data)),
            revision: r.revision,
        }
    }
}

/// Seconds from the Unix epoch to the lab's time 0 (2025-06-03T10:00:00Z).
pub const SIM_EPOCH_SECS: i64 = 1_748_944_800;

/// A simulated time as a `metav1.Time`.
pub fn sim_time(t: SimTime) -> Time {
    let ms = SIM_EPOCH_SECS * 1000 + t.0 as i64;
    Time(k8s_openapi::jiff::Timestamp::from_millisecond(ms).unwrap_or_default())
}

/// SHA-256 of `s` in hex: a stable stand-in for the runtime's ids.
fn hex_digest(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// pkg/apis/core/helper/qos GetPodQOS, for requests and limits of cpu and memory: BestEffort when
/// no container sets any, Guaranteed when every container's limits cover both and requests (a
/// missing request defaults to its limit) equal them, else Burstable.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let all = spec.init_containers.iter().flatten().chain(spec.containers.iter());
    let mut any = false;
    let mut guaranteed = true;
    for c in all {
        let r = c.resources.clone().unwrap_or_default();
        let limits = r.limits.unwrap_or_default();
        let requests = r.requests.unwrap_or_default();
        let tracked = |m: &BTreeMap<String, Quantity>| {
            m.iter().filter(|(k, q)| (k.as_str() == "cpu" || k.as_str() == "memory") && !is_zero(q)).count()
        };
        if tracked(&limits) > 0 || tracked(&requests) > 0 {
            any = true;
        }
        for res in ["cpu", "memory"] {
            match limits.get(res).filter(|q| !is_zero(q)) {
                None => guaranteed = false,
                Some(l) => {
                    if requests.get(res).is_some_and(|q| q.0 != l.0) {
                        guaranteed = false;
                    }
                }
            }
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn is_zero(q: &Quantity) -> bool {
    q.0.trim_start_matches(['+', '-'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .all(|c| c == '0' || c == '.')
}

trait WithDeletion {
    fn with_deletion(self, terminating: bool) -> Self;
}

impl WithDeletion for PersistentVolumeClaim {
    /// A claim being deleted keeps its pvc-protection finalizer until no pod mounts it (spec §5).
    fn with_deletion(mut self, terminating: bool) -> Self {
        if terminating {
            self.metadata.deletion_grace_period_seconds = Some(0);
        }
        self
    }
}
