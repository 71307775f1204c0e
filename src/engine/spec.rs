//! The StatefulSet spec as the controller sees it, built from the object the API server stores
//! (defaulted by [`crate::apiserver::defaults`], spec §7), so no rule below has to think about
//! `None`. The one spec type of the lab: the engine, the UI, the reports and the paste's model
//! ([`crate::model::StatefulSetInfo::effective`]) all read this.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, PodTemplateSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// `spec.podManagementPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum PodManagementPolicy {
    /// spec §3: one pod at a time, each Running+Ready+available before the next (the default).
    #[default]
    OrderedReady,
    /// spec §3: create and delete together, never wait for readiness.
    Parallel,
}

impl PodManagementPolicy {
    /// The API value; anything else is rejected by the API server, so `None`.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "OrderedReady" => Some(Self::OrderedReady),
            "Parallel" => Some(Self::Parallel),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PodManagementPolicy::OrderedReady => "OrderedReady",
            PodManagementPolicy::Parallel => "Parallel",
        }
    }
}

/// `spec.updateStrategy.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum UpdateStrategy {
    #[default]
    RollingUpdate,
    OnDelete,
    /// KEP-3541 (1.37, gate `StatefulSetRecreateStrategy`): every pod is deleted, and new pods are
    /// created only once all old ones are gone.
    Recreate,
}

impl UpdateStrategy {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RollingUpdate" => Some(Self::RollingUpdate),
            "OnDelete" => Some(Self::OnDelete),
            "Recreate" => Some(Self::Recreate),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            UpdateStrategy::RollingUpdate => "RollingUpdate",
            UpdateStrategy::OnDelete => "OnDelete",
            UpdateStrategy::Recreate => "Recreate",
        }
    }
}

/// `whenScaled` / `whenDeleted` of `persistentVolumeClaimRetentionPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum RetentionPolicy {
    #[default]
    Retain,
    Delete,
}

impl RetentionPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionPolicy::Retain => "Retain",
            RetentionPolicy::Delete => "Delete",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Retain" => Some(RetentionPolicy::Retain),
            "Delete" => Some(RetentionPolicy::Delete),
            _ => None,
        }
    }
}

/// One volumeClaimTemplate, reduced to what the claim and `kubectl get pvc` need.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ClaimTemplate {
    /// `metadata.name`: the pod volume name and the prefix of every claim (`www` → `www-web-0`).
    pub name: String,
    /// `spec.resources.requests.storage`, as written (`1Gi`, `50Mi`); it becomes the bound capacity.
    pub storage: String,
    /// Access modes as kubectl abbreviates them (`RWO`, `ROX`, `RWX`, `RWOP`).
    pub access_modes: Vec<String>,
    /// `spec.storageClassName`, else the cluster's default class (`standard`, as minikube and kind name it).
    pub storage_class: String,
    pub labels: BTreeMap<String, String>,
}

/// The default StorageClass the admission plugin fills in when a claim names none.
pub const DEFAULT_STORAGE_CLASS: &str = "standard";

/// The StatefulSet spec with defaults applied.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SetSpec {
    pub name: String,
    pub replicas: i32,
    pub policy: PodManagementPolicy,
    pub strategy: UpdateStrategy,
    /// spec §2.2: whether `rollingUpdate` is present (the API server adds it only when `type` was omitted).
    pub rolling_update_present: bool,
    /// `rollingUpdate.partition`, a slot number (spec §13.5), 0 when absent.
    pub partition: i32,
    /// `rollingUpdate.maxUnavailable` as written (only read when the gate is on, spec §4.3).
    pub max_unavailable: Option<IntOrString>,
    pub min_ready_seconds: i32,
    /// `spec.ordinals.start` (spec §6), default 0.
    pub start: i32,
    pub when_scaled: RetentionPolicy,
    pub when_deleted: RetentionPolicy,
    pub revision_history_limit: i32,
    pub service_name: String,
    pub selector: BTreeMap<String, String>,
    #[serde(skip)]
    pub template: PodTemplateSpec,
    pub claims: Vec<ClaimTemplate>,
    /// Container names and images (for `-o wide` and for the `image:` action).
    pub containers: Vec<(String, String)>,
    pub init_containers: usize,
    /// Readiness timing from the first container's readinessProbe (seconds), if it has one.
    pub readiness: Option<Probe>,
    pub termination_grace_seconds: i64,
}

