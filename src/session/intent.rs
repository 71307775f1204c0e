//! What the one-key actions mean for the StatefulSet shown: the actions a user's intent
//! ("scale up", "canary", "promote") sends to the API server. The engine decides what they do.

use crate::engine::{Action, Cluster, PodManagementPolicy, UpdateStrategy};

/// The next image tag a student would push: `app:v2` after `app:latest` or `app:v1`.
pub fn next_image(image: &str) -> String {
    let (repo, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, ""),
    };
    let n = tag.strip_prefix('v').and_then(|d| d.parse::<u32>().ok()).and_then(|n| n.checked_add(1)).unwrap_or(2);
    format!("{repo}:v{n}")
}

/// `kubectl scale --replicas=N±1`; none when there is no set or the count would leave int32.
pub fn scale(cluster: &Cluster, delta: i32) -> Option<Action> {
    let set = cluster.statefulset()?;
    Some(Action::Scale(set.spec.replicas.checked_add(delta)?.max(0)))
}

/// The first container's next image: a template change, so a new revision.
pub fn new_image(cluster: &Cluster) -> Option<Action> {
    let set = cluster.statefulset()?;
    Some(Action::Image(next_image(&set.spec.containers.first()?.1)))
}

/// Canary (spec §4.4): hold every pod but the highest at the current revision
/// (partition = replicas − 1); when no update is waiting yet, also push a new image so there is
/// something to canary.
pub fn canary(cluster: &Cluster) -> Vec<Action> {
    let Some(set) = cluster.statefulset() else { return Vec::new() };
    let mut actions = vec![Action::Partition(set.spec.replicas.saturating_sub(1).max(0))];
    if set.status.current_revision == set.status.update_revision {
        actions.extend(new_image(cluster));
    }
    actions
}

/// Promote one more pod (a phased rollout, spec §4.4): the partition goes down by one.
pub fn promote(cluster: &Cluster) -> Option<Action> {
    let set = cluster.statefulset()?;
    Some(Action::Partition(set.spec.partition.min(set.spec.replicas).saturating_sub(1).max(0)))
}

/// RollingUpdate ⇄ OnDelete.
pub fn toggle_strategy(cluster: &Cluster) -> Option<Action> {
    let set = cluster.statefulset()?;
    Some(Action::Strategy(match set.spec.strategy {
        UpdateStrategy::OnDelete => UpdateStrategy::RollingUpdate,
        _ => UpdateStrategy::OnDelete,
    }))
}

/// The other podManagementPolicy (immutable, spec §7: sent so the API's rejection is shown).
pub fn other_policy(cluster: &Cluster) -> Option<PodManagementPolicy> {
    let set = cluster.statefulset()?;
    Some(match set.spec.policy {
        PodManagementPolicy::Parallel => PodManagementPolicy::OrderedReady,
        _ => PodManagementPolicy::Parallel,
    })
}

/// podManagementPolicy is immutable, so the way to change it is to re-create the StatefulSet
/// without touching its pods: delete it with `--cascade=orphan` and create it again from its live
/// object with the other policy; the new set adopts the orphans by their labels. Returns the two
/// requests and the one command line that sends them on a real cluster (`kubectl replace --force`
/// deletes with the given cascade, waits, and creates the object with its resourceVersion cleared:
/// pkg/cmd/replace/replace.go `forceReplace`, resource.Helper.Create with modify).
pub fn recreate_with_other_policy(cluster: &Cluster) -> Option<(Vec<Action>, String)> {
    let next = other_policy(cluster)?;
    let mut object = cluster.statefulset_object()?;
    let now = cluster.statefulset()?.spec.policy;
    object.status = None;
    object.spec.get_or_insert_with(Default::default).pod_management_policy = Some(next.as_str().to_string());
    let set = cluster.set_name();
    let command = format!(
        "kubectl get statefulset {set} -o yaml | sed 's/podManagementPolicy: {}/podManagementPolicy: {}/' | kubectl replace --force --cascade=orphan -f -",
        now.as_str(),
        next.as_str()
    );
    Some((
        vec![Action::OrphanStatefulSet, Action::Apply { statefulset: Box::new(object), services: Vec::new() }],
        command,
    ))
}

/// The "try this" sequences of the first screen, each on whatever set is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Try {
    Rolling,
    Canary,
    ScaleDownUp,
    BrokenImage,
}

impl Try {
    pub const ALL: [Try; 4] = [Try::Rolling, Try::Canary, Try::ScaleDownUp, Try::BrokenImage];

