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
        host: None,
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

/// The lab after `settle`, then the values of web-0 the model derives (ids, the projected volume's
/// name) read from the pod object, for expected texts written from describe.go's format strings.
fn pod_ids(c: &Cluster, ordinal: i32) -> (String, String, String) {
    let o = c.pod_object(c.pod(ordinal).unwrap());
    let st = &o.status.as_ref().unwrap().container_statuses.as_ref().unwrap()[0];
    let vol = o.spec.as_ref().unwrap().volumes.as_ref().unwrap().iter().find(|v| v.projected.is_some()).unwrap();
    (st.container_id.clone().unwrap_or_default(), st.image_id.clone(), vol.name.clone())
}

#[test]
fn describe_pod_running_and_ready() {
    // describe.go describePod, describeContainers (describeContainerBasicInfo, describeContainerState,
    // describeStatus, describeContainerProbe, describeContainerEnvVars, describeContainerVolumes),
    // describeVolumes (printPersistentVolumeClaimVolumeSource, printProjectedVolumeSource),
    // printTolerationsMultilineWithIndent, DescribeEvents; one tabbedString (0, 8, 2).
    let c = lab();
    let (o, e) = out(&c, "kubectl describe pod web-0");
    assert_eq!(e, "");
    let (cid, iid, kube_api) = pod_ids(&c, 0);
    assert!(cid.starts_with("docker://") && cid.len() == 9 + 64, "{cid}");
    assert!(iid.starts_with("docker-pullable://registry.k8s.io/nginx-slim@sha256:"), "{iid}");
    assert!(kube_api.starts_with("kube-api-access-") && kube_api.len() == 21, "{kube_api}");
    let now = c.now();
    let age = |s: u64| sts_lab::kubectl::human_duration(now.since(sts_lab::engine::SimTime(s * 1000)));
    let rev = c.pod(0).unwrap().revision.clone();
    let mut go = String::new();
    go += "Name:\tweb-0\n";
    go += "Namespace:\tdefault\n";
    go += "Priority:\t0\n";
    go += "Service Account:\tdefault\n";
    go += "Node:\tminikube/192.168.49.2\n";
    // Scheduled one second after creation (timing::SCHEDULE); the clock starts 2025-06-03T10:00:00Z.
    go += "Start Time:\tTue, 03 Jun 2025 10:00:01 +0000\n";
    go += &format!(
        "Labels:\tapp=nginx\n\tapps.kubernetes.io/pod-index=0\n\tcontroller-revision-hash={rev}\n\tstatefulset.kubernetes.io/pod-name=web-0\n"
    );
    go += "Annotations:\t<none>\n";
    go += "Status:\tRunning\n";
    go += "IP:\t10.244.0.2\n";
    go += "IPs:\n  IP:\t10.244.0.2\n";
    go += "Controlled By:\tStatefulSet/web\n";
    go += "Containers:\n";
    go += "  nginx:\n";
    go += &format!("    Container ID:\t{cid}\n");
    go += "    Image:\tregistry.k8s.io/nginx-slim:0.7\n";
    go += &format!("    Image ID:\t{iid}\n");
    go += "    Port:\t80/TCP (web)\n";
    go += "    Host Port:\t0/TCP (web)\n";
    go += "    State:\tRunning\n";
    // Started two seconds after scheduling (timing::CONTAINER_START).
    go += "      Started:\tTue, 03 Jun 2025 10:00:03 +0000\n";
    go += "    Ready:\tTrue\n";
    go += "    Restart Count:\t0\n";
    go += "    Readiness:\thttp-get http://:web/ delay=2s timeout=1s period=5s successThreshold=1 failureThreshold=3\n";
    go += "    Environment:\t<none>\n";
    go += "    Mounts:\n";
    go += "      /usr/share/nginx/html from www (rw)\n";
    go += &format!("      /var/run/secrets/kubernetes.io/serviceaccount from {kube_api} (ro)\n");
    go += "Conditions:\n  Type\tStatus\n";
    for t in ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"] {
        go += &format!("  {t} \tTrue \n");
    }
    go += "Volumes:\n";
    go += "  www:\n";
    go += "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\twww-web-0\n    ReadOnly:\tfalse\n";
    go += &format!("  {kube_api}:\n");
    go += "    Type:\tProjected (a volume that contains injected data from multiple sources)\n";
    go += "    TokenExpirationSeconds:\t3607\n";
    go += "    ConfigMapName:\tkube-root-ca.crt\n    Optional:\tfalse\n";
    go += "    DownwardAPI:\ttrue\n";
    go += "QoS Class:\tBestEffort\n";
    go += "Node-Selectors:\t<none>\n";
    go += "Tolerations:\tnode.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n";
    go += "\tnode.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n";
    go += "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n";
    go += &format!(
        "  Normal\tScheduled\t{}\tdefault-scheduler\tSuccessfully assigned default/web-0 to minikube\n",
        age(1)
    );
    go += &format!(
        "  Normal\tPulling\t{}\tkubelet\tspec.containers{{nginx}}: Pulling image \"registry.k8s.io/nginx-slim:0.7\"\n",
        age(1)
    );
    go += &format!("  Normal\tPulled\t{}\tkubelet\tspec.containers{{nginx}}: Successfully pulled image \"registry.k8s.io/nginx-slim:0.7\" in 2s (2s including waiting). Image size: 72000000 bytes.\n", age(3));
    go += &format!("  Normal\tCreated\t{}\tkubelet\tspec.containers{{nginx}}: Container created\n", age(3));
    go += &format!("  Normal\tStarted\t{}\tkubelet\tspec.containers{{nginx}}: Container started\n", age(3));
    assert_eq!(o, sts_lab::kubectl::gotab::format(&go, 0, 2));
    // The first block is as wide as "Service Account:" + 2; "IPs:" (no tab) ends it.
    assert!(o.starts_with("Name:             web-0\nNamespace:        default\nPriority:         0\n"), "{o}");
    assert!(o.contains("\nIPs:\n  IP:           10.244.0.2\nControlled By:  StatefulSet/web\n"), "{o}");
}

