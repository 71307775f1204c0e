//! From what was pasted to a release to simulate: manifests and helm logs are read as they are; a
//! values.yaml is first rendered through the built-in lab chart, as `helm install -f values.yaml`
//! would, so changing `replicaCount` or `volumeClaimTemplates` changes the drawing.

use crate::chart::{render, Chart, RenderOptions};
use crate::input;
use crate::model::{Diagnostic, InputKind, Release};

/// The chart a pasted values.yaml is rendered through, and the lab's release name.
pub const LAB_CHART: &str = "helm-python";
pub const LAB_RELEASE: &str = "python";

/// What a paste became.
#[derive(Debug, Clone)]
pub struct Understood {
    /// The release to simulate. For a values.yaml: the rendered chart's, with the values' own
    /// diagnostics (whose lines are the paste's).
    pub release: Release,
    /// `helm template` output when the paste was rendered through a chart.
    pub rendered: Option<String>,
    /// One sentence on how the paste was read.
    pub summary: String,
    /// Values written for another chart, drawn through the built-in one: what the stage must say
    /// (the fit warning's words; its line and column are in the diagnostics).
    pub mismatch: Option<String>,
}

pub fn understand(text: &str) -> Understood {
    understand_with(text, &[])
}

/// As [`understand`], but a values.yaml is rendered through the user's own chart files
/// (`(path in the chart, text)`: Chart.yaml, values.yaml, templates/...) when there are any.
pub fn understand_with(text: &str, chart_files: &[(String, String)]) -> Understood {
    let pasted = input::parse(text);
    if pasted.input != InputKind::Values || pasted.has_errors() {
        let summary = summary_of(&pasted);
        return Understood { release: pasted, rendered: None, summary, mismatch: None };
    }
    let chart = if chart_files.is_empty() {
        Chart::builtin(LAB_CHART).ok_or_else(|| format!("the built-in chart {LAB_CHART} is missing"))
    } else {
        Chart::from_files(chart_files.to_vec()).map_err(|e| describe(&e))
    };
    let chart_name = if chart_files.is_empty() { LAB_CHART.to_string() } else { "your chart".to_string() };
    let chart = match chart {
        Ok(c) => c,
        Err(e) => {
            let mut release = pasted;
            release.diagnostics.push(Diagnostic::error(1, 1, format!("your chart files do not load: {e}")));
            let summary = "Read as a values.yaml; the chart files do not load".to_string();
            return Understood { release, rendered: None, summary, mismatch: None };
        }
    };
    let options = RenderOptions {
        release_name: LAB_RELEASE.into(),
        user_values: vec![text.to_string()],
        ..RenderOptions::default()
    };
    // Values written for another chart are drawn as the lab chart's defaults: say so, at the
    // first key the chart never reads (chart::fit), whether or not the chart could render them.
    let fit_warning = if chart_files.is_empty() {
        crate::chart::fit::fit(&chart, text)
            .and_then(|f| crate::chart::fit::warning(&f, LAB_CHART))
            .map(|(line, column, message)| Diagnostic::warning(line, column, message))
    } else {
        None
    };
    let mismatch = fit_warning.as_ref().map(|d| d.message.clone());
    match render(&chart, &options) {
        Ok(rendered) => {
            let debug = rendered.helm_debug_output();
            let mut release = input::parse(&debug);
            // Lines of the rendered text mean nothing in the editor: keep the paste's own, and say
            // what the rendered objects got wrong (a StatefulSet refused there would otherwise
            // just be missing), at the values line that holds the offending value when one does.
            let rendered_errors: Vec<Diagnostic> =
                release.diagnostics.iter().filter(|d| d.is_error()).map(|d| rendered_error(text, &debug, d)).collect();
            release.diagnostics = pasted.diagnostics.clone();
            release.diagnostics.extend(rendered_errors);
            release.input = InputKind::Values;
            release.diagnostics.extend(fit_warning.clone());
            let summary = format!(
                "Read as a values.yaml, rendered through {} as release {LAB_RELEASE} · StatefulSets: {}",
                if chart_files.is_empty() { format!("the built-in chart {LAB_CHART}") } else { chart_name.clone() },
                names(&release)
            );
            Understood { release, rendered: Some(rendered.helm_template_output()), summary, mismatch }
        }
        Err(e) => {
            let mut release = pasted;
            let (line, column) = if e.location.file.ends_with("values.yaml") && !e.location.rendered {
                (e.location.line, e.location.column)
            } else {
                (1, 1)
            };
            release.diagnostics.push(Diagnostic::error(
                line,
                column,
                format!("rendering the {LAB_CHART} chart with these values failed: {}", e.message),
            ));
            release.diagnostics.extend(fit_warning);
            let summary = format!("Read as a values.yaml; the {LAB_CHART} chart could not render it");
            Understood { release, rendered: None, summary, mismatch }
        }
    }
}

