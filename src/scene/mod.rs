//! What the stage draws at one moment, and where: pure data computed from the engine's state,
//! so layout and labels are tested natively and the SVG view only paints it.

mod from_engine;
mod layout;
pub mod source;
/// The session moved to `crate::session`; kept here so older paths still compile.
pub use crate::session::{Mark, Session};

pub use layout::{reference_label, Layout, Placed, Rect};

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

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBox {
    pub name: String,
    pub kind: String,
    pub cluster_ip: String,
    pub ports: String,
    pub headless: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub kind: String,
    pub name: String,
    pub dangling: bool,
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
    pub service: Option<ServiceBox>,
    /// Why the Service box wears a warning badge (no headless governing Service).
    pub service_warning: Option<String>,
    pub pods: Vec<PodCard>,
    pub claims: Vec<ClaimCard>,
    pub references: Vec<Reference>,
    /// Share of requests per revision letter over the last burst, in percent.
    pub traffic_share: Vec<(String, u32)>,
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
