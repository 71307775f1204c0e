//! Issue #6: `sts-lab template` prints what `helm template` would, for a chart folder or the
//! built-in lab chart (the default).

use std::process::Command;

fn sts_lab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sts-lab")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn default_chart_is_the_lab_chart_and_a_folder_renders_the_same() {
    let root = env!("CARGO_MANIFEST_DIR");
    let values = format!("{root}/tests/fixtures/helm-python-values.yaml");
    let (code, builtin, err) = sts_lab(&["template", "-f", &values, "--name", "python"]);
    assert_eq!(code, 0, "{err}");
    let manifest = std::fs::read_to_string(format!("{root}/tests/fixtures/helm-python-manifest.yaml")).unwrap();
    let hooks = std::fs::read_to_string(format!("{root}/tests/fixtures/helm-python-hooks.yaml")).unwrap();
    assert_eq!(builtin, format!("{}\n{hooks}", manifest.trim()));
    let chart_dir = format!("{root}/public/charts/helm-python");
    let (code, folder, err) = sts_lab(&["template", "--chart", &chart_dir, "-f", &values, "--name", "python"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(folder, builtin);
}

#[test]
fn errors_are_printed_as_helm_prints_them() {
    let dir = std::env::temp_dir().join(format!("sts-lab-chart-cli-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(dir.join("Chart.yaml"), "apiVersion: v2\nname: bad\nversion: 0.1.0\n").unwrap();
    std::fs::write(
        dir.join("templates/cm.yaml"),
        "kind: ConfigMap\ndata:\n  x: {{ required \"x is required\" .Values.x }}\n",
    )
    .unwrap();
    let (code, out, err) = sts_lab(&["template", "--chart", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(err, "Error: execution error at (bad/templates/cm.yaml:3:8): x is required\n");
}
