//! The lab's story, told on first open: what a StatefulSet gives, then the lab as the student ran
//! it — `helm install` with 1 replica, scaled to 3, requests through the Service, and the
//! per-replica counters that diverge on their own volumes. A recorded session with a talk over it,
//! played from the beginning and paused at each point.

use super::{lab, Session, Talk};
use crate::engine::{Action, FeatureGates};

/// How many requests the story sends: few enough that the counters visibly differ.
pub const STORY_REQUESTS: u64 = 7;

/// The story: its session (recorded, shown at the beginning) and what is said over it.
#[derive(Debug, Clone)]
pub struct Story {
    pub session: Session,
    pub talk: Talk,
}

/// Builds the lab's story from its own files: the `helm install --dry-run --debug` log and the
/// `kubectl get po,sts,svc,pvc` that shows how many replicas it ran.
pub fn lab_story(
    log: &str,
    kubectl_get: &str,
    seed: u64,
    version: crate::engine::KubeVersion,
    gates: FeatureGates,
) -> Result<Story, String> {
    let release = crate::input::parse(log);
    let release_name = release.name.clone().unwrap_or_default();
    // The lab as it ran: Secret secret-base was in the student's cluster.
    let mut s = Session::new_on(release, None, seed, version, gates, true)?;
    let set = s.shown().set_name().to_string();
    let first_replicas = s.shown().statefulset().map(|x| x.spec.replicas).unwrap_or(1);
    s.run_until_quiet();
    let installed = s.len();
    let claim = s.shown().claims().next().map(|c| c.name.clone()).unwrap_or_default();
    let target = lab::observed_replicas(kubectl_get, &set).unwrap_or(3);
    let mut ends = vec![installed];
    let mut words = vec![Some(format!(
        "`helm install {release_name}` created the StatefulSet {set} with {first_replicas} replica. The controller \
         first created the claim {claim}, then the pod {set}-0 that mounts it: ordinal 0, the first identity."
    ))];
    // The lab scaled with `helm upgrade` after setting replicaCount: the story runs that command on
    // the release of the log (through the built-in lab chart), else `kubectl scale`.
    let chart = s.shown().releases().last().map(|r| r.content.chart.clone());
    let upgrade = (chart.as_deref() == Some(crate::scene::source::LAB_CHART)).then(|| {
        Action::Helm(Box::new(crate::helm::HelmCommand {
            line: format!("upgrade {release_name} ./{} --set replicaCount={target}", crate::scene::source::LAB_CHART),
            files: Vec::new(),
        }))
    });
    let scaled =
        target != first_replicas && (upgrade.is_some_and(|u| s.act(u).is_ok()) || s.act(Action::Scale(target)).is_ok());
    if scaled {
        s.run_until_quiet();
        ends.push(s.len());
        words.push(Some(format!(
            "Scaled to {target} with `helm upgrade`, as in the lab (`kubectl scale` does the same): each new pod is \
             created only when the one before it is Running and Ready (OrderedReady), and each gets a new claim of its own."
        )));
    }
    s.act(Action::Traffic(STORY_REQUESTS))?;
    ends.push(s.len());
    let counts: Vec<String> =
        s.shown().pods().map(|p| format!("{} counted {}", p.name, s.shown().visits_of(p).unwrap_or(0))).collect();
    words.push(Some(format!(
        "{STORY_REQUESTS} requests through the Service: each went to one Ready pod at random, and that pod added one to \
         the counter on its own volume. The counters now differ — {} — and each stays with its claim when its pod is \
         deleted or replaced.",
        counts.join(", ")
    )));
    let mut talk = Talk::from_steps(
        "The lab: one StatefulSet, a visit counter on each replica's own volume".into(),
        format!(
            "A StatefulSet gives each pod a stable name with an ordinal ({set}-0, {set}-1, …) and its own \
             PersistentVolumeClaim that outlives the pod. Press Play to watch the lab: installed with \
             {first_replicas} replica, scaled to {target}, then requests that count visits on each replica's own volume."
        ),
        &ends,
        &words,
        &[],
    );
    talk.outro = Some(
        "Your turn: try a rolling update, a canary or a scale-down below, or paste your own chart on the left.".into(),
    );
    s.seek(0);
    Ok(Story { session: s, talk })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> Story {
        lab_story(
            include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"),
            include_str!("../../tests/fixtures/kubectl-get-po-sts-svc-pvc.txt"),
            7,
            crate::engine::KubeVersion::LATEST,
            FeatureGates::default(),
        )
        .unwrap()
    }

    #[test]
    fn the_story_starts_at_the_beginning_with_what_a_statefulset_gives() {
        let s = story();
        assert_eq!(s.session.position(), 0);
        assert_eq!(s.session.shown().pods().count(), 0, "nothing exists before the install");
        let intro = s.talk.words_at(0).unwrap();
        assert!(intro.contains("stable name") && intro.contains("PersistentVolumeClaim"), "{intro}");
    }

    #[test]
    fn the_story_pauses_at_install_scale_and_requests() {
        let mut s = story();
        assert_eq!(s.talk.points.len(), 3);
        let pods_at: Vec<usize> = s
            .talk
            .points
            .clone()
            .iter()
            .map(|p| {
                s.session.seek(p.at);
                s.session.shown().pods().count()
            })
            .collect();
        assert_eq!(pods_at, vec![1, 3, 3], "install 1 replica, scale to 3 (the lab's kubectl get), requests");
        assert!(s.talk.points[2].text.contains("python-helm-python-2 counted"), "{}", s.talk.points[2].text);
        assert!(s.talk.words_at(s.session.len() + 1).unwrap().contains("Your turn"));
    }

    /// The web app opens on the newest release with its gates (MaxUnavailableStatefulSet on in
    /// 1.37): the story installs, scales and sends requests, none of which the gate changes.
    #[test]
    fn the_story_tells_the_same_on_the_apps_default_release() {
        let latest = crate::engine::KubeVersion::LATEST;
        let s = lab_story(
            include_str!("../../tests/fixtures/helm-python-install-dry-run-debug.txt"),
            include_str!("../../tests/fixtures/kubectl-get-po-sts-svc-pvc.txt"),
            7,
            latest,
            FeatureGates::for_version(latest),
        )
        .unwrap();
        assert_eq!(s.session.version, latest);
        assert_eq!(s.talk.points.len(), story().talk.points.len());
        assert_eq!(s.session.len(), story().session.len());
    }

    #[test]
    fn the_counters_in_the_story_are_the_ones_on_the_claims_spec_10() {
        let mut s = story();
        let end = s.session.len();
        s.session.seek(end);
        let total: u64 = s.session.shown().claims().map(|c| c.visits.unwrap_or(0)).sum();
        assert_eq!(total, STORY_REQUESTS);
    }
}
