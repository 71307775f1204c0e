//! The rules the app, the guided scenarios and the lab report cite ("spec §4.4", "rule §4.5",
//! "spec 4.6"), each explained in plain words with its source named: the Kubernetes documentation
//! page and/or the controller function that implements it (issue #10 item 3). The ids are the
//! sections of the project's behaviour specification, which users never see; this table is
//! what a citation opens instead. One entry per id the engine emits (`Event::rule`) or any text
//! cites; the tests below check that none is missing.

use std::ops::Range;

/// Where a rule comes from in Kubernetes' documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Doc {
    /// The page and section, as a reader finds them (`StatefulSets — Partitioned rolling updates`).
    pub title: &'static str,
    /// The address, written as text (`kubernetes.io/docs/...#partitions`).
    pub url: &'static str,
}

/// Where a rule is implemented: a function (or the table it reads) in a Kubernetes or Helm
/// source file, each name checked against the upstream source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The function (`updateStatefulSet`).
    pub function: &'static str,
    /// Its file, in its repository (`kubernetes/kubernetes pkg/controller/statefulset/...`).
    pub file: &'static str,
}

/// One rule: a section of the behaviour the app simulates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The id cited (`4.4`, `2.5a`).
    pub id: &'static str,
    /// A short title (`Partition`).
    pub title: &'static str,
    /// Two to four sentences a student understands.
    pub explanation: &'static str,
    /// The documentation page, when the docs describe it.
    pub doc: Option<Doc>,
    /// The functions that implement it.
    pub code: &'static [Code],
}

impl Rule {
    /// The sources in one line: `StatefulSets — Partitions, kubernetes.io/...; updateStatefulSet in kubernetes/kubernetes pkg/...`.
    pub fn source(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = self.doc {
            parts.push(format!("{}, {}", d.title, d.url));
        }
        for c in self.code {
            parts.push(format!("`{}` in {}", c.function, c.file));
        }
        parts.join("; ")
    }
}

const CONTROL: &str = "kubernetes/kubernetes pkg/controller/statefulset/stateful_set_control.go";
const UTILS: &str = "kubernetes/kubernetes pkg/controller/statefulset/stateful_set_utils.go";
const POD_CONTROL: &str = "kubernetes/kubernetes pkg/controller/statefulset/stateful_pod_control.go";

macro_rules! sts_doc {
    ($title:literal, $anchor:literal) => {
        Some(Doc {
            title: concat!("StatefulSets — ", $title),
            url: concat!("kubernetes.io/docs/concepts/workloads/controllers/statefulset/", $anchor),
        })
    };
}

