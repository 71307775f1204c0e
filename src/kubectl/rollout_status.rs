//! `kubectl rollout status statefulset/NAME` (spec §9): the same checks in the same order as
//! kubectl's StatefulSetStatusViewer, with its exact strings.

use crate::engine::{Cluster, UpdateStrategy};

/// One evaluation of the rollout status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloutStatus {
    /// The line kubectl prints (without the trailing newline).
    pub message: String,
    /// The rollout is complete (kubectl exits 0).
    pub done: bool,
    /// kubectl refuses (prints on stderr, exits 1).
    pub error: bool,
}

pub fn rollout_status(cluster: &Cluster) -> RolloutStatus {
    let err = |m: String| RolloutStatus { message: m, done: false, error: true };
    let wait = |m: String| RolloutStatus { message: m, done: false, error: false };
    let done = |m: String| RolloutStatus { message: m, done: true, error: false };
    let Some(set) = cluster.statefulset() else {
        return err(format!("Error from server (NotFound): statefulsets.apps \"{}\" not found", cluster.set_name()));
    };
    let spec = &set.spec;
    let status = &set.status;
    if spec.strategy != UpdateStrategy::RollingUpdate {
        return err("error: rollout status is only available for RollingUpdate strategy type".into());
    }
    if status.observed_generation == 0 || set.generation > status.observed_generation {
        return wait("Waiting for statefulset spec update to be observed...".into());
    }
    if status.ready_replicas < spec.replicas {
        return wait(format!("Waiting for {} pods to be ready...", spec.replicas - status.ready_replicas));
    }
    if spec.rolling_update_present {
        let m = spec.replicas - spec.partition;
        if status.updated_replicas < m {
            return wait(format!(
                "Waiting for partitioned roll out to finish: {} out of {m} new pods have been updated...",
                status.updated_replicas
            ));
        }
        return done(format!(
            "partitioned roll out complete: {} new pods have been updated...",
            status.updated_replicas
        ));
    }
    if status.update_revision != status.current_revision {
        return wait(format!(
            "waiting for statefulset rolling update to complete {} pods at revision {}...",
            status.updated_replicas, status.update_revision
        ));
    }
    done(format!(
        "statefulset rolling update complete {} pods at revision {}...",
        status.current_replicas, status.current_revision
    ))
}