/// The readiness probe timings that decide when a pod turns Ready / unready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Probe {
    pub initial_delay_seconds: i32,
    pub period_seconds: i32,
    pub failure_threshold: i32,
}

/// kubelet's probe defaults (periodSeconds 10, failureThreshold 3), used when a pod is made to fail
/// readiness but its template has no probe.
pub const DEFAULT_PROBE: Probe = Probe { initial_delay_seconds: 0, period_seconds: 10, failure_threshold: 3 };

impl SetSpec {
    /// The spec of a stored (defaulted) StatefulSet. An object that was not defaulted is read with
    /// the same defaults, so callers holding a raw manifest get the same answer.
    pub fn from_object(object: &StatefulSet) -> SetSpec {
        let name = object.metadata.name.clone().unwrap_or_default();
        let spec = object.spec.clone().unwrap_or_default();
        let strategy_obj = spec.update_strategy.clone().unwrap_or_default();
        let strategy = match strategy_obj.type_.as_deref() {
            Some("OnDelete") => UpdateStrategy::OnDelete,
            Some("Recreate") => UpdateStrategy::Recreate,
            _ => UpdateStrategy::RollingUpdate,
        };
        // spec §7: the `rollingUpdate` block is defaulted (partition 0) only when `type` was omitted.
        let rolling_update_present = strategy == UpdateStrategy::RollingUpdate
            && (strategy_obj.rolling_update.is_some() || strategy_obj.type_.is_none());
        let ru = strategy_obj.rolling_update.clone().unwrap_or_default();
        let retention = spec.persistent_volume_claim_retention_policy.clone().unwrap_or_default();
        let template = spec.template.clone();
        let pod_spec = template.spec.clone().unwrap_or_default();
        let containers =
            pod_spec.containers.iter().map(|c| (c.name.clone(), c.image.clone().unwrap_or_default())).collect();
        let readiness = pod_spec.containers.first().and_then(|c| c.readiness_probe.as_ref()).map(|p| Probe {
            initial_delay_seconds: p.initial_delay_seconds.unwrap_or(0),
            period_seconds: p.period_seconds.unwrap_or(10).max(1),
            failure_threshold: p.failure_threshold.unwrap_or(3).max(1),
        });
        let selector = spec.selector.match_labels.clone().unwrap_or_default();
        let claims = spec
            .volume_claim_templates
            .clone()
            .unwrap_or_default()
            .iter()
            .map(|c| claim_template(c, &selector))
            .collect();
        SetSpec {
            name,
            replicas: spec.replicas.unwrap_or(1),
            policy: match spec.pod_management_policy.as_deref() {
                Some("Parallel") => PodManagementPolicy::Parallel,
                _ => PodManagementPolicy::OrderedReady,
            },
            strategy,
            rolling_update_present,
            partition: if rolling_update_present { ru.partition.unwrap_or(0) } else { 0 },
            max_unavailable: ru.max_unavailable.clone(),
            min_ready_seconds: spec.min_ready_seconds.unwrap_or(0),
            start: spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0),
            when_scaled: retention
                .when_scaled
                .as_deref()
                .and_then(RetentionPolicy::parse)
                .unwrap_or(RetentionPolicy::Retain),
            when_deleted: retention
                .when_deleted
                .as_deref()
                .and_then(RetentionPolicy::parse)
                .unwrap_or(RetentionPolicy::Retain),
            revision_history_limit: spec.revision_history_limit.unwrap_or(10),
            service_name: spec.service_name.clone().unwrap_or_default(),
            selector,
            claims,
            containers,
            init_containers: pod_spec.init_containers.as_ref().map_or(0, Vec::len),
            readiness,
            termination_grace_seconds: pod_spec.termination_grace_period_seconds.unwrap_or(30),
            template,
        }
    }

    /// The ordinals the pods get: `start .. start + replicas` (KEP-3335 start ordinal).
    pub fn ordinals(&self) -> std::ops::Range<i32> {
        self.start..self.end()
    }

    /// `rollingUpdate.maxUnavailable` as the API server would store it with the gate on: 1 when absent.
    pub fn max_unavailable_or_default(&self) -> IntOrString {
        self.max_unavailable.clone().unwrap_or(IntOrString::Int(1))
    }

    /// Slot of an ordinal (spec §6: partition and maxUnavailable count slots, not ordinals).
    pub fn slot(&self, ordinal: i32) -> i32 {
        ordinal - self.start
    }

    /// spec §1: ordinals `start … start+replicas-1` are in range.
    pub fn in_range(&self, ordinal: i32) -> bool {
        ordinal >= self.start && ordinal < self.end()
    }

    /// One past the highest ordinal in range: `start + replicas`. The engine only installs sets
    /// where this fits an int32 ([`crate::limits::MAX_ORDINAL`]); it saturates anyway, so no
    /// range over the pods can ever be built backwards.
    pub fn end(&self) -> i32 {
        self.start.saturating_add(self.replicas.max(0))
    }

    /// The ordinal of a slot (`start + slot`), saturating like [`SetSpec::end`].
    pub fn ordinal(&self, slot: i32) -> i32 {
        self.start.saturating_add(slot)
    }

    /// spec §4.3: maxUnavailable, percent rounded down, minimum 1, default 1.
    pub fn max_unavailable_count(&self) -> i32 {
        let n = match &self.max_unavailable {
            None => 1,
            Some(IntOrString::Int(i)) => *i,
            Some(IntOrString::String(s)) => match s.strip_suffix('%').and_then(|p| p.trim().parse::<i64>().ok()) {
                // Validation keeps percentages within 0-100%; clamped anyway, so no product overflows.
                Some(p) => ((p.clamp(0, 100) * i64::from(self.replicas.max(0))) / 100) as i32,
                None => s.trim().parse().unwrap_or(1),
            },
        };
        n.max(1)
    }
}

