//! What the stage draws at one moment, and where: pure data computed from the engine's state,
//! so layout and labels are tested natively and the SVG view only paints it.

mod from_engine;
mod layout;
pub mod source;
/// The session moved to `crate::session`; kept here so older paths still compile.
pub use crate::session::{Mark, Session};

pub use from_engine::references;
pub use layout::{node_chips_fit, reference_label, Layout, Placed, Rect, NODE_CHIP};

/// A revision as the drawing shows it: a letter (colour is never the only signal) and a colour slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionChip {
    /// `A` for the first template seen, `B` for the next... (a rollback reuses the old letter, as
    /// the controller reuses the old ControllerRevision).
    pub letter: String,
    /// Index into the palette (`--rev-N` in the CSS).
    pub color: usize,
    /// ControllerRevision name, e.g. `web-6c5f8d9b7c`.
    pub name: String,
    /// `.revision` number (grows on rollback).
    pub number: i64,
    /// The first container image, what a student changed.
    pub image: String,
}

/// How a pod card looks: follows what `kubectl get pods` would say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodLook {
    Pending,
    NotReady,
    Ready,
    Failing,
    Terminating,
}

impl PodLook {
    pub fn as_str(self) -> &'static str {
        match self {
            PodLook::Pending => "pending",
            PodLook::NotReady => "notready",
            PodLook::Ready => "ready",
            PodLook::Failing => "failing",
            PodLook::Terminating => "terminating",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodCard {
    pub name: String,
    pub ordinal: i32,
    pub revision: Option<RevisionChip>,
    /// kubectl's STATUS column (`Running`, `ContainerCreating`, `Terminating`, `CrashLoopBackOff`...).
    pub status: String,
    /// kubectl's READY column (`1/1`).
    pub ready: String,
    pub look: PodLook,
    pub restarts: u32,
    /// Visits counted on this pod's volume (what `cat` of the counter file shows).
    pub visits: Option<u64>,
    /// Requests this pod received in the last traffic burst (for the request dots).
    pub recent_requests: u32,
    /// Its stable DNS name, when a headless governing Service selects it (spec §1); `None` when
    /// the set has no such Service (`Scene::service_warning` says why, once for all pods).
    pub dns: Option<PodDns>,
    /// The node it runs on (`spec.nodeName`), `None` while unscheduled.
    pub node: Option<String>,
    /// That node has stopped reporting (NotReady, or not yet noticed).
    pub node_lost: bool,
}

/// A pod's stable DNS name as drawn on its card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodDns {
    /// `web-1.nginx`: what a client in the namespace types (`curl web-1.nginx`).
    pub short: String,
    /// `web-1.nginx.default.svc.cluster.local`.
    pub fqdn: String,
    /// `None` while cluster DNS serves the name (it resolves to this pod's IP); otherwise why it
    /// resolves to nothing right now (the pod is not Ready, terminating, not yet scheduled...).
    pub unpublished: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCard {
    pub name: String,
    pub ordinal: i32,
    /// `Bound`, `Pending`, `Terminating`.
    pub status: String,
    pub capacity: String,
    pub volume: String,
    /// The counter file on the volume; None until the first request created it.
    pub visits: Option<u64>,
    /// A pod of the same ordinal exists and mounts it; false after a scale-down (drawn dimmed).
    pub attached: bool,
}

/// A Service of the input whose selector picks the set's pods (no other is ever drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBox {
    pub name: String,
    pub kind: String,
    pub cluster_ip: String,
    pub ports: String,
    pub headless: bool,
    /// Named by `spec.serviceName`.
    pub governing: bool,
    /// Gives the pods their DNS names: the governing Service, headless (spec §1).
    pub identity: bool,
    /// Where "requests through the Service" go (spec §10): kube-proxy spreads them over the Ready
    /// pods when it has a cluster IP; a headless one hands out every Ready pod's IP by DNS.
    pub traffic: bool,
}

impl ServiceBox {
    /// What the Service is for here, in a few words for its label.
    pub fn role(&self) -> &'static str {
        match (self.identity, self.traffic) {
            (true, true) => "pod DNS names and traffic",
            (true, false) => "pod DNS names",
            (false, true) => "traffic (kube-proxy)",
            (false, false) => "selects the pods",
        }
    }
}

