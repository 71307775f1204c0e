//! Issue #6: the built-in lab chart, rendered as release `python` with the lab's values,
//! reproduces the HOOKS and MANIFEST sections of the lab's `helm install --dry-run --debug`
//! byte for byte.

use sts_lab::chart::{render, Chart, RenderOptions};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn python() -> sts_lab::chart::Rendered {
    let chart = Chart::builtin("helm-python").expect("built in");
    let options = RenderOptions {
        release_name: "python".into(),
        namespace: "default".into(),
        user_values: vec![fixture("helm-python-values.yaml")],
        ..RenderOptions::default()
    };
    render(&chart, &options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn manifest_section_is_byte_for_byte() {
    assert_eq!(python().manifest(), fixture("helm-python-manifest.yaml"));
}

#[test]
fn hooks_section_is_byte_for_byte() {
    assert_eq!(python().hooks_text(), fixture("helm-python-hooks.yaml"));
}

#[test]
fn computed_values_and_notes_match_the_log() {
    let log = fixture("helm-python-install-dry-run-debug.txt");
    let rendered = python();
    let computed = log.split("COMPUTED VALUES:\n").nth(1).unwrap().split("\n\nHOOKS:\n").next().unwrap();
    assert_eq!(rendered.computed_values, format!("{computed}\n"));
    let notes = log.split("NOTES:\n").nth(1).unwrap();
    assert_eq!(rendered.notes.trim(), notes.trim_end());
}

#[test]
fn debug_output_reproduces_the_log_from_name_on() {
    let log = fixture("helm-python-install-dry-run-debug.txt");
    let chart = Chart::builtin("helm-python").unwrap();
    // The lab ran without -f: the chart's own values.yaml gives the same computed values.
    let options = RenderOptions {
        release_name: "python".into(),
        last_deployed: Some("Wed Nov 29 03:03:14 2023".into()),
        chart_path: Some(
            r"C:\Files\Innopolis\Classes\4 year\1 Semester\DevOps\devops-course-labs\k8s\helm-python".into(),
        ),
        ..RenderOptions::default()
    };
    let out = render(&chart, &options).unwrap().helm_debug_output();
    assert_eq!(out, log);
}

#[test]
fn chart_defaults_alone_render_the_same_manifest() {
    let chart = Chart::builtin("helm-python").unwrap();
    let options = RenderOptions { release_name: "python".into(), ..RenderOptions::default() };
    let rendered = render(&chart, &options).unwrap();
    assert_eq!(rendered.manifest(), fixture("helm-python-manifest.yaml"));
    assert_eq!(rendered.user_values, "{}\n");
}
