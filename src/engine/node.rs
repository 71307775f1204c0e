//! The cluster's nodes and what happens when one fails: a three-node minikube (`minikube start
//! --nodes 3`), the scheduler's filters that decide where a pod goes, the node lifecycle controller
//! that notices a node stopped reporting, the taint eviction controller, the pod garbage collector's
//! non-graceful shutdown path, and `kubectl cordon|uncordon|drain|taint` and
//! `delete pod --force --grace-period=0` (`kubectl drain` itself is [`super::drain`]).
//!
//! Sources (kubernetes/kubernetes): `pkg/scheduler/framework/types.go` (`FitError.Error`),
//! `pkg/scheduler/framework/plugins/{nodeunschedulable,tainttoleration,nodeaffinity,interpodaffinity}`,
//! `pkg/scheduler/framework/plugins/defaultpreemption` (`PostFilter`: "preemption: " + the evaluator's
//! FitError), `pkg/controller/nodelifecycle/node_lifecycle_controller.go` (`monitorNodeHealth`,
//! `doNoExecuteTaintingPass`), `pkg/controller/util/node/controller_utils.go` (`MarkPodsNotReady`,
//! `RecordNodeStatusChange`), `pkg/controller/tainteviction/taint_eviction.go`
//! (`processPodOnNode`, `emitPodDeletionEvent`), `pkg/controller/podgc/gc_controller.go`
//! (`gcTerminating`), `plugin/pkg/admission/defaulttolerationseconds` and
//! `pkg/controller/statefulset/stateful_set_control.go`.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Toleration;
use serde::Serialize;

use super::action::ActionError;
use super::clock::{SimDuration, SimTime};
use super::cluster::{pod_name, Cluster};
use super::event::{EventKind, EventType};
use super::kubelet::TimerKind;
use super::pod::Stage;
use super::recorder::Note;

/// How many nodes a new cluster has (`minikube start --nodes 3`).
pub const NODE_COUNT: usize = 3;

/// kube-controller-manager `--node-monitor-grace-period`: 50 s since v1.32 (kubernetes/kubernetes
/// #126287, `pkg/controller/nodelifecycle/config/v1alpha1/defaults.go`; 40 s before).
pub const NODE_MONITOR_GRACE: SimDuration = SimDuration::from_secs(50);

/// The DefaultTolerationSeconds admission plugin's `--default-unreachable-toleration-seconds` and
/// `--default-not-ready-toleration-seconds` (300).
pub const DEFAULT_TOLERATION_SECONDS: u64 = 300;

/// podgc `gcCheckPeriod`: the pod garbage collector runs every 20 s.
pub const POD_GC_PERIOD: SimDuration = SimDuration::from_secs(20);

/// `node.kubernetes.io/unreachable` (`v1.TaintNodeUnreachable`).
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// `node.kubernetes.io/out-of-service` (`v1.TaintNodeOutOfService`, non-graceful node shutdown).
pub const TAINT_OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";

/// A node taint (`spec.taints[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taint {
    pub key: String,
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
    pub time_added: Option<SimTime>,
}

impl Taint {
    /// `key=value:Effect` (or `key:Effect`), as `kubectl taint` and `describe node` write it.
    /// `Taint.ToString` (k8s.io/api/core/v1/taint.go).
    pub fn text(&self) -> String {
        match (self.value.is_empty(), self.effect.is_empty()) {
            (true, true) => self.key.clone(),
            (false, true) => format!("{}={}:", self.key, self.value),
            (true, false) => format!("{}:{}", self.key, self.effect),
            (false, false) => format!("{}={}:{}", self.key, self.value, self.effect),
        }
    }
}

/// One node of the cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// `minikube`, `minikube-m02`, `minikube-m03` (minikube names a profile's extra nodes `-mNN`).
    pub name: String,
    /// InternalIP on minikube's docker network 192.168.49.0/24 (`status.hostIP` of its pods).
    pub ip: String,
    /// Its podCIDR is `10.244.<index>.0/24` (kube-controller-manager's node IPAM, /24 per node).
    pub index: u32,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// `spec.unschedulable` (`kubectl cordon`).
    pub unschedulable: bool,
    /// Whether its kubelet reaches the API server (renews its Lease, posts status).
    pub reporting: bool,
    /// The Ready condition is True; false once the node lifecycle controller marked it Unknown.
    pub ready: bool,
    pub created_at: SimTime,
    /// The next host part of a pod IP in its podCIDR.
    #[serde(skip)]
    pub(crate) next_ip: u32,
    /// Containers still running on the node whose pod objects were force-deleted while the node
    /// was unreachable: the kubelet kills them when it reaches the API server again.
    pub orphans: Vec<String>,
    /// When it stopped reporting (its last Lease renewal and status post are before this).
    pub down_at: Option<SimTime>,
    /// `lastTransitionTime` of its conditions (created, marked Unknown, Ready again).
    pub conditions_changed: SimTime,
    /// Changes with each stop/start, so timers of an earlier outage do nothing.
    #[serde(skip)]
    pub(crate) epoch: u64,
}