#[test]
fn describe_pod_while_created_and_terminating() {
    let text = include_str!("scenarios/inputs/web.yaml");
    let release = sts_lab::input::parse(text);
    let mut c = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
    while c.pod(0).is_none() {
        assert!(c.tick(), "web-0 is never created");
    }
    // Before the scheduler binds it (its claim is being provisioned): Node <none>, no Start Time,
    // IPs <none>, no container statuses, only PodScheduled.
    assert!(c.pod(0).unwrap().ip.is_none());
    let (o, e) = out(&c, "kubectl describe pod web-0");
    assert_eq!(e, "");
    assert!(o.contains("\nNode:             <none>\n") && !o.contains("Start Time:"), "{o}");
    assert!(o.contains("\nIP:               \nIPs:              <none>\n") && !o.contains("Container ID"), "{o}");
    assert!(o.contains("\nConditions:\n  Type           Status\n  PodScheduled   False \n"), "{o}");
    while c.pod(0).is_some_and(|p| p.ip.is_none()) {
        assert!(c.tick(), "web-0 is never scheduled");
    }
    let (o, e) = out(&c, "kubectl describe pod web-0");
    assert_eq!(e, "");
    // describeContainerBasicInfo with a status: an empty Container ID and Image ID before the
    // container exists; describeStatus: Waiting with its Reason.
    assert!(o.contains("\nStatus:           Pending\n"), "{o}");
    assert!(
        o.contains("    Container ID:   \n    Image:          registry.k8s.io/nginx-slim:0.7\n    Image ID:       \n"),
        "{o}"
    );
    assert!(
        o.contains("    State:          Waiting\n      Reason:       ContainerCreating\n    Ready:          False\n    Restart Count:  0\n"),
        "{o}"
    );
    assert!(o.contains("  Ready                       False \n  ContainersReady             False \n"), "{o}");

    // A pod being deleted: "Terminating (lasts %s)" and "Termination Grace Period:\t%ds".
    let mut c = lab();
    c.apply(sts_lab::engine::Action::DeletePod(1)).unwrap();
    let (o, _) = out(&c, "kubectl describe pod web-1");
    assert!(o.contains("\nStatus:                    Terminating (lasts 0s)\nTermination Grace Period:  10s\n"), "{o}");

    // A killed container (OOM) restarted in place: describeContainerState prints "Last State" for a
    // terminated last state, then "Restart Count:\t%d".
    let mut c = lab();
    c.apply(sts_lab::engine::Action::KillContainer(2)).unwrap();
    let (o, _) = out(&c, "kubectl describe pod web-2");
    let started = c.pod(2).unwrap().started_at.unwrap();
    let now = sts_lab::kubectl::describe::rfc1123z(c.now());
    let go = format!(
        "    State:\tRunning\n      Started:\t{now}\n    Last State:\tTerminated\n      Reason:\tOOMKilled\n      \
         Exit Code:\t137\n      Started:\t{}\n      Finished:\t{now}\n    Ready:\tFalse\n    Restart Count:\t1\n",
        sts_lab::kubectl::describe::rfc1123z(started)
    );
    // The fragment's widest cell, "    Restart Count:", is also the Containers block's.
    let want = sts_lab::kubectl::gotab::format(&go, 0, 2);
    assert!(o.contains(&want), "{o}\n{want}");
}

