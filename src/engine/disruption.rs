//! PodDisruptionBudgets: the disruption controller's status (how many of the selected pods are
//! healthy, how many must be, how many disruptions are allowed) and the API server's eviction
//! handler, which refuses an eviction the budget does not allow. Only voluntary disruptions go
//! through it: `kubectl drain` evicts, while `kubectl delete pod`, a lost node and the taint
//! eviction controller do not ask the budget.
//!
//! Sources (kubernetes/kubernetes): `pkg/controller/disruption/disruption.go` (`trySync`,
//! `getExpectedPodCount`, `getExpectedScale`, `countHealthyPods`, `updatePdbStatus`),
//! apimachinery `intstr.GetScaledValueFromIntOrPercent` (percentages round up), and
//! `pkg/registry/core/pod/storage/eviction.go` (`Create`, `canIgnorePDB`, `checkAndDecrement`,
//! `getPodDisruptionBudgets`).
//!
//! The lab's disruption controller reacts at once: the status is computed from the pods whenever it
//! is read, so the `DisruptedPods` map the eviction handler writes (pods approved for eviction but
//! not yet marked for deletion) is never needed: an approved eviction deletes the pod in the same
//! moment.

use crate::model::budgets::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

use super::clock::SimTime;
use super::cluster::Cluster;
use super::event::EventKind;
use super::node::label_selector_matches;
use super::pod::PodPhase;

/// eviction.go `checkAndDecrement`: the 429 Too Many Requests message kubectl prints.
pub const VIOLATES_BUDGET: &str = "Cannot evict pod as it would violate the pod's disruption budget.";
/// eviction.go: a pod selected by two budgets cannot be evicted (status 500).
pub const MULTIPLE_BUDGETS: &str =
    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

/// A PodDisruptionBudget in the cluster.
#[derive(Debug, Clone)]
pub struct PdbState {
    pub name: String,
    pub spec: PodDisruptionBudget,
    pub created_at: SimTime,
}

impl PdbState {
    /// `spec.minAvailable` as kubectl prints it (`IntOrString.String`), or `N/A`.
    pub fn min_available_text(&self) -> Option<String> {
        self.spec.min_available.as_ref().map(int_or_string_text)
    }

    pub fn max_unavailable_text(&self) -> Option<String> {
        self.spec.max_unavailable.as_ref().map(int_or_string_text)
    }

    /// `spec.unhealthyPodEvictionPolicy: AlwaysAllow`.
    fn always_allow_unhealthy(&self) -> bool {
        self.spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow")
    }
}

/// `IntOrString.String()`.
pub fn int_or_string_text(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

/// intstr `GetScaledValueFromIntOrPercent`: an int as is, `N%` of `total` (rounded up when
/// `round_up`); anything else is the error the controller fails safe on.
pub fn scaled_value(v: &IntOrString, total: i32, round_up: bool) -> Result<i32, String> {
    match v {
        IntOrString::Int(i) => Ok(*i),
        IntOrString::String(s) => {
            let Some(n) = s.strip_suffix('%') else {
                return Err("invalid type: string is not a percentage".to_string());
            };
            let n: i64 = n.parse().map_err(|_| format!("invalid value for IntOrString: invalid value {s:?}"))?;
            let scaled = n * total as i64;
            Ok(if round_up { (scaled + 99).div_euclid(100) } else { scaled.div_euclid(100) } as i32)
        }
    }
}

/// `status` of a PodDisruptionBudget, as the disruption controller writes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PdbStatus {
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    pub disruptions_allowed: i32,
    /// Why the sync failed (the controller then writes disruptionsAllowed 0, condition SyncFailed).
    #[serde(skip)]
    pub sync_failed: Option<String>,
}

/// What the eviction subresource answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Eviction {
    /// 201: the pod is being deleted.
    Evicted,
    /// 404: no such pod.
    NotFound,
    /// 429: the budget allows no disruption now; kubectl waits and tries again.
    TooManyRequests { pdb: String, desired: i32, current: i32 },
    /// Any other refusal: kubectl gives up on the pod with this message.
    Failed(String),
}

impl Cluster {
    /// The PodDisruptionBudgets, by name.
    pub fn pdbs(&self) -> &[PdbState] {
        &self.pdbs
    }

    pub fn pdb(&self, name: &str) -> Option<&PdbState> {
        self.pdbs.iter().find(|p| p.name == name)
    }

    /// Creates a PodDisruptionBudget of the paste (policy/v1).
    pub(crate) fn add_pdb(&mut self, spec: PodDisruptionBudget) {
        let name = spec.name.clone();
        if name.is_empty() || self.pdb(&name).is_some() {
            return;
        }
        self.pdbs.push(PdbState { name, spec, created_at: self.now });
        crate::sorting::sort_by(&mut self.pdbs, |a, b| a.name.cmp(&b.name));
    }

    /// disruption.go `getPodsForPdb`: `LabelSelectorAsSelector` (no selector selects nothing).
    fn pdb_pods(&self, pdb: &PdbState) -> Vec<i32> {
        let Some(sel) = pdb.spec.selector.as_ref() else { return Vec::new() };
        self.pods.values().filter(|p| label_selector_matches(sel, &self.pod_labels(p))).map(|p| p.ordinal).collect()
    }

