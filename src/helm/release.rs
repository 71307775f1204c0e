//! A Helm release revision as helm's storage keeps it (helm v3 `pkg/release`: one record per
//! revision, written by the Secret driver as `sh.helm.release.v1.NAME.vN`).

use std::sync::Arc;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;

use crate::engine::SimTime;
use crate::model::{HookPhase, InputKind, Release as Paste, Section, StatefulSetInfo};

/// `release.Status` (pkg/release/status.go): the states a revision is left in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Deployed,
    Superseded,
    Failed,
    Uninstalled,
    /// A dry run's install and upgrade (never stored).
    PendingInstall,
    PendingUpgrade,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Deployed => "deployed",
            Status::Superseded => "superseded",
            Status::Failed => "failed",
            Status::Uninstalled => "uninstalled",
            Status::PendingInstall => "pending-install",
            Status::PendingUpgrade => "pending-upgrade",
        }
    }
}

/// What one revision was rendered to: shared between revisions (a rollback copies it).
#[derive(Debug, Clone, PartialEq)]
pub struct Content {
    /// `Chart.yaml` name, version and appVersion (`helm history`'s CHART is `name-version`).
    pub chart: String,
    pub chart_version: String,
    pub app_version: String,
    /// `release.Config`: the user-supplied values as YAML (`{}` when none), what
    /// `helm get values` prints and what a later `helm upgrade` without values reuses.
    pub config: String,
    /// The coalesced values as YAML (`helm get values --all`).
    pub computed: String,
    /// `release.Manifest`: `---\n# Source: ...` documents.
    pub manifest: String,
    /// The hooks as helm lists them (`---\n# Source: PATH\nTEXT\n` each).
    pub hooks: String,
    /// The chart has `test` hooks: then `helm status` prints no `TEST SUITE: None` line.
    pub has_test_hooks: bool,
    /// The rendered NOTES.txt.
    pub notes: String,
    /// The objects of the manifest the lab simulates: its StatefulSet and Services.
    pub statefulset: Option<StatefulSet>,
    pub services: Vec<Service>,
}

/// One revision of a release.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: String,
    pub namespace: String,
    /// `release.Version`: the revision number, from 1.
    pub version: i64,
    pub status: Status,
    /// `Info.Description`: `Install complete`, `Upgrade complete`, `Rollback to 2`, ...
    pub description: String,
    /// `Info.LastDeployed` on the simulated clock.
    pub deployed_at: SimTime,
    pub content: Arc<Content>,
}

impl Release {
    /// `name-version` as `helm list` and `helm history` print the chart.
    pub fn chart_name(&self) -> String {
        format!("{}-{}", self.content.chart, self.content.chart_version)
    }
}

impl Content {
    /// The revision a pasted helm log (or a values.yaml rendered through the lab chart) stands for:
    /// the release the student installed, with `info` the StatefulSet the lab simulates. `None`
    /// for plain manifests, which no helm release owns.
    pub fn from_paste(paste: &Paste, info: &StatefulSetInfo) -> Option<Content> {
        if !matches!(paste.input, InputKind::HelmDebug | InputKind::Values) {
            return None;
        }
        let labels = info.object.metadata.labels.clone().unwrap_or_default();
        // `helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}` (helm create's helper).
        let (chart, chart_version) = labels
            .get("helm.sh/chart")
            .and_then(|c| c.rsplit_once('-').filter(|(_, v)| v.starts_with(|ch: char| ch.is_ascii_digit())))
            .map(|(n, v)| (n.to_string(), v.replace('_', "+")))
            .unwrap_or_else(|| {
                let from_source = info.source.as_deref().and_then(|s| s.split('/').next()).unwrap_or("chart");
                (from_source.to_string(), "0.1.0".to_string())
            });
        let app_version = labels.get("app.kubernetes.io/version").cloned().unwrap_or_default();
        let yaml = |v: Option<&yaml_serde::Value>| match v {
            Some(v) if v.as_mapping().is_some_and(|m| !m.is_empty()) => yaml_serde::to_string(v).unwrap_or_default(),
            _ => "{}\n".to_string(),
        };
        // The documents as helm stores them, re-serialized from what was read.
        let docs = |section: Section| -> String {
            paste
                .objects
                .iter()
                .filter(|o| o.section == section)
                .map(|o| {
                    let source = o.source.as_deref().map(|s| format!("# Source: {s}\n")).unwrap_or_default();
                    format!("---\n{source}{}", yaml_serde::to_string(&o.raw).unwrap_or_default())
                })
                .collect()
        };
        Some(Content {
            chart,
            chart_version,
            app_version,
            config: yaml(paste.values.user_supplied.as_ref().or(paste.values.file.as_ref())),
            computed: yaml(paste.values.computed.as_ref()),
            manifest: docs(Section::Manifest),
            hooks: docs(Section::Hooks),
            has_test_hooks: paste.hooks.iter().any(|h| h.phases.contains(&HookPhase::Test)),
            notes: paste.notes.clone().unwrap_or_default(),
            statefulset: Some(info.object.clone()),
            services: paste.services.clone(),
        })
    }
}
