//! Nodes (issue #12): the scheduler's filters and FailedScheduling text, the node lifecycle
//! controller, the taint eviction controller, the pod garbage collector and kubectl's node commands.
//! Each test names the Kubernetes source it follows; times are the simulated clock's.

use sts_lab::engine::{Action, Cluster, FeatureGates, Settled, SimDuration, FORCE_DELETE_WARNING};
use sts_lab::kubectl::{run, Outcome};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");
const ANTI: &str = include_str!("scenarios/inputs/web-anti-affinity.yaml");

fn settled(yaml: &str) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set");
    assert_eq!(c.settle(), Settled::Done);
    c
}

fn node_of(c: &Cluster, pod: &str) -> Option<String> {
    c.pods().find(|p| p.name == pod).and_then(|p| p.node.clone())
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
        Outcome::Print { stdout, stderr } => panic!("{line}: printed {stdout}{stderr}"),
    }
}

/// The lab's scheduler stand-in for the score plugins: fewest pods, then node name; pod IPs come
/// from each node's podCIDR (10.244.N.0/24, node IPAM), hostIP is the node's InternalIP.
#[test]
fn scheduler_spreads_the_set_fewest_pods_then_name() {
    let c = settled(WEB);
    assert_eq!(node_of(&c, "web-0").as_deref(), Some("minikube"));
    assert_eq!(node_of(&c, "web-1").as_deref(), Some("minikube-m02"));
    assert_eq!(node_of(&c, "web-2").as_deref(), Some("minikube-m03"));
    let web1 = c.pods().find(|p| p.name == "web-1").unwrap();
    assert_eq!(web1.ip.as_deref(), Some("10.244.1.2"));
    let status = c.pod_object(web1).status.unwrap();
    assert_eq!(status.host_ip.as_deref(), Some("192.168.49.3"));
}

/// framework/types.go `FitError.Error` ("0/%v nodes are available: " + sorted "%v %v" histogram +
/// ".") followed by defaultpreemption `PostFilter` ("preemption: " + the evaluator's FitError);
/// nodeunschedulable ("node(s) were unschedulable", unresolvable) and interpodaffinity
/// ErrReasonAntiAffinityRulesNotMatch (resolvable, but no victim of lower priority).
#[test]
fn failed_scheduling_message_is_fit_error_then_preemption() {
    let mut c = settled(ANTI);
    c.apply(Action::Drain("minikube-m03".into())).unwrap();
    c.settle();
    let pending = c.pods().find(|p| p.name == "web-2").unwrap();
    assert!(pending.node.is_none());
    let want = "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity \
                rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No \
                preemption victims found for incoming pod.";
    let e = c.recorded().iter().find(|e| e.reason == "FailedScheduling").expect("recorded");
    assert_eq!((e.source, e.message.as_str()), ("default-scheduler", want));
    // schedule_one.go handleSchedulingFailure: PodScheduled False, reason Unschedulable.
    let cond = c.pod_object(pending).status.unwrap().conditions.unwrap();
    assert_eq!(cond[0].reason.as_deref(), Some("Unschedulable"));
    assert_eq!(cond[0].message.as_deref(), Some(want));
    // The scheduling queue retries on a node change: uncordon places it.
    c.apply(Action::Cordon { node: "minikube-m03".into(), on: false }).unwrap();
    c.settle();
    assert_eq!(node_of(&c, "web-2").as_deref(), Some("minikube-m03"));
}

/// nodeaffinity ErrReasonPod ("node(s) didn't match Pod's node affinity/selector"), unresolvable.
#[test]
fn node_selector_nobody_matches() {
    let yaml = WEB.replace(
        "      terminationGracePeriodSeconds: 10\n",
        "      terminationGracePeriodSeconds: 10\n      nodeSelector:\n        disktype: ssd\n",
    );
    let release = sts_lab::input::parse(&yaml);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).unwrap();
    c.advance(SimDuration::from_secs(10));
    let e = c.recorded().iter().find(|e| e.reason == "FailedScheduling").expect("recorded");
    assert_eq!(
        e.message,
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are \
         available: 3 Preemption is not helpful for scheduling."
    );
}

