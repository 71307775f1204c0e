//! `kubectl exec POD -- cat <counter file>`: the lab app's visit counter, `{"count": N}`, read from
//! the pod's own volume.

use crate::engine::Cluster;

/// `Ok` is the file's content; `Err` is what kubectl prints on stderr.
pub fn exec_cat(cluster: &Cluster, pod: &str, path: &str) -> Result<String, String> {
    let pod = pod.strip_prefix("pod/").unwrap_or(pod);
    let Some(p) = cluster.pods().find(|p| p.name == pod) else {
        return Err(format!("Error from server (NotFound): pods \"{pod}\" not found"));
    };
    let container = cluster
        .statefulset()
        .and_then(|s| s.spec.containers.first().map(|c| c.0.clone()))
        .unwrap_or_else(|| "app".into());
    let running = p.started_at.is_some() && !p.containers_stopped && !p.crash_state(cluster.now()).backing_off;
    if !running {
        return Err(format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    }
    match cluster.visits_of(p) {
        Some(n) => Ok(format!("{{\"count\": {n}}}")),
        None => Err(format!("cat: {path}: No such file or directory\ncommand terminated with exit code 1")),
    }
}
