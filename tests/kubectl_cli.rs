//! The lab's terminal (`sts_lab::kubectl::run`): kubectl's grammar, printers and errors, each
//! expected text written from the kubectl/cobra/pflag source it names.

use sts_lab::engine::{Action, Cluster, FeatureGates, PatchType};
use sts_lab::kubectl::{complete, run, Outcome};

fn lab() -> Cluster {
    let text = include_str!("scenarios/inputs/web.yaml");
    let release = sts_lab::input::parse(text);
    let mut c = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
    c.settle();
    c
}

fn no_files(_: &str) -> Option<String> {
    None
}

fn out(c: &Cluster, line: &str) -> (String, String) {
    match run(c, line, &no_files) {
        Outcome::Print { stdout, stderr } => (stdout, stderr),
        Outcome::Act(a) => panic!("{line}: acted {a:?}"),
    }
}

fn act(c: &Cluster, line: &str) -> Action {
    match run(c, line, &no_files) {
        Outcome::Act(a) => a,
        other => panic!("{line}: printed {other:?}"),
    }
}

#[test]
fn get_tables_names_and_namespaces() {
    let c = lab();
    let (o, e) = out(&c, "kubectl get po");
    assert!(o.starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0"), "{o}");
    assert_eq!(e, "");
    // The existing table printer and the terminal agree.
    assert_eq!(o, sts_lab::kubectl::get(&c, "po", false).unwrap());
    let (o, _) = out(&c, "kubectl get sts,po");
    assert!(o.contains("statefulset.apps/web") && o.contains("\n\nNAME") && o.contains("pod/web-1"), "{o}");
    // get.go Run: nothing written, no error.
    assert_eq!(out(&c, "kubectl get po -n other"), (String::new(), "No resources found in other namespace.\n".into()));
    // A name that does not exist: the API server's NotFound, after what was found.
    let (o, e) = out(&c, "kubectl get pods web-0 web-9");
    assert_eq!(o.lines().count(), 2, "{o}");
    assert_eq!(e, "Error from server (NotFound): pods \"web-9\" not found\n");
    assert_eq!(out(&c, "kubectl get foo").1, "error: the server doesn't have a resource type \"foo\"\n");
    let (o, _) = out(&c, "kubectl get pod/web-0 statefulset.apps/web");
    assert!(o.contains("pod/web-0") && o.contains("statefulset.apps/web"), "{o}");
}
