//! helm in the lab's terminal (issue #11): the release commands on the lab's own release, each
//! expected text written from the helm v3 source it names (cmd/helm/*.go, pkg/action/*.go,
//! pkg/strvals/parser.go, gosuri/uitable).

use sts_lab::engine::{Cluster, FeatureGates};
use sts_lab::kubectl::{run, Outcome};

/// The lab as the student installed it: the `helm install --dry-run --debug` log of release `python`.
fn lab() -> Cluster {
    let release = sts_lab::input::parse(include_str!("fixtures/helm-python-install-dry-run-debug.txt"));
    let mut c = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
    c.settle();
    c
}

fn files(name: &str) -> Option<String> {
    (name == "paste.yaml").then(|| "replicaCount: 2\n".to_string())
}

fn out(c: &Cluster, line: &str) -> (String, String) {
    match run(c, line, &files) {
        Outcome::Print { stdout, stderr } => (stdout, stderr),
        Outcome::Act(_) => panic!("{line}: acted"),
    }
}

/// Runs a writing command as the terminal does: checked, then applied; `Ok` is stdout.
fn apply(c: &mut Cluster, line: &str) -> Result<String, String> {
    match run(c, line, &files) {
        Outcome::Act(a) => {
            let r = c.apply(a).map_err(|e| e.to_string());
            c.settle();
            r
        }
        Outcome::Print { stdout, stderr } => panic!("{line}: printed {stdout}{stderr}"),
    }
}

#[test]
fn the_pasted_log_is_revision_1_of_release_python() {
    let c = lab();
    // cmd/helm/history.go releaseHistory.WriteTable through uitable: every cell padded, tab-joined.
    let (o, e) = out(&c, "helm history python");
    assert_eq!(e, "");
    assert_eq!(
        o,
        "REVISION\tUPDATED                 \tSTATUS  \tCHART            \tAPP VERSION\tDESCRIPTION     \n\
         1       \tTue Jun  3 10:00:00 2025\tdeployed\thelm-python-0.1.0\t1.16.0     \tInstall complete\n"
    );
    // cmd/helm/list.go: UPDATED is Go's Time.String().
    let (o, _) = out(&c, "helm ls");
    assert_eq!(
        o,
        "NAME  \tNAMESPACE\tREVISION\tUPDATED                      \tSTATUS  \tCHART            \tAPP VERSION\n\
         python\tdefault  \t1       \t2025-06-03 10:00:00 +0000 UTC\tdeployed\thelm-python-0.1.0\t1.16.0     \n"
    );
    // cmd/helm/get_values.go valuesWriter: the log's USER-SUPPLIED VALUES were `{}`.
    assert_eq!(out(&c, "helm get values python").0, "USER-SUPPLIED VALUES:\n{}\n");
    assert!(out(&c, "helm get values python --all").0.starts_with("COMPUTED VALUES:\n"));
    // releaseHistory.WriteJSON / WriteYAML (output.EncodeJSON, sigs.k8s.io/yaml), releaseListWriter.WriteJSON.
    assert_eq!(
        out(&c, "helm history python -o json").0,
        "[{\"revision\":1,\"updated\":\"2025-06-03T10:00:00Z\",\"status\":\"deployed\",\"chart\":\"helm-python-0.1.0\",\"app_version\":\"1.16.0\",\"description\":\"Install complete\"}]\n"
    );
    assert_eq!(
        out(&c, "helm history python -o yaml").0,
        "- app_version: 1.16.0\n  chart: helm-python-0.1.0\n  description: Install complete\n  revision: 1\n  status: deployed\n  updated: \"2025-06-03T10:00:00Z\"\n"
    );
    assert_eq!(
        out(&c, "helm ls -o json").0,
        "[{\"name\":\"python\",\"namespace\":\"default\",\"revision\":\"1\",\"updated\":\"2025-06-03 10:00:00 +0000 UTC\",\"status\":\"deployed\",\"chart\":\"helm-python-0.1.0\",\"app_version\":\"1.16.0\"}]\n"
    );
    assert_eq!(
        out(&c, "helm ls -o wide").1,
        "Error: invalid argument \"wide\" for \"-o, --output\" flag: invalid format type\n"
    );
    // pkg/storage/driver ErrReleaseNotFound
    assert_eq!(out(&c, "helm history nope"), (String::new(), "Error: release: not found\n".into()));
}

