//! Upgrading the control plane in place (`minikube start --kubernetes-version=v1.34.1` on an
//! existing cluster), and the lesson it carries: the rollout nobody asked for.
//!
//! Up to 1.33 the controller stored a ControllerRevision's data with `"creationTimestamp":null`
//! in the template's metadata (`metav1.ObjectMeta.CreationTimestamp` was a struct the JSON encoder
//! wrote as `null`). 1.34 omits it (kubernetes/kubernetes #130989, `omitzero`). The revision data
//! the new kube-controller-manager computes for the same template is then different bytes, so
//! `history.EqualRevision` (hash label, then `bytes.Equal` of `Data.Raw`) finds no equal revision
//! and the controller makes a new one: every pod of every StatefulSet is replaced although nothing
//! changed (#134773). 1.34.2 compares revisions semantically behind the
//! `StatefulSetSemanticRevisionComparison` gate, on by default (#135017, cherry-pick #135087;
//! CHANGELOG-1.34.md, 1.34.2).

use super::action::ActionError;
use super::cluster::{Cluster, FeatureGates};
use super::event::EventKind;
use super::version::KubeVersion;

/// The release that first ships `StatefulSetSemanticRevisionComparison` (1.34.2; 1.35.0 onwards
/// has it from the master merge of #135017).
pub const SEMANTIC_COMPARISON_SINCE: KubeVersion = KubeVersion::new(34, 2);

/// Whether the release writes `"creationTimestamp":null` into revision data (1.33 and older).
pub fn writes_null_creation_timestamp(v: KubeVersion) -> bool {
    v.minor <= 33
}

/// A ControllerRevision's data for a template as the release's controller encodes it: the lab's
/// canonical JSON of the template, with `"creationTimestamp":null` in its metadata up to 1.33.
pub fn revision_data(template: &k8s_openapi::api::core::v1::PodTemplateSpec, v: KubeVersion) -> String {
    let Ok(mut value) = crate::apiserver::codec::to_value(template) else {
        return String::new();
    };
    if writes_null_creation_timestamp(v) {
        if let Some(map) = value.as_object_mut() {
            let meta = map.entry("metadata").or_insert_with(|| serde_json::Value::Object(Default::default()));
            if let Some(meta) = meta.as_object_mut() {
                meta.insert("creationTimestamp".into(), serde_json::Value::Null);
            }
        }
    }
    serde_json::to_string(&value).unwrap_or_default()
}

impl Cluster {
    /// `minikube start --kubernetes-version=vX` on this cluster: the control plane and the kubelets
    /// now run release `to`, with its default gates; the new kube-controller-manager syncs every
    /// StatefulSet from scratch. Pods keep running (their containers are not restarted).
    pub(crate) fn upgrade_control_plane(&mut self, to: KubeVersion) -> Result<String, ActionError> {
        let from = self.version;
        if to < from {
            return Err(ActionError::Refused(crate::kubectl::minikube::downgrade_refusal(from, to)));
        }
        let ips: Vec<(String, String)> = self.nodes().iter().map(|n| (n.name.clone(), n.ip.clone())).collect();
        let printed = crate::kubectl::minikube::start_output(to, &ips);
        if to == from {
            return Ok(printed);
        }
        self.version = to;
        self.gates = FeatureGates::for_version(to);
        // The new controller computes the update revision's data its own way.
        if let Some(set) = self.set.as_mut() {
            set.template_json = revision_data(&set.spec.template, to).into();
        }
        let set = self.set_name.clone();
        let text = if writes_null_creation_timestamp(from) && !writes_null_creation_timestamp(to) {
            if self.gates.stateful_set_semantic_revision_comparison {
                format!(
                    "The control plane now runs Kubernetes {to}. Its controller encodes {set}'s template without \
                     `creationTimestamp: null`, so the bytes differ from the revision data {from} wrote; \
                     StatefulSetSemanticRevisionComparison (on since 1.34.2, #135017) compares the templates \
                     themselves, finds them equal, and no pod is replaced."
                )
            } else {
                format!(
                    "The control plane now runs Kubernetes {to}. Its controller encodes {set}'s unchanged template \
                     without `creationTimestamp: null`, so the bytes differ from the revision data {from} wrote, \
                     and {to} compares bytes: it will make a new revision and replace every pod although nothing \
                     changed (kubernetes/kubernetes #134773; fixed in 1.34.2 by #135017)."
                )
            }
        } else {
            format!("The control plane now runs Kubernetes {to}; the StatefulSet's revisions compare as before.")
        };
        self.log(EventKind::Status, format!("statefulset/{set}"), None, "2.1", text);
        self.dirty = true;
        Ok(printed)
    }
}
