//! kubectl as kubectl prints it (spec §8-9), as pure functions of a [`crate::engine::Cluster`]:
//! [`get()`] tables (alone, together, `-o wide`), [`rollout_status()`], `get pods -w` lines
//! ([`watch::PodWatch`]) and `exec ... cat` of the counter file ([`exec_cat`]); and the lab's
//! terminal: [`run()`] one typed `kubectl`/`helm` line ([`Outcome`]), [`complete()`] its Tab completion.

pub mod cli;
pub mod commands;
pub mod complete;
pub mod describe;
pub mod duration;
pub mod exec;
pub mod flags;
pub mod get;
pub mod gotab;
pub mod helm;
pub mod minikube;
pub mod mutate;
pub mod objects;
pub mod output;
pub mod pods;
pub mod resource;
pub mod rollout;
pub mod rollout_status;
pub mod selector;
pub mod shell;
pub mod tabwriter;
pub mod watch;

pub use cli::{run, Outcome};
pub use complete::{complete, Completion};

pub use duration::human_duration;
pub use exec::exec_cat;
pub use get::get;
pub use rollout_status::{rollout_status, RolloutStatus};
pub use watch::PodWatch;

/// What kubectl prints for one of the read-only commands a guided scenario shows (`get TYPES
/// [-o wide]`, `exec POD -- cat FILE`, `rollout status ...`), at the cluster's moment; None for
/// any other command.
pub fn answer(cluster: &crate::engine::Cluster, command: &str) -> Option<String> {
    let words: Vec<&str> = command.strip_prefix("kubectl ").unwrap_or(command).split_whitespace().collect();
    match words.as_slice() {
        ["get", types, rest @ ..] if !rest.contains(&"-w") && !rest.contains(&"--watch") => {
            let wide = rest.windows(2).any(|p| p == ["-o", "wide"]) || rest.contains(&"-owide");
            Some(match get(cluster, types, wide) {
                Ok(t) | Err(t) => t,
            })
        }
        ["exec", pod, "--", "cat", path] => Some(match exec_cat(cluster, pod, path) {
            Ok(t) | Err(t) => t,
        }),
        ["rollout", "status", ..] => Some(rollout_status(cluster).message),
        _ => None,
    }
}