/// A ConfigMap, Secret or ServiceAccount the pods name, as the cluster has it at this moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub kind: String,
    pub name: String,
    /// Not in the cluster (drawn red): a pod whose environment needs it cannot start.
    pub dangling: bool,
    /// Not in the paste, taken to be in the cluster already (the setting, on by default).
    pub assumed: bool,
    /// Every use is `optional: true`: missing, it blocks nothing.
    pub optional: bool,
}

impl Reference {
    /// What the chip's tooltip says.
    pub fn title(&self) -> String {
        let what = format!("{} {}", self.kind, self.name);
        match (self.dangling, self.assumed, self.optional) {
            (true, _, true) => {
                format!("{what}: not in the cluster; every use is optional, so the pods start without it")
            }
            (true, _, false) => format!(
                "{what}: the pods name it but it is not in the cluster: a pod whose environment needs it stops at \
                 CreateContainerConfigError until it is created"
            ),
            (false, true, _) => format!(
                "{what}: not in the paste; the lab assumes it is already in your cluster, as your pods ran (the \
                 Cluster row's checkbox shows a fresh cluster without it)"
            ),
            (false, false, _) => what,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub name: String,
    pub replicas: i32,
    /// `READY` as `kubectl get sts` prints it (`2/3`).
    pub ready: String,
    pub policy: String,
    pub strategy: String,
    pub partition: Option<i32>,
    pub ordinals_start: i32,
    pub current_revision: Option<RevisionChip>,
    pub update_revision: Option<RevisionChip>,
    pub revisions: Vec<RevisionChip>,
    /// The one Service a single box shows: the governing Service when its selector picks the
    /// pods, else the one traffic goes to; never a Service that does not select the pods.
    pub service: Option<ServiceBox>,
    /// Every Service worth drawing, at most two: the headless governing Service (identity) first,
    /// then the Service that carries traffic when it is another one.
    pub services: Vec<ServiceBox>,
    /// Why the pods have no DNS names (no headless governing Service, or it does not select them).
    pub service_warning: Option<String>,
    /// The last request sent to one pod's DNS name (`curl web-1.nginx`), until the next traffic.
    pub request: Option<crate::engine::traffic::DirectRequest>,
    pub pods: Vec<PodCard>,
    pub claims: Vec<ClaimCard>,
    pub references: Vec<Reference>,
    /// Share of requests per revision letter over the last burst, in percent.
    pub traffic_share: Vec<(String, u32)>,
    /// The cluster's nodes, by name, with the set's pods on each (for a UI that draws them).
    pub nodes: Vec<NodeBox>,
}

/// A node as the stage could draw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeBox {
    pub name: String,
    /// kubectl's STATUS (`Ready`, `NotReady`, `Ready,SchedulingDisabled`).
    pub status: String,
    /// It has stopped reporting (NotReady, or not yet noticed by the node lifecycle controller).
    pub lost: bool,
    /// Its taints as `kubectl describe node` writes them (`key=value:Effect`).
    pub taints: Vec<String>,
    /// The set's pods bound to it, in ordinal order.
    pub pods: Vec<String>,
    /// Their ordinals, in the same order (the stage draws these as chips).
    pub ordinals: Vec<i32>,
}

impl Scene {
    /// What the partition means for this set, in words, or None when it changes nothing.
    pub fn partition_label(&self) -> Option<String> {
        let p = self.partition?;
        if p <= 0 || self.strategy != "RollingUpdate" {
            return None;
        }
        if p >= self.replicas {
            return Some(format!("partition {p}: no pod gets the new revision (staged)"));
        }
        Some(format!("ordinals ≥ {} get the new revision", self.ordinals_start + p))
    }
}
