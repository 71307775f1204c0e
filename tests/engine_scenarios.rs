//! Every scenario under tests/scenarios/ (the spec's vectors S1-S15) against its checked-in golden
//! transcript. Goldens are rewritten only on request: `UPDATE_GOLDENS=1 cargo test --test engine_scenarios`.

use std::path::{Path, PathBuf};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

fn run(path: &Path) -> sts_lab::scenario::Transcript {
    let text = std::fs::read_to_string(path).expect("readable scenario");
    let base = path.parent().expect("has a folder").to_path_buf();
    let load = |p: &str| std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string());
    let scenario = sts_lab::scenario::parse(&text, &load)
        .unwrap_or_else(|e| panic!("{}:{}:{}: {}", path.display(), e.line, e.column, e.message));
    sts_lab::scenario::run(&scenario).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_spec_vector_has_a_scenario() {
    let names: Vec<String> =
        scenario_files().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    for i in 1..=15 {
        let prefix = format!("s{i:02}-");
        assert!(names.iter().any(|n| n.starts_with(&prefix)), "no scenario for S{i}");
    }
}

#[test]
fn scenarios_match_their_golden_transcripts() {
    let update = std::env::var("UPDATE_GOLDENS").is_ok_and(|v| v == "1");
    let mut failures = Vec::new();
    for path in scenario_files() {
        let transcript = run(&path);
        let json = serde_json::to_string_pretty(&transcript.to_json()).unwrap() + "\n";
        let json_golden = path.with_extension("json");
        let got = transcript.to_text();
        let golden = path.with_extension("txt");
        if update {
            std::fs::write(&golden, &got).expect("write golden");
            std::fs::write(&json_golden, &json).expect("write json golden");
            continue;
        }
        if std::fs::read_to_string(&json_golden).unwrap_or_default() != json {
            failures.push(format!("{}: JSON transcript differs from {}", path.display(), json_golden.display()));
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if got != want {
            let line = got
                .lines()
                .zip(want.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(want.lines().count()));
            failures.push(format!(
                "{}: differs from {} at line {}\n  got:  {}\n  want: {}",
                path.display(),
                golden.display(),
                line + 1,
                got.lines().nth(line).unwrap_or("<end>"),
                want.lines().nth(line).unwrap_or("<end>")
            ));
        }
    }
    assert!(failures.is_empty(), "{}\n(run with UPDATE_GOLDENS=1 to accept)", failures.join("\n"));
}

#[test]
fn same_scenario_and_seed_give_byte_identical_transcripts() {
    for path in scenario_files() {
        let a = run(&path);
        let b = run(&path);
        assert_eq!(a.to_text(), b.to_text(), "{}", path.display());
        assert_eq!(a.to_json(), b.to_json(), "{}", path.display());
    }
}

#[test]
fn json_transcript_has_the_issue_shape() {
    let t = run(&scenario_files()[0]);
    let j = t.to_json();
    let e = &j["events"][0];
    for key in ["t", "kind", "object", "revision", "rule", "text"] {
        assert!(e.get(key).is_some(), "event lacks {key}");
    }
    for key in [
        "replicas",
        "readyReplicas",
        "availableReplicas",
        "currentReplicas",
        "updatedReplicas",
        "currentRevision",
        "updateRevision",
    ] {
        assert!(j["final"]["statefulset"].get(key).is_some(), "final.statefulset lacks {key}");
    }
    for key in ["name", "ordinal", "revision", "status", "ready", "visits"] {
        assert!(j["final"]["pods"][0].get(key).is_some(), "pod lacks {key}");
    }
    for key in ["name", "status", "volume", "visits"] {
        assert!(j["final"]["pvcs"][0].get(key).is_some(), "pvc lacks {key}");
    }
}

#[test]
fn a_bad_scenario_names_line_and_column() {
    let text = "input_text: \"\"\nseed: 1\nsteps:\n  - settle\n  - scale: many\n";
    let err = sts_lab::scenario::parse(text, &|_| Err("no files".into())).unwrap_err();
    assert_eq!((err.line, err.column), (5, 5));
    assert!(err.message.contains("scale"), "{}", err.message);
    let err = sts_lab::scenario::parse("seed: 1\nsteps: [settle\n", &|_| Err("x".into())).unwrap_err();
    assert!(err.line >= 2, "syntax error located: {err:?}");
    let err = sts_lab::scenario::parse("input_text: x\nsteps:\n  - wait: 3x\n", &|_| Err("x".into())).unwrap_err();
    assert_eq!((err.line, err.column), (3, 5));
}

#[test]
fn a_scenario_exported_as_yaml_reads_back_the_same() {
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let base = path.parent().unwrap().to_path_buf();
        let load = |p: &str| std::fs::read_to_string(base.join(p)).map_err(|e| e.to_string());
        let s = sts_lab::scenario::parse(&text, &load).unwrap();
        let back = sts_lab::scenario::parse(&s.to_yaml(), &|_| Err("inline".into()))
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", path.display(), s.to_yaml()));
        let kinds = |s: &sts_lab::scenario::Scenario| s.steps.iter().map(|st| st.kind.clone()).collect::<Vec<_>>();
        assert_eq!(kinds(&back), kinds(&s), "{}", path.display());
        assert_eq!((back.seed, back.gates, &back.statefulset), (s.seed, s.gates, &s.statefulset));
        assert_eq!(back.input_text.trim_end(), s.input_text.trim_end());
    }
}

#[test]
fn a_timeline_exports_as_a_scenario_that_replays_the_same() {
    use sts_lab::engine::{Action, Cluster, FeatureGates, Input, SimDuration, Timeline};
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/inputs/web.yaml")).unwrap();
    let release = sts_lab::input::parse(&text);
    let mut t = Timeline::new(Cluster::from_release(&release, None, 5, FeatureGates::default()).unwrap(), 4);
    for i in [
        Input::Settle,
        Input::Action(Action::Image("registry.k8s.io/nginx-slim:0.8".into())),
        Input::Step,
        Input::Advance(SimDuration::from_secs(7)),
        Input::Action(Action::Traffic(10)),
        Input::Settle,
    ] {
        t.push(i);
    }
    let s = sts_lab::scenario::Scenario::from_inputs(
        text,
        5,
        sts_lab::engine::KubeVersion::LATEST,
        FeatureGates::default(),
        None,
        t.inputs(),
    );
    let back = sts_lab::scenario::parse(&s.to_yaml(), &|_| Err("inline".into())).unwrap();
    let replay = sts_lab::scenario::run(&back).unwrap();
    assert_eq!(replay.cluster.events(), t.current().events());
}
