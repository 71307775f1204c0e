//! The API server's part of a write, as `kube-apiserver` does it for the objects the lab stores:
//! the request body is decoded and **defaulted** ([`defaults`]), a patch is applied to the stored
//! object first ([`patch`]), the registry strategy drops fields of disabled feature gates and keeps
//! `status` ([`statefulset`]), then the object is **validated** as a create or an update
//! ([`validation`]) and only then stored. Every write of the engine (create, `kubectl apply`,
//! `kubectl patch`, `set image`, `rollout restart`, `rollout undo`, `scale`) goes through here, so the
//! controller, the ControllerRevision hash and `kubectl get -o yaml` all see the defaulted object.
//!
//! Pure Rust, no I/O: the functions act on a [`crate::engine::Cluster`]'s stored objects.

pub mod codec;
pub mod defaults;
pub mod patch;
pub mod requests;
pub mod statefulset;
pub mod validation;

pub use statefulset::{last_applied_configuration, LAST_APPLIED_ANNOTATION};