/// Every rule, in the order of their ids.
pub const RULES: &[Rule] = &[
    Rule {
        id: "0",
        title: "Feature gates",
        explanation: "Some StatefulSet behaviour depends on the Kubernetes version and on feature gates. MaxUnavailableStatefulSet is off up to 1.34, on in 1.35.0–1.35.3, off again in 1.35.4 and 1.36, and on in 1.37; StatefulSetRecreateStrategy is new in 1.37 and off; PVC retention, `ordinals.start` and the pod-index label are always on. The app starts each version with its defaults, and a gate can be flipped as a cluster admin would.",
        doc: Some(Doc { title: "Feature Gates", url: "kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/" }),
        code: &[Code { function: "defaultVersionedKubernetesFeatureGates", file: "kubernetes/kubernetes pkg/features/kube_features.go" }],
    },
    Rule {
        id: "1",
        title: "Stable pod identity",
        explanation: "Each pod is named after the StatefulSet and its ordinal (`web-0`, `web-1`, ...), and each claim after its template, the set and the ordinal (`www-web-0`). A pod that is deleted comes back with the same name and mounts the same claim. With a headless Service named in `serviceName`, each pod also gets its own DNS name (`web-0.nginx`).",
        doc: sts_doc!("Pod Identity", "#pod-identity"),
        code: &[
            Code { function: "getPodName", file: UTILS },
            Code { function: "getPersistentVolumeClaimName", file: UTILS },
        ],
    },
    Rule {
        id: "2",
        title: "The controller's sync",
        explanation: "The controller compares what exists with what the StatefulSet asks for, makes at most a few changes, and runs again on every change of a pod or of the set. It never restarts a pod itself: it only creates and deletes pods and claims, and waits for the kubelet to make them Running and Ready.",
        doc: None,
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "2.1",
        title: "Revisions",
        explanation: "Each distinct pod template is stored as a ControllerRevision, named after the set and a hash (`web-6c5f8d9b7c`). The newest is the update revision; the one all pods ran before is the current revision. Only template changes make a new revision: scaling or changing the partition does not.",
        doc: None,
        code: &[Code { function: "getStatefulSetRevisions", file: CONTROL }],
    },
    Rule {
        id: "2.2",
        title: "Which pods belong, and at which revision",
        explanation: "Pods whose ordinal is in range are the set's replicas; pods above the range are condemned and will be deleted. A missing pod is built at the current revision when its ordinal is below the partition, else at the update revision.",
        doc: None,
        code: &[
            Code { function: "updateStatefulSet", file: CONTROL },
            Code { function: "newVersionedStatefulSetPod", file: UTILS },
        ],
    },
    Rule {
        id: "2.3",
        title: "Status first",
        explanation: "On every sync the controller first counts the pods (replicas, ready, current, updated) into the set's status. If the StatefulSet is being deleted it stops there: the garbage collector removes the pods.",
        doc: None,
        code: &[Code { function: "updateStatus", file: CONTROL }],
    },
    Rule {
        id: "2.4",
        title: "Monotonic or burst",
        explanation: "With `podManagementPolicy: OrderedReady` the controller works in order and stops at the first pod that is not Running and Ready. With `Parallel` (burst) it acts on all pods at once.",
        doc: sts_doc!("Pod Management Policies", "#pod-management-policies"),
        code: &[Code { function: "allowsBurst", file: UTILS }],
    },
    Rule {
        id: "2.5",
        title: "The replica pass",
        explanation: "The controller walks the pods from the lowest ordinal up: it replaces failed pods, creates missing ones (their claims first), and, with OrderedReady, stops at the first pod that is not yet Running and Ready.",
        doc: sts_doc!("Deployment and Scaling Guarantees", "#deployment-and-scaling-guarantees"),
        code: &[Code { function: "processReplica", file: CONTROL }],
    },
    Rule {
        id: "2.5a",
        title: "Failed pods are replaced",
        explanation: "A pod whose phase is Failed or Succeeded is deleted, and created again on a later sync with the same name. A pod that is merely not Ready is left alone: the kubelet restarts its containers.",
        doc: None,
        code: &[Code { function: "processReplica", file: CONTROL }],
    },
    Rule {
        id: "2.5b",
        title: "Missing pods are created",
        explanation: "When a pod of the set does not exist (never created, scaled up, or deleted by you), the controller creates its PersistentVolumeClaims if they are missing, then the pod with the same name as before. With OrderedReady it creates one pod per sync.",
        doc: None,
        code: &[Code { function: "CreateStatefulPod", file: POD_CONTROL }],
    },
    Rule {
        id: "2.5c",
        title: "Pending pods get their claims",
        explanation: "If a pod is Pending and one of its claims is missing, the controller creates the claim again so the pod can start.",
        doc: None,
        code: &[Code { function: "createMissingPersistentVolumeClaims", file: POD_CONTROL }],
    },
    Rule {
        id: "2.5d",
        title: "OrderedReady waits",
        explanation: "With OrderedReady, a pod that is terminating, not Running and Ready, or not yet available (minReadySeconds) stops the pass: nothing after it is created, scaled down or updated until it is healthy.",
        doc: sts_doc!("Deployment and Scaling Guarantees", "#deployment-and-scaling-guarantees"),
        code: &[Code { function: "processReplica", file: CONTROL }],
    },
    Rule {
        id: "2.5e",
        title: "Identity repaired",
        explanation: "If a pod's identity labels or its volumes drift from what the set says, the controller patches the pod back; it does not recreate it.",
        doc: None,
        code: &[Code { function: "processReplica", file: CONTROL }, Code { function: "identityMatches", file: UTILS }],
    },
    Rule {
        id: "2.6",
        title: "Condemned pods are deleted",
        explanation: "Pods above the wanted range are deleted highest ordinal first. With OrderedReady this happens only when every wanted pod is healthy, one pod at a time, each fully gone before the next; with Parallel all at once.",
        doc: sts_doc!("Deployment and Scaling Guarantees", "#deployment-and-scaling-guarantees"),
        code: &[Code { function: "processCondemned", file: CONTROL }],
    },
    Rule {
        id: "2.7",
        title: "Then the update",
        explanation: "Only after creating and scaling does the controller update pods: with `OnDelete` it stops here and waits for you to delete pods; with `RollingUpdate` it replaces old pods (rule 4.2).",
        doc: sts_doc!("Update strategies", "#update-strategies"),
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "2.8",
        title: "Status written, revision promoted",
        explanation: "The controller writes the counts it found into the status. When every pod runs the update revision and is Ready, the update revision becomes the current revision. Old ControllerRevisions beyond `revisionHistoryLimit` (10) are pruned.",
        doc: None,
        code: &[
            Code { function: "completeRollingUpdate", file: UTILS },
            Code { function: "truncateHistory", file: CONTROL },
        ],
    },
    Rule {
        id: "3",
        title: "podManagementPolicy",
        explanation: "`OrderedReady` (the default) creates pods one at a time in ordinal order, each after the one before is Running and Ready, and scales down highest ordinal first, one at a time. `Parallel` creates and deletes pods all at once without waiting. The policy changes scaling only: rolling updates still replace one pod at a time, highest ordinal first.",
        doc: sts_doc!("Pod Management Policies", "#pod-management-policies"),
        code: &[
            Code { function: "runForAll", file: CONTROL },
            Code { function: "processCondemned", file: CONTROL },
        ],
    },
    Rule {
        id: "4",
        title: "Updates",
        explanation: "Changing the pod template (image, env, labels) is an update. `RollingUpdate` (the default) replaces pods automatically; `OnDelete` waits until you delete them.",
        doc: sts_doc!("Update strategies", "#update-strategies"),
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "4.1",
        title: "What starts an update",
        explanation: "Any change to `spec.template` makes a new revision: a new image, env, labels or annotations (`kubectl rollout restart` changes an annotation). Changing replicas, the partition or the strategy does not.",
        doc: sts_doc!("Rolling Updates", "#rolling-updates"),
        code: &[Code { function: "getStatefulSetRevisions", file: CONTROL }],
    },
    Rule {
        id: "4.2",
        title: "Rolling update, highest ordinal first",
        explanation: "The controller deletes the old pod with the highest ordinal, lets it be recreated at the new revision, and waits until that new pod is Running and Ready before deleting the next one down. One pod at a time, from the highest ordinal to the lowest (or down to the partition). A pod that never becomes Ready stops the rollout.",
        doc: sts_doc!("Rolling Updates", "#rolling-updates"),
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "4.3",
        title: "maxUnavailable",
        explanation: "With the MaxUnavailableStatefulSet feature gate on, `rollingUpdate.maxUnavailable` lets the controller replace several pods at once, still highest ordinal first, as long as fewer pods than that are unavailable (a pod counts once Ready for minReadySeconds). Up to 1.36, with Parallel, an old pod that never gets Ready counts against that budget and stalls the rollout (kubernetes/kubernetes #137409); 1.37 replaces such pods first (#137666). With the gate off it is ignored and updates go one pod at a time.",
        doc: sts_doc!("Maximum unavailable Pods", "#maximum-unavailable-pods"),
        code: &[Code { function: "updateStatefulSetAfterInvariantEstablished", file: CONTROL }],
    },
    Rule {
        id: "4.4",
        title: "Partition",
        explanation: "A partition is one threshold: pods with an ordinal ≥ partition get the new revision, pods below it keep the current one, even if you delete them. There are no separate groups updated independently. Partition ≥ replicas stages an update (no pod changes); replicas−1 is a canary of the highest pod; lowering it step by step is a phased rollout.",
        doc: sts_doc!("Partitioned rolling updates", "#partitions"),
        code: &[
            Code { function: "updateStatefulSet", file: CONTROL },
            Code { function: "newVersionedStatefulSetPod", file: UTILS },
        ],
    },
    Rule {
        id: "4.5",
        title: "Status fields",
        explanation: "`currentReplicas` counts pods at the current revision, `updatedReplicas` pods at the update revision, `readyReplicas` pods that are Ready. `currentRevision` becomes the update revision only when every pod is updated and Ready, so during a partitioned rollout it stays at the old one.",
        doc: Some(Doc {
            title: "StatefulSet API reference — StatefulSetStatus",
            url: "kubernetes.io/docs/reference/kubernetes-api/workload-resources/stateful-set-v1/#StatefulSetStatus",
        }),
        code: &[
            Code { function: "computeReplicaStatus", file: CONTROL },
            Code { function: "completeRollingUpdate", file: UTILS },
        ],
    },
    Rule {
        id: "4.6",
        title: "Rollback and forced rollback",
        explanation: "`kubectl rollout undo` puts the previous template back; the controller reuses its old revision, so only pods at the bad revision are replaced. If a pod of the bad revision never became Ready, the controller keeps waiting for it: you must delete that pod so it is recreated at the good revision.",
        doc: sts_doc!("Forced rollback", "#forced-rollback"),
        code: &[
            Code { function: "StatefulSetRollbacker.Rollback", file: "kubernetes/kubectl pkg/polymorphichelpers/rollback.go" },
            Code { function: "getStatefulSetRevisions", file: CONTROL },
        ],
    },
    Rule {
        id: "4.7",
        title: "Recreate",
        explanation: "With `updateStrategy.type: Recreate` (1.37, alpha, behind the StatefulSetRecreateStrategy gate) a template change deletes every pod at once, and new pods are created only when all old ones are gone. Old and new versions never run side by side, at the price of downtime. Where the gate is off, the API server refuses the strategy.",
        doc: sts_doc!("Recreate", "#recreate"),
        code: &[Code { function: "ValidateStatefulSetSpec", file: "kubernetes/kubernetes pkg/apis/apps/validation/validation.go" }],
    },
    Rule {
        id: "5",
        title: "Claims outlive pods",
        explanation: "Each pod gets its own PersistentVolumeClaim from `volumeClaimTemplates`, created before the pod. The claim survives pod deletion, updates and scale-down, so a pod recreated with the same ordinal finds its data again. `persistentVolumeClaimRetentionPolicy` can delete claims on scale-down (`whenScaled`) or when the set is deleted (`whenDeleted`).",
        doc: sts_doc!("PersistentVolumeClaim retention", "#persistentvolumeclaim-retention"),
        code: &[
            Code { function: "createPersistentVolumeClaims", file: POD_CONTROL },
            Code { function: "UpdatePodClaimForRetentionPolicy", file: POD_CONTROL },
        ],
    },
    Rule {
        id: "6",
        title: "Start ordinal",
        explanation: "`spec.ordinals.start` makes the pods count from another number (start 5: `web-5`, `web-6`, ...). The partition counts from the start, not from 0.",
        doc: sts_doc!("Start ordinal", "#start-ordinal"),
        code: &[Code { function: "getStartOrdinal", file: UTILS }],
    },
    Rule {
        id: "7",
        title: "Validation and defaults",
        explanation: "The API server fills in defaults (1 replica, OrderedReady, RollingUpdate with partition 0) and rejects invalid sets. After creation only replicas, ordinals, template, updateStrategy, retention policy and minReadySeconds may change: changing `podManagementPolicy`, `serviceName`, the selector or `volumeClaimTemplates` is refused as a whole.",
        doc: None,
        code: &[
            Code { function: "ValidateStatefulSetUpdate", file: "kubernetes/kubernetes pkg/apis/apps/validation/validation.go" },
            Code { function: "SetDefaults_StatefulSet", file: "kubernetes/kubernetes pkg/apis/apps/v1/defaults.go" },
        ],
    },
    Rule {
        id: "8",
        title: "kubectl get output",
        explanation: "`kubectl get` prints the server's table for each type: READY for a StatefulSet is ready replicas out of wanted replicas, and a pod's AGE restarts when it is recreated while its claim's AGE does not.",
        doc: Some(Doc { title: "kubectl get", url: "kubernetes.io/docs/reference/kubectl/generated/kubectl_get/" }),
        code: &[Code { function: "printStatefulSet", file: "kubernetes/kubernetes pkg/printers/internalversion/printers.go" }],
    },
    Rule {
        id: "9",
        title: "kubectl rollout status",
        explanation: "`kubectl rollout status` waits for the pods to be ready and updated, and prints a line at each change. It counts only the pods at or above the partition, and refuses sets with the OnDelete strategy.",
        doc: Some(Doc { title: "kubectl rollout status", url: "kubernetes.io/docs/reference/kubectl/generated/kubectl_rollout/kubectl_rollout_status/" }),
        code: &[Code { function: "StatefulSetStatusViewer.Status", file: "kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go" }],
    },
    Rule {
        id: "10",
        title: "Service traffic",
        explanation: "A Service sends each new connection to one Ready pod chosen at random, so each of N Ready pods gets about 1/N of the requests. A canary pod among N therefore gets ≈1/N: the share follows the pod count and cannot be set to a small percentage. Pods that are not Ready get nothing.",
        doc: Some(Doc { title: "Virtual IPs and Service Proxies", url: "kubernetes.io/docs/reference/networking/virtual-ips/" }),
        code: &[Code { function: "writeServiceToEndpointRules", file: "kubernetes/kubernetes pkg/proxy/iptables/proxier.go" }],
    },
    Rule {
        id: "11",
        title: "Helm",
        explanation: "`helm install --dry-run --debug` prints the values and the rendered manifests without installing anything; Helm installs the objects in a fixed order by kind (Services before StatefulSets).",
        doc: Some(Doc { title: "Helm — helm install", url: "helm.sh/docs/helm/helm_install/" }),
        code: &[Code { function: "InstallOrder", file: "helm/helm pkg/releaseutil/kind_sorter.go" }],
    },
    Rule {
        id: "13",
        title: "Where the docs and the code differ",
        explanation: "In a few places the Kubernetes documentation says one thing and the controller does another; the app follows the code.",
        doc: None,
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "13.5",
        title: "Partition counts from the start ordinal",
        explanation: "With `ordinals.start`, the partition is compared with the pod's position (ordinal − start), not with its ordinal: with start 5 and partition 1, `web-6` and up are updated.",
        doc: sts_doc!("Start ordinal", "#start-ordinal"),
        code: &[Code { function: "updateStatefulSet", file: CONTROL }],
    },
    Rule {
        id: "13.7",
        title: "minReadySeconds also orders scaling",
        explanation: "The docs mention `minReadySeconds` for rolling updates only, but the controller also waits for it before creating the next pod or deleting one when scaling.",
        doc: sts_doc!("Minimum ready seconds", "#minimum-ready-seconds"),
        code: &[Code { function: "processReplica", file: CONTROL }],
    },
    Rule {
        id: "node",
        title: "A node is lost",
        explanation: "When a node stops reporting, the node lifecycle controller marks it NotReady after node-monitor-grace-period (50s), sets its pods' Ready condition False and taints it node.kubernetes.io/unreachable. Each pod tolerates that taint for 300s, then the taint eviction controller deletes it; with no kubelet to confirm, the pod stays Terminating, and the StatefulSet controller never replaces a pod whose name still exists, so the set stays short. The ways out: the node comes back, you force-delete the pod (safe only if the node is really off), or you taint the node node.kubernetes.io/out-of-service so the pod garbage collector removes its pods.",
        doc: Some(Doc {
            title: "Taints and Tolerations — Taint based Evictions",
            url: "kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions",
        }),
        code: &[
            Code {
                function: "monitorNodeHealth",
                file: "kubernetes/kubernetes pkg/controller/nodelifecycle/node_lifecycle_controller.go",
            },
            Code { function: "MarkPodsNotReady", file: "kubernetes/kubernetes pkg/controller/util/node/controller_utils.go" },
            Code { function: "processPodOnNode", file: "kubernetes/kubernetes pkg/controller/tainteviction/taint_eviction.go" },
            Code { function: "gcTerminating", file: "kubernetes/kubernetes pkg/controller/podgc/gc_controller.go" },
            Code { function: "processReplica", file: CONTROL },
        ],
    },
    Rule {
        id: "drain",
        title: "kubectl drain asks the PodDisruptionBudget",
        explanation: "kubectl drain cordons the node, then evicts each of its pods through the Eviction API, which refuses (429) when a PodDisruptionBudget selecting the pod allows no disruption now: its healthy pods minus the ones it needs (minAvailable, or the pods expected minus maxUnavailable, percentages rounded up). kubectl tries a refused eviction again every 5s, waits for every evicted pod to be gone, and prints node/NAME drained; the node stays cordoned. A budget only guards voluntary evictions: kubectl delete pod, a lost node and the taint eviction controller do not ask it.",
        doc: Some(Doc {
            title: "Safely Drain a Node",
            url: "kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/",
        }),
        code: &[
            Code { function: "evictPods", file: "kubernetes/kubectl pkg/drain/drain.go" },
            Code { function: "checkAndDecrement", file: "kubernetes/kubernetes pkg/registry/core/pod/storage/eviction.go" },
            Code { function: "updatePdbStatus", file: "kubernetes/kubernetes pkg/controller/disruption/disruption.go" },
        ],
    },
    Rule {
        id: "config",
        title: "A container's Secret or ConfigMap is missing",
        explanation: "The kubelet builds a container's environment just before it creates the container: each env value taken from a Secret or ConfigMap key, and each envFrom, is read then. A Secret, ConfigMap or key that is missing, and not marked optional, stops the container with CreateContainerConfigError: the pod stays Pending, not Ready, and the kubelet tries again every 10 seconds, so it starts soon after the object is created. With OrderedReady the controller creates no later pod meanwhile. A running container keeps the environment it started with when the Secret changes or goes.",
        doc: Some(Doc {
            title: "Secrets — Using Secrets as environment variables",
            url: "kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables",
        }),
        code: &[
            Code { function: "makeEnvironmentVariables", file: "kubernetes/kubernetes pkg/kubelet/kubelet_pods.go" },
            Code { function: "startContainer", file: "kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go" },
            Code { function: "completeWork", file: "kubernetes/kubernetes pkg/kubelet/pod_workers.go" },
        ],
    },
    Rule {
        id: "13.13",
        title: "Two unhealthy condemned pods block",
        explanation: "When scaling down with OrderedReady, only the lowest unhealthy pod may be deleted; if the highest condemned pod is unhealthy and a lower one too, scale-down waits.",
        doc: None,
        code: &[Code { function: "processCondemned", file: CONTROL }],
    },
];