    /// The disruption controller's `trySync` for one budget.
    pub fn pdb_status(&self, pdb: &PdbState) -> PdbStatus {
        let pods = self.pdb_pods(pdb);
        let spec = &pdb.spec;
        // getExpectedScale: the scale of the pods' controllers; pods without one are unmanaged.
        let expected_scale = || -> i32 {
            let managed = pods.iter().any(|o| self.pods[o].owned);
            match (&self.set, managed) {
                (Some(s), true) => s.spec.replicas,
                _ => 0,
            }
        };
        let counts: Result<(i32, i32), String> = if let Some(max) = &spec.max_unavailable {
            let expected = expected_scale();
            scaled_value(max, expected, true).map(|m| (expected, (expected - m).max(0)))
        } else if let Some(min) = &spec.min_available {
            match min {
                IntOrString::Int(i) => Ok((pods.len() as i32, *i)),
                IntOrString::String(_) => {
                    let expected = expected_scale();
                    scaled_value(min, expected, true).map(|m| (expected, m))
                }
            }
        } else {
            Ok((0, 0))
        };
        let (expected_pods, desired_healthy) = match counts {
            Ok(c) => c,
            Err(e) => {
                // failSafe: disruptionsAllowed 0 and a DisruptionAllowed=False condition.
                return PdbStatus { sync_failed: Some(e), ..PdbStatus::default() };
            }
        };
        // countHealthyPods: Ready and not being deleted.
        let current_healthy =
            pods.iter().map(|o| &self.pods[o]).filter(|p| !p.is_terminating() && p.ready).count() as i32;
        let mut allowed = current_healthy - desired_healthy;
        if expected_pods <= 0 || allowed <= 0 {
            allowed = 0;
        }
        PdbStatus { current_healthy, desired_healthy, expected_pods, disruptions_allowed: allowed, sync_failed: None }
    }

    /// The budgets the eviction handler applies to a pod (eviction.go `getPodDisruptionBudgets`:
    /// a budget with no or an empty selector matches nothing there).
    fn budgets_of(&self, ordinal: i32) -> Vec<&PdbState> {
        let Some(p) = self.pods.get(&ordinal) else { return Vec::new() };
        let labels = self.pod_labels(p);
        self.pdbs
            .iter()
            .filter(|b| {
                b.spec.selector.as_ref().is_some_and(|sel| {
                    let empty = sel.match_labels.as_ref().is_none_or(|m| m.is_empty())
                        && sel.match_expressions.as_ref().is_none_or(|e| e.is_empty());
                    !empty && label_selector_matches(sel, &labels)
                })
            })
            .collect()
    }

    /// eviction.go `Create` without side effects: what the API server would answer, and the budget
    /// sentence for the narration.
    fn eviction_check(&self, ordinal: i32) -> (Eviction, String) {
        let Some(p) = self.pods.get(&ordinal) else { return (Eviction::NotFound, String::new()) };
        // canIgnorePDB: a terminal, Pending or already terminating pod is deleted without asking.
        if p.phase != PodPhase::Running || p.is_terminating() {
            let why = if p.is_terminating() { "it is already terminating" } else { "it is not Running yet" };
            return (Eviction::Evicted, format!("the API server does not ask any PodDisruptionBudget since {why}"));
        }
        let budgets = self.budgets_of(ordinal);
        let pdb = match budgets.as_slice() {
            [] => return (Eviction::Evicted, "no PodDisruptionBudget selects it".into()),
            [one] => *one,
            _ => return (Eviction::Failed(MULTIPLE_BUDGETS.into()), String::new()),
        };
        let status = self.pdb_status(pdb);
        let name = &pdb.name;
        if !p.ready {
            if pdb.always_allow_unhealthy() {
                return (
                    Eviction::Evicted,
                    format!(
                        "{} is not Ready and PodDisruptionBudget {name} has unhealthyPodEvictionPolicy AlwaysAllow",
                        p.name
                    ),
                );
            }
            if status.current_healthy >= status.desired_healthy && status.desired_healthy > 0 {
                return (
                    Eviction::Evicted,
                    format!(
                        "{} is not Ready, so it does not count among the healthy pods of PodDisruptionBudget {name}, which \
                         has its {} already",
                        p.name, status.desired_healthy
                    ),
                );
            }
        }
        if status.disruptions_allowed == 0 {
            return (
                Eviction::TooManyRequests {
                    pdb: name.clone(),
                    desired: status.desired_healthy,
                    current: status.current_healthy,
                },
                String::new(),
            );
        }
        (
            Eviction::Evicted,
            format!(
                "PodDisruptionBudget {name} allows {} disruption{} ({} healthy, {} needed): the API server takes one \
                 (disruptionsAllowed {} → {})",
                status.disruptions_allowed,
                if status.disruptions_allowed == 1 { "" } else { "s" },
                status.current_healthy,
                status.desired_healthy,
                status.disruptions_allowed,
                status.disruptions_allowed - 1
            ),
        )
    }

