//! PodDisruptionBudgets and `kubectl drain` (issue #12): the disruption controller's status, the
//! Eviction API's 429, kubectl's retries every 5s, and WaitForFirstConsumer volumes pinned to a
//! zone. Each test names the Kubernetes source it follows; times are the simulated clock's.

use sts_lab::engine::{Action, Cluster, FeatureGates, Settled, SimDuration};

const WEB: &str = include_str!("scenarios/inputs/web.yaml");
const PDB: &str = include_str!("scenarios/inputs/web-pdb.yaml");
const ZONAL: &str = include_str!("scenarios/inputs/web-zonal.yaml");

fn settled(yaml: &str) -> Cluster {
    let release = sts_lab::input::parse(yaml);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).expect("a set");
    assert_eq!(c.settle(), Settled::Done);
    c
}

fn with_budget(spec: &str) -> Cluster {
    let yaml = format!(
        "{WEB}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: b\nspec:\n{spec}  selector:\n    matchLabels:\n      app: nginx\n"
    );
    settled(&yaml)
}

fn allowed(c: &Cluster) -> (i32, i32, i32, i32) {
    let s = c.pdb_status(&c.pdbs()[0]);
    (s.current_healthy, s.desired_healthy, s.expected_pods, s.disruptions_allowed)
}

/// disruption.go getExpectedPodCount: an int minAvailable counts the selected pods; a percentage
/// or maxUnavailable takes the controller's scale, and intstr rounds the percentage up.
#[test]
fn budget_status_follows_the_disruption_controller() {
    assert_eq!(allowed(&with_budget("  minAvailable: 2\n")), (3, 2, 3, 1));
    assert_eq!(allowed(&with_budget("  minAvailable: 50%\n")), (3, 2, 3, 1));
    // maxUnavailable 50% of 3 rounds up to 2: desiredHealthy 1.
    assert_eq!(allowed(&with_budget("  maxUnavailable: 50%\n")), (3, 1, 3, 2));
    assert_eq!(allowed(&with_budget("  maxUnavailable: 0\n")), (3, 3, 3, 0));
    // Neither field: expectedPods 0, so no disruption is allowed.
    assert_eq!(allowed(&with_budget("")), (3, 0, 0, 0));
}

/// printers.go printPodDisruptionBudget and describe.go describePodDisruptionBudgetV1.
#[test]
fn kubectl_get_and_describe_pdb() {
    let c = settled(PDB);
    let get = match sts_lab::kubectl::run(&c, "kubectl get pdb", &|_| None) {
        sts_lab::kubectl::Outcome::Print { stdout, .. } => stdout,
        _ => panic!(),
    };
    assert_eq!(
        get,
        "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb-pdb   2               N/A               1                     15s\n"
    );
    let yaml = match sts_lab::kubectl::run(&c, "kubectl get pdb web-pdb -o yaml", &|_| None) {
        sts_lab::kubectl::Outcome::Print { stdout, .. } => stdout,
        _ => panic!(),
    };
    assert!(yaml.contains("  disruptionsAllowed: 1\n"), "{yaml}");
    assert!(yaml.contains("reason: SufficientPods"), "{yaml}");
}

