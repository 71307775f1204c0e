//! A StatefulSet's spec with Kubernetes' defaults filled in, the way the API server's defaulting
//! (pkg/apis/apps/v1/defaults.go, SetDefaults_StatefulSet) fills them before the controller ever
//! sees the object. The engine and the UI read these instead of re-deciding what "absent" means.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

/// `spec.podManagementPolicy`: OrderedReady creates and deletes one pod at a time, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum PodManagementPolicy {
    #[default]
    OrderedReady,
    Parallel,
}

/// `spec.updateStrategy.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum UpdateStrategyType {
    #[default]
    RollingUpdate,
    OnDelete,
}

/// `spec.persistentVolumeClaimRetentionPolicy.whenDeleted|whenScaled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub enum RetentionPolicyType {
    #[default]
    Retain,
    Delete,
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
            Self::OrderedReady => "OrderedReady",
            Self::Parallel => "Parallel",
        }
    }
}

impl UpdateStrategyType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "RollingUpdate" => Some(Self::RollingUpdate),
            "OnDelete" => Some(Self::OnDelete),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RollingUpdate => "RollingUpdate",
            Self::OnDelete => "OnDelete",
        }
    }
}

impl RetentionPolicyType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "Retain" => Some(Self::Retain),
            "Delete" => Some(Self::Delete),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Retain => "Retain",
            Self::Delete => "Delete",
        }
    }
}

/// What the controller works with once defaults are applied. Values the API server would reject
/// (an unknown policy name) fall back to the default here; `input` reports them as errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectiveSpec {
    /// Defaults to 1.
    pub replicas: i32,
    pub pod_management_policy: PodManagementPolicy,
    pub update_strategy: UpdateStrategyType,
    /// Only meaningful for RollingUpdate; defaults to 0 (every ordinal is updated).
    pub partition: i32,
    /// RollingUpdate's maxUnavailable; 1 when absent (the MaxUnavailableStatefulSet default).
    pub max_unavailable: IntOrString,
    pub min_ready_seconds: i32,
    /// `spec.ordinals.start`: the first ordinal, 0 by default.
    pub ordinals_start: i32,
    pub when_deleted: RetentionPolicyType,
    pub when_scaled: RetentionPolicyType,
    /// Defaults to 10 old ControllerRevisions kept.
    pub revision_history_limit: i32,
    pub service_name: Option<String>,
}

impl EffectiveSpec {
    pub fn of(sts: &StatefulSet) -> Self {
        let spec = sts.spec.as_ref();
        let strategy = spec.and_then(|s| s.update_strategy.as_ref());
        let rolling = strategy.and_then(|u| u.rolling_update.as_ref());
        let retention = spec.and_then(|s| s.persistent_volume_claim_retention_policy.as_ref());
        Self {
            replicas: spec.and_then(|s| s.replicas).unwrap_or(1),
            pod_management_policy: spec
                .and_then(|s| s.pod_management_policy.as_deref())
                .and_then(PodManagementPolicy::parse)
                .unwrap_or_default(),
            update_strategy: strategy
                .and_then(|u| u.type_.as_deref())
                .and_then(UpdateStrategyType::parse)
                .unwrap_or_default(),
            partition: rolling.and_then(|r| r.partition).unwrap_or(0),
            max_unavailable: rolling.and_then(|r| r.max_unavailable.clone()).unwrap_or(IntOrString::Int(1)),
            min_ready_seconds: spec.and_then(|s| s.min_ready_seconds).unwrap_or(0),
            ordinals_start: spec.and_then(|s| s.ordinals.as_ref()).and_then(|o| o.start).unwrap_or(0),
            when_deleted: retention
                .and_then(|r| r.when_deleted.as_deref())
                .and_then(RetentionPolicyType::parse)
                .unwrap_or_default(),
            when_scaled: retention
                .and_then(|r| r.when_scaled.as_deref())
                .and_then(RetentionPolicyType::parse)
                .unwrap_or_default(),
            revision_history_limit: spec.and_then(|s| s.revision_history_limit).unwrap_or(10),
            service_name: spec.and_then(|s| s.service_name.clone()).filter(|s| !s.is_empty()),
        }
    }

    /// The object with the fields SetDefaults_StatefulSet fills written in, for code that reads
    /// the k8s-openapi object directly (as the real controller does, after the API server).
    pub fn apply_to(&self, sts: &StatefulSet) -> StatefulSet {
        use k8s_openapi::api::apps::v1::{
            RollingUpdateStatefulSetStrategy, StatefulSetPersistentVolumeClaimRetentionPolicy,
            StatefulSetUpdateStrategy,
        };
        let mut out = sts.clone();
        let spec = out.spec.get_or_insert_with(Default::default);
        spec.replicas = Some(self.replicas);
        spec.pod_management_policy = Some(self.pod_management_policy.as_str().to_string());
        spec.revision_history_limit = Some(self.revision_history_limit);
        let rolling =
            (self.update_strategy == UpdateStrategyType::RollingUpdate).then(|| RollingUpdateStatefulSetStrategy {
                partition: Some(self.partition),
                max_unavailable: Some(self.max_unavailable.clone()),
            });
        spec.update_strategy = Some(StatefulSetUpdateStrategy {
            type_: Some(self.update_strategy.as_str().to_string()),
            rolling_update: rolling,
        });
        spec.persistent_volume_claim_retention_policy = Some(StatefulSetPersistentVolumeClaimRetentionPolicy {
            when_deleted: Some(self.when_deleted.as_str().to_string()),
            when_scaled: Some(self.when_scaled.as_str().to_string()),
        });
        out
    }

    /// The ordinals the pods get: `start .. start + replicas` (KEP-3335 start ordinal).
    pub fn ordinals(&self) -> std::ops::Range<i32> {
        self.ordinals_start..self.ordinals_start.saturating_add(self.replicas.max(0))
    }
}