#[test]
fn describe_service_and_not_found() {
    let c = lab();
    let (o, e) = out(&c, "kubectl describe service nginx");
    assert_eq!(e, "");
    // describe.go describeService; formatEndpointSlices: ready addresses ip:port joined by commas.
    let ips: Vec<String> = c.endpoints().iter().map(|e| format!("{}:80", e.ip)).collect();
    assert_eq!(ips.len(), 3);
    let go = format!(
        "Name:\tnginx\nNamespace:\tdefault\nLabels:\tapp=nginx\nAnnotations:\t<none>\nSelector:\tapp=nginx\nType:\tClusterIP\n\
         IP Family Policy:\tSingleStack\nIP Families:\tIPv4\nIP:\tNone\nIPs:\tNone\nPort:\tweb\t80/TCP\nTargetPort:\t80/TCP\n\
         Endpoints:\t{}\nSession Affinity:\tNone\nInternal Traffic Policy:\tCluster\nEvents:\t<none>\n",
        ips.join(",")
    );
    assert_eq!(o, sts_lab::kubectl::gotab::format(&go, 0, 2));
    // "Port:\t%s\t%d/%s" with "<unset>" for an unnamed port; a named target port "%s/%s", its
    // endpoints at the container port it names.
    let (o, _) = out(&c, "kubectl describe svc web");
    assert!(o.contains("\nPort:                     <unset>  80/TCP\nTargetPort:               web/TCP\n"), "{o}");
    assert!(o.contains(&format!("\nEndpoints:                {}\n", ips.join(","))), "{o}");
    // The API server's own Service.
    let (o, _) = out(&c, "kubectl describe svc kubernetes");
    assert!(o.contains("\nEndpoints:                192.168.49.2:8443\n"), "{o}");
    // NotFound, from the API server.
    assert_eq!(out(&c, "kubectl describe pod web-9").1, "Error from server (NotFound): pods \"web-9\" not found\n");
    assert_eq!(out(&c, "kubectl describe svc/nope").1, "Error from server (NotFound): services \"nope\" not found\n");
}