fn claim_template(c: &PersistentVolumeClaim, selector: &BTreeMap<String, String>) -> ClaimTemplate {
    let spec = c.spec.clone().unwrap_or_default();
    let storage = spec
        .resources
        .as_ref()
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"))
        .map(|q| q.0.clone())
        .unwrap_or_default();
    let access_modes = spec
        .access_modes
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|m| match m.as_str() {
            "ReadWriteOnce" => "RWO".to_string(),
            "ReadOnlyMany" => "ROX".to_string(),
            "ReadWriteMany" => "RWX".to_string(),
            "ReadWriteOncePod" => "RWOP".to_string(),
            other => other.to_string(),
        })
        .collect();
    // spec §1: PVC labels = template labels merged with the selector's matchLabels.
    let mut labels = c.metadata.labels.clone().unwrap_or_default();
    labels.extend(selector.iter().map(|(k, v)| (k.clone(), v.clone())));
    ClaimTemplate {
        name: c.metadata.name.clone().unwrap_or_default(),
        storage,
        access_modes,
        storage_class: spec.storage_class_name.clone().unwrap_or_else(|| DEFAULT_STORAGE_CLASS.to_string()),
        labels,
    }
}

/// What a pod built from one revision's template needs to know to live its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PodShape {
    pub containers: usize,
    pub init_containers: usize,
    pub readiness: Option<Probe>,
    pub termination_grace_seconds: i64,
}

impl PodShape {
    pub fn of(template: &PodTemplateSpec) -> PodShape {
        let pod_spec = template.spec.clone().unwrap_or_default();
        PodShape {
            containers: pod_spec.containers.len().max(1),
            init_containers: pod_spec.init_containers.as_ref().map_or(0, Vec::len),
            readiness: pod_spec.containers.first().and_then(|c| c.readiness_probe.as_ref()).map(|p| Probe {
                initial_delay_seconds: p.initial_delay_seconds.unwrap_or(0),
                period_seconds: p.period_seconds.unwrap_or(10).max(1),
                failure_threshold: p.failure_threshold.unwrap_or(3).max(1),
            }),
            termination_grace_seconds: pod_spec.termination_grace_period_seconds.unwrap_or(30),
        }
    }
}
