//! The release as understood from a paste: its objects (k8s-openapi types), StatefulSets with their
//! Services, claims and references, hooks, values and notes, plus every diagnostic found on the way.
//!
//! This module is the contract between `input` (which builds a `Release`) and `engine`/`ui`
//! (which read it).

pub mod claims;
pub mod defaults;
mod diagnostic;
pub mod helm_header;
pub mod hooks;
pub mod objects;
pub mod references;
mod release;
pub mod selectors;
pub mod values;

pub use claims::Claim;
pub use defaults::{EffectiveSpec, PodManagementPolicy, RetentionPolicyType, UpdateStrategyType};
pub use diagnostic::{Diagnostic, Severity};
pub use helm_header::HelmHeader;
pub use hooks::{Hook, HookPhase};
pub use objects::{ObjectInfo, Section};
pub use references::{Reference, ReferenceKind};
pub use release::{InputKind, Release, StatefulSetInfo};
pub use values::Values;