    pub fn label(self) -> &'static str {
        match self {
            Try::Rolling => "rolling update",
            Try::Canary => "canary with partition",
            Try::ScaleDownUp => "scale down & up: data stays",
            Try::BrokenImage => "broken image & rollback",
        }
    }
}

/// What a "try this" sends, one action after the other (each once the controller is quiet).
pub fn try_this(cluster: &Cluster, which: Try) -> Vec<Action> {
    let Some(set) = cluster.statefulset() else { return Vec::new() };
    let Some(v2) = new_image(cluster) else { return Vec::new() };
    let replicas = set.spec.replicas;
    match which {
        Try::Rolling => vec![Action::Partition(0), v2],
        // spec §4.4: partition = replicas − 1 updates only the highest ordinal; ≈1/N of the requests
        // reach it (spec §10); partition 0 then promotes every pod.
        Try::Canary => {
            vec![Action::Partition(replicas.saturating_sub(1).max(0)), v2, Action::Traffic(30), Action::Partition(0)]
        }
        Try::ScaleDownUp => {
            vec![
                Action::Traffic(20),
                Action::Scale(replicas.saturating_sub(1).max(0)),
                Action::Scale(replicas),
                Action::Traffic(10),
            ]
        }
        // spec §4.6 and S10: undo alone leaves the stuck pod; deleting it completes the rollback.
        Try::BrokenImage => match set.spec.start.checked_add(replicas).and_then(|end| end.checked_sub(1)) {
            Some(highest) => vec![
                Action::Partition(0),
                Action::BreakImage,
                v2,
                Action::Rollback { to_revision: None },
                Action::DeletePod(highest),
            ],
            None => Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::FeatureGates;

    fn lab() -> Cluster {
        let release = crate::input::parse(include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"));
        let mut s = crate::session::Session::new(release, None, 7, FeatureGates::default()).unwrap();
        s.run_until_quiet();
        s.act(Action::Scale(3)).unwrap();
        s.run_until_quiet();
        s.shown().clone()
    }

    #[test]
    fn recreating_with_the_other_policy_keeps_the_pods() {
        // podManagementPolicy is immutable (ValidateStatefulSetUpdate): an orphaning delete and a
        // create change it, and the new set adopts the pods by their labels (ClaimPods).
        let mut c = lab();
        let uids: Vec<u64> = c.pods().map(|p| p.uid).collect();
        let (actions, command) = recreate_with_other_policy(&c).unwrap();
        assert_eq!(
            command,
            "kubectl get statefulset python-helm-python -o yaml | sed 's/podManagementPolicy: OrderedReady/podManagementPolicy: Parallel/' | kubectl replace --force --cascade=orphan -f -"
        );
        for a in actions {
            c.apply(a).unwrap();
        }
        c.settle();
        assert_eq!(c.statefulset().unwrap().spec.policy, PodManagementPolicy::Parallel);
        assert_eq!(c.pods().map(|p| p.uid).collect::<Vec<_>>(), uids);
    }

    #[test]
    fn next_image_counts_up_the_tag() {
        assert_eq!(next_image("app:latest"), "app:v2");
        assert_eq!(next_image("app:v2"), "app:v3");
        assert_eq!(next_image("registry:5000/app"), "registry:5000/app:v2");
        assert_eq!(next_image("app:v4294967295"), "app:v2", "a tag at u32::MAX does not wrap");
    }

    #[test]
    fn a_canary_holds_all_but_the_highest_ordinal_spec_4_4() {
        let c = lab();
        let actions = canary(&c);
        assert_eq!(actions[0], Action::Partition(2));
        assert!(matches!(actions[1], Action::Image(_)), "no update was waiting, so a new image is pushed");
    }

    #[test]
    fn promote_lowers_the_partition_by_one_spec_4_4() {
        let mut c = lab();
        c.apply(Action::Partition(2)).unwrap();
        assert_eq!(promote(&c), Some(Action::Partition(1)));
    }

    #[test]
    fn the_broken_image_try_deletes_the_stuck_highest_pod_spec_4_6() {
        let c = lab();
        let actions = try_this(&c, Try::BrokenImage);
        assert_eq!(actions.last(), Some(&Action::DeletePod(2)));
        assert_eq!(try_this(&c, Try::Canary)[0], Action::Partition(2));
    }

    #[test]
    fn scaling_never_leaves_int32_nor_goes_below_zero() {
        let mut c = lab();
        assert_eq!(scale(&c, -5), Some(Action::Scale(0)));
        assert_eq!(scale(&c, 1), Some(Action::Scale(4)));
        c.apply(Action::Scale(i32::MAX)).ok();
        if c.statefulset().unwrap().spec.replicas == i32::MAX {
            assert_eq!(scale(&c, 1), None);
        }
    }
}