/// An error about the rendered release, placed in the values paste: at the line holding the value
/// the rendered line shows (`replicaCount: 2147483647` for `replicas: 2.147483647e+09`), else at the
/// top; the rendered line is quoted in the message.
fn rendered_error(values: &str, rendered: &str, d: &Diagnostic) -> Diagnostic {
    let line_text = rendered.lines().nth(d.line.saturating_sub(1)).unwrap_or("").trim();
    let value = line_text.split_once(':').map(|(_, v)| v.trim()).unwrap_or("");
    // Helm prints a whole number from values as a float (2.147483647e+09): look for it as written.
    let as_written =
        value.parse::<f64>().ok().filter(|f| f.fract() == 0.0 && f.abs() < 9e15).map(|f| format!("{}", f as i64));
    let (line, column) = [as_written.as_deref(), Some(value)]
        .into_iter()
        .flatten()
        .filter(|v| !v.is_empty())
        .find_map(|v| {
            values.lines().enumerate().find_map(|(i, l)| {
                let (_, after) = l.split_once(':')?;
                (after.trim() == v).then(|| (i + 1, l.len() - after.trim_start().len() + 1))
            })
        })
        .unwrap_or((1, 1));
    let quoted = crate::limits::quoted(line_text);
    Diagnostic::error(line, column, format!("the chart renders `{quoted}`: {}", d.message))
}

/// A chart error with the template file, line and column it points at (helm's own words follow).
fn describe(e: &crate::chart::ChartError) -> String {
    let l = &e.location;
    if l.file.is_empty() {
        e.message.clone()
    } else {
        format!("{}:{}:{}{}: {}", l.file, l.line, l.column, if l.rendered { " (rendered)" } else { "" }, e.message)
    }
}

fn names(r: &Release) -> String {
    let sets: Vec<String> = r.statefulsets.iter().map(|s| s.object.metadata.name.clone().unwrap_or_default()).collect();
    if sets.is_empty() {
        "none".into()
    } else {
        sets.join(", ")
    }
}