impl Node {
    fn new(index: u32) -> Node {
        let name = if index == 0 { "minikube".to_string() } else { format!("minikube-m{:02}", index + 1) };
        let mut labels = BTreeMap::from([
            ("beta.kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("beta.kubernetes.io/os".to_string(), "linux".to_string()),
            ("kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("kubernetes.io/hostname".to_string(), name.clone()),
            ("kubernetes.io/os".to_string(), "linux".to_string()),
        ]);
        if index == 0 {
            labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
        }
        Node {
            ip: format!("192.168.49.{}", index + 2),
            name,
            index,
            labels,
            taints: Vec::new(),
            unschedulable: false,
            reporting: true,
            ready: true,
            created_at: SimTime::ZERO,
            next_ip: 2,
            orphans: Vec::new(),
            down_at: None,
            conditions_changed: SimTime::ZERO,
            epoch: 0,
        }
    }

    /// kubectl's STATUS (printers.go `printNode`): the Ready condition, then `SchedulingDisabled`.
    pub fn status_text(&self) -> String {
        let mut s = if self.ready { "Ready".to_string() } else { "NotReady".to_string() };
        if self.unschedulable {
            s.push_str(",SchedulingDisabled");
        }
        s
    }

    /// kubectl's ROLES (printers.go `findNodeRoles`): the `node-role.kubernetes.io/<role>` labels.
    pub fn roles_text(&self) -> String {
        let roles: Vec<&str> = self
            .labels
            .keys()
            .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
            .filter(|r| !r.is_empty())
            .collect();
        if roles.is_empty() {
            "<none>".into()
        } else {
            roles.join(",")
        }
    }

    fn has_taint(&self, key: &str, effect: &str) -> bool {
        self.taints.iter().any(|t| t.key == key && t.effect == effect)
    }
}

/// The cluster's nodes at creation.
pub(crate) fn default_nodes() -> Vec<Node> {
    (0..NODE_COUNT as u32).map(Node::new).collect()
}

/// `v1.Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go).
pub(crate) fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        if e != taint.effect {
            return false;
        }
    }
    let key = t.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match t.operator.as_deref().unwrap_or("Equal") {
        "Exists" => true,
        "" | "Equal" => t.value.as_deref().unwrap_or("") == taint.value,
        _ => false,
    }
}

/// metav1.LabelSelectorAsSelector, then Matches: every matchLabels pair and every expression
/// (In, NotIn, Exists, DoesNotExist); an empty selector matches everything.
pub(crate) fn label_selector_matches(
    sel: &k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
    labels: &BTreeMap<String, String>,
) -> bool {
    let pairs = sel.match_labels.iter().flatten().all(|(k, v)| labels.get(k) == Some(v));
    let exprs = sel.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or(&[]);
        match e.operator.as_str() {
            "In" => labels.get(&e.key).is_some_and(|v| values.contains(v)),
            "NotIn" => labels.get(&e.key).is_none_or(|v| !values.contains(v)),
            "Exists" => labels.contains_key(&e.key),
            "DoesNotExist" => !labels.contains_key(&e.key),
            _ => false,
        }
    });
    pairs && exprs
}

/// Why a node does not fit a pod: the reason string and whether preemption could help
/// (`Unschedulable`) or not (`UnschedulableAndUnresolvable`).
struct Misfit {
    reason: &'static str,
    resolvable: bool,
}

impl Cluster {
    /// The nodes, by name.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn node(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }

