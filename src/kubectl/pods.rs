//! `kubectl exec` and `kubectl logs` on the lab's pods.

use crate::engine::Cluster;

use super::cli::{error, namespace, not_found, usage_error, Outcome};
use super::flags::Parsed;
use super::resource::Res;

/// Strips `pod/`/`po/`/`pods/` from a pod argument.
fn pod_arg(a: &str) -> Result<&str, String> {
    match a.split_once('/') {
        Some((t, n)) if Res::parse(t) == Some(Res::Pod) => Ok(n),
        Some((t, _)) => Err(format!("error: the lab's terminal can only exec into pods, not {t}")),
        None => Ok(a),
    }
}

/// `kubectl exec POD -- cat FILE`: the lab app's counter file (the only command its image serves here).
pub fn exec(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    let before: Vec<&String> = p.args.iter().take(p.dash.unwrap_or(p.args.len())).collect();
    let command: Vec<&String> = p.dash.map(|d| p.args[d..].iter().collect()).unwrap_or_default();
    let Some(pod) = before.first() else {
        // exec.go Complete
        return usage_error(cmd, "pod, type/name or --filename must be specified");
    };
    if command.is_empty() {
        return usage_error(cmd, "you must specify at least one command for the container");
    }
    let pod = match pod_arg(pod) {
        Ok(p) => p,
        Err(e) => return error(e),
    };
    if !namespace(cluster, p).here {
        return Outcome::err(not_found(Res::Pod, pod));
    }
    match command.as_slice() {
        [c, path] if c.as_str() == "cat" => match super::exec_cat(cluster, pod, path) {
            Ok(t) => Outcome::out(t),
            Err(e) => Outcome::err(e),
        },
        _ => {
            if cluster.pods().all(|x| x.name != pod) {
                return Outcome::err(not_found(Res::Pod, pod));
            }
            Outcome::err(format!(
                "# the lab's pods only simulate `cat <counter file>`; `{}` is not simulated",
                command.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
            ))
        }
    }
}

/// `kubectl logs POD`. The lab's counter app is simulated, not run, so there are no real log lines:
/// this prints nothing for a started container (honestly empty rather than invented), kubectl's
/// errors for a pod that does not exist or whose container has not started, and a note saying so.
pub fn logs(cluster: &Cluster, p: &Parsed, cmd: &str) -> Outcome {
    let Some(pod) = p.args.first() else {
        return usage_error(cmd, "expected POD_NAME or TYPE/NAME along with the logs command");
    };
    let pod = match pod_arg(pod) {
        Ok(p) => p,
        Err(e) => return error(e),
    };
    let Some(x) = cluster.pods().find(|x| x.name == pod).filter(|_| namespace(cluster, p).here) else {
        return Outcome::err(not_found(Res::Pod, pod));
    };
    let container = cluster
        .statefulset()
        .and_then(|s| s.spec.containers.first().map(|c| c.0.clone()))
        .unwrap_or_else(|| "app".into());
    if x.started_at.is_none() {
        // The kubelet's answer while the container is being created.
        return Outcome::err(format!(
            "Error from server (BadRequest): container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating"
        ));
    }
    Outcome::err("# (the lab simulates the counter app without running it, so its container has no log lines to show)")
}
