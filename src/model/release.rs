//! What one paste describes: a Helm release or a set of manifests.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use serde::Serialize;

use super::Diagnostic;

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

/// A StatefulSet from the paste, with what the controller and the drawing need around it.
#[derive(Debug, Clone)]
pub struct StatefulSetInfo {
    pub object: StatefulSet,
    /// The governing Service named by `spec.serviceName`, when the paste has it.
    pub governing_service: Option<Service>,
    /// The `# Source:` line the document came from, when the paste had one.
    pub source: Option<String>,
    /// 1-based line of the document's first line in the paste.
    pub line: usize,
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
}

impl Release {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The namespace objects live in: the log's, else `default`.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }
}
