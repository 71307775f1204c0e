//! Issue #14, the command line: `sts-lab inspect`, `run` and `template` on the probe's inputs answer
//! with the limit and its reason (exit 2 for a refused input), instead of allocating gigabytes or
//! running for minutes.

use std::path::PathBuf;
use std::process::Command;

const WEB: &str = include_str!("scenarios/inputs/web.yaml");

/// A scratch folder of this test binary, with the given files written into it.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sts-lab-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

fn sts_lab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sts-lab")).args(args).output().expect("sts-lab runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn inspect_of_a_set_with_2147483647_replicas_says_the_limit_and_exits_2() {
    let text = WEB.replace("  replicas: 3\n", "  replicas: 2147483647\n");
    let dir = folder("inspect", &[("sts.yaml", &text)]);
    let file = dir.join("sts.yaml");
    let (code, out, _) = sts_lab(&["inspect", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    assert!(out.contains("the lab animates up to 300 replicas; this set asks for 2147483647"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["statefulsets"][0]["pvcNames"].as_array().unwrap().len(), 300);
    let (code, out, _) = sts_lab(&["inspect", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("the lab animates up to 300 replicas"), "{out}");
}

#[test]
fn inspect_of_a_hundred_thousand_brackets_points_at_the_bracket() {
    let dir = folder("brackets", &[("deep.yaml", &"[".repeat(100_000))]);
    let (code, out, _) = sts_lab(&["inspect", dir.join("deep.yaml").to_str().unwrap(), "--json"]);
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &json["errors"][0];
    assert_eq!((e["line"].as_u64(), e["column"].as_u64()), (Some(1), Some(129)));
    assert!(e["message"].as_str().unwrap().contains("nests deeper than 128"), "{out}");
}

#[test]
fn run_with_a_scale_to_100000_prints_the_refusal_and_finishes() {
    let scenario = "input: web.yaml\nsteps:\n  - settle\n  - scale: 100000\n  - settle\n";
    let dir = folder("scale", &[("web.yaml", WEB), ("s.yaml", scenario)]);
    let (code, out, err) = sts_lab(&["run", dir.join("s.yaml").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("the lab animates up to 300 replicas; this set asks for 100000"), "{out}");
}

#[test]
fn run_of_a_set_above_the_limit_exits_2_with_the_reason() {
    let text = WEB.replace("  replicas: 3\n", "  replicas: 2147483647\n  podManagementPolicy: Parallel\n");
    let dir = folder("big", &[("web.yaml", &text), ("s.yaml", "input: web.yaml\nsteps:\n  - settle\n")]);
    let (code, _, err) = sts_lab(&["run", dir.join("s.yaml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("the lab animates up to 300 replicas; this set asks for 2147483647"), "{err}");
}

#[test]
fn run_with_step_4294967296_exits_2_at_its_line_and_column() {
    let dir = folder("step", &[("web.yaml", WEB), ("s.yaml", "input: web.yaml\nsteps:\n  - step: 4294967296\n")]);
    let file = dir.join("s.yaml");
    let (code, _, err) = sts_lab(&["run", file.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{}:3:5: this scenario records more than 100000 inputs", file.display())), "{err}");
}

#[test]
fn run_of_a_scenario_nested_100000_deep_exits_2_at_once() {
    let dir = folder("nested", &[("s.yaml", &format!("steps: {}", "[".repeat(100_000)))]);
    let (code, _, err) = sts_lab(&["run", dir.join("s.yaml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(":1:136: the YAML nests deeper than 128 levels"), "{err}");
}

#[test]
fn run_with_traffic_near_two_to_the_64_exits_2_at_its_line() {
    let dir = folder(
        "traffic",
        &[("web.yaml", WEB), ("s.yaml", "input: web.yaml\nsteps:\n  - settle\n  - traffic: 18446744073709551615\n")],
    );
    let (code, _, err) = sts_lab(&["run", dir.join("s.yaml").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains(":4:5: the lab sends up to 1000000 requests at once"), "{err}");
}

#[test]
fn template_with_a_self_doubling_include_stops_with_the_template_and_the_limit() {
    let mut helpers = String::new();
    for i in 0..40 {
        helpers.push_str(&format!(
            "{{{{- define \"d{i}\" -}}}}{{{{ include \"d{}\" . }}}}{{{{ include \"d{}\" . }}}}{{{{- end -}}}}\n",
            i + 1,
            i + 1
        ));
    }
    helpers.push_str("{{- define \"d40\" -}}{{- end -}}\n");
    let dir = folder(
        "chart",
        &[
            ("chart/Chart.yaml", "apiVersion: v2\nname: bomb\nversion: 0.1.0\n"),
            ("chart/templates/_helpers.tpl", &helpers),
            ("chart/templates/cm.yaml", "a: {{ include \"d0\" . }}\n"),
        ],
    );
    let (code, _, err) = sts_lab(&["template", "--chart", dir.join("chart").to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("bomb/templates/cm.yaml:1:"), "{err}");
    assert!(err.contains("the lab stops a render there"), "{err}");
}

#[test]
fn template_with_indent_2147483647_says_the_string_limit() {
    let dir = folder(
        "indent",
        &[
            ("chart/Chart.yaml", "apiVersion: v2\nname: wide\nversion: 0.1.0\n"),
            ("chart/templates/cm.yaml", "a: {{ \"x\" | indent 2147483647 }}\n"),
        ],
    );
    let (code, _, err) = sts_lab(&["template", "--chart", dir.join("chart").to_str().unwrap()]);
    assert_ne!(code, 0);
    assert!(err.contains("indent would make a string of 2147483648 bytes"), "{err}");
}
