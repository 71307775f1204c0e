//! `helm ...` in the lab's terminal: helm's own texts for commands it does not know; the release
//! commands are not simulated yet.

use crate::engine::Cluster;

use super::cli::Outcome;

/// helm's root commands (cmd/helm/root.go), for cobra's unknown-command error.
pub const HELM_COMMANDS: &[&str] = &[
    "completion",
    "create",
    "dependency",
    "env",
    "get",
    "help",
    "history",
    "install",
    "lint",
    "list",
    "package",
    "plugin",
    "pull",
    "push",
    "registry",
    "repo",
    "rollback",
    "search",
    "show",
    "status",
    "template",
    "test",
    "uninstall",
    "upgrade",
    "verify",
    "version",
];

pub fn run(_cluster: &Cluster, words: &[String]) -> Outcome {
    let Some(verb) = words.iter().find(|w| !w.starts_with('-')) else {
        return Outcome::out(
            "The Kubernetes package manager\n\n(The lab's terminal does not simulate helm's release commands yet.)",
        );
    };
    if !HELM_COMMANDS.contains(&verb.as_str()) {
        // helm main.go prints cobra's error as `Error: %s`.
        return Outcome::err(format!("Error: unknown command \"{verb}\" for \"helm\"\nRun 'helm --help' for usage."));
    }
    Outcome::err(format!("# the lab's terminal does not simulate `helm {verb}` yet"))
}
