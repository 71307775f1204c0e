//! `minikube` in the lab's terminal: only `minikube start [--kubernetes-version=vX]`, the command
//! that upgrades the running cluster in place ([`crate::engine::upgrade`]). Other subcommands are
//! refused with a sentence saying what the terminal runs, rather than pretending.

use crate::engine::{Action, Cluster, KubeVersion};

use super::cli::Outcome;

/// Runs `minikube ARGS` (`args` are the words after `minikube`).
pub fn run(cluster: &Cluster, args: &[String]) -> Outcome {
    match args.first().map(String::as_str) {
        Some("start") => start(cluster, &args[1..]),
        // cobra's text for an unknown command (minikube's root command is a cobra.Command).
        Some(other) if !other.starts_with('-') && !KNOWN.contains(&other) => Outcome::err(format!(
            "Error: unknown command \"{other}\" for \"minikube\"\nRun 'minikube --help' for usage."
        )),
        _ => Outcome::err(
            "the lab's terminal runs `minikube start --kubernetes-version=vX` (an in-place upgrade of this cluster) \
             and no other minikube command",
        ),
    }
}

/// minikube's other subcommands: real, but not simulated here.
const KNOWN: &[&str] = &[
    "addons",
    "cache",
    "completion",
    "config",
    "cp",
    "dashboard",
    "delete",
    "docker-env",
    "help",
    "image",
    "ip",
    "kubectl",
    "license",
    "logs",
    "mount",
    "node",
    "options",
    "pause",
    "podman-env",
    "profile",
    "service",
    "ssh",
    "ssh-host",
    "ssh-key",
    "status",
    "stop",
    "tunnel",
    "unpause",
    "update-check",
    "update-context",
    "version",
];

fn start(cluster: &Cluster, args: &[String]) -> Outcome {
    let mut version = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        let value = if let Some(v) = a.strip_prefix("--kubernetes-version=") {
            Some(v.to_string())
        } else if a == "--kubernetes-version" {
            i += 1;
            match args.get(i) {
                Some(v) => Some(v.clone()),
                // pflag's text for a flag without its argument.
                None => return Outcome::err("Error: flag needs an argument: --kubernetes-version"),
            }
        } else {
            return Outcome::err(format!(
                "the lab's terminal takes only --kubernetes-version with minikube start, not {a:?}"
            ));
        };
        version = value;
        i += 1;
    }
    let target = match version {
        None => cluster.version(),
        Some(text) => match KubeVersion::parse(&text) {
            Ok(v) => v,
            Err(e) => return Outcome::err(e),
        },
    };
    Outcome::Act(Action::UpgradeControlPlane(target))
}

/// The minikube the lab's cluster was made with (`minikube start --nodes 3`, docker driver): its
/// release, its kicbase image and the Docker inside it, as minikube v1.37.0 prints them.
const MINIKUBE: &str = "v1.37.0";
const KICBASE: &str = "v0.0.48";
const DOCKER: &str = "28.4.0";

/// What `minikube start --kubernetes-version=vX` prints on an existing three-node docker profile
/// (the emoji lines of pkg/minikube/out, `style.Happy` … `style.Ready`; the host line is one
/// machine's, since it names the host's OS).
pub fn start_output(to: KubeVersion, node_ips: &[(String, String)]) -> String {
    let mut out = vec![
        format!("😄  minikube {MINIKUBE} on Ubuntu 24.04"),
        "✨  Using the docker driver based on existing profile".to_string(),
    ];
    let mut proxies: Vec<&str> = Vec::new();
    for (i, (name, ip)) in node_ips.iter().enumerate() {
        if i == 0 {
            out.push(format!("👍  Starting \"{name}\" primary control-plane node in \"minikube\" cluster"));
        } else {
            out.push(String::new());
            out.push(format!("👍  Starting \"{name}\" worker node in \"minikube\" cluster"));
        }
        out.push(format!("🚜  Pulling base image {KICBASE} ..."));
        out.push(format!("🏃  Updating the running docker \"{name}\" container ..."));
        if i > 0 {
            out.push("🌐  Found network options:".to_string());
            out.push(format!("    ▪ NO_PROXY={}", proxies.join(",")));
        }
        out.push(format!("🐳  Preparing Kubernetes v{to} on Docker {DOCKER} ..."));
        for n in 1..=proxies.len().min(i) {
            out.push(format!("    ▪ env NO_PROXY={}", proxies[..n].join(",")));
        }
        out.push("🔎  Verifying Kubernetes components...".to_string());
        if i == 0 {
            out.push("    ▪ Using image gcr.io/k8s-minikube/storage-provisioner:v5".to_string());
            out.push("🌟  Enabled addons: default-storageclass, storage-provisioner".to_string());
        }
        proxies.push(ip);
    }
    out.push(
        "🏄  Done! kubectl is now configured to use \"minikube\" cluster and \"default\" namespace by default"
            .to_string(),
    );
    out.join("\n")
}

/// minikube's refusal of a downgrade (cmd/minikube/cmd/start.go `validateKubernetesVersion`:
/// `exit.Message(reason.KubernetesDowngrade, "Unable to safely downgrade existing Kubernetes
/// v{{.old}} cluster to v{{.new}}")`, reason `K8S_DOWNGRADE_UNSUPPORTED`, with its suggestion).
pub fn downgrade_refusal(from: KubeVersion, to: KubeVersion) -> String {
    let (old, new) = (from.to_string(), to.to_string());
    format!(
        "🙈  Exiting due to K8S_DOWNGRADE_UNSUPPORTED: Unable to safely downgrade existing Kubernetes v{old} cluster to v{new}\n\
         💡  Suggestion: \n\n    \
         1) Recreate the cluster with Kubernetes {new}, by running:\n    \n    \
         minikube delete\n    \
         minikube start --kubernetes-version=v{new}\n    \n    \
         2) Create a second cluster with Kubernetes {new}, by running:\n    \n    \
         minikube start -p minikube2 --kubernetes-version=v{new}\n    \n    \
         3) Use the existing cluster at version Kubernetes {old}, by running:\n    \n    \
         minikube start --kubernetes-version=v{old}\n    "
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn start_with_a_version_is_an_upgrade_action() {
        let c = crate::engine::Cluster::from_release(
            &crate::input::parse(include_str!("../../tests/scenarios/inputs/web.yaml")),
            Some("web"),
            1,
            Default::default(),
        )
        .unwrap();
        assert_eq!(
            run(&c, &words("start --kubernetes-version=v1.34.2")),
            Outcome::Act(Action::UpgradeControlPlane(KubeVersion::new(34, 2)))
        );
        assert_eq!(
            run(&c, &words("start --kubernetes-version 1.36")),
            Outcome::Act(Action::UpgradeControlPlane(KubeVersion::new(36, 0)))
        );
        assert_eq!(
            run(&c, &words("strat")),
            Outcome::err("Error: unknown command \"strat\" for \"minikube\"\nRun 'minikube --help' for usage.")
        );
        assert!(matches!(run(&c, &words("start --kubernetes-version=v1.30.0")), Outcome::Print { .. }));
    }
}
