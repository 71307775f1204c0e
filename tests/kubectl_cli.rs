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

#[test]
fn cobra_and_pflag_errors() {
    let c = lab();
    // cobra args.go legacyArgs + command.go findSuggestions; cmdutil.CheckErr adds "error: ".
    assert_eq!(
        out(&c, "kubectl gett pods").1,
        "error: unknown command \"gett\" for \"kubectl\"\n\nDid you mean this?\n\tget\n\tset\n"
    );
    // templates.FlagErrorFunc: "%s\nSee '%s --help' for usage." around pflag's "unknown flag: %s".
    assert_eq!(
        out(&c, "kubectl get pods --bogus").1,
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    );
    assert_eq!(
        out(&c, "kubectl get pods -x").1,
        "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.\n"
    );
    // bash for anything but kubectl and helm.
    assert_eq!(out(&c, "kubeclt get po").1, "bash: kubeclt: command not found\n");
    // helm main.go: "Error: " + cobra's unknown command.
    assert!(out(&c, "helm foo").1.starts_with("Error: unknown command \"foo\" for \"helm\""));
}

#[test]
fn mutating_commands_become_actions() {
    let c = lab();
    assert_eq!(act(&c, "kubectl scale sts web --replicas=5"), Action::Scale(5));
    assert_eq!(act(&c, "kubectl scale statefulset/web --replicas 2"), Action::Scale(2));
    // scale.go Validate
    assert_eq!(
        out(&c, "kubectl scale sts web").1,
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"
    );
    assert_eq!(
        out(&c, "kubectl scale sts nope --replicas=1").1,
        "Error from server (NotFound): statefulsets.apps \"nope\" not found\n"
    );
    assert_eq!(
        act(&c, r#"kubectl patch sts web -p '{"spec":{"updateStrategy":{"type":"OnDelete"}}}'"#),
        Action::Patch {
            patch_type: PatchType::Strategic,
            patch: r#"{"spec":{"updateStrategy":{"type":"OnDelete"}}}"#.into()
        }
    );
    assert!(matches!(
        act(&c, "kubectl patch sts web --type=merge -p '{\"spec\":{\"replicas\":1}}'"),
        Action::Patch { patch_type: PatchType::Merge, .. }
    ));
    // patch.go Validate: sets.List of the patch types, sorted.
    assert_eq!(
        out(&c, "kubectl patch sts web --type=foo -p '{}'").1,
        "error: --type must be one of [apply json merge strategic], not \"foo\"\n"
    );
    assert_eq!(
        out(&c, "kubectl patch sts web").1,
        "error: must specify --patch or --patch-file containing the contents of the patch\n"
    );
    let container = c.statefulset().unwrap().spec.containers[0].0.clone();
    assert_eq!(
        act(&c, &format!("kubectl set image sts/web {container}=nginx:1.25")),
        Action::Image("nginx:1.25".into())
    );
    // set_image.go: "error: unable to find container named %q"
    assert_eq!(out(&c, "kubectl set image sts/web nope=nginx").1, "error: unable to find container named \"nope\"\n");
    assert_eq!(act(&c, "kubectl delete pod web-1"), Action::DeletePod(1));
    assert_eq!(out(&c, "kubectl delete pod web-9").1, "Error from server (NotFound): pods \"web-9\" not found\n");
    assert_eq!(act(&c, "kubectl delete sts web"), Action::DeleteStatefulSet);
    assert_eq!(act(&c, "kubectl delete sts web --cascade=orphan"), Action::OrphanStatefulSet);
    assert_eq!(act(&c, "kubectl delete sts web --cascade=foreground"), Action::DeleteStatefulSetForeground);
    // delete_flags.go GetCascadingStrategy
    assert_eq!(
        out(&c, "kubectl delete sts web --cascade=x").1,
        "error: invalid cascade value (x). Must be \"background\", \"foreground\", or \"orphan\"\n"
    );
    assert_eq!(act(&c, "kubectl rollout undo sts/web --to-revision=1"), Action::Rollback { to_revision: Some(1) });
    assert_eq!(act(&c, "kubectl rollout restart statefulset web"), Action::Restart);
    assert_eq!(
        act(&c, "kubectl label sts web tier=db"),
        Action::Patch { patch_type: PatchType::Merge, patch: r#"{"metadata":{"labels":{"tier":"db"}}}"#.into() }
    );
    let manifest = include_str!("scenarios/inputs/web.yaml");
    let files = |n: &str| (n == "web.yaml").then(|| manifest.to_string());
    assert!(matches!(run(&c, "kubectl apply -f web.yaml", &files), Outcome::Act(Action::Apply { .. })));
    assert_eq!(
        match run(&c, "kubectl apply -f nope.yaml", &files) {
            Outcome::Print { stderr, .. } => stderr,
            _ => String::new(),
        },
        "error: the path \"nope.yaml\" does not exist\n"
    );
}

#[test]
fn rollout_history_and_refusals() {
    let c = lab();
    // history.go printHistory through tabbedString (tabwriter 0, 8, 2) and the NamePrinter.
    assert_eq!(
        out(&c, "kubectl rollout history statefulset/web").0,
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    );
    let (o, _) = out(&c, "kubectl rollout history sts/web --revision=1");
    assert!(o.starts_with("statefulset.apps/web with revision #1\nPod Template:\n  Labels:"), "{o}");
    assert_eq!(
        out(&c, "kubectl rollout history sts/web --revision=9").1,
        "error: unable to find the specified revision\n"
    );
    // objectpauser.go default case through rollout_pause.go "error: %s %q %v".
    assert_eq!(
        out(&c, "kubectl rollout pause sts/web").1,
        "error: statefulsets.apps \"web\" pausing is not supported\n"
    );
    assert_eq!(
        out(&c, "kubectl rollout resume sts/web").1,
        "error: statefulsets.apps \"web\" resuming is not supported\n"
    );
}

#[test]
fn describe_statefulset_and_events() {
    let c = lab();
    let (o, e) = out(&c, "kubectl describe sts web");
    assert_eq!(e, "");
    // describe.go describeStatefulSet: one tabwriter block (tabbedString: 0, 8, 2) from Name: to
    // Pods Status:, as wide as its longest key "Pod Management Policy:" + 2.
    let pad = |k: &str| format!("{k}{}", " ".repeat(24 - k.len()));
    assert!(
        o.starts_with(&format!(
            "{}web\n{}default\n{}Tue, 03 Jun 2025 10:00:00 +0000\n",
            pad("Name:"),
            pad("Namespace:"),
            pad("CreationTimestamp:")
        )),
        "{o}"
    );
    assert!(o.contains(&format!("\n{}3 desired | 3 total\n", pad("Replicas:"))), "{o}");
    // The API server defaults persistentVolumeClaimRetentionPolicy (SetDefaults_StatefulSet), so
    // describe prints it; its header line has no tab and ends the block, and Pods Status: aligns
    // with the "  WhenDeleted:" lines above it (Go's tabwriter: a column block is the run of
    // consecutive lines that have that cell).
    assert!(
        o.contains(
            "\nPersistent Volume Claim Retention Policy:\n  WhenDeleted:  Retain\n  WhenScaled:   Retain\n\
             Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n"
        ),
        "{o}"
    );
    // describeVolumeClaimTemplates: `%s` of the access modes slice.
    assert!(o.contains("\nVolume Claims:\n  Name:") && o.contains("  Access Modes:  [ReadWriteOnce]\n"), "{o}");
    // DescribeEvents: the controller's SuccessfulCreate events of the set (recordPodEvent), under
    // "Events:\n  Type\tReason\tAge\tFrom\tMessage\n".
    assert!(o.contains("\nEvents:\n  Type    Reason            Age   From                    Message\n"), "{o}");
    assert!(o.ends_with("statefulset-controller  create Pod web-2 in StatefulSet web successful\n"), "{o}");
    // A name prefix (DescribeMatchingResources).
    assert!(out(&c, "kubectl describe pvc www-web").0.contains("Name:"), "prefix");
}

#[test]
fn events_printers_on_hand_made_events() {
    use sts_lab::engine::{EventType, Recorded, SimTime};
    let c = lab();
    let e = |name: &str, reason: &'static str, first: u64, count: u32| Recorded {
        type_: EventType::Normal,
        reason,
        kind: "StatefulSet",
        name: name.into(),
        field_path: None,
        message: format!("create Pod {name}-0 in StatefulSet {name} successful"),
        source: "statefulset-controller",
        first: SimTime(first),
        last: SimTime(first + 1000 * u64::from(count - 1)),
        count,
    };
    let evs = [e("web", "SuccessfulCreate", 0, 1), e("api", "SuccessfulCreate", 5000, 3)];
    let mut w = sts_lab::kubectl::describe::W::default();
    let refs: Vec<&Recorded> = evs.iter().collect();
    sts_lab::kubectl::describe::describe_events(&c, &refs, &mut w);
    let now = c.now();
    let age = |t: u64| sts_lab::kubectl::human_duration(now.since(SimTime(t)));
    // describe.go DescribeEvents: "Events:\n  Type\tReason\tAge\tFrom\tMessage\n" then LEVEL_1 rows,
    // sorted by time; a repeated event shows "%s (x%d over %s)".
    let want = sts_lab::kubectl::gotab::format(
        &format!(
            "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n  Normal\tSuccessfulCreate\t{}\tstatefulset-controller\tcreate Pod web-0 in StatefulSet web successful\n  Normal\tSuccessfulCreate\t{} (x3 over {})\tstatefulset-controller\tcreate Pod api-0 in StatefulSet api successful\n",
            age(0),
            age(7000),
            age(5000)
        ),
        0,
        2,
    );
    assert_eq!(w.finish(), want);
    // printers.go printEvent: LAST SEEN, TYPE, REASON, lower-case kind/name, message.
    let row = sts_lab::kubectl::objects::event_row(&c, &evs[1], false);
    assert_eq!(
        row,
        vec![age(7000), "Normal".into(), "SuccessfulCreate".into(), "statefulset/api".into(), evs[1].message.clone()]
    );
}

#[test]
fn get_outputs_and_selectors() {
    let c = lab();
    assert_eq!(out(&c, "kubectl get sts web -o name").0, "statefulset.apps/web\n");
    assert_eq!(out(&c, "kubectl get pods -o jsonpath='{.items[*].metadata.name}'").0, "web-0 web-1 web-2");
    // get.go printGeneric: a List for a list request.
    let (o, _) = out(&c, "kubectl get pods -o yaml");
    assert!(o.starts_with("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n"), "{o}");
    assert!(o.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{o}");
    let (o, _) = out(&c, "kubectl get sts web -o json");
    assert!(o.starts_with("{\n    \"apiVersion\": \"apps/v1\",\n    \"kind\": \"StatefulSet\",\n"), "{o}");
    let (o, _) = out(&c, "kubectl get controllerrevisions");
    assert!(o.starts_with("NAME "), "{o}");
    assert!(o.contains("statefulset.apps/web   1 "), "{o}");
    let (o, e) = out(&c, "kubectl get po -l 'apps.kubernetes.io/pod-index in (0,2)'");
    assert_eq!((o.lines().count(), e.as_str()), (3, ""), "{o}");
    assert_eq!(out(&c, "kubectl get po -l app=nothing").1, "No resources found in default namespace.\n");
}

#[test]
fn completion() {
    let c = lab();
    let k = complete(&c, "kubectl ge");
    assert_eq!((k.start, k.candidates), (8, vec!["get".to_string()]));
    assert!(complete(&c, "kubectl get ").candidates.contains(&"sts".to_string()));
    assert_eq!(complete(&c, "kubectl get po web-").candidates, ["web-0", "web-1", "web-2"]);
    assert_eq!(complete(&c, "kubectl rollout h").candidates, ["history"]);
    assert_eq!(complete(&c, "kubectl exec web-1").candidates, ["web-1"]);
    assert!(complete(&c, "kubectl get po --sel").candidates.contains(&"--selector".to_string()));
    assert_eq!(complete(&c, "kubectl scale sts/").candidates, ["sts/web"]);
}

