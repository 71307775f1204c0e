//! The release as understood from a paste: its objects (k8s-openapi types), StatefulSets with their
//! Services, claims and references, hooks, values and notes, plus every diagnostic found on the way.
//!
//! This module is the contract between `input` (which builds a `Release`) and `engine`/`ui`
//! (which read it).

mod diagnostic;
mod release;

pub use diagnostic::{Diagnostic, Severity};
pub use release::{InputKind, Release, StatefulSetInfo};