/// node_lifecycle_controller.go monitorNodeHealth: Ready becomes Unknown once
/// node-monitor-grace-period (50s, defaults.go since #126287) passes without a heartbeat;
/// controller_utils.go MarkPodsNotReady ("Node is not ready") and RecordNodeStatusChange;
/// the unreachable NoSchedule and NoExecute taints.
#[test]
fn node_not_ready_after_node_monitor_grace_period() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    c.advance(SimDuration::from_secs(49));
    assert!(c.node("minikube-m02").unwrap().ready);
    assert!(c.pods().find(|p| p.name == "web-1").unwrap().ready);
    c.advance(SimDuration::from_secs(1));
    let n = c.node("minikube-m02").unwrap();
    assert!(!n.ready);
    let taints: Vec<String> = n.taints.iter().map(|t| t.text()).collect();
    assert_eq!(taints, ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    assert!(!c.pods().find(|p| p.name == "web-1").unwrap().ready);
    let msgs: Vec<(&str, &str)> =
        c.recorded().iter().filter(|e| e.source == "node-controller").map(|e| (e.reason, e.message.as_str())).collect();
    assert!(msgs.contains(&("NodeNotReady", "Node minikube-m02 status is now: NodeNotReady")));
    assert!(msgs.contains(&("NodeNotReady", "Node is not ready")));
    let (table, _) = out(&c, "kubectl get nodes");
    assert!(table.starts_with("NAME           STATUS     ROLES           AGE   VERSION\n"), "{table}");
    assert!(table.contains("minikube-m02   NotReady   <none>"), "{table}");
}

/// taint_eviction.go: the pod tolerates unreachable:NoExecute for 300s (DefaultTolerationSeconds),
/// then "Marking for deletion Pod %s"; no kubelet confirms, so it stays Terminating, and
/// stateful_set_control.go makes no replacement for a terminating identity.
#[test]
fn eviction_after_300s_leaves_the_pod_terminating_and_the_set_short() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    c.advance(SimDuration::from_secs(50 + 299));
    assert!(!c.pods().find(|p| p.name == "web-1").unwrap().is_terminating());
    c.advance(SimDuration::from_secs(1));
    assert!(c.pods().find(|p| p.name == "web-1").unwrap().is_terminating());
    let e = c.recorded().iter().find(|e| e.reason == "TaintManagerEviction").expect("recorded");
    assert_eq!((e.source, e.message.as_str()), ("taint-eviction-controller", "Marking for deletion Pod default/web-1"));
    assert!(matches!(c.settle(), Settled::Stuck(_)));
    c.advance(SimDuration::from_secs(3600));
    assert_eq!(c.pods().count(), 3);
    assert!(c.pods().find(|p| p.name == "web-1").unwrap().is_terminating());
    assert_eq!(c.status().unwrap().ready_replicas, 2);
}

/// delete.go: `--force` with `--grace-period=0` prints the WarningPrinter's warning and
/// `pod "%s" force deleted from %s namespace`; `--force` with a positive grace period is refused.
#[test]
fn force_delete_warning_and_validation() {
    let mut c = settled(WEB);
    let a = act(&c, "kubectl delete pod web-1 --force --grace-period=0");
    assert_eq!(a, Action::ForceDeletePod(1));
    assert_eq!(
        a.warning(),
        Some(
            "Warning: Immediate deletion does not wait for confirmation that the running resource has been \
             terminated. The resource may continue to run on the cluster indefinitely."
        )
    );
    assert_eq!(a.warning(), Some(FORCE_DELETE_WARNING));
    assert_eq!(act(&c, "kubectl delete pod web-1 --force"), Action::ForceDeletePod(1));
    // --grace-period=0 without --force becomes 1 (a normal deletion).
    assert_eq!(act(&c, "kubectl delete pod web-1 --grace-period=0"), Action::DeletePod(1));
    assert_eq!(
        out(&c, "kubectl delete pod web-1 --force --grace-period=5").1,
        "error: --force and --grace-period greater than 0 cannot be specified together\n"
    );
    assert_eq!(c.apply(a).unwrap(), "pod \"web-1\" force deleted from default namespace");
}

