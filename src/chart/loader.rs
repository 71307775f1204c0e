//! A chart from its files: Chart.yaml, values.yaml, templates/, charts/<subchart>/, other files.

use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::Value;

use super::error::{ChartError, ChartErrorKind};
use super::functions::{map_of, s, yaml::parse_yaml};
use super::values::{parse_values, Map};

/// One file of a chart, its path relative to the chart root (`templates/service.yaml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// Path relative to the chart root, `/`-separated.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// A chart: its metadata, default values, templates, other files and subcharts.
#[derive(Debug, Clone)]
pub struct Chart {
    /// `name:` from Chart.yaml (or the dependency's alias, for a subchart).
    pub name: String,
    /// `version:` from Chart.yaml.
    pub version: String,
    /// `type:` from Chart.yaml (`application` or `library`).
    pub chart_type: String,
    /// Every file given, in the order given.
    pub files: Vec<ChartFile>,
    pub(crate) metadata: Value,
    pub(crate) values: Map,
    pub(crate) templates: Vec<ChartFile>,
    pub(crate) other_files: Vec<ChartFile>,
    pub(crate) subcharts: Vec<Subchart>,
}

/// A subchart and how its parent's Chart.yaml declares it.
#[derive(Debug, Clone)]
pub(crate) struct Subchart {
    pub chart: Chart,
    /// `condition:` paths (comma-separated in Chart.yaml): the first one set decides.
    pub condition: Vec<String>,
}

impl Chart {
    /// A chart from `(path, text)` pairs relative to the chart root. A common leading folder
    /// (`helm-python/Chart.yaml`, ...) is accepted and stripped.
    pub fn from_files<P: Into<String>, T: Into<String>>(files: Vec<(P, T)>) -> Result<Chart, ChartError> {
        let mut files: Vec<ChartFile> = files
            .into_iter()
            .map(|(p, t)| ChartFile {
                path: p.into().replace('\\', "/").trim_start_matches("./").to_string(),
                text: t.into(),
            })
            .collect();
        if !files.iter().any(|f| f.path == "Chart.yaml") {
            if let Some(prefix) = files
                .iter()
                .find(|f| f.path.ends_with("/Chart.yaml") && f.path.matches('/').count() == 1)
                .map(|f| f.path.trim_end_matches("Chart.yaml").to_string())
            {
                if files.iter().all(|f| f.path.starts_with(&prefix)) {
                    for f in &mut files {
                        f.path = f.path[prefix.len()..].to_string();
                    }
                }
            }
        }
        Chart::load(files, None)
    }

