//! The built-in charts, embedded from public/charts/ so the browser needs no file access.

use super::error::ChartError;
use super::loader::Chart;

macro_rules! chart_files {
    ($dir:literal: $($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../public/charts/", $dir, "/", $path)))),*]
    };
}

/// The lab chart: `helm create` turned into the StatefulSet of the lab report.
const HELM_PYTHON: &[(&str, &str)] = chart_files!("helm-python":
    "Chart.yaml",
    "values.yaml",
    "files/config.json",
    "templates/_helpers.tpl",
    "templates/NOTES.txt",
    "templates/configmap.yaml",
    "templates/env-configmap.yaml",
    "templates/hpa.yaml",
    "templates/ingress.yaml",
    "templates/post-install-hook.yaml",
    "templates/pre-install-hook.yaml",
    "templates/secrets.yaml",
    "templates/service.yaml",
    "templates/serviceaccount.yaml",
    "templates/statefulset.yaml",
    "templates/tests/test-connection.yaml",
    "charts/mylibchart/Chart.yaml",
    "charts/mylibchart/templates/_configmap.yaml",
    "charts/mylibchart/templates/_util.yaml",
);

/// A clean `helm create` chart as a StatefulSet with its headless Service.
const DONE_RIGHT: &[(&str, &str)] = chart_files!("done-right":
    "Chart.yaml",
    "values.yaml",
    "templates/_helpers.tpl",
    "templates/NOTES.txt",
    "templates/service.yaml",
    "templates/service-headless.yaml",
    "templates/serviceaccount.yaml",
    "templates/statefulset.yaml",
    "templates/tests/test-connection.yaml",
);

impl Chart {
    /// The names [`Chart::builtin`] knows.
    pub fn builtin_names() -> &'static [&'static str] {
        &["helm-python", "done-right"]
    }

    /// A built-in chart by name (`helm-python`, `done-right`).
    pub fn builtin(name: &str) -> Option<Chart> {
        Chart::builtin_files(name).map(|files| {
            Chart::from_files(files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect())
                .unwrap_or_else(|e: ChartError| panic!("built-in chart {name} does not load: {e}"))
        })
    }

    /// A built-in chart's files, `(path relative to the chart, text)`, for the editor tabs.
    pub fn builtin_files(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
        match name {
            "helm-python" => Some(HELM_PYTHON),
            "done-right" => Some(DONE_RIGHT),
            _ => None,
        }
    }
}
