//! `sts-lab inspect FILE --json`: the shape issue #3 specifies, and the exit codes.

use std::process::Command;

fn inspect(name: &str, text: &str) -> (i32, serde_json::Value) {
    let path = std::env::temp_dir().join(format!("sts-lab-inspect-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sts-lab")).arg("inspect").arg(&path).arg("--json").output().unwrap();
    let _ = std::fs::remove_file(&path);
    (out.status.code().unwrap(), serde_json::from_slice(&out.stdout).expect("json on stdout"))
}

#[test]
fn json_has_the_issue_shape_with_defaults_filled_in_and_exit_0() {
    let (code, json) = inspect("lab.txt", include_str!("fixtures/helm-python-install-dry-run-debug.txt"));
    assert_eq!(code, 0);
    assert_eq!(json["input"], "helm-debug");
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 5);
    for key in ["input", "objects", "statefulsets", "warnings", "errors"] {
        assert!(keys.contains(&key));
    }
    assert_eq!(
        json["objects"][0],
        serde_json::json!({"kind": "Pod", "name": "postinstall-hook", "namespace": "default", "source": "helm-python/templates/post-install-hook.yaml"})
    );
    let sts = &json["statefulsets"][0];
    assert_eq!(sts["name"], "python-helm-python");
    assert_eq!(sts["replicas"], 1);
    assert_eq!(sts["podManagementPolicy"], "OrderedReady");
    assert_eq!(
        sts["updateStrategy"],
        serde_json::json!({"type": "RollingUpdate", "partition": 0, "maxUnavailable": 1})
    );
    assert_eq!(sts["retention"], serde_json::json!({"whenDeleted": "Retain", "whenScaled": "Retain"}));
    assert_eq!(sts["minReadySeconds"], 0);
    assert_eq!(sts["ordinalsStart"], 0);
    assert_eq!(sts["service"], serde_json::json!({"found": false, "headless": false}));
    assert_eq!(sts["claims"][0]["storage"], "50Mi");
    assert_eq!(sts["pvcNames"], serde_json::json!(["python-stateful-volume-python-helm-python-0"]));
    assert_eq!(sts["images"], serde_json::json!(["vladimirka002/innopolis-devops-python-app:latest"]));
}

#[test]
fn errors_give_exit_2_and_are_still_printed() {
    let (code, json) = inspect("bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n bad: [\n");
    assert_eq!(code, 2);
    assert!(json["errors"][0]["line"].as_u64().unwrap() >= 5);
}
