//! Read-only views of pods and claims with everything the UI and kubectl show, computed at the
//! cluster's current moment.

use serde::Serialize;

use super::claim::ClaimStatus;
use super::clock::SimDuration;
use super::cluster::Cluster;
use crate::kubectl::duration::human_duration;

/// A pod as the UI draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PodView {
    pub name: String,
    pub ordinal: i32,
    /// ControllerRevision name (`controller-revision-hash` label).
    pub revision: String,
    /// That revision's `.revision` number (0 if the revision was pruned or deleted).
    pub revision_number: i64,
    /// kubectl's STATUS (`Pending`, `ContainerCreating`, `Running`, `CrashLoopBackOff`, `Terminating`).
    pub status: String,
    /// Condition Ready.
    pub ready: bool,
    /// kubectl's READY (`1/1`).
    pub ready_text: String,
    pub restarts: u32,
    /// kubectl's RESTARTS (`2 (31s ago)`).
    pub restarts_text: String,
    pub age: SimDuration,
    /// kubectl's AGE (`5m12s`).
    pub age_text: String,
    pub terminating: bool,
    /// In the Service endpoints.
    pub serving: bool,
    /// The counter on its volume (`None` while the file does not exist).
    pub visits: Option<u64>,
    /// Its claim names.
    pub claims: Vec<String>,
    pub ip: Option<String>,
    /// `spec.nodeName`: the node it runs on (`None` while unscheduled).
    pub node: Option<String>,
    /// Labels: the template's plus those the controller adds (spec §1).
    pub labels: std::collections::BTreeMap<String, String>,
    /// `<pod>.<serviceName>.<ns>.svc.cluster.local` while its A record is served: a headless
    /// Service named `serviceName` selects it and it is Ready (spec §1, [`Cluster::dns_record`]);
    /// without it the pod runs but its name resolves to nothing.
    pub dns_name: Option<String>,
}

/// A claim as the UI draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimView {
    pub name: String,
    pub ordinal: i32,
    pub status: ClaimStatus,
    pub volume: Option<String>,
    pub capacity: String,
    pub access_modes: Vec<String>,
    pub storage_class: String,
    pub visits: Option<u64>,
    /// Whether a pod currently mounts it.
    pub in_use: bool,
    pub age_text: String,
    /// Owned by the StatefulSet (whenDeleted: Delete) / by its pod (whenScaled: Delete, condemned).
    pub owned_by_set: bool,
    pub owned_by_pod: bool,
}

impl Cluster {
    pub fn pod_views(&self) -> Vec<PodView> {
        let now = self.now;
        self.pods
            .values()
            .map(|p| {
                let crash = p.crash_state(now);
                let restarts_text = match crash.last_termination {
                    Some(t) if crash.restarts > 0 => {
                        format!("{} ({} ago)", crash.restarts, human_duration(now.since(t)))
                    }
                    _ => crash.restarts.to_string(),
                };
                let age = now.since(p.created_at);
                PodView {
                    name: p.name.clone(),
                    ordinal: p.ordinal,
                    revision: p.revision.clone(),
                    revision_number: self.revision(&p.revision).map_or(0, |r| r.revision),
                    status: p.status_text(now),
                    ready: p.ready && !p.containers_stopped,
                    ready_text: format!("{}/{}", p.ready_containers(), p.containers),
                    restarts: crash.restarts,
                    restarts_text,
                    age,
                    age_text: human_duration(age),
                    terminating: p.is_terminating(),
                    serving: p.ready && !p.is_terminating() && !p.containers_stopped,
                    visits: self.visits_of(p),
                    claims: self.claims.values().filter(|c| c.ordinal == p.ordinal).map(|c| c.name.clone()).collect(),
                    ip: p.ip.clone(),
                    node: p.node.clone(),
                    labels: self.pod_labels(p),
                    dns_name: self.pod_dns_name(p),
                }
            })
            .collect()
    }

    /// spec §1: template labels plus `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`
    /// and `controller-revision-hash`, as the pod was created (from its revision's template).
    pub fn pod_labels(&self, p: &super::Pod) -> std::collections::BTreeMap<String, String> {
        let mut labels = self
            .revision(&p.revision)
            .and_then(|r| r.template.metadata.as_ref().and_then(|m| m.labels.clone()))
            .unwrap_or_default();
        labels.insert("statefulset.kubernetes.io/pod-name".into(), p.name.clone());
        labels.insert("apps.kubernetes.io/pod-index".into(), p.ordinal.to_string());
        labels.insert("controller-revision-hash".into(), p.revision.clone());
        labels
    }

    /// spec §1: the pod's fully qualified DNS name while cluster DNS serves its record
    /// ([`Cluster::dns_record`] decides).
    pub fn pod_dns_name(&self, p: &super::Pod) -> Option<String> {
        self.dns_record(p.ordinal).ok().map(|r| r.name.fqdn)
    }

    pub fn claim_views(&self) -> Vec<ClaimView> {
        self.claims
            .values()
            .map(|c| ClaimView {
                name: c.name.clone(),
                ordinal: c.ordinal,
                status: c.status,
                volume: c.volume.clone(),
                capacity: c.capacity.clone(),
                access_modes: c.access_modes.clone(),
                storage_class: c.storage_class.clone(),
                visits: c.visits,
                in_use: self.claim_in_use(c),
                age_text: human_duration(self.now.since(c.created_at)),
                owned_by_set: c.owned_by_set,
                owned_by_pod: c.owned_by_pod.is_some(),
            })
            .collect()
    }
}