/// drain.go cordonOrUncordon and RunDrain; taint.go / utils.go parseTaint.
#[test]
fn node_commands_print_kubectls_lines() {
    let mut c = settled(WEB);
    // What kubectl prints at once; it then waits for web-2 to be gone (pkg/drain waitForDelete).
    let a = act(&c, "kubectl drain minikube-m03");
    let first = c.apply(a).unwrap();
    assert!(
        first.starts_with("node/minikube-m03 cordoned\nevicting pod default/web-2\n# (kubectl drain keeps running"),
        "{first}"
    );
    c.settle();
    assert_eq!(
        c.drains()[0].output(),
        "node/minikube-m03 cordoned\nevicting pod default/web-2\npod/web-2 evicted\nnode/minikube-m03 drained\n"
    );
    let again = act(&c, "kubectl cordon minikube-m03");
    assert_eq!(c.apply(again).unwrap(), "node/minikube-m03 already cordoned");
    assert_eq!(out(&c, "kubectl cordon nosuch").1, "Error from server (NotFound): nodes \"nosuch\" not found\n");
    let t = act(&c, "kubectl taint nodes minikube-m02 dedicated=db:NoSchedule");
    assert_eq!(c.apply(t).unwrap(), "node/minikube-m02 tainted");
    let t = act(&c, "kubectl taint nodes minikube-m02 dedicated:NoSchedule-");
    assert_eq!(c.apply(t).unwrap(), "node/minikube-m02 untainted");
    assert_eq!(
        out(&c, "kubectl taint nodes minikube-m02 dedicated=db:Sometimes").1,
        "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n"
    );
    let (wide, _) = out(&c, "kubectl get nodes -o wide");
    assert!(wide.starts_with(
        "NAME           STATUS                     ROLES           AGE   VERSION   INTERNAL-IP    EXTERNAL-IP"
    ));
}

/// podgc gc_controller.go gcTerminating: with the out-of-service taint on a NotReady node, its
/// terminating pods are force-deleted at the next pass (every 20s) and the set is whole again.
#[test]
fn out_of_service_taint_lets_podgc_free_the_identity() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    c.advance(SimDuration::from_secs(360));
    let t = act(&c, "kubectl taint nodes minikube-m02 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute");
    c.apply(t).unwrap();
    assert_eq!(c.settle(), Settled::Done);
    assert_eq!(node_of(&c, "web-1").as_deref(), Some("minikube"));
    assert_eq!(c.status().unwrap().ready_replicas, 3);
}

/// Same input, actions and seed, same cluster: the node outage is deterministic.
#[test]
fn node_outage_is_deterministic() {
    let run = || {
        let mut c = settled(WEB);
        c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
        c.advance(SimDuration::from_secs(400));
        c.apply(Action::ForceDeletePod(1)).unwrap();
        c.settle();
        c.apply(Action::NodeUp("minikube-m02".into())).unwrap();
        c.settle();
        (c.events().to_vec(), c.recorded().to_vec())
    };
    assert_eq!(run(), run());
}

/// The scenario steps round-trip (`StepKind::to_yaml` is what `parse` reads back).
#[test]
fn node_steps_round_trip() {
    use sts_lab::scenario::StepKind;
    for a in [
        Action::NodeDown("minikube-m02".into()),
        Action::NodeUp("minikube-m02".into()),
        Action::ForceDeletePod(1),
        Action::Drain("minikube-m03".into()),
        Action::Cordon { node: "minikube-m03".into(), on: false },
        Action::Taint {
            node: "minikube-m02".into(),
            key: "node.kubernetes.io/out-of-service".into(),
            value: "nodeshutdown".into(),
            effect: "NoExecute".into(),
            remove: false,
        },
    ] {
        let line = StepKind::Action(a.clone()).to_yaml();
        let text = format!(
            "input_text: |\n{}\nsteps:\n  - {line}\n",
            WEB.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
        );
        let s = sts_lab::scenario::parse(&text, &|_| Err("no files".into())).unwrap_or_else(|e| panic!("{line}: {e}"));
        match &s.steps[0].kind {
            StepKind::Action(b) => assert_eq!(b, &a, "{line}"),
            StepKind::Kubectl(cmd) => assert_eq!(act(&settled(WEB), &format!("kubectl {cmd}")), a, "{line}"),
            other => panic!("{line}: {other:?}"),
        }
    }
}