#[test]
fn get_pods_watch_streams_in_the_terminal() {
    // get.go watch: the list first, then one line per change, each laid out alone (watch.rs).
    let mut c = lab();
    let (o, e) = out(&c, "kubectl get pods -w");
    assert!(o.starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0"), "{o}");
    assert_eq!(e, "", "a streamed watch has no note");
    let mut w = sts_lab::kubectl::cli::pod_watch(&c, "kubectl get pods -w").expect("get pods -w streams");
    c.apply(Action::DeletePod(1)).unwrap();
    c.step();
    let lines = w.observe(&c);
    assert!(lines.iter().any(|l| l.starts_with("web-1") && l.contains("Terminating")), "{lines:?}");
    // Other watches print once, and say so.
    assert!(sts_lab::kubectl::cli::pod_watch(&c, "kubectl get sts -w").is_none());
    assert!(sts_lab::kubectl::cli::pod_watch(&c, "kubectl get pods -w -o wide").is_none());
    assert!(out(&c, "kubectl get sts -w").1.contains("prints the list once"));
}

/// The lab chart on a fresh cluster: Secret secret-base is missing.
fn fresh_lab() -> Cluster {
    let release = sts_lab::input::parse(include_str!("fixtures/helm-python-install-dry-run-debug.txt"));
    let mut c = Cluster::from_release_on(
        &release,
        None,
        7,
        sts_lab::engine::KubeVersion::LATEST,
        FeatureGates::default(),
        false,
    )
    .unwrap();
    c.settle();
    c
}

#[test]
fn create_secret_and_configmap_from_literals_as_kubectl_sends_them() {
    use sts_lab::engine::ConfigKind;
    let mut c = fresh_lab();
    // kubectl get pods: printers.go printPod shows the waiting container's reason.
    assert!(out(&c, "kubectl get pods").0.contains("0/1     CreateContainerConfigError"));
    let a =
        act(&c, "kubectl create secret generic secret-base --from-literal=password=DevOpsPass --from-literal=user=x=y");
    assert_eq!(
        a,
        Action::CreateConfig {
            kind: ConfigKind::Secret,
            name: "secret-base".into(),
            data: vec![("password".into(), "DevOpsPass".into()), ("user".into(), "x=y".into())],
        }
    );
    // create_secret.go prints the object with the "created" operation: `secret/NAME created`.
    assert_eq!(c.apply(a.clone()), Ok("secret/secret-base created".into()));
    // The API server's AlreadyExists, through create_secret.go `failed to create secret %v`.
    assert_eq!(
        c.apply(a).unwrap_err().to_string(),
        "error: failed to create secret secrets \"secret-base\" already exists"
    );
    let cm = act(&c, "kubectl create cm extra --from-literal=A=1");
    assert_eq!(c.apply(cm.clone()), Ok("configmap/extra created".into()));
    assert_eq!(
        c.apply(cm).unwrap_err().to_string(),
        "error: failed to create configmap: configmaps \"extra\" already exists"
    );
    // The dry run is sent against a copy and says so.
    assert_eq!(out(&c, "kubectl create configmap other --dry-run=client").0, "configmap/other created (dry run)\n");
    // util.go ParseLiteralSource, create.go NameFromCommandArgs, the key checks of each kind.
    assert_eq!(
        out(&c, "kubectl create secret generic s --from-literal=novalue").1,
        "error: invalid literal source novalue, expected key=value\n"
    );
    assert_eq!(
        out(&c, "kubectl create secret generic --from-literal=a=b").1,
        "error: exactly one NAME is required, got 0\nSee 'kubectl create secret generic -h' for help and examples\n"
    );
    assert_eq!(
        out(&c, "kubectl create secret generic s --from-literal=a=1 --from-literal=a=2").1,
        "error: cannot add key a, another key by that name already exists\n"
    );
    assert!(out(&c, "kubectl create configmap s --from-literal=bad/key=1").1.starts_with(
        "error: \"bad/key\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters"
    ));
    assert_eq!(
        c.apply(Action::CreateConfig { kind: ConfigKind::Secret, name: "Bad".into(), data: vec![] }).unwrap_err().to_string(),
        "error: failed to create secret Secret \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": a lowercase RFC 1123 \
         subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an \
         alphanumeric character (e.g. 'example.com', regex used for validation is \
         '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    );
}

#[test]
fn get_and_delete_secrets_and_configmaps() {
    use sts_lab::engine::ConfigKind;
    let mut c = fresh_lab();
    // printers.go secretColumnDefinitions and configMapColumnDefinitions; helm's storage driver keeps
    // one Secret per release revision.
    let (o, _) = out(&c, "kubectl get secrets");
    assert_eq!(
        o,
        "NAME                           TYPE                 DATA   AGE\n\
         db-user-pass                   Opaque               2      3s\n\
         sh.helm.release.v1.python.v1   helm.sh/release.v1   1      3s\n"
    );
    let (o, _) = out(&c, "kubectl get cm");
    assert_eq!(
        o,
        "NAME               DATA   AGE\nconfigmap          1      3s\nenv-configmap      1      3s\nkube-root-ca.crt   1      3s\n"
    );
    assert_eq!(
        out(&c, "kubectl get secret secret-base").1,
        "Error from server (NotFound): secrets \"secret-base\" not found\n"
    );
    assert_eq!(
        out(&c, "kubectl delete secret secret-base").1,
        "Error from server (NotFound): secrets \"secret-base\" not found\n"
    );
    assert_eq!(
        act(&c, "kubectl delete configmap env-configmap"),
        Action::DeleteConfig { kind: ConfigKind::ConfigMap, name: "env-configmap".into() }
    );
    let deleted = c.apply(act(&c, "kubectl delete secret db-user-pass")).unwrap();
    assert_eq!(deleted, "secret \"db-user-pass\" deleted from default namespace");
    assert!(out(&c, "kubectl delete cm kube-root-ca.crt").1.starts_with("# the lab's terminal does not delete"));
    let o = out(&c, "kubectl get secret -o yaml").0;
    assert!(o.contains("kind: List") && !o.contains("db-user-pass"), "{o}");
}

#[test]
fn the_lab_default_assumes_the_secret_the_chart_does_not_create() {
    let release = sts_lab::input::parse(include_str!("fixtures/helm-python-install-dry-run-debug.txt"));
    let mut c = Cluster::from_release(&release, None, 7, FeatureGates::default()).unwrap();
    c.settle();
    assert!(out(&c, "kubectl get pods").0.contains("1/1     Running"));
    let (o, _) = out(&c, "kubectl get secret secret-base");
    assert_eq!(o, "NAME          TYPE     DATA   AGE\nsecret-base   Opaque   1      3s\n");
    // Deleting it changes nothing for the running container; a new pod then fails.
    c.apply(act(&c, "kubectl delete secret secret-base")).unwrap();
    c.settle();
    assert!(out(&c, "kubectl get pods").0.contains("1/1     Running"));
    c.apply(Action::DeletePod(0)).unwrap();
    c.settle();
    assert!(out(&c, "kubectl get pods").0.contains("CreateContainerConfigError"), "{}", out(&c, "kubectl get pods").0);
    let d = out(&c, "kubectl describe pod python-helm-python-0").0;
    assert!(d.contains("State:          Waiting\n      Reason:       CreateContainerConfigError\n"), "{d}");
    assert!(d.contains("Warning  Failed") && d.contains("Error: secret \"secret-base\" not found"), "{d}");
}