fn summary_of(r: &Release) -> String {
    let what = match r.input {
        InputKind::HelmDebug => "a helm --debug log",
        InputKind::Manifests => "manifests",
        InputKind::Values => "a values.yaml",
        InputKind::Template => "a chart template (paste its rendered output, or your values.yaml)",
    };
    let release = r.name.as_ref().map(|n| format!(" · release {n}")).unwrap_or_default();
    format!("Read as {what}{release} · StatefulSets: {}", names(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_values_file_is_drawn_through_the_lab_chart() {
        let values =
            include_str!("../../tests/fixtures/helm-python-values.yaml").replace("replicaCount: 1", "replicaCount: 4");
        let u = understand(&values);
        assert_eq!(u.release.input, InputKind::Values);
        let sts = &u.release.statefulsets[0];
        assert_eq!(sts.object.metadata.name.as_deref(), Some("python-helm-python"));
        assert_eq!(sts.object.spec.as_ref().unwrap().replicas, Some(4));
        assert!(u.rendered.unwrap().contains("# Source: helm-python/templates/statefulset.yaml"));
    }

    #[test]
    fn changing_the_claim_template_in_values_changes_the_claims() {
        let values = include_str!("../../tests/fixtures/helm-python-values.yaml")
            .replace("name: python-stateful-volume", "name: visits");
        let u = understand(&values);
        let vct = u.release.statefulsets[0].object.spec.as_ref().unwrap().volume_claim_templates.clone().unwrap();
        assert_eq!(vct[0].metadata.name.as_deref(), Some("visits"));
    }

    #[test]
    fn a_values_file_goes_through_the_users_own_chart_files_when_given() {
        let files: Vec<(String, String)> =
            Chart::builtin_files(LAB_CHART).unwrap().iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        let u = understand_with("replicaCount: 2\n", &files);
        assert!(u.summary.contains("your chart"), "{}", u.summary);
        assert_eq!(u.release.statefulsets[0].object.spec.as_ref().unwrap().replicas, Some(2));
    }

    #[test]
    fn a_broken_template_is_reported_with_its_file_line_and_column() {
        let mut files: Vec<(String, String)> =
            Chart::builtin_files(LAB_CHART).unwrap().iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        for (p, t) in &mut files {
            if p.ends_with("templates/statefulset.yaml") {
                *t = t.replacen("{{", "{{ .Values.missing.deeper }}{{", 1);
            }
        }
        let u = understand_with("replicaCount: 2\n", &files);
        let e = u.release.diagnostics.iter().find(|d| d.is_error()).expect("an error");
        assert!(e.message.contains("templates/statefulset.yaml:"), "{}", e.message);
    }

    #[test]
    fn a_helm_log_is_read_as_it_is() {
        let u = understand(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        assert_eq!(u.release.input, InputKind::HelmDebug);
        assert!(u.rendered.is_none());
        assert!(u.summary.contains("release python"));
    }
}

#[cfg(test)]
mod fit_tests {
    use super::*;

    /// Issue #10 item 4: a values file that does not fit the built-in chart is never drawn as
    /// that chart without a word.
    #[test]
    fn values_for_another_chart_are_drawn_with_a_warning_naming_what_is_ignored() {
        let values = "replicaCount: 2\npvc:\n  enabled: true\n  storageSize: 5Mi\n";
        let u = understand(values);
        let w: Vec<_> = u.release.warnings().collect();
        assert_eq!(w.len(), 1, "{:?}", u.release.diagnostics);
        assert_eq!((w[0].line, w[0].column), (2, 1));
        assert!(w[0].message.contains("`pvc.storageSize: 5Mi`"), "{}", w[0].message);
        // Still drawn: the warning says what the drawing is.
        assert_eq!(u.release.statefulsets.len(), 1);
    }

    #[test]
    fn the_labs_own_values_are_drawn_without_a_fit_warning() {
        let u = understand(include_str!("../../public/examples/helm-python-values.yaml"));
        assert_eq!(u.release.warnings().count(), 0, "{:?}", u.release.diagnostics);
    }

    /// The user's own chart files read what they read: no warning about the built-in chart.
    #[test]
    fn values_rendered_through_the_users_chart_files_get_no_built_in_chart_warning() {
        let files: Vec<(String, String)> =
            Chart::builtin_files(LAB_CHART).unwrap().iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        let u = understand_with("replicaCount: 2\npvc:\n  storageSize: 5Mi\n", &files);
        assert!(u.release.warnings().all(|w| !w.message.contains("built-in chart")), "{:?}", u.release.diagnostics);
    }
}

#[cfg(test)]
mod fit_failure_tests {
    use super::*;

    /// Like the elastic values (`image:` a string, `clusterName`, `nodeGroup`): the chart cannot
    /// render them, and the warning says why they do not fit beside the error.
    #[test]
    fn values_the_chart_cannot_render_still_say_what_they_look_like() {
        let u = understand("clusterName: es\nnodeGroup: master\nimage: docker.elastic.co/es\n");
        assert!(u.release.has_errors());
        let w = u.release.warnings().next().expect("a fit warning");
        assert!(w.message.starts_with("These look like an elastic elasticsearch values file"), "{}", w.message);
        assert!(w.message.contains("`image: docker.elastic.co/es`"), "{}", w.message);
    }
}