    fn load(files: Vec<ChartFile>, alias: Option<&str>) -> Result<Chart, ChartError> {
        let chart_yaml = files.iter().find(|f| f.path == "Chart.yaml").ok_or_else(|| {
            ChartError::simple(ChartErrorKind::Chart, "Chart.yaml", "Chart.yaml file is missing".into())
        })?;
        let meta = match parse_yaml(&chart_yaml.text) {
            Ok(Value::Map(m)) => m,
            Ok(_) => Arc::new(Map::new()),
            Err(e) => {
                return Err(ChartError::simple(
                    ChartErrorKind::Chart,
                    "Chart.yaml",
                    format!("cannot load Chart.yaml: {e}"),
                ))
            }
        };
        let text = |k: &str| match meta.get(k) {
            Some(Value::String(s)) => s.to_string(),
            Some(Value::Float(f)) => super::functions::format_float_g(*f),
            Some(Value::Bool(b)) => b.to_string(),
            _ => String::new(),
        };
        let name = text("name");
        if name.is_empty() {
            return Err(ChartError::simple(
                ChartErrorKind::Chart,
                "Chart.yaml",
                "validation: chart.metadata.name is required".into(),
            ));
        }
        let version = text("version");
        // Helm's chart validation (chart.Metadata.Validate).
        for (field, value) in [("apiVersion", text("apiVersion")), ("version", version.clone())] {
            if value.is_empty() {
                return Err(ChartError::simple(
                    ChartErrorKind::Chart,
                    &format!("{name}/Chart.yaml"),
                    format!("validation: chart.metadata.{field} is required"),
                ));
            }
        }
        let chart_type = if text("type").is_empty() { "application".to_string() } else { text("type") };
        let values = match files.iter().find(|f| f.path == "values.yaml") {
            Some(f) => parse_values(&f.text).map_err(|e| {
                ChartError::simple(
                    ChartErrorKind::Values,
                    &format!("{name}/values.yaml"),
                    format!("cannot load values.yaml: {e}"),
                )
            })?,
            None => Map::new(),
        };
        // Helm's chart.Metadata fields, by their Go names; absent ones are zero values.
        let list = |k: &str| meta.get(k).cloned().unwrap_or_else(|| Value::List(Arc::from(Vec::new())));
        let metadata = map_of([
            ("Name".to_string(), s(alias.unwrap_or(&name))),
            ("Version".into(), s(&version)),
            ("AppVersion".into(), s(text("appVersion"))),
            ("Description".into(), s(text("description"))),
            ("Type".into(), s(text("type"))),
            ("APIVersion".into(), s(text("apiVersion"))),
            ("KubeVersion".into(), s(text("kubeVersion"))),
            ("Home".into(), s(text("home"))),
            ("Icon".into(), s(text("icon"))),
            ("Condition".into(), s(text("condition"))),
            ("Tags".into(), s(text("tags"))),
            ("Deprecated".into(), Value::Bool(matches!(meta.get("deprecated"), Some(Value::Bool(true))))),
            ("Keywords".into(), list("keywords")),
            ("Sources".into(), list("sources")),
            ("Maintainers".into(), list("maintainers")),
            ("Dependencies".into(), list("dependencies")),
            ("Annotations".into(), meta.get("annotations").cloned().unwrap_or_else(|| map_of([]))),
        ]);

        // Subcharts: charts/<dir>/..., each with its own Chart.yaml.
        let mut groups: BTreeMap<String, Vec<ChartFile>> = BTreeMap::new();
        let mut templates = Vec::new();
        let mut other_files = Vec::new();
        for f in &files {
            if let Some(rest) = f.path.strip_prefix("charts/") {
                if let Some((dir, inner)) = rest.split_once('/') {
                    groups
                        .entry(dir.to_string())
                        .or_default()
                        .push(ChartFile { path: inner.to_string(), text: f.text.clone() });
                }
            } else if f.path.starts_with("templates/") {
                templates.push(f.clone());
            } else if !matches!(
                f.path.as_str(),
                "Chart.yaml"
                    | "values.yaml"
                    | "Chart.lock"
                    | "values.schema.json"
                    | "requirements.yaml"
                    | "requirements.lock"
            ) {
                other_files.push(f.clone());
            }
        }
        let dependencies: Vec<(String, Option<String>, Vec<String>)> = match meta.get("dependencies") {
            Some(Value::List(deps)) => deps
                .iter()
                .filter_map(|d| match d {
                    Value::Map(m) => {
                        let get = |k: &str| m.get(k).and_then(|v| v.as_str().map(str::to_string));
                        Some((
                            get("name")?,
                            get("alias"),
                            get("condition")
                                .map(|c| c.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect())
                                .unwrap_or_default(),
                        ))
                    }
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut subcharts = Vec::new();
        for (dir, sub_files) in groups {
            if !sub_files.iter().any(|f| f.path == "Chart.yaml") {
                return Err(ChartError::simple(
                    ChartErrorKind::Chart,
                    &format!("{name}/charts/{dir}/Chart.yaml"),
                    format!("chart charts/{dir}: Chart.yaml file is missing"),
                ));
            }
            let probe = Chart::load(sub_files.clone(), None)?;
            let dep = dependencies.iter().find(|(n, _, _)| *n == probe.name);
            let (alias, condition) = match dep {
                Some((_, a, c)) => (a.clone(), c.clone()),
                None => (None, Vec::new()),
            };
            let chart = match &alias {
                Some(a) => Chart::load(sub_files, Some(a))?,
                None => probe,
            };
            subcharts.push(Subchart { chart, condition });
        }
        Ok(Chart {
            name: alias.unwrap_or(&name).to_string(),
            version,
            chart_type,
            files,
            metadata,
            values,
            templates,
            other_files,
            subcharts,
        })
    }

    /// `appVersion:` of Chart.yaml (empty when absent), as `helm list` prints APP VERSION.
    pub fn app_version(&self) -> String {
        match &self.metadata {
            Value::Map(m) => match m.get("AppVersion") {
                Some(Value::String(s)) => s.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The chart's own values.yaml as a map.
    pub fn default_values_yaml(&self) -> String {
        super::functions::yaml::to_yaml(&Value::Map(Arc::new(self.values.clone())))
    }
}