/// taint_eviction.go: a node back before the toleration runs out cancels the queued deletion
/// ("Cancelling deletion of Pod %s"); nothing of that outage is left to fire later.
#[test]
fn node_back_in_time_cancels_the_eviction() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m03".into())).unwrap();
    c.advance(SimDuration::from_secs(120));
    c.apply(Action::NodeUp("minikube-m03".into())).unwrap();
    let back = c.now();
    assert_eq!(c.settle(), Settled::Done);
    assert!(c.now().since(back) < SimDuration::from_secs(5), "no stale eviction timer moves the clock");
    let e = c.recorded().iter().find(|e| e.message == "Cancelling deletion of Pod default/web-2").expect("recorded");
    assert_eq!((e.source, e.reason), ("taint-eviction-controller", "TaintManagerEviction"));
    assert!(c.pods().all(|p| !p.is_terminating() && p.ready));
}

/// kubectl describe.go describeNode: taints sorted by effect then key (printNodeTaintsMultiline),
/// conditions Unknown once the node lifecycle controller gave up on the kubelet.
#[test]
fn describe_node_shows_taints_and_unknown_conditions() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    c.advance(SimDuration::from_secs(60));
    let (d, _) = out(&c, "kubectl describe node minikube-m02");
    assert!(d.contains(
        "Taints:             node.kubernetes.io/unreachable:NoExecute\n                    node.kubernetes.io/unreachable:NoSchedule\nUnschedulable:      false\n"
    ), "{d}");
    assert!(d.contains("  Ready            Unknown "), "{d}");
    assert!(d.contains("NodeStatusUnknown   Kubelet stopped posting node status.\n"), "{d}");
    assert!(d.contains("Non-terminated Pods:          (1 in total)\n"), "{d}");
}

/// Completion offers the node names after `cordon`, `uncordon`, `drain` and `taint nodes`.
#[test]
fn node_commands_complete_node_names() {
    let c = settled(WEB);
    let k = sts_lab::kubectl::complete(&c, "kubectl drain minikube-m");
    assert_eq!(k.candidates, ["minikube-m02", "minikube-m03"]);
    let k = sts_lab::kubectl::complete(&c, "kubectl taint nodes minikube-m0");
    assert_eq!(k.candidates, ["minikube-m02", "minikube-m03"]);
    let k = sts_lab::kubectl::complete(&c, "kubectl get no ");
    assert_eq!(k.candidates, ["minikube", "minikube-m02", "minikube-m03"]);
}

/// With Parallel the controller waits on no pod (stateful_set_control.go processReplica only
/// stops at a terminating pod when monotonic), yet the set is held: settle says by what.
#[test]
fn parallel_set_is_stuck_on_a_lost_node_too() {
    let mut c = settled(include_str!("scenarios/inputs/web-parallel.yaml"));
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    match c.settle() {
        Settled::Stuck(why) => assert!(why.starts_with("web-1 is Terminating on minikube-m02"), "{why}"),
        Settled::Done => panic!("a pod stuck Terminating holds the set"),
    }
    assert_eq!(c.pods().count(), 3);
}

/// The stage's data (src/scene, pure): each pod card names its node, and the nodes list which of
/// the set's pods each one runs and whether it still reports.
#[test]
fn scene_carries_the_nodes() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    let s = sts_lab::scene::Scene::from_cluster(&c, Vec::new());
    let names: Vec<&str> = s.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["minikube", "minikube-m02", "minikube-m03"]);
    assert_eq!(s.nodes[1].pods, ["web-1"]);
    assert!(s.nodes[1].lost && !s.nodes[0].lost);
    let card = s.pods.iter().find(|p| p.name == "web-1").unwrap();
    assert_eq!((card.node.as_deref(), card.node_lost), (Some("minikube-m02"), true));
}

/// gc_controller.go gcTerminating runs every 20s whatever the order: a node tainted
/// out-of-service before the node lifecycle controller marked it NotReady is collected once it is.
#[test]
fn out_of_service_taint_before_not_ready() {
    let mut c = settled(WEB);
    c.apply(Action::NodeDown("minikube-m02".into())).unwrap();
    c.advance(SimDuration::from_secs(10));
    let t = act(&c, "kubectl taint nodes minikube-m02 node.kubernetes.io/out-of-service=nodeshutdown:NoExecute");
    c.apply(t).unwrap();
    assert!(c.pods().find(|p| p.name == "web-1").unwrap().is_terminating(), "evicted at once: not tolerated");
    assert_eq!(c.settle(), Settled::Done);
    assert!(c.now() < sts_lab::engine::SimTime(120_000), "collected at the first pass after NotReady");
    assert_eq!(node_of(&c, "web-1").as_deref(), Some("minikube"));
}