    /// Whether the eviction subresource would refuse with 429 now.
    pub(crate) fn eviction_refused(&self, ordinal: i32) -> bool {
        matches!(self.eviction_check(ordinal).0, Eviction::TooManyRequests { .. })
    }

    /// `POST pods/NAME/eviction` for `kubectl drain NODE`: an allowed eviction is a graceful deletion.
    pub(crate) fn evict(&mut self, ordinal: i32, node: &str) -> Eviction {
        let (answer, why) = self.eviction_check(ordinal);
        if answer == Eviction::Evicted {
            let pod = self.pods[&ordinal].name.clone();
            let again = if self.set.is_some() && self.pods[&ordinal].owned {
                format!(
                    "; the StatefulSet controller creates {pod} again once it is gone, and the scheduler places it on \
                     another node since {node} is cordoned"
                )
            } else {
                String::new()
            };
            let mut why = why;
            if let Some(first) = why.get(..1) {
                why = format!("{}{}", first.to_uppercase(), &why[1..]);
            }
            self.delete_pod(
                ordinal,
                "drain",
                format!(
                    "kubectl drain asks the Eviction API to evict {pod}. {why}. The API server deletes {pod} gracefully \
                     (a DisruptionTarget condition, then its terminationGracePeriodSeconds){again}."
                ),
            );
        }
        answer
    }

    /// Narration for a refused eviction (told once per pod and budget state, not at every retry).
    pub(crate) fn log_refusal(&mut self, ordinal: i32, pdb: &str, desired: i32, current: i32) {
        let Some(p) = self.pods.get(&ordinal) else { return };
        let (pod, rev) = (p.name.clone(), p.revision.clone());
        self.log(
            EventKind::Wait,
            pod.clone(),
            Some(&rev),
            "drain",
            format!(
                "The API server refuses to evict {pod}: PodDisruptionBudget {pdb} needs {desired} healthy pods and has \
                 {current}, so it allows no disruption now (evicting {pod} would leave {}; 429 Too Many Requests: \
                 \"{VIOLATES_BUDGET}\"). kubectl drain tries again every 5s; {pod} keeps running meanwhile.",
                (current - 1).max(0)
            ),
        );
    }
}

impl Cluster {
    /// The budget as the API server returns it (`-o yaml`): the paste's fields with its namespace,
    /// and the status the disruption controller writes (`updatePdbStatus`, with pdbhelper
    /// `UpdateDisruptionAllowedCondition`). The condition's lastTransitionTime is the budget's
    /// creation: the lab does not keep the condition's history.
    pub fn pdb_object(&self, pdb: &PdbState) -> serde_json::Value {
        use serde_json::json;
        let status = self.pdb_status(pdb);
        let time = |t: SimTime| super::objects::sim_time(t).0.to_string();
        let mut metadata = json!({
            "creationTimestamp": time(pdb.created_at),
            "generation": 1,
            "name": pdb.name,
            "namespace": self.namespace,
        });
        if !pdb.spec.labels.is_empty() {
            metadata["labels"] = json!(pdb.spec.labels);
        }
        let int_or_string = |v: &IntOrString| match v {
            IntOrString::Int(i) => json!(i),
            IntOrString::String(s) => json!(s),
        };
        let mut spec = json!({});
        if let Some(v) = &pdb.spec.min_available {
            spec["minAvailable"] = int_or_string(v);
        }
        if let Some(v) = &pdb.spec.max_unavailable {
            spec["maxUnavailable"] = int_or_string(v);
        }
        if let Some(sel) = &pdb.spec.selector {
            let mut s = json!({});
            if let Some(m) = &sel.match_labels {
                s["matchLabels"] = json!(m);
            }
            if let Some(e) = &sel.match_expressions {
                s["matchExpressions"] = e
                    .iter()
                    .map(|r| {
                        let mut x = json!({"key": r.key, "operator": r.operator});
                        if let Some(v) = &r.values {
                            x["values"] = json!(v);
                        }
                        x
                    })
                    .collect();
            }
            spec["selector"] = s;
        }
        if let Some(p) = &pdb.spec.unhealthy_pod_eviction_policy {
            spec["unhealthyPodEvictionPolicy"] = json!(p);
        }
        let (cond, reason, message) = match &status.sync_failed {
            Some(e) => ("False", "SyncFailed", e.clone()),
            None if status.disruptions_allowed > 0 => ("True", "SufficientPods", String::new()),
            None => ("False", "InsufficientPods", String::new()),
        };
        json!({
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": metadata,
            "spec": spec,
            "status": {
                "conditions": [{
                    "lastTransitionTime": time(pdb.created_at),
                    "message": message,
                    "observedGeneration": 1,
                    "reason": reason,
                    "status": cond,
                    "type": "DisruptionAllowed",
                }],
                "currentHealthy": status.current_healthy,
                "desiredHealthy": status.desired_healthy,
                "disruptionsAllowed": status.disruptions_allowed,
                "expectedPods": status.expected_pods,
                "observedGeneration": 1,
            },
        })
    }
}
