//! The release as understood from a paste: its objects (k8s-openapi types), StatefulSets with their
//! Services, claims and references, hooks, values and notes, plus every diagnostic found on the way.
//!
//! This module is the contract between `input` (which builds a `Release`) and `engine`/`ui`
//! (which read it).

pub mod budgets;
pub mod claims;
mod diagnostic;
pub mod helm_header;
pub mod hooks;
pub mod objects;
pub mod references;
mod release;
pub mod selectors;
pub mod values;

/// The one StatefulSet spec type and its enums are the engine's (issue #11).
pub use crate::engine::spec::{PodManagementPolicy, RetentionPolicy, SetSpec, UpdateStrategy};
pub use claims::Claim;
pub use diagnostic::{Diagnostic, Severity};
pub use helm_header::HelmHeader;
pub use hooks::{Hook, HookPhase};
pub use objects::{ObjectInfo, Section};
pub use references::{Reference, ReferenceKind};
pub use release::{InputKind, Release, StatefulSetInfo};
pub use values::Values;
