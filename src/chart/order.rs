//! From rendered files to a release: documents split at `---`, hooks set apart by their
//! `helm.sh/hook` annotation, everything sorted in Helm's kind install order
//! (helm/pkg/releaseutil: manifest_sorter.go, kind_sorter.go).

use super::error::{ChartError, ChartErrorKind, Location};

/// A rendered document that is part of the release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// The template it came from, e.g. `helm-python/templates/statefulset.yaml`.
    pub source: String,
    /// `kind:` (empty when the document has none).
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The document's text, trimmed, without the `---` line.
    pub text: String,
}

/// A rendered document with a `helm.sh/hook` annotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hook {
    /// The template it came from.
    pub source: String,
    /// `kind:`.
    pub kind: String,
    /// `metadata.name`.
    pub name: String,
    /// The hook events (`pre-install`, `post-install`, `test`, ...).
    pub events: Vec<String>,
    /// `helm.sh/hook-weight` (default 0).
    pub weight: i64,
    /// `helm.sh/hook-delete-policy` values.
    pub delete_policies: Vec<String>,
    /// The document's text.
    pub text: String,
}

/// Helm's InstallOrder: the order in which kinds are created; unknown kinds come last, sorted
/// by kind name.
pub fn kind_install_order() -> &'static [&'static str] {
    &[
        "PriorityClass",
        "Namespace",
        "NetworkPolicy",
        "ResourceQuota",
        "LimitRange",
        "PodSecurityPolicy",
        "PodDisruptionBudget",
        "ServiceAccount",
        "Secret",
        "SecretList",
        "ConfigMap",
        "StorageClass",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "CustomResourceDefinition",
        "ClusterRole",
        "ClusterRoleList",
        "ClusterRoleBinding",
        "ClusterRoleBindingList",
        "Role",
        "RoleList",
        "RoleBinding",
        "RoleBindingList",
        "Service",
        "DaemonSet",
        "Pod",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "HorizontalPodAutoscaler",
        "StatefulSet",
        "Job",
        "CronJob",
        "IngressClass",
        "Ingress",
        "APIService",
    ]
}

const HOOK_EVENTS: &[&str] = &[
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
    "test-success",
];

/// Helm's SplitManifests: split at `---` starting a line, trim each document, drop empty ones.
/// Returns each document with its 1-based first line in `text`.
pub(crate) fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut starts = vec![0usize];
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("---") {
        let at = i + at;
        if at == 0 || bytes[at - 1] == b'\n' {
            starts.push(at);
        }
        i = at + 3;
    }
    starts.push(text.len());
    starts.dedup();
    for w in starts.windows(2) {
        let mut piece = &text[w[0]..w[1]];
        let mut offset = w[0];
        if let Some(rest) = piece.strip_prefix("---") {
            piece = rest;
            offset += 3;
        }
        let trimmed_start = piece.len() - piece.trim_start().len();
        let doc = piece.trim();
        if doc.is_empty() {
            continue;
        }
        let line = text[..offset + trimmed_start].matches('\n').count() + 1;
        docs.push((line, doc.to_string()));
    }
    docs
}

fn kind_rank(kind: &str) -> Option<usize> {
    kind_install_order().iter().position(|k| *k == kind)
}

/// Helm's lessByKind: known kinds by install order, unknown ones after them by name.
fn kind_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (kind_rank(a), kind_rank(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Splits rendered files (path order) into hooks and manifests, each sorted by kind (stable).
pub(crate) fn sort_manifests(files: &[(String, String)]) -> Result<(Vec<Hook>, Vec<Manifest>), ChartError> {
    let mut hooks = Vec::new();
    let mut manifests = Vec::new();
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    crate::sorting::sort_by(&mut sorted, |a, b| a.0.cmp(&b.0));
    for (path, text) in sorted {
        let base = path.rsplit('/').next().unwrap_or(path);
        if base.starts_with('_') || text.trim().is_empty() {
            continue;
        }
        for (line, doc) in split_documents(text) {
            let head: yaml_serde::Value = yaml_serde::from_str(&doc).map_err(|e| yaml_error(path, line, &e))?;
            let get = |v: &yaml_serde::Value, k: &str| v.get(k).cloned();
            let kind = get(&head, "kind").and_then(|k| k.as_str().map(str::to_string)).unwrap_or_default();
            let metadata = get(&head, "metadata");
            let name =
                metadata.as_ref().and_then(|m| m.get("name")).and_then(|n| n.as_str()).unwrap_or_default().to_string();
            let annotation = |k: &str| -> Option<String> {
                let v = metadata.as_ref()?.get("annotations")?.get(k)?;
                match v {
                    yaml_serde::Value::String(s) => Some(s.clone()),
                    yaml_serde::Value::Number(n) => Some(n.to_string()),
                    yaml_serde::Value::Bool(b) => Some(b.to_string()),
                    _ => None,
                }
            };
            match annotation("helm.sh/hook") {
                None => manifests.push(Manifest { source: path.clone(), kind, name, text: doc }),
                Some(events) => {
                    let events: Vec<String> = events.split(',').map(|e| e.trim().to_lowercase()).collect();
                    // Helm skips a document whose hook names an unknown event.
                    if events.iter().any(|e| !HOOK_EVENTS.contains(&e.as_str())) {
                        continue;
                    }
                    let weight = annotation("helm.sh/hook-weight").and_then(|w| w.trim().parse().ok()).unwrap_or(0);
                    let delete_policies = annotation("helm.sh/hook-delete-policy")
                        .map(|p| p.split(',').map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect())
                        .unwrap_or_default();
                    hooks.push(Hook { source: path.clone(), kind, name, events, weight, delete_policies, text: doc });
                }
            }
        }
    }
    crate::sorting::sort_by(&mut manifests, |a, b| kind_cmp(&a.kind, &b.kind));
    crate::sorting::sort_by(&mut hooks, |a, b| kind_cmp(&a.kind, &b.kind));
    Ok((hooks, manifests))
}

/// "YAML parse error on FILE: ...", pointing at the rendered line and, when a template line
/// with the same literal text exists, at that too (render.rs fills that second place in).
fn yaml_error(path: &str, doc_line: usize, e: &yaml_serde::Error) -> ChartError {
    let (line_in_doc, col) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(at) => msg[..at].to_string(),
        None => msg,
    };
    let line = doc_line + line_in_doc - 1;
    let rendered_loc = Location { rendered: true, ..Location::at(path, line, col) };
    let mut trace = vec![rendered_loc.clone()];
    trace.push(Location::at(path.to_string(), 0, 0));
    ChartError {
        kind: ChartErrorKind::Yaml,
        location: rendered_loc,
        trace,
        message: format!("YAML parse error on {path}: error converting YAML to JSON: yaml: line {line_in_doc}: {msg}"),
    }
}
