//! A simulated pod: what the kubelet would report for it, derived from a few moments in time.
//!
//! The pod goes Pending (waiting for its claims to bind) -> ContainerCreating -> Running (not Ready)
//! -> Ready, and on deletion Terminating (still Ready) -> Terminating (containers stopped) -> gone.
//! A pod of a broken revision crash-loops; its restarts and STATUS are computed from the time it
//! started (no timers), so a stuck rollout costs nothing to simulate and `settle` still ends.

use serde::Serialize;

use super::clock::{SimDuration, SimTime};

/// Stated defaults for the parts of a pod's life the template says nothing about.
pub mod timing {
    use super::SimDuration;
    /// Dynamic provisioning of a volume for a new claim.
    pub const CLAIM_BIND: SimDuration = SimDuration::from_secs(1);
    /// Scheduling a pod whose claims are already Bound.
    pub const SCHEDULE: SimDuration = SimDuration::from_secs(1);
    /// Image pull and container start after scheduling.
    pub const CONTAINER_START: SimDuration = SimDuration::from_secs(2);
    /// A readiness probe never reports before one second has passed.
    pub const MIN_PROBE_DELAY: SimDuration = SimDuration::from_secs(1);
    /// How long an app takes to exit on SIGTERM (capped by terminationGracePeriodSeconds).
    pub const STOP_ON_SIGTERM: SimDuration = SimDuration::from_secs(2);
    /// From containers stopped to the pod object being removed.
    pub const REMOVE_AFTER_STOP: SimDuration = SimDuration::from_secs(1);
    /// A claim whose deletion is no longer blocked by pvc-protection is removed after this.
    pub const CLAIM_REMOVE: SimDuration = SimDuration::from_secs(1);
    /// How long a broken container runs before it exits with an error.
    pub const CRASH_RUN: SimDuration = SimDuration::from_secs(5);
    /// kubelet's CrashLoopBackOff: 10 s doubling up to 5 min.
    pub const BACKOFF_START: SimDuration = SimDuration::from_secs(10);
    pub const BACKOFF_MAX: SimDuration = SimDuration::from_secs(300);
    /// After a pod sync that failed (a container's `CreateContainerConfigError`), the pod worker
    /// syncs the pod again after `backOffPeriod` (pkg/kubelet/kubelet.go, 10 s) with
    /// `workerBackOffPeriodJitterFactor` 0.5 (pkg/kubelet/pod_workers.go `completeWork`), so every
    /// 10-15 s; the lab leaves the jitter out.
    pub const SYNC_RETRY: SimDuration = SimDuration::from_secs(10);
}

/// Pod phase (`status.phase`). With restartPolicy Always a pod only reaches Failed when the kubelet
/// evicts it (node pressure); the controller then deletes and recreates it (spec §2.5a).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PodPhase {
    Pending,
    Running,
    Failed,
}

/// Where a pod is in its start-up, finer than the phase (it decides kubectl's STATUS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    /// Not scheduled: a claim is not Bound yet.
    Unscheduled,
    /// Scheduled; image being pulled, containers being created.
    ContainerCreating,
    /// Containers started.
    Started,
}

/// A pod of the StatefulSet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pod {
    pub name: String,
    pub ordinal: i32,
    /// Unique per pod object: a recreated pod with the same name is a new object.
    pub uid: u64,
    /// The `controller-revision-hash` label: the ControllerRevision name it was built from.
    pub revision: String,
    pub created_at: SimTime,
    pub phase: PodPhase,
    pub stage: Stage,
    /// Condition Ready.
    pub ready: bool,
    /// When Ready last became true (for minReadySeconds, spec §2).
    pub ready_since: Option<SimTime>,
    pub started_at: Option<SimTime>,
    /// When the scheduler bound it to the node (the kubelet's `status.startTime`).
    #[serde(skip)]
    pub scheduled_at: Option<SimTime>,
    /// deletionTimestamp: when the deletion was requested.
    pub deletion: Option<SimTime>,
    pub containers_stopped: bool,
    /// Its revision is broken: the container exits soon after every start (CrashLoopBackOff).
    pub crash_looping: bool,
    /// Made to fail its readiness probe (`break-readiness`).
    pub readiness_broken: bool,
    /// Times its container was killed and restarted in place (`kill-container`), and the last time.
    pub kills: u32,
    pub last_kill: Option<SimTime>,
    /// When the run the last kill ended had started (the Last State a describe shows).
    #[serde(skip)]
    pub killed_run_started: Option<SimTime>,
    pub ip: Option<String>,
    /// `spec.nodeName`: the node the scheduler bound it to.
    pub node: Option<String>,
    /// The scheduler's last FailedScheduling message while no node fits it.
    #[serde(skip)]
    pub(crate) unschedulable: Option<String>,
    pub containers: usize,
    pub init_containers: usize,
    /// Whether it still has its controller ownerReference to the StatefulSet (false once orphaned).
    pub owned: bool,
    /// Visits counted in the container's own filesystem, for a set without claim templates: they
    /// vanish with the pod.
    pub local_visits: Option<u64>,
    /// The claim ownerReferences last set for this pod (by set, by this pod), so the controller only
    /// touches claims when the retention policy or the pod's place (in range / condemned) changed.
    #[serde(skip)]
    pub(crate) claim_owners: Option<(bool, Option<u64>)>,
    /// Its containers cannot be created: the environment names a ConfigMap, Secret or key that is
    /// not there (`CreateContainerConfigError`, [`super::kubelet`]).
    #[serde(skip)]
    pub config_error: Option<ConfigError>,
}