    fn node_mut(&mut self, name: &str) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| n.name == name)
    }

    /// Whether the pod's node has stopped reporting (nothing its kubelet does reaches the API).
    pub(crate) fn on_unreachable_node(&self, ordinal: i32) -> bool {
        self.pods.get(&ordinal).and_then(|p| p.node.as_deref()).and_then(|n| self.node(n)).is_some_and(|n| !n.reporting)
    }

    /// The pod as the API server holds it (with the admission plugins' tolerations).
    fn tolerations_of(&self, ordinal: i32) -> Vec<Toleration> {
        let Some(p) = self.pods.get(&ordinal) else { return Vec::new() };
        self.pod_object(p).spec.and_then(|s| s.tolerations).unwrap_or_default()
    }

    /// One filter pass of the default profile on one node, in the plugins' order
    /// (NodeUnschedulable, TaintToleration, NodeAffinity, ..., InterPodAffinity); the first failure.
    fn filter(&self, ordinal: i32, node: &Node, tolerations: &[Toleration]) -> Option<Misfit> {
        let unschedulable_taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            value: String::new(),
            effect: "NoSchedule".into(),
            time_added: None,
        };
        if node.unschedulable && !tolerations.iter().any(|t| tolerates(t, &unschedulable_taint)) {
            // nodeunschedulable.go ErrReasonUnschedulable
            return Some(Misfit { reason: "node(s) were unschedulable", resolvable: false });
        }
        let blocking = node
            .taints
            .iter()
            .filter(|t| t.effect == "NoSchedule" || t.effect == "NoExecute")
            .any(|taint| !tolerations.iter().any(|t| tolerates(t, taint)));
        if blocking {
            // taint_toleration.go Filter (since 1.34: the taint is no longer named in the reason)
            return Some(Misfit { reason: "node(s) had untolerated taint(s)", resolvable: false });
        }
        let pod = &self.pods[&ordinal];
        // Borrowed, not cloned: this runs for every node of every bind (300 Parallel pods cloned
        // the pod spec 900 times).
        let spec = self.revision(&pod.revision).and_then(|r| r.template.spec.as_ref());
        if let Some(sel) = spec.and_then(|s| s.node_selector.as_ref()) {
            if sel.iter().any(|(k, v)| node.labels.get(k) != Some(v)) {
                // nodeaffinity.go ErrReasonPod
                return Some(Misfit { reason: "node(s) didn't match Pod's node affinity/selector", resolvable: false });
            }
        }
        // VolumeBinding (binder.go FindPodVolumes): UnschedulableAndUnresolvable.
        if let Some(reason) = self.volume_binding_misfit(ordinal, node) {
            return Some(Misfit { reason, resolvable: false });
        }
        let terms = spec
            .and_then(|s| s.affinity.as_ref())
            .and_then(|a| a.pod_anti_affinity.as_ref())
            .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_deref())
            .unwrap_or_default();
        for term in terms.iter().filter(|t| t.topology_key == "kubernetes.io/hostname") {
            let Some(selector) = &term.label_selector else { continue };
            let clash =
                self.pods.values().filter(|o| o.ordinal != ordinal && o.node.as_deref() == Some(&node.name)).any(
                    |other| {
                        let labels = self.pod_labels(other);
                        label_selector_matches(selector, &labels)
                    },
                );
            if clash {
                // interpodaffinity/filtering.go ErrReasonAntiAffinityRulesNotMatch
                return Some(Misfit { reason: "node(s) didn't match pod anti-affinity rules", resolvable: true });
            }
        }
        None
    }

    /// The scheduler's choice for a pod: among the nodes that pass every filter, the one with the
    /// fewest pods, then by name (the lab's stand-in for the score plugins, deterministic). `Err`
    /// is the FailedScheduling message (`FitError.Error`, with DefaultPreemption's PostFilter text).
    pub(crate) fn pick_node(&self, ordinal: i32) -> Result<String, String> {
        let tolerations = self.tolerations_of(ordinal);
        let mut fits: Vec<(usize, &str)> = Vec::new();
        let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut preemption: BTreeMap<&'static str, usize> = BTreeMap::new();
        for node in &self.nodes {
            match self.filter(ordinal, node, &tolerations) {
                None => {
                    let load = self.pods.values().filter(|p| p.node.as_deref() == Some(&node.name)).count();
                    fits.push((load, &node.name));
                }
                Some(m) => {
                    *reasons.entry(m.reason).or_default() += 1;
                    // preemption.go: nodesWherePreemptionMightHelp, then SelectVictimsOnNode finds no
                    // pod of lower priority (every pod here has priority 0).
                    let p = if m.resolvable {
                        "No preemption victims found for incoming pod"
                    } else {
                        "Preemption is not helpful for scheduling"
                    };
                    *preemption.entry(p).or_default() += 1;
                }
            }
        }
        // Volumes provisioned for this pod (WaitForFirstConsumer) were made for the node the
        // scheduler assumed: the pod is bound there (AssumePodVolumes, then PreBind).
        if let Some(assumed) = self.assumed_node(ordinal).filter(|a| fits.iter().any(|(_, n)| n == a)) {
            return Ok(assumed);
        }
        if let Some((_, name)) = fits.iter().min() {
            return Ok(name.to_string());
        }
        let n = self.nodes.len();
        let histogram = |m: &BTreeMap<&str, usize>| {
            let mut v: Vec<String> = m.iter().map(|(r, c)| format!("{c} {r}")).collect();
            crate::sorting::sort(&mut v);
            v.join(", ")
        };
        Err(format!(
            "0/{n} nodes are available: {}. preemption: 0/{n} nodes are available: {}.",
            histogram(&reasons),
            histogram(&preemption)
        ))
    }

    /// The next pod IP in a node's podCIDR.
    pub(crate) fn next_pod_ip(&mut self, node: &str) -> String {
        let n = self.node_mut(node).expect("a node of the cluster");
        let ip = format!("10.244.{}.{}", n.index, n.next_ip);
        n.next_ip = if n.next_ip >= 254 { 2 } else { n.next_ip + 1 };
        ip
    }

    /// Pending pods the scheduler could not place are tried again (the scheduling queue moves them
    /// back to active on a node or pod change).
    pub(crate) fn retry_unschedulable(&mut self) {
        let waiting: Vec<i32> = self
            .pods
            .values()
            .filter(|p| p.stage == Stage::Unscheduled && p.unschedulable.is_some() && !p.is_terminating())
            .map(|p| p.ordinal)
            .collect();
        for o in waiting {
            super::kubelet::try_schedule(self, o, SimDuration::ZERO);
        }
    }

    fn node_note(&self, node: &str, type_: EventType, reason: &'static str, message: String) -> Note {
        Note::new("node-controller", type_, reason, "Node", node, 0, message)
    }

    fn unknown_node(name: &str) -> ActionError {
        ActionError::NotFound(format!("Error from server (NotFound): nodes \"{name}\" not found"))
    }

    // ----- a node stops reporting, and comes back ---------------------------------------------

    /// The node stops reporting (its kubelet is down, or the network to it is cut): nothing changes
    /// at once; after node-monitor-grace-period the node lifecycle controller marks it NotReady.
    pub(crate) fn node_down(&mut self, name: &str) -> Result<String, ActionError> {
        let now = self.now;
        let Some(node) = self.node_mut(name) else { return Err(Self::unknown_node(name)) };
        if !node.reporting {
            return Ok(format!("{name}: already not reporting"));
        }
        node.reporting = false;
        node.down_at = Some(now);
        node.epoch += 1;
        let epoch = node.epoch;
        let pods: Vec<String> =
            self.pods.values().filter(|p| p.node.as_deref() == Some(name)).map(|p| p.name.clone()).collect();
        let on = if pods.is_empty() { "no pod of the set".to_string() } else { pods.join(", ") };
        self.log(
            EventKind::Status,
            name.to_string(),
            None,
            "node",
            format!(
                "{name} stops reporting: its kubelet no longer renews its Lease. Its containers ({on}) may well go on \
                 running, but nothing on {name} reaches the API server now. The node lifecycle controller marks it \
                 NotReady once node-monitor-grace-period ({}s) has passed without a heartbeat \
                 (node_lifecycle_controller.go monitorNodeHealth).",
                NODE_MONITOR_GRACE.0 / 1000
            ),
        );
        self.schedule(NODE_MONITOR_GRACE, TimerKind::NodeNotReady { node: name.to_string(), epoch });
        Ok(format!("{name}: stopped reporting"))
    }

    /// node-monitor-grace-period has passed: Ready Unknown, the unreachable taints, pods not Ready,
    /// and each pod's eviction queued for when its toleration runs out.
    pub(crate) fn node_not_ready(&mut self, name: &str, epoch: u64) {
        let now = self.now;
        let Some(node) = self.node_mut(name).filter(|n| n.epoch == epoch && !n.reporting) else { return };
        node.ready = false;
        node.conditions_changed = now;
        for effect in ["NoSchedule", "NoExecute"] {
            if !node.has_taint(TAINT_UNREACHABLE, effect) {
                node.taints.push(Taint {
                    key: TAINT_UNREACHABLE.into(),
                    value: String::new(),
                    effect: effect.into(),
                    time_added: Some(now),
                });
            }
        }
        // controller_utils.go RecordNodeStatusChange.
        let note =
            self.node_note(name, EventType::Normal, "NodeNotReady", format!("Node {name} status is now: NodeNotReady"));
        self.record(note);
        self.log(
            EventKind::Status,
            name.to_string(),
            None,
            "node",
            format!(
                "{name} is NotReady: no heartbeat for {}s, so the node lifecycle controller sets its Ready condition \
                 to Unknown (\"Kubelet stopped posting node status.\") and taints it \
                 {TAINT_UNREACHABLE}:NoSchedule (no new pods) and {TAINT_UNREACHABLE}:NoExecute \
                 (doNoExecuteTaintingPass: pods that do not tolerate it are evicted).",
                NODE_MONITOR_GRACE.0 / 1000
            ),
        );
        if self.node(name).is_some_and(|n| n.has_taint(TAINT_OUT_OF_SERVICE, "NoExecute")) {
            // Tainted out-of-service before it was marked NotReady: podgc's next pass applies now.
            self.schedule_pod_gc();
        }
        let on: Vec<i32> = self.pods.values().filter(|p| p.node.as_deref() == Some(name)).map(|p| p.ordinal).collect();
        for o in on {
            let pod = self.pods.get_mut(&o).expect("listed");
            let (pname, rev, uid, was_ready, terminating) =
                (pod.name.clone(), pod.revision.clone(), pod.uid, pod.ready, pod.is_terminating());
            pod.ready = false;
            pod.ready_since = None;
            // controller_utils.go MarkPodsNotReady.
            self.record(Note::new(
                "node-controller",
                EventType::Warning,
                "NodeNotReady",
                "Pod",
                pname.clone(),
                uid,
                "Node is not ready".into(),
            ));
            if was_ready {
                self.log(
                    EventKind::PodUnready,
                    pname.clone(),
                    Some(&rev),
                    "node",
                    format!(
                        "{pname}'s Ready condition is set False by the node lifecycle controller (MarkPodsNotReady), not by \
                         its kubelet: it leaves the Service endpoints, though its container may still be serving on {name}."
                    ),
                );
            }
            if terminating {
                continue;
            }
            let secs = self.toleration_seconds(o, TAINT_UNREACHABLE);
            if let Some(secs) = secs {
                self.schedule(
                    SimDuration::from_secs(secs),
                    TimerKind::TaintEvict { ordinal: o, uid, node: name.to_string(), epoch },
                );
                self.log(
                    EventKind::Wait,
                    pname.clone(),
                    Some(&rev),
                    "node",
                    format!(
                        "{pname} tolerates {TAINT_UNREACHABLE}:NoExecute for {secs}s (the toleration the \
                         DefaultTolerationSeconds admission plugin added to every pod): the taint eviction controller \
                         deletes it when that runs out, unless {name} comes back first (taint_eviction.go processPodOnNode)."
                    ),
                );
            }
        }
        self.dirty = true;
    }

    /// `getMinTolerationTime` for a NoExecute taint: `None` when a toleration has no limit (never
    /// evicted), `Some(0)` when nothing tolerates it.
    fn toleration_seconds(&self, ordinal: i32, key: &str) -> Option<u64> {
        let taint = Taint { key: key.into(), value: String::new(), effect: "NoExecute".into(), time_added: None };
        let matching: Vec<Toleration> =
            self.tolerations_of(ordinal).into_iter().filter(|t| tolerates(t, &taint)).collect();
        if matching.is_empty() {
            return Some(0);
        }
        if matching.iter().any(|t| t.toleration_seconds.is_none()) {
            return None;
        }
        Some(matching.iter().map(|t| t.toleration_seconds.unwrap_or(0).max(0) as u64).min().unwrap_or(0))
    }

    /// The taint eviction controller deletes a pod whose toleration ran out. On an unreachable
    /// node nobody confirms the deletion: the pod stays Terminating.
    pub(crate) fn taint_evict(&mut self, ordinal: i32, uid: u64, node: &str, epoch: u64) {
        let live =
            self.node(node).is_some_and(|n| n.epoch == epoch && n.taints.iter().any(|t| t.effect == "NoExecute"));
        let Some(pod) = self.pods.get(&ordinal).filter(|p| p.uid == uid && !p.is_terminating()) else { return };
        if !live {
            return;
        }
        let name = pod.name.clone();
        let ns = self.namespace.clone();
        // taint_eviction.go emitPodDeletionEvent.
        self.record(Note::new(
            "taint-eviction-controller",
            EventType::Normal,
            "TaintManagerEviction",
            "Pod",
            name.clone(),
            uid,
            format!("Marking for deletion Pod {ns}/{name}"),
        ));
        let why = match self.node(node).and_then(|n| n.taints.iter().find(|t| t.effect == "NoExecute")) {
            Some(t) if t.key == TAINT_UNREACHABLE => {
                format!("its {DEFAULT_TOLERATION_SECONDS}s toleration of {TAINT_UNREACHABLE}:NoExecute ran out")
            }
            Some(t) => format!("it does not tolerate {}", t.text()),
            None => "of a NoExecute taint".into(),
        };
        self.delete_pod(
            ordinal,
            "node",
            format!("The taint eviction controller deletes {name} from {node}: {why} (taint_eviction.go)."),
        );
    }

    /// What holds the set when the controller itself waits for nothing: a pod terminating on a
    /// node that does not report, or a pod no node fits.
    pub(crate) fn node_stuck(&self) -> Option<String> {
        self.pods.values().find_map(|p| {
            if p.is_terminating() && self.on_unreachable_node(p.ordinal) {
                let node = p.node.clone().unwrap_or_default();
                Some(format!(
                    "{} is Terminating on {node}, which does not report: the controller creates no replacement until it is \
                     gone (the node comes back, the pod is force-deleted, or the node is tainted out-of-service).",
                    p.name
                ))
            } else {
                p.unschedulable.as_ref().map(|m| format!("{} is Pending: no node fits it (\"{m}\").", p.name))
            }
        })
    }

    /// Said when a pod's deletion cannot complete because its node does not answer.
    pub(crate) fn stuck_terminating_text(&self, ordinal: i32) -> String {
        let Some(p) = self.pods.get(&ordinal) else { return String::new() };
        let node = p.node.clone().unwrap_or_default();
        let set = &self.set_name;
        format!(
            " The API server only removes {name} once the kubelet on {node} confirms its containers stopped, and that \
             kubelet cannot be reached: {name} stays Terminating. The StatefulSet controller makes no replacement while \
             a pod named {name} exists, terminating or not (stateful_set_control.go: a terminating pod is waited for, \
             never replaced, so that two pods never share one identity): {set} stays one short. Ways out: the node comes \
             back; `kubectl delete pod {name} --force --grace-period=0`; or taint {node} with \
             {TAINT_OUT_OF_SERVICE}=nodeshutdown:NoExecute once it is known to be off.",
            name = p.name
        )
    }

    /// The node reaches the API server again: Ready, taints gone, and its kubelet finishes what the
    /// API asked meanwhile (confirms deletions, kills containers whose pods no longer exist).
    pub(crate) fn node_up(&mut self, name: &str) -> Result<String, ActionError> {
        let now = self.now;
        let Some(node) = self.node_mut(name) else { return Err(Self::unknown_node(name)) };
        if node.reporting {
            return Ok(format!("{name}: already reporting"));
        }
        node.reporting = true;
        node.down_at = None;
        node.epoch += 1;
        let was_not_ready = !node.ready;
        node.ready = true;
        if was_not_ready {
            node.conditions_changed = now;
        }
        node.taints.retain(|t| t.key != TAINT_UNREACHABLE);
        let orphans = std::mem::take(&mut node.orphans);
        // The queued evictions and the pending NotReady mark of this outage are cancelled.
        self.forget_node_timers(name, true);
        if was_not_ready {
            let note =
                self.node_note(name, EventType::Normal, "NodeReady", format!("Node {name} status is now: NodeReady"));
            self.record(note);
        }
        self.log(
            EventKind::Status,
            name.to_string(),
            None,
            "node",
            format!(
                "{name} reports again: it is Ready, and the node lifecycle controller removes its {TAINT_UNREACHABLE} \
                 taints. Its kubelet catches up with what the API server asked while it was away."
            ),
        );
        for o in orphans {
            self.log(
                EventKind::PodGone,
                o.clone(),
                None,
                "node",
                format!(
                    "The kubelet on {name} still runs containers of {o}, whose pod object was force-deleted while {name} \
                     was unreachable: it kills them now (kubelet HandlePodCleanups). Until this moment two pods named {o} \
                     may have run at once, both writing to what they took for the same identity."
                ),
            );
        }
        let on: Vec<i32> = self.pods.values().filter(|p| p.node.as_deref() == Some(name)).map(|p| p.ordinal).collect();
        for o in on {
            let p = &self.pods[&o];
            let (uid, stage, terminating, ready) = (p.uid, p.stage, p.is_terminating(), p.ready);
            if terminating {
                super::kubelet::killing(self, o);
                self.finish_deletion(o, uid);
            } else {
                if was_not_ready {
                    let ns = self.namespace.clone();
                    let pname = self.pods[&o].name.clone();
                    // taint_eviction.go emitCancelPodDeletionEvent.
                    self.record(Note::new(
                        "taint-eviction-controller",
                        EventType::Normal,
                        "TaintManagerEviction",
                        "Pod",
                        pname,
                        uid,
                        format!("Cancelling deletion of Pod {ns}/{}", self.pods[&o].name),
                    ));
                }
                match stage {
                    Stage::ContainerCreating => {
                        self.schedule(super::pod::timing::CONTAINER_START, TimerKind::Started { ordinal: o, uid })
                    }
                    Stage::Started if !ready => {
                        self.schedule(super::pod::timing::MIN_PROBE_DELAY, TimerKind::Ready { ordinal: o, uid })
                    }
                    _ => {}
                }
            }
        }
        self.retry_unschedulable();
        self.dirty = true;
        Ok(format!("{name}: reporting again"))
    }

    /// Drops the node lifecycle and taint eviction work queued for a node (it is back, or its
    /// NoExecute taints are gone), so that no stale timer moves the clock in `settle`.
    fn forget_node_timers(&mut self, name: &str, not_ready_too: bool) {
        self.timers.retain(|t| match &t.0.kind {
            TimerKind::TaintEvict { node, .. } => node != name,
            TimerKind::NodeNotReady { node, .. } => !not_ready_too || node != name,
            _ => true,
        });
    }

    /// The kubelet stops the containers and confirms: the object goes (see `delete_pod`).
    pub(crate) fn finish_deletion(&mut self, ordinal: i32, uid: u64) {
        let rev = self.pods[&ordinal].revision.clone();
        let grace = self.revision(&rev).map(|r| r.shape.termination_grace_seconds).unwrap_or(30).max(0) as u64;
        let stop = SimDuration(super::pod::timing::STOP_ON_SIGTERM.0.min(grace * 1000));
        self.schedule(stop, TimerKind::Stopped { ordinal, uid });
        self.schedule(SimDuration(stop.0 + super::pod::timing::REMOVE_AFTER_STOP.0), TimerKind::Gone { ordinal, uid });
    }

    // ----- kubectl delete pod --force --grace-period=0 ---------------------------------------------

    /// The pod object is removed at once, without waiting for the kubelet.
    pub(crate) fn force_delete_pod(&mut self, ordinal: i32) -> Result<String, ActionError> {
        let name = pod_name(&self.set_name, ordinal);
        let ns = self.namespace.clone();
        let Some(p) = self.pods.get(&ordinal) else {
            return Err(ActionError::NotFound(format!("Error from server (NotFound): pods \"{name}\" not found")));
        };
        let node = p.node.clone();
        let unreachable = self.on_unreachable_node(ordinal);
        let running = p.stage != Stage::Unscheduled && !p.containers_stopped;
        let owned = self.set.is_some() && p.owned;
        let danger = match (&node, unreachable && running) {
            (Some(n), true) => {
                self.node_mut(n).expect("its node").orphans.push(name.clone());
                format!(
                    " Nothing told the kubelet on {n}: if {n} is only cut off and not down, {name}'s container still runs \
                     there with its volume, and the controller's new {name} makes two pods with one identity (the \
                     guarantee a StatefulSet exists for). Force-delete only a pod whose node is known to be off."
                )
            }
            (Some(n), false) if running => format!(" The kubelet on {n} kills its containers without waiting."),
            _ => String::new(),
        };
        let later = if owned {
            "; the controller creates it again at once, and the scheduler may place it on another node"
        } else {
            ""
        };
        self.log(
            EventKind::DeletePod,
            name.clone(),
            None,
            "node",
            format!(
                "You force-delete {name} (kubectl delete pod --force --grace-period=0): the API server removes the object \
                 now, without the kubelet's confirmation{later}.{danger}"
            ),
        );
        super::kubelet::remove_pod(self, ordinal);
        Ok(format!("pod \"{name}\" force deleted from {ns} namespace"))
    }

    // ----- kubectl cordon / uncordon / drain / taint ------------------------------------------------

    /// `kubectl cordon|uncordon NODE`: `spec.unschedulable`; what kubectl prints (drain.go `cordonOrUncordon`).
    pub(crate) fn cordon(&mut self, name: &str, on: bool) -> Result<String, ActionError> {
        let Some(node) = self.node_mut(name) else { return Err(Self::unknown_node(name)) };
        let verb = if on { "cordoned" } else { "uncordoned" };
        if node.unschedulable == on {
            return Ok(format!("node/{name} already {verb}"));
        }
        node.unschedulable = on;
        let text = if on {
            format!("You cordon {name}: the scheduler places no new pod there (NodeUnschedulable); pods on it keep running.")
        } else {
            format!("You uncordon {name}: the scheduler may place pods there again.")
        };
        self.log(EventKind::Status, name.to_string(), None, "node", text);
        if !on {
            self.retry_unschedulable();
        }
        Ok(format!("node/{name} {verb}"))
    }

    /// `kubectl taint nodes NODE key[=value]:Effect` (or `key[:Effect]-` to remove).
    pub(crate) fn taint(&mut self, name: &str, taint: Taint, remove: bool) -> Result<String, ActionError> {
        let now = self.now;
        let Some(node) = self.node_mut(name) else { return Err(Self::unknown_node(name)) };
        if remove {
            let before = node.taints.len();
            node.taints.retain(|t| !(t.key == taint.key && (taint.effect.is_empty() || t.effect == taint.effect)));
            if node.taints.len() == before {
                // taint.go: removing a taint the node does not have.
                return Err(ActionError::Refused(format!("error: taint {:?} not found", taint.text())));
            }
            self.log(
                EventKind::Status,
                name.to_string(),
                None,
                "node",
                format!("You remove the taint {} from {name}.", taint.key),
            );
            let still_no_execute = self.node(name).is_some_and(|n| n.taints.iter().any(|t| t.effect == "NoExecute"));
            if !still_no_execute {
                self.forget_node_timers(name, false);
            }
            self.retry_unschedulable();
            return Ok(format!("node/{name} untainted"));
        }
        if node.taints.iter().any(|t| t.key == taint.key && t.effect == taint.effect) {
            // taint.go validateFlags / reorganizeTaints: same key and effect without --overwrite.
            return Err(ActionError::Refused(format!(
                "error: node {name} already has {} taint(s) with same effect(s) and --overwrite is false",
                taint.key
            )));
        }
        let taint = Taint { time_added: (taint.effect == "NoExecute").then_some(now), ..taint };
        node.taints.push(taint.clone());
        let ready = node.ready;
        let out_of_service = taint.key == TAINT_OUT_OF_SERVICE && taint.effect == "NoExecute";
        let mut text = format!("You taint {name} with {}.", taint.text());
        if out_of_service {
            text.push_str(&format!(
                " This is non-graceful node shutdown: you declare {name} off. Pods that do not tolerate the taint are \
                 evicted; {}",
                if ready {
                    format!("but {name} is Ready, so the pod garbage collector leaves their deletion to its kubelet.")
                } else {
                    format!(
                        "{name} is NotReady, so the pod garbage collector force-deletes its terminating pods at its next \
                         pass (gc_controller.go gcTerminating), and the attach/detach controller detaches their volumes \
                         without waiting for the kubelet to unmount them."
                    )
                }
            ));
        }
        self.log(EventKind::Status, name.to_string(), None, "node", text);
        if taint.effect == "NoExecute" {
            let epoch = self.node(name).map_or(0, |n| n.epoch);
            let on: Vec<(i32, u64)> = self
                .pods
                .values()
                .filter(|p| p.node.as_deref() == Some(name) && !p.is_terminating())
                .map(|p| (p.ordinal, p.uid))
                .collect();
            for (o, uid) in on {
                match self.toleration_seconds(o, &taint.key) {
                    Some(0) => self.taint_evict(o, uid, name, epoch),
                    Some(s) => self.schedule(
                        SimDuration::from_secs(s),
                        TimerKind::TaintEvict { ordinal: o, uid, node: name.to_string(), epoch },
                    ),
                    None => {}
                }
            }
            if out_of_service && !ready {
                self.schedule_pod_gc();
            }
        }
        Ok(format!("node/{name} tainted"))
    }

    /// The pod garbage collector's next pass (it runs every POD_GC_PERIOD).
    fn schedule_pod_gc(&mut self) {
        let wait = SimDuration(POD_GC_PERIOD.0 - self.now.0 % POD_GC_PERIOD.0);
        if !self.timers.iter().any(|t| t.0.kind == TimerKind::PodGc) {
            self.schedule(wait, TimerKind::PodGc);
        }
    }

    /// podgc `gcTerminating`: terminating pods on a NotReady node with the out-of-service taint
    /// are force-deleted (and their volumes detached at once).
    pub(crate) fn pod_gc(&mut self) {
        let doomed: Vec<(i32, String, String)> = self
            .pods
            .values()
            .filter(|p| p.is_terminating())
            .filter_map(|p| {
                let n = self.node(p.node.as_deref()?)?;
                (!n.ready && n.has_taint(TAINT_OUT_OF_SERVICE, "NoExecute"))
                    .then(|| (p.ordinal, p.name.clone(), n.name.clone()))
            })
            .collect();
        for (o, name, node) in doomed {
            self.log(
                EventKind::DeletePod,
                name.clone(),
                None,
                "node",
                format!(
                    "The pod garbage collector force-deletes {name}: it is terminating on {node}, which is NotReady and \
                     tainted {TAINT_OUT_OF_SERVICE} (gc_controller.go gcTerminating); its volume is detached without \
                     waiting for an unmount. The name is free: the StatefulSet controller creates {name} again, with the \
                     same claim, on a node that is up."
                ),
            );
            super::kubelet::remove_pod(self, o);
        }
    }
}

/// For the UI: which node each pod is on (`None` while unscheduled).
pub fn placement(c: &Cluster) -> Vec<(String, Option<String>)> {
    c.pods().map(|p| (p.name.clone(), p.node.clone())).collect()
}