#[test]
fn upgrade_with_set_then_rollback() {
    let mut c = lab();
    let pods = |c: &Cluster| c.pods().count();
    assert_eq!(pods(&c), 1);
    // cmd/helm/upgrade.go: "Release %q has been upgraded. Happy Helming!" then the statusPrinter; the
    // chart has a test hook, so no TEST SUITE line (status.go).
    let o = apply(&mut c, "helm upgrade python ./helm-python --set replicaCount=3").unwrap();
    assert!(
        o.starts_with(
            "Release \"python\" has been upgraded. Happy Helming!\nNAME: python\nLAST DEPLOYED: Tue Jun  3 10:00:"
        ),
        "{o}"
    );
    assert!(
        o.contains("\nNAMESPACE: default\nSTATUS: deployed\nREVISION: 2\nNOTES:\n1. Get the application URL"),
        "{o}"
    );
    assert!(!o.contains("TEST SUITE"), "{o}");
    assert_eq!(pods(&c), 3);
    assert_eq!(out(&c, "helm get values python").0, "USER-SUPPLIED VALUES:\nreplicaCount: 3\n");
    let (h, _) = out(&c, "helm history python");
    assert!(h.contains("\n1       \t") && h.contains("superseded") && h.contains("Upgrade complete"), "{h}");

    // pkg/action/upgrade.go reuseValues: no values given, the previous ones are kept.
    apply(&mut c, "helm upgrade python ./helm-python").unwrap();
    assert_eq!(out(&c, "helm get values python").0, "USER-SUPPLIED VALUES:\nreplicaCount: 3\n");
    assert_eq!(pods(&c), 3);
    // `-f` replaces them (without --reuse-values): the paste says 2.
    apply(&mut c, "helm upgrade python ./helm-python -f paste.yaml").unwrap();
    assert_eq!(pods(&c), 2);
    // --reuse-values merges the new over the old.
    apply(&mut c, "helm upgrade python ./helm-python --reuse-values --set image.tag=v2").unwrap();
    assert_eq!(out(&c, "helm get values python").0, "USER-SUPPLIED VALUES:\nimage:\n  tag: v2\nreplicaCount: 2\n");

    // cmd/helm/rollback.go and pkg/action/rollback.go: a new revision "Rollback to N".
    let o = apply(&mut c, "helm rollback python 1").unwrap();
    assert_eq!(o, "Rollback was a success! Happy Helming!\n");
    assert_eq!(pods(&c), 1);
    let (h, _) = out(&c, "helm history python --max 2");
    assert!(h.lines().count() == 3 && h.contains("Rollback to 1"), "{h}");
    assert_eq!(out(&c, "helm rollback python 9"), (String::new(), "Error: release has no 9 version\n".into()));
}

#[test]
fn an_upgrade_the_api_server_refuses_is_a_failed_revision() {
    let mut c = lab();
    // Claim templates are immutable: the chart renders new ones, the patch is refused, and helm
    // records the revision as failed (pkg/action/upgrade.go failRelease; kube/client.go "cannot patch").
    let e = apply(
        &mut c,
        "helm upgrade python ./helm-python --set volumeClaimTemplates[0].metadata.name=data,volumeClaimTemplates[0].spec.resources.requests.storage=1Gi",
    )
    .unwrap_err();
    assert!(
        e.starts_with(
            "Error: UPGRADE FAILED: cannot patch \"python-helm-python\" with kind StatefulSet: StatefulSet.apps \"python-helm-python\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than"
        ),
        "{e}"
    );
    let (h, _) = out(&c, "helm history python");
    assert!(h.contains("failed") && h.contains("Upgrade \"python\" failed: cannot patch"), "{h}");
    // The deployed revision stays the one in charge.
    assert!(out(&c, "helm status python --revision 1").0.contains("STATUS: deployed"));
}