/// The rule with this id (`4.4`, `2.5a`).
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One citation in a text: the bytes to make a button of, and the rule id it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// Byte range in the text: `spec §4.4` for the first id of a citation, `§4.2` (or `4.2`) for
    /// the next ones of a list (`spec §2, §4.2`).
    pub range: Range<usize>,
    /// The id (`4.4`).
    pub id: String,
}

/// An id at `at` (`4`, `4.4`, `2.5a`, `13.13`): its end, or None.
fn id_at(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = at;
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return None;
    }
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        digits(&mut i);
    }
    // A sub-step letter (`2.5a`) when it ends the word.
    if i < b.len() && b[i].is_ascii_lowercase() && !b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    if b.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    Some(i)
}

/// Every citation in `text`, in order: `spec §4.4`, `rule §4.5`, `spec 4.6`, `(spec §1)`, a bare
/// `§3`, and the further ids of a list (`spec §2, §4.2`, `spec §8, §9`, `spec 4.6, 13.13`). An id
/// written without `§` counts only after `spec` or `rule`, and only when it names a rule, so a
/// number in prose is never taken for one.
pub fn citations(text: &str) -> Vec<Citation> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let word = ["spec ", "rule ", "Spec ", "Rule "].iter().find(|w| text[i..].starts_with(**w));
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let (start, mut at, marked) = match word {
            Some(w) if word_start => {
                let after = i + w.len();
                if text[after..].starts_with('§') {
                    (i, after + '§'.len_utf8(), true)
                } else {
                    (i, after, false)
                }
            }
            _ if text[i..].starts_with('§') => (i, i + '§'.len_utf8(), true),
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
        };
        if marked && text[at..].starts_with(' ') {
            at += 1;
        }
        let Some(end) = id_at(text, at) else {
            i = at.max(i + 1);
            continue;
        };
        let id = &text[at..end];
        if !marked && rule(id).is_none() {
            i = end;
            continue;
        }
        out.push(Citation { range: start..end, id: id.to_string() });
        // Further ids of a list: `, §4.2`, `, 4.2`, ` and §5`.
        let mut j = end;
        loop {
            let rest = &text[j..];
            let sep = [", ", " and ", ", and "].iter().find(|s| rest.starts_with(**s));
            let Some(sep) = sep else { break };
            let k = j + sep.len();
            let (k2, marked) = if text[k..].starts_with('§') { (k + '§'.len_utf8(), true) } else { (k, false) };
            let Some(e) = id_at(text, k2) else { break };
            let id = &text[k2..e];
            if !marked && rule(id).is_none() {
                break;
            }
            out.push(Citation { range: k..e, id: id.to_string() });
            j = e;
        }
        i = j;
    }
    out
}

