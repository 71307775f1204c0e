//! What one paste describes: a Helm release or a set of manifests.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service, ServiceAccount};
use serde::Serialize;

use super::claims::Claim;
use super::helm_header::HelmHeader;
use super::hooks::{Hook, HookPhase};
use super::objects::ObjectInfo;
use super::references::Reference;
use super::selectors;
use super::values::Values;
use super::Diagnostic;
use crate::engine::spec::SetSpec;

/// What kind of text was pasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    HelmDebug,
    #[default]
    Manifests,
    Values,
    Template,
}

impl InputKind {
    /// The name used by `inspect --json` and the UI's selector.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HelmDebug => "helm-debug",
            Self::Manifests => "manifests",
            Self::Values => "values",
            Self::Template => "template",
        }
    }
}

/// A StatefulSet from the paste, with what the controller and the drawing need around it.
#[derive(Debug, Clone)]
pub struct StatefulSetInfo {
    pub object: StatefulSet,
    /// The governing Service named by `spec.serviceName`, when the paste has it.
    pub governing_service: Option<Service>,
    /// The `# Source:` line the document came from, when the paste had one.
    pub source: Option<String>,
    /// 1-based line in the whole paste where the object starts: its document's first line that
    /// is not blank, a comment or `---` (for a `kind: List` item, the item's `- ` line).
    pub line: usize,
    /// Services of the paste whose selector picks this StatefulSet's pods (traffic goes there).
    pub selecting_services: Vec<Service>,
    /// ConfigMaps, Secrets and the ServiceAccount the pod template names, found or dangling.
    pub references: Vec<Reference>,
}

impl StatefulSetInfo {
    /// A StatefulSet with nothing resolved around it yet.
    pub fn new(object: StatefulSet, source: Option<String>, line: usize) -> Self {
        Self { object, governing_service: None, source, line, selecting_services: Vec::new(), references: Vec::new() }
    }

    pub fn name(&self) -> &str {
        self.object.metadata.name.as_deref().unwrap_or("")
    }

    /// The spec with Kubernetes' defaults filled in (replicas 1, OrderedReady, RollingUpdate
    /// partition 0, Retain/Retain, ordinals.start 0, minReadySeconds 0): the engine's [`SetSpec`] of
    /// the defaulted object, the same type the controller reads.
    pub fn effective(&self) -> SetSpec {
        SetSpec::from_object(&self.defaulted())
    }

    /// The object as the API server would store it (`SetObjectDefaults_StatefulSet`, feature gates
    /// at their defaults).
    pub fn defaulted(&self) -> StatefulSet {
        let mut object = self.object.clone();
        crate::apiserver::defaults::set_object_defaults_stateful_set(&mut object, Default::default());
        object
    }

    /// The claim templates, one per `volumeClaimTemplates` entry.
    pub fn claims(&self) -> Vec<Claim> {
        self.object
            .spec
            .iter()
            .flat_map(|s| s.volume_claim_templates.iter().flatten())
            .map(Claim::from_template)
            .collect()
    }

    /// Every PVC the controller creates, per ordinal then per template: `data-web-0`, `data-web-1`...
    pub fn pvc_names(&self) -> Vec<String> {
        let claims = self.claims();
        let name = self.name();
        // At most as many ordinals as the lab simulates: a set asking for 2147483647 replicas (refused
        // with a diagnostic) must not make a list of two billion names.
        self.effective()
            .ordinals()
            .take(crate::limits::MAX_REPLICAS.max(0) as usize)
            .flat_map(|ordinal| claims.iter().map(move |c| c.pvc_name(name, ordinal)))
            .collect()
    }

    /// The container images of the pod template, init containers first.
    pub fn images(&self) -> Vec<String> {
        self.object
            .spec
            .iter()
            .filter_map(|s| s.template.spec.as_ref())
            .flat_map(|p| p.init_containers.iter().flatten().chain(p.containers.iter()))
            .filter_map(|c| c.image.clone())
            .collect()
    }

    /// Whether the governing Service is headless; `None` when it is missing from the paste.
    pub fn governing_service_headless(&self) -> Option<bool> {
        self.governing_service.as_ref().map(selectors::is_headless)
    }

    /// References whose object the paste does not define.
    pub fn dangling_references(&self) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(|r| r.is_dangling())
    }

    /// The Secrets and ConfigMaps the pods need (a use that is not `optional`) that the paste does
    /// not define, as `Secret secret-base`, once each: what the cluster is assumed to have already
    /// (`engine::ClusterConfig::assume_missing_references`).
    pub fn undefined_config(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.dangling_references() {
            let named = format!("{} {}", r.kind.as_str(), r.name);
            if r.kind != super::ReferenceKind::ServiceAccount && !r.optional && !out.contains(&named) {
                out.push(named);
            }
        }
        out
    }
}

/// Everything understood from one paste. Built by `crate::input::parse`.
#[derive(Debug, Clone, Default)]
pub struct Release {
    pub input: InputKind,
    /// `NAME:` of a helm log.
    pub name: Option<String>,
    /// `NAMESPACE:` of a helm log, else `default`.
    pub namespace: Option<String>,
    pub statefulsets: Vec<StatefulSetInfo>,
    pub services: Vec<Service>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every object of the paste (hooks included), in order, whatever its kind.
    pub objects: Vec<ObjectInfo>,
    pub config_maps: Vec<ConfigMap>,
    pub secrets: Vec<Secret>,
    pub service_accounts: Vec<ServiceAccount>,
    /// PodDisruptionBudgets (policy/v1) of the paste: `kubectl drain` evicts through them.
    pub pod_disruption_budgets: Vec<super::budgets::PodDisruptionBudget>,
    /// StorageClasses (storage.k8s.io/v1) of the paste: their binding mode and topology decide
    /// when and where a claim's volume is provisioned (and whether the nodes have zones).
    pub storage_classes: Vec<super::budgets::StorageClass>,
    /// Objects with a `helm.sh/hook` annotation, in paste order.
    pub hooks: Vec<Hook>,
    pub values: Values,
    /// The `NOTES:` text of a helm log, as printed.
    pub notes: Option<String>,
    /// The status block of a helm log.
    pub header: Option<HelmHeader>,
}

impl Release {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The namespace objects live in: the log's, else `default`.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    /// The hooks Helm runs for a phase, in Helm's order: by weight, then by name.
    pub fn hooks_for(&self, phase: &HookPhase) -> Vec<&Hook> {
        let mut hooks: Vec<&Hook> = self.hooks.iter().filter(|h| h.phases.contains(phase)).collect();
        crate::sorting::sort_by(&mut hooks, |a, b| a.weight.cmp(&b.weight).then_with(|| a.name.cmp(&b.name)));
        hooks
    }

    pub fn statefulset(&self, name: &str) -> Option<&StatefulSetInfo> {
        self.statefulsets.iter().find(|s| s.name() == name)
    }
}