/// A pod whose containers the kubelet cannot configure, and its retries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The first failed attempt: the pod worker tries again at `since + k·SYNC_RETRY`.
    pub since: SimTime,
    /// The containers that failed, with the error.
    pub failed: Vec<FailedContainer>,
    /// An init container failed (STATUS `Init:CreateContainerConfigError`).
    pub init: bool,
    /// The next attempt, once a ConfigMap or Secret was created since the last one (a timer is due).
    pub retry_at: Option<SimTime>,
}

/// One container whose environment could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedContainer {
    /// `spec.containers{NAME}` or `spec.initContainers{NAME}` (the events' fieldPath).
    pub field_path: String,
    pub name: String,
    pub error: super::configuration::EnvError,
}

impl ConfigError {
    /// The first failure's error, as the kubelet writes it (`secret "secret-base" not found`).
    pub fn message(&self) -> &str {
        self.failed.first().map(|f| f.error.message.as_str()).unwrap_or_default()
    }
}

impl Pod {
    pub fn is_terminating(&self) -> bool {
        self.deletion.is_some()
    }

    /// spec §2: RunningAndReady = phase Running and condition Ready.
    pub fn is_running_and_ready(&self) -> bool {
        self.phase == PodPhase::Running && self.ready
    }

    /// spec §2: available = Ready for at least minReadySeconds.
    pub fn is_available(&self, now: SimTime, min_ready_seconds: i32) -> bool {
        self.is_running_and_ready()
            && (min_ready_seconds <= 0
                || self.ready_since.is_some_and(|s| now.since(s) >= SimDuration::from_secs(min_ready_seconds as u64)))
    }

    /// The controller's isHealthy: running, ready and not terminating.
    pub fn is_healthy(&self) -> bool {
        self.is_running_and_ready() && !self.is_terminating()
    }

    /// spec §2: unavailable = not available or terminating.
    pub fn is_unavailable(&self, now: SimTime, min_ready_seconds: i32) -> bool {
        !self.is_available(now, min_ready_seconds) || self.is_terminating()
    }

    /// Ready containers for kubectl's READY column.
    pub fn ready_containers(&self) -> usize {
        if self.ready && !self.containers_stopped {
            self.containers
        } else {
            0
        }
    }

    /// The crash loop at `now`: (restarts, in back-off, time of the last termination).
    pub fn crash_state(&self, now: SimTime) -> CrashState {
        let mut s = self.crash_loop(now);
        // Restarts in place after a kill add to the count (the pod object stays: same AGE).
        s.restarts += self.kills;
        s.last_termination = s.last_termination.max(self.last_kill);
        // A kill restarts the container at once.
        s.run_started = s.run_started.max(self.last_kill);
        s
    }

    fn crash_loop(&self, now: SimTime) -> CrashState {
        let Some(start) = self.started_at.filter(|_| self.crash_looping) else {
            return CrashState {
                restarts: 0,
                backing_off: false,
                last_termination: None,
                run_started: self.started_at,
            };
        };
        let mut t = start;
        let mut restarts = 0u32;
        let mut last = None;
        loop {
            let crash_at = t.plus(timing::CRASH_RUN);
            if now < crash_at {
                return CrashState { restarts, backing_off: false, last_termination: last, run_started: Some(t) };
            }
            restarts += 1;
            last = Some(crash_at);
            let shift = (restarts - 1).min(16);
            let backoff = SimDuration((timing::BACKOFF_START.0 << shift).min(timing::BACKOFF_MAX.0));
            let restart_at = crash_at.plus(backoff);
            if now < restart_at {
                return CrashState { restarts, backing_off: true, last_termination: last, run_started: Some(t) };
            }
            t = restart_at;
        }
    }

    /// kubectl's STATUS column (spec §8).
    pub fn status_text(&self, now: SimTime) -> String {
        if self.is_terminating() {
            return "Terminating".into();
        }
        if self.phase == PodPhase::Failed {
            // kubectl shows the pod's status.reason.
            return "Evicted".into();
        }
        match self.stage {
            Stage::Unscheduled => "Pending".into(),
            // printers.go printPod: a waiting container's reason, `Init:` before an init container's.
            Stage::ContainerCreating if self.config_error.as_ref().is_some_and(|e| e.init) => {
                "Init:CreateContainerConfigError".into()
            }
            Stage::ContainerCreating if self.config_error.is_some() => "CreateContainerConfigError".into(),
            Stage::ContainerCreating if self.init_containers > 0 => {
                format!("Init:0/{}", self.init_containers)
            }
            Stage::ContainerCreating => "ContainerCreating".into(),
            Stage::Started => {
                if self.crash_state(now).backing_off {
                    "CrashLoopBackOff".into()
                } else {
                    "Running".into()
                }
            }
        }
    }
}

/// A crash-looping container's history at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CrashState {
    pub restarts: u32,
    pub backing_off: bool,
    pub last_termination: Option<SimTime>,
    /// When the container's current run started (its last run, while backing off).
    pub run_started: Option<SimTime>,
}
