//! The simulated state as Kubernetes objects (k8s-openapi types), for a `kubectl get -o yaml` view:
//! what the API server would return for the StatefulSet, its pods, claims and ControllerRevisions.
//! Timestamps are left out (the simulation has no wall clock); uids are derived from the engine's.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet, StatefulSetStatus};
use k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, PersistentVolumeClaimSpec, PersistentVolumeClaimStatus, PersistentVolumeClaimVolumeSource,
    Pod as PodObject, PodCondition, PodStatus, Volume, VolumeResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::runtime::RawExtension;

use super::claim::{Claim, ClaimStatus};
use super::cluster::{Cluster, Revision};
use super::pod::{Pod, PodPhase};

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
        spec.node_name = p.ip.as_ref().map(|_| crate::kubectl::get::NODE_NAME.to_string());
        let ready = if p.ready && !p.containers_stopped { "True" } else { "False" };
        let status = PodStatus {
            phase: Some(
                match p.phase {
                    PodPhase::Pending => "Pending",
                    PodPhase::Running => "Running",
                    PodPhase::Failed => "Failed",
                }
                .into(),
            ),
            reason: (p.phase == PodPhase::Failed).then(|| "Evicted".to_string()),
            pod_ip: p.ip.clone(),
            conditions: Some(vec![PodCondition {
                type_: "Ready".into(),
                status: ready.into(),
                ..PodCondition::default()
            }]),
            ..PodStatus::default()
        };
        if p.is_terminating() {
            meta.deletion_grace_period_seconds =
                Some(self.revision(&p.revision).map_or(30, |r| r.shape.termination_grace_seconds));
        }
        PodObject { metadata: meta, spec: Some(spec), status: Some(status) }
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