/// `text` with every citation written out for a reader who has no spec: `spec §4.4` becomes
/// `rule 4.4: Partition`. Ids that name no rule are kept as written.
pub fn readable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for c in citations(text) {
        out.push_str(&text[from..c.range.start]);
        match rule(&c.id) {
            Some(r) => out.push_str(&format!("rule {}: {}", r.id, r.title)),
            None => out.push_str(&text[c.range.clone()]),
        }
        from = c.range.end;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        citations(text).into_iter().map(|c| c.id).collect()
    }

    #[test]
    fn every_form_of_citation_is_found_with_its_bytes() {
        let t = "rolls back (spec §4.4). Also rule §4.5, spec 4.6 and (spec §1)";
        let c = citations(t);
        assert_eq!(ids(t), ["4.4", "4.5", "4.6", "1"]);
        assert_eq!(&t[c[0].range.clone()], "spec §4.4");
        assert_eq!(&t[c[1].range.clone()], "rule §4.5");
        assert_eq!(&t[c[2].range.clone()], "spec 4.6");
        assert_eq!(&t[c[3].range.clone()], "spec §1");
    }

    #[test]
    fn a_list_of_sections_gives_one_citation_per_id() {
        let t = "(stable identity, spec §1, §2); (spec §2.6, §13.13); spec 4.6, 13.13; spec §2.5a.";
        let c = citations(t);
        assert_eq!(ids(t), ["1", "2", "2.6", "13.13", "4.6", "13.13", "2.5a"]);
        assert_eq!(&t[c[1].range.clone()], "§2");
        assert_eq!(&t[c[5].range.clone()], "13.13");
    }

    #[test]
    fn numbers_in_prose_are_not_citations() {
        assert!(citations("scale to 3 replicas, spec 99 times, respect 4.4, inspection 2").is_empty());
        assert!(citations("§").is_empty());
        assert_eq!(ids("a bare §3 counts"), ["3"]);
    }

    #[test]
    fn citations_read_as_rule_titles() {
        assert_eq!(
            readable("web-0 stays at A (spec §4.4). Parallel (spec §2, §3)"),
            "web-0 stays at A (rule 4.4: Partition). Parallel (rule 2: The controller's sync, rule 3: podManagementPolicy)"
        );
    }

    #[test]
    fn ids_are_unique_and_explanations_short() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(RULES[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
            let sentences = r.explanation.matches(". ").count() + 1;
            assert!((1..=4).contains(&sentences), "{}: {sentences} sentences", r.id);
            assert!(r.doc.is_some() || !r.code.is_empty(), "{} names no source", r.id);
        }
    }

    /// Every rule id the engine writes into an event (`Event::rule`), in every guided scenario.
    #[test]
    fn every_rule_the_engine_emits_is_explained() {
        for guide in crate::guide::builtin().unwrap() {
            let id = &guide.id;
            let parsed = crate::scenario::parse(&guide.text, &crate::guide::load_input).unwrap();
            let t = crate::scenario::run(&parsed).unwrap();
            for e in t.cluster.events() {
                assert!(rule(e.rule).is_some(), "{id}: event rule {:?} ({}) has no entry", e.rule, e.text);
            }
        }
    }

    /// Every rule id literal in the engine's code (outside its tests), emitted or not by the
    /// guided scenarios: `c.delete_pod(o, "4.2", ...)`. The engine writes no other quoted
    /// numbers outside tests, so every such literal is a rule.
    #[test]
    fn every_rule_id_literal_in_the_engine_is_explained() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/engine");
        let mut dirs = vec![root];
        let mut missing = Vec::new();
        let mut seen = 0;
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                for lit in code.split('"').skip(1).step_by(2) {
                    let is_id = id_at(lit, 0) == Some(lit.len());
                    if is_id {
                        seen += 1;
                        if rule(lit).is_none() {
                            missing.push(format!("{}: \"{lit}\"", p.display()));
                        }
                    }
                }
            }
        }
        assert!(seen > 10, "the scan found the engine's rule ids");
        assert!(missing.is_empty(), "rule ids without an entry: {missing:#?}");
    }

    /// Every citation in the sources, the scenario files and a lab report resolves.
    #[test]
    fn every_citation_in_the_sources_and_scenarios_is_explained() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut dirs = vec![root.join("src"), root.join("public/scenarios")];
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "rs" || x == "yaml") {
                    files.push(p);
                }
            }
        }
        // Engine rule literals too: `"4.2"` passed as a rule, read off the call sites.
        let mut missing = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            if f.ends_with("guide/rules.rs") {
                continue;
            }
            for c in citations(&text) {
                if rule(&c.id).is_none() {
                    missing.push(format!("{}: {}", f.display(), &text[c.range]));
                }
            }
        }
        assert!(missing.is_empty(), "citations without an entry: {missing:#?}");
    }
}
