//! Helm hooks: objects Helm creates around the release instead of with it, ordered by phase and
//! then by `helm.sh/hook-weight` (lowest first), per Helm's "Chart Hooks" documentation.

use serde::Serialize;

/// One phase named in a `helm.sh/hook` annotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookPhase {
    PreInstall,
    PostInstall,
    PreDelete,
    PostDelete,
    PreUpgrade,
    PostUpgrade,
    PreRollback,
    PostRollback,
    /// `helm test` (also the Helm 2 spellings `test-success`/`test-failure`).
    Test,
    /// A name Helm does not know; Helm ignores such hooks, the lab keeps them to say so.
    Other(String),
}

impl HookPhase {
    pub fn parse(name: &str) -> Self {
        match name.trim() {
            "pre-install" => Self::PreInstall,
            "post-install" => Self::PostInstall,
            "pre-delete" => Self::PreDelete,
            "post-delete" => Self::PostDelete,
            "pre-upgrade" => Self::PreUpgrade,
            "post-upgrade" => Self::PostUpgrade,
            "pre-rollback" => Self::PreRollback,
            "post-rollback" => Self::PostRollback,
            "test" | "test-success" | "test-failure" => Self::Test,
            other => Self::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::PreInstall => "pre-install",
            Self::PostInstall => "post-install",
            Self::PreDelete => "pre-delete",
            Self::PostDelete => "post-delete",
            Self::PreUpgrade => "pre-upgrade",
            Self::PostUpgrade => "post-upgrade",
            Self::PreRollback => "pre-rollback",
            Self::PostRollback => "post-rollback",
            Self::Test => "test",
            Self::Other(name) => name,
        }
    }
}

/// An object carrying a `helm.sh/hook` annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hook {
    pub kind: String,
    pub name: Option<String>,
    pub phases: Vec<HookPhase>,
    /// `helm.sh/hook-weight`, 0 when absent or not a number (Helm parses it the same way).
    pub weight: i32,
    /// `helm.sh/hook-delete-policy`; Helm defaults to `before-hook-creation` when absent.
    pub delete_policies: Vec<String>,
    pub source: Option<String>,
    /// 1-based line of the object's document in the paste.
    pub line: usize,
}

impl Hook {
    /// Reads the hook annotations; `None` when the object is not a hook.
    pub fn from_annotations(
        kind: &str,
        name: Option<&str>,
        annotations: &std::collections::BTreeMap<String, String>,
        source: Option<&str>,
        line: usize,
    ) -> Option<Self> {
        let phases = annotations.get("helm.sh/hook")?;
        let list =
            |v: &str| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect::<Vec<_>>();
        let mut delete_policies = annotations.get("helm.sh/hook-delete-policy").map(|v| list(v)).unwrap_or_default();
        if delete_policies.is_empty() {
            delete_policies.push("before-hook-creation".into());
        }
        Some(Self {
            kind: kind.to_string(),
            name: name.map(String::from),
            phases: list(phases).iter().map(|p| HookPhase::parse(p)).collect(),
            weight: annotations.get("helm.sh/hook-weight").and_then(|w| w.trim().parse().ok()).unwrap_or(0),
            delete_policies,
            source: source.map(String::from),
            line,
        })
    }
}
