//! Resource types as kubectl resolves them through discovery: plural, singular, short names and
//! `NAME.GROUP` forms, for the kinds the lab's cluster has (and the common ones it has none of).

/// A resource type the lab knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Res {
    Pod,
    Service,
    StatefulSet,
    Claim,
    Event,
    ControllerRevision,
    ConfigMap,
    Secret,
    /// Nodes (cluster-scoped: `-n` does not change what is listed).
    Node,
    /// PodDisruptionBudgets (policy/v1).
    Pdb,
    /// A type the API server has but the lab's cluster never holds (deployments, jobs, ...): its plural.
    Empty(&'static str),
}

impl Res {
    /// Resolves what a student types; `None` is kubectl's unknown resource type.
    pub fn parse(s: &str) -> Option<Res> {
        let s = s.to_ascii_lowercase();
        Some(match s.as_str() {
            "po" | "pod" | "pods" => Res::Pod,
            "svc" | "service" | "services" => Res::Service,
            "sts" | "statefulset" | "statefulsets" | "statefulset.apps" | "statefulsets.apps" => Res::StatefulSet,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => Res::Claim,
            "ev" | "event" | "events" => Res::Event,
            "controllerrevision" | "controllerrevisions" | "controllerrevision.apps" | "controllerrevisions.apps" => {
                Res::ControllerRevision
            }
            "cm" | "configmap" | "configmaps" => Res::ConfigMap,
            "secret" | "secrets" => Res::Secret,
            "no" | "node" | "nodes" => Res::Node,
            "deploy" | "deployment" | "deployments" | "deployment.apps" | "deployments.apps" => {
                Res::Empty("deployments")
            }
            "rs" | "replicaset" | "replicasets" | "replicaset.apps" | "replicasets.apps" => Res::Empty("replicasets"),
            "ds" | "daemonset" | "daemonsets" | "daemonset.apps" | "daemonsets.apps" => Res::Empty("daemonsets"),
            "job" | "jobs" | "job.batch" | "jobs.batch" => Res::Empty("jobs"),
            "cj" | "cronjob" | "cronjobs" | "cronjob.batch" | "cronjobs.batch" => Res::Empty("cronjobs"),
            "ing" | "ingress" | "ingresses" => Res::Empty("ingresses"),
            "hpa" | "horizontalpodautoscaler" | "horizontalpodautoscalers" => Res::Empty("horizontalpodautoscalers"),
            "rc" | "replicationcontroller" | "replicationcontrollers" => Res::Empty("replicationcontrollers"),
            "pdb"
            | "poddisruptionbudget"
            | "poddisruptionbudgets"
            | "poddisruptionbudget.policy"
            | "poddisruptionbudgets.policy" => Res::Pdb,
            _ => return None,
        })
    }

    /// The plural with its group, as the API server names it in errors (`statefulsets.apps`).
    pub fn qualified(self) -> &'static str {
        match self {
            Res::Pod => "pods",
            Res::Service => "services",
            Res::StatefulSet => "statefulsets.apps",
            Res::Claim => "persistentvolumeclaims",
            Res::Event => "events",
            Res::ControllerRevision => "controllerrevisions.apps",
            Res::ConfigMap => "configmaps",
            Res::Secret => "secrets",
            Res::Node => "nodes",
            Res::Pdb => "poddisruptionbudgets.policy",
            Res::Empty("deployments") => "deployments.apps",
            Res::Empty("replicasets") => "replicasets.apps",
            Res::Empty("daemonsets") => "daemonsets.apps",
            Res::Empty("jobs") => "jobs.batch",
            Res::Empty("cronjobs") => "cronjobs.batch",
            Res::Empty("ingresses") => "ingresses.networking.k8s.io",
            Res::Empty("horizontalpodautoscalers") => "horizontalpodautoscalers.autoscaling",
            Res::Empty(other) => other,
        }
    }

    /// `kind.group/` as `-o name` and multi-type tables print it (`statefulset.apps/web`).
    pub fn prefix(self) -> String {
        let kind = match self {
            Res::Pod => "pod",
            Res::Service => "service",
            Res::StatefulSet => "statefulset.apps",
            Res::Claim => "persistentvolumeclaim",
            Res::Event => "event",
            Res::ControllerRevision => "controllerrevision.apps",
            Res::ConfigMap => "configmap",
            Res::Secret => "secret",
            Res::Node => "node",
            Res::Pdb => "poddisruptionbudget.policy",
            Res::Empty(_) => "",
        };
        format!("{kind}/")
    }

    /// `Kind` of the object.
    pub fn kind(self) -> &'static str {
        match self {
            Res::Pod => "Pod",
            Res::Service => "Service",
            Res::StatefulSet => "StatefulSet",
            Res::Claim => "PersistentVolumeClaim",
            Res::Event => "Event",
            Res::ControllerRevision => "ControllerRevision",
            Res::ConfigMap => "ConfigMap",
            Res::Secret => "Secret",
            Res::Node => "Node",
            Res::Pdb => "PodDisruptionBudget",
            Res::Empty(_) => "",
        }
    }

    pub fn get_kind(self) -> Option<super::get::Kind> {
        use super::get::Kind;
        match self {
            Res::Pod => Some(Kind::Pod),
            Res::Service => Some(Kind::Service),
            Res::StatefulSet => Some(Kind::StatefulSet),
            Res::Claim => Some(Kind::Claim),
            _ => None,
        }
    }
}

/// `kubectl get all`: the `all` category, in the order discovery lists it (pods, services, ... statefulsets).
pub const ALL: &[Res] = &[Res::Pod, Res::Service, Res::StatefulSet];

/// Names offered by completion for resource types (short names first, as students type them).
pub const COMPLETE_TYPES: &[&str] = &[
    "all",
    "cm",
    "configmaps",
    "controllerrevisions",
    "controllerrevision",
    "ev",
    "events",
    "no",
    "nodes",
    "pdb",
    "poddisruptionbudgets",
    "persistentvolumeclaims",
    "po",
    "pods",
    "pvc",
    "secrets",
    "services",
    "statefulsets",
    "sts",
    "svc",
];
