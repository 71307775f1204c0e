//! Every object in the paste, whatever its kind: the lab lists unknown kinds instead of
//! rejecting them, because a real release always holds more than StatefulSets.

use serde::Serialize;

/// Where a helm log printed the object; plain manifests are all `Manifest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    #[default]
    Manifest,
    Hooks,
}

/// One Kubernetes object as pasted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectInfo {
    pub kind: String,
    pub api_version: String,
    pub name: Option<String>,
    pub namespace: Option<String>,
    /// The `# Source: chart/templates/x.yaml` line of its document, when there was one.
    pub source: Option<String>,
    /// 1-based line of the object's first line in the paste.
    pub line: usize,
    pub section: Section,
    /// The object as parsed (duplicate keys resolved, last wins), for kinds the model has no field for.
    #[serde(skip)]
    pub raw: yaml_serde::Value,
}
