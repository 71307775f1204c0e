//! Fault injection (the lab's own buttons, no kubectl command): a container killed, a pod evicted
//! by the kubelet, a readiness probe that starts or stops failing. Each changes the pod as the
//! kubelet would and schedules what follows; the controller reacts on its next sync.

use super::action::ActionError;
use super::clock::SimDuration;
use super::cluster::{pod_name, Cluster};
use super::event::EventKind;
use super::kubelet::TimerKind;
use super::spec::DEFAULT_PROBE;

impl Cluster {
    /// The pod's container is killed (OOM): the kubelet restarts it in place, RESTARTS + 1.
    pub(crate) fn kill_container(&mut self, o: i32) -> Result<String, ActionError> {
        let set = self.set_name.clone();
        let name = pod_name(&set, o);
        let now = self.now;
        let Some(pod) = self
            .pods
            .get_mut(&o)
            .filter(|p| !p.is_terminating() && p.stage == super::pod::Stage::Started && !p.containers_stopped)
        else {
            return Err(ActionError::NotFound(format!(
                "error: unable to upgrade connection: container not found in pod \"{name}\""
            )));
        };
        pod.killed_run_started = pod.crash_state(now).run_started;
        pod.kills += 1;
        pod.last_kill = Some(now);
        pod.ready = false;
        pod.ready_since = None;
        let (uid, rev, kills, wait_probe) =
            (pod.uid, pod.revision.clone(), pod.kills, pod.readiness_broken || pod.crash_looping);
        self.log(
                EventKind::PodUnready,
                name.clone(),
                Some(&rev),
                "3",
                format!(
                    "{name}'s container is killed and the kubelet restarts it in place (same pod, same AGE, RESTARTS {kills}); \
                     it is not Ready until its readiness probe passes again, and the controller does not replace it."
                ),
            );
        super::kubelet::restarted(self, o);
        if !wait_probe {
            let delay = self
                .revision(&rev)
                .and_then(|r| r.shape.readiness)
                .map(|p| SimDuration::from_secs(p.initial_delay_seconds.max(0) as u64))
                .unwrap_or(SimDuration::ZERO)
                .max(super::pod::timing::MIN_PROBE_DELAY);
            self.schedule(delay, TimerKind::Ready { ordinal: o, uid });
        }
        self.dirty = true;
        Ok(format!("{name}: container killed, restarting"))
    }

    /// The kubelet evicts the pod (node pressure): phase Failed, containers stopped (spec §2.5a).
    pub(crate) fn evict_pod(&mut self, o: i32) -> Result<String, ActionError> {
        let set = self.set_name.clone();
        let name = pod_name(&set, o);
        let Some(pod) = self.pods.get_mut(&o).filter(|p| !p.is_terminating()) else {
            return Err(ActionError::NotFound(format!("Error from server (NotFound): pods \"{name}\" not found")));
        };
        pod.phase = super::pod::PodPhase::Failed;
        pod.ready = false;
        pod.ready_since = None;
        pod.containers_stopped = true;
        let rev = pod.revision.clone();
        self.log(
            EventKind::PodUnready,
            name.clone(),
            Some(&rev),
            "2.5a",
            format!("The kubelet evicts {name} (node pressure): phase Failed, its containers are stopped."),
        );
        self.dirty = true;
        Ok(format!("{name}: evicted (phase Failed)"))
    }

    /// The pod's readiness probe starts failing: unready after failureThreshold × periodSeconds.
    pub(crate) fn break_readiness(&mut self, o: i32) -> Result<String, ActionError> {
        let set = self.set_name.clone();
        let name = pod_name(&set, o);
        let Some(pod) = self.pods.get_mut(&o) else {
            return Err(ActionError::NotFound(format!("Error from server (NotFound): pods \"{name}\" not found")));
        };
        pod.readiness_broken = true;
        let (ready, uid, rev) = (pod.ready, pod.uid, pod.revision.clone());
        if ready {
            // kubelet marks the pod unready after failureThreshold failed probes, periodSeconds apart.
            let p = self.probe_of(&rev);
            let after = SimDuration::from_secs(
                (p.period_seconds.max(0) as u64).saturating_mul(p.failure_threshold.max(0) as u64),
            );
            self.schedule(after, TimerKind::ReadinessFailed { ordinal: o, uid });
        }
        Ok(format!("{name}: readiness probe now failing"))
    }

    /// The pod's readiness probe passes again: Ready at the next probe (successThreshold 1).
    pub(crate) fn fix_readiness(&mut self, o: i32) -> Result<String, ActionError> {
        let set = self.set_name.clone();
        let name = pod_name(&set, o);
        let Some(pod) = self.pods.get_mut(&o) else {
            return Err(ActionError::NotFound(format!("Error from server (NotFound): pods \"{name}\" not found")));
        };
        pod.readiness_broken = false;
        let (ready, uid, started, rev) = (pod.ready, pod.uid, pod.started_at.is_some(), pod.revision.clone());
        if !ready && started {
            // The next probe (one period later) succeeds (successThreshold 1).
            let p = self.probe_of(&rev);
            self.schedule(SimDuration::from_secs(p.period_seconds.max(0) as u64), TimerKind::Ready { ordinal: o, uid });
        }
        Ok(format!("{name}: readiness probe passing again"))
    }

    /// The readiness probe of a revision's pods, or kubelet's defaults when the template has none.
    fn probe_of(&self, revision: &str) -> super::spec::Probe {
        self.revision(revision).and_then(|r| r.shape.readiness).unwrap_or(DEFAULT_PROBE)
    }
}