#[test]
fn uninstall_keeps_the_claims_and_install_finds_them_again() {
    let mut c = lab();
    apply(&mut c, "helm upgrade python ./helm-python --set replicaCount=2").unwrap();
    let claims: Vec<String> = c.claims().map(|cl| cl.name.clone()).collect();
    assert_eq!(claims.len(), 2);
    // cmd/helm/uninstall.go: `release "%s" uninstalled`.
    assert_eq!(apply(&mut c, "helm uninstall python").unwrap(), "release \"python\" uninstalled\n");
    assert!(c.statefulset().is_none());
    assert_eq!(c.pods().count(), 0);
    // volumeClaimTemplates' claims are not in the manifest: helm leaves them.
    assert_eq!(c.claims().map(|cl| cl.name.clone()).collect::<Vec<_>>(), claims);
    assert_eq!(out(&c, "helm ls").0, "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n");
    // Installed again: a new revision 1, and the pods mount the claims they had.
    let o = apply(&mut c, "helm install python ./helm-python --set replicaCount=2").unwrap();
    assert!(o.starts_with("NAME: python\n") && o.contains("REVISION: 1\n"), "{o}");
    assert_eq!(c.pods().count(), 2);
    assert_eq!(c.claims().count(), 2);
}

#[test]
fn helms_own_errors() {
    let c = lab();
    // pkg/action/install.go availableName
    assert_eq!(
        out(&c, "helm install python ./helm-python").1,
        "Error: INSTALLATION FAILED: cannot re-use a name that is still in use\n"
    );
    // pkg/action/upgrade.go prepareUpgrade + driver.ErrNoDeployedReleases
    assert_eq!(
        out(&c, "helm upgrade nope ./helm-python").1,
        "Error: UPGRADE FAILED: \"nope\" has no deployed releases\n"
    );
    // LocateChart: a relative path that is not there; loader: a directory without Chart.yaml.
    assert_eq!(out(&c, "helm upgrade python ./nope").1, "Error: path \"./nope\" not found\n");
    assert_eq!(out(&c, "helm upgrade python .").1, "Error: Chart.yaml file is missing\n");
    assert_eq!(out(&c, "helm upgrade python bitnami/redis").1, "Error: repo bitnami not found\n");
    // values/options.go MergeValues + strvals
    assert_eq!(
        out(&c, "helm upgrade python ./helm-python --set replicaCount").1,
        "Error: failed parsing --set data: key \"replicaCount\" has no value\n"
    );
    assert_eq!(
        out(&c, "helm upgrade python ./helm-python -f missing.yaml").1,
        "Error: open missing.yaml: no such file or directory\n"
    );
    assert_eq!(out(&c, "helm uninstall nope").1, "Error: uninstall: Release not loaded: nope: release: not found\n");
}

#[test]
fn dry_runs_and_template_print_without_writing() {
    let c = lab();
    let (o, _) = out(&c, "helm upgrade python ./helm-python --set replicaCount=5 --dry-run");
    // status.go: "Dry run complete" prints the hooks and the manifest.
    assert!(o.contains("STATUS: pending-upgrade\nREVISION: 2\n") && o.contains("\nMANIFEST:\n---\n"), "{o}");
    assert!(o.contains("replicas: 5"), "{o}");
    assert_eq!(out(&c, "helm history python").0.lines().count(), 2);
    let (t, e) = out(&c, "helm template python ./helm-python -s templates/service.yaml");
    assert_eq!(e, "");
    assert!(t.starts_with("---\n# Source: helm-python/templates/service.yaml\n"), "{t}");
    assert_eq!(
        out(&c, "helm template ./helm-python -s templates/nope.yaml").1,
        "Error: could not find template templates/nope.yaml in chart\n"
    );
}

#[test]
fn a_helm_scenario_step_records_its_output_and_replays() {
    let text = format!(
        "input_text: {}\nsteps:\n  - settle\n  - helm: upgrade python ./helm-python --set replicaCount=2\n  - settle\n  - helm: history python\n",
        serde_json::to_string(include_str!("fixtures/helm-python-install-dry-run-debug.txt")).unwrap()
    );
    let s = sts_lab::scenario::parse(&text, &|_| Err("no files".into())).unwrap();
    let t = sts_lab::scenario::run(&s).unwrap();
    let text = t.to_text();
    assert!(
        text.contains(
            "> helm upgrade python ./helm-python --set replicaCount=2\nRelease \"python\" has been upgraded."
        ),
        "{text}"
    );
    assert!(text.contains("> helm history python\nREVISION"), "{text}");
    // Written back as the same step (share links and exported files).
    let upgrade = &s.steps[1].kind;
    assert_eq!(upgrade.to_yaml(), "helm: \"upgrade python ./helm-python --set replicaCount=2\"");
}