/// eviction.go checkAndDecrement refuses with 429 when the budget allows nothing; kubectl prints
/// the error and tries again every 5s (drain.go EvictErrorRetryDelay), printing
/// `evicting pod` before every try.
#[test]
fn a_refused_eviction_is_retried_every_five_seconds() {
    let mut c = settled(PDB);
    c.apply(Action::BreakReadiness(1)).unwrap();
    c.advance(SimDuration::from_secs(20));
    assert!(!c.pods().find(|p| p.name == "web-1").unwrap().ready);
    assert_eq!(allowed(&c).3, 0);
    c.apply(Action::Drain("minikube-m03".into())).unwrap();
    c.settle();
    let d = c.drains().last().unwrap().clone();
    assert!(d.is_running(), "{}", d.output());
    assert!(d.paused());
    let refusal = "error when evicting pods/\"web-2\" -n \"default\" (will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.";
    assert_eq!(d.stderr().lines().collect::<Vec<_>>(), [refusal, refusal]);
    let tries: Vec<u64> = d.lines.iter().filter(|l| l.stderr).map(|l| l.t.0 / 1000).collect();
    assert_eq!(tries[1] - tries[0], 5);
    // web-2 is still there, Running.
    assert!(c.pods().any(|p| p.name == "web-2" && !p.is_terminating()));
    // Once web-1 is Ready again the next try (on the 5s grid) is let through.
    c.advance(SimDuration::from_secs(30));
    c.apply(Action::FixReadiness(1)).unwrap();
    c.settle();
    let d = c.drains().last().unwrap();
    assert!(!d.is_running(), "{}", d.output());
    let out = d.output();
    assert!(out.ends_with("pod/web-2 evicted\nnode/minikube-m03 drained\n"), "{out}");
    assert!(out.contains("# (kubectl printed the two lines above for web-2 "), "{out}");
}

/// Without a budget the Eviction API lets every pod go at once.
#[test]
fn without_a_budget_both_pods_of_a_node_go_at_once() {
    let mut c = settled(WEB);
    c.apply(Action::Drain("minikube-m03".into())).unwrap();
    c.settle();
    c.apply(Action::Cordon { node: "minikube-m03".into(), on: false }).unwrap();
    c.settle();
    // minikube now runs web-0 and web-2.
    c.apply(Action::Drain("minikube".into())).unwrap();
    assert_eq!(c.pods().filter(|p| p.is_terminating()).count(), 2);
    c.settle();
    assert!(!c.drains().last().unwrap().is_running());
}

/// pv_controller.go: a WaitForFirstConsumer claim stays Pending with its event until the scheduler
/// picks a node; then the volume is provisioned in that node's zone and pins later pods there.
#[test]
fn wait_for_first_consumer_pins_the_volume_to_a_zone() {
    let release = sts_lab::input::parse(ZONAL);
    let mut c = Cluster::from_release(&release, Some("web"), 1, FeatureGates::default()).unwrap();
    c.sync_pending();
    let claim = c.claim("www-web-0").unwrap();
    assert!(!claim.bound);
    assert!(c.recorded().iter().any(|e| e.reason == "WaitForFirstConsumer" && e.name == "www-web-0"));
    assert_eq!(c.settle(), Settled::Done);
    let zones: Vec<_> = c.nodes().iter().map(|n| n.labels["topology.kubernetes.io/zone"].clone()).collect();
    assert_eq!(zones, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    let claim = c.claim("www-web-2").unwrap();
    assert_eq!(claim.selected_node.as_deref(), Some("minikube-m03"));
    assert_eq!(claim.node_affinity, Some(("topology.kubernetes.io/zone".into(), "eu-west-1c".into())));
    c.apply(Action::Cordon { node: "minikube-m03".into(), on: true }).unwrap();
    c.apply(Action::DeletePod(2)).unwrap();
    c.settle();
    let failed: Vec<_> = c.recorded().iter().filter(|e| e.reason == "FailedScheduling" && e.name == "web-2").collect();
    assert_eq!(
        failed.last().unwrap().message,
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match PersistentVolume's node \
         affinity. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
    assert!(c.pods().any(|p| p.name == "web-2" && p.node.is_none()));
}

/// The default cluster is minikube's: no zones, claims bound at once (Immediate), no affinity.
#[test]
fn the_default_cluster_has_no_zones() {
    let c = settled(WEB);
    assert!(c.nodes().iter().all(|n| !n.labels.contains_key("topology.kubernetes.io/zone")));
    assert!(c.claims().all(|cl| cl.node_affinity.is_none() && cl.selected_node.is_none()));
}
