//! kubectl as kubectl prints it (spec §8-9), as pure functions of a [`crate::engine::Cluster`]:
//! [`get()`] tables (alone, together, `-o wide`), [`rollout_status()`], `get pods -w` lines
//! ([`watch::PodWatch`]) and `exec ... cat` of the counter file ([`exec_cat`]).

pub mod duration;
pub mod exec;
pub mod get;
pub mod rollout_status;
pub mod tabwriter;
pub mod watch;

pub use duration::human_duration;
pub use exec::exec_cat;
pub use get::get;
pub use rollout_status::{rollout_status, RolloutStatus};
pub use watch::PodWatch;
