//! The simulated cluster: the StatefulSet, its ControllerRevisions, pods, claims and Services, a
//! simulated clock and a queue of pending node-side changes. It does no I/O and keeps no wall time;
//! like raft-rs's `RawNode` it is driven from outside (`apply`, `step`, `advance`, `settle`) and the
//! caller reads what happened from the event log and the state.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use std::sync::Arc;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{ConfigMap, PodTemplateSpec, Secret, Service};
use serde::Serialize;

use super::claim::{Claim, ClaimStatus};
use super::clock::{SimDuration, SimTime};
use super::controller;
use super::event::{Event, EventKind};
use super::kubelet::{self, Timer, TimerKind};
use super::pod::{timing, Pod, PodPhase, Stage};
use super::rng::Pcg32;
use super::spec::{PodShape, SetSpec};
use super::version::KubeVersion;

/// Feature gates that change controller behaviour (spec §0), and one fact of the release's code
/// that no gate controls. `Default` is every gate off with the 1.37 code: the lab as it ran before
/// versions existed, which files and links without a `version` still mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct FeatureGates {
    /// `MaxUnavailableStatefulSet` (KEP-961, spec §0, §4.3). pkg/features/kube_features.go:
    /// alpha off from 1.24, beta on from 1.35; switched off again in 1.35.4 (#137926) and 1.36
    /// (#137904); on again in 1.37 (#139466).
    pub max_unavailable_stateful_set: bool,
    /// `StatefulSetRecreateStrategy` (KEP-3541, #137187): alpha in 1.37, off by default; the API
    /// server refuses `updateStrategy.type: Recreate` while it is off.
    pub stateful_set_recreate_strategy: bool,
    /// `StatefulSetSemanticRevisionComparison` (#135017, in 1.34.2 by the cherry-pick #135087):
    /// beta, on. The controller compares a ControllerRevision with the template semantically
    /// instead of by its bytes, which stops the spurious rollout of a 1.33 → 1.34 control-plane
    /// upgrade (#134773, [`super::upgrade`]). Releases before 1.34.2 do not have it.
    pub stateful_set_semantic_revision_comparison: bool,
    /// Not a gate: whether the release's `updateStatefulSetAfterInvariantEstablished` still counts
    /// old-revision unavailable pods against maxUnavailable with podManagementPolicy Parallel, so a
    /// rollout stalls behind a broken old pod (#137409). True up to 1.36 (the cherry-pick #137667
    /// to 1.35 was closed; 1.35.4 turned the gate off instead); 1.37 carries the fix (#137666).
    /// It only matters with `max_unavailable_stateful_set` on.
    pub max_unavailable_parallel_regression: bool,
}

impl FeatureGates {
    /// The gates as `version` ships them (pkg/features/kube_features.go
    /// `defaultVersionedKubernetesFeatureGates`, and the 1.35 patch that turned one off).
    pub fn for_version(v: KubeVersion) -> FeatureGates {
        FeatureGates {
            max_unavailable_stateful_set: (v.minor == 35 && v.patch <= 3) || v.minor >= 37,
            stateful_set_recreate_strategy: false,
            stateful_set_semantic_revision_comparison: v >= super::upgrade::SEMANTIC_COMPARISON_SINCE,
            max_unavailable_parallel_regression: v.minor <= 36,
        }
    }

    /// Whether `version` has the `StatefulSetRecreateStrategy` gate at all (added in 1.37).
    pub fn has_recreate_strategy(v: KubeVersion) -> bool {
        v.minor >= 37
    }
}

/// What to build a cluster from.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub statefulset: StatefulSet,
    /// Services of the release (the governing one and any ClusterIP Service in front of the pods).
    pub services: Vec<Service>,
    pub namespace: String,
    pub seed: u64,
    /// The Kubernetes release simulated: narration names it where it changes an outcome.
    pub version: KubeVersion,
    pub gates: FeatureGates,
    /// ConfigMaps and Secrets the release creates with the set ([`super::configuration`]).
    pub config_maps: Vec<ConfigMap>,
    pub secrets: Vec<Secret>,
    /// Whether the ConfigMaps and Secrets the pod template names but nothing defines are in the
    /// cluster already (the lab's default: the student's pods ran, so they were there). Off, the
    /// cluster is a fresh one and a pod that needs them stops at `CreateContainerConfigError`.
    pub assume_missing_references: bool,
}

/// A ControllerRevision: a snapshot of `spec.template` with a hash name and a revision number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// `<set>-<hash>`, the value of the pods' `controller-revision-hash` label.
    pub name: String,
    /// `.revision`: bumped to newest+1 when an older revision is reused by a rollback (spec §2.1, §4.6).
    pub revision: i64,
    #[serde(skip)]
    pub template: Arc<PodTemplateSpec>,
    /// Canonical JSON of the template: two revisions are equal when these are.
    #[serde(skip)]
    pub template_json: Arc<str>,
    pub shape: PodShape,
    /// Pods of this revision never become Ready (`break-image`).
    pub broken: bool,
    /// The first container's image, for narration.
    pub image: String,
    pub created_at: SimTime,
}

/// The StatefulSet's `status` (spec §4.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetStatus {
    pub observed_generation: i64,
    pub replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub current_replicas: i32,
    pub updated_replicas: i32,
    pub current_revision: String,
    pub update_revision: String,
    pub collision_count: i32,
}

/// The StatefulSet object as stored by the API server, with its defaulted view and status.
#[derive(Debug, Clone)]
pub struct SetState {
    pub object: StatefulSet,
    pub spec: Arc<SetSpec>,
    pub template_json: Arc<str>,
    pub generation: i64,
    pub status: SetStatus,
    pub created_at: SimTime,
    /// deletionTimestamp set by a foreground deletion: the set stays until its pods are gone.
    pub deleting: bool,
}

/// A Service with the ClusterIP the cluster gave it.
#[derive(Debug, Clone)]
pub struct ServiceState {
    pub object: Service,
    pub name: String,
    /// `None` for a headless Service (spec §1), else an address from 10.96.0.0/12.
    pub cluster_ip: Option<String>,
    pub created_at: SimTime,
}

/// What one `step` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    pub at: SimTime,
    /// Indices into `Cluster::events()` of the events this step produced.
    pub events: std::ops::Range<usize>,
}

/// How `settle` ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Nothing is pending and the StatefulSet's spec is fully rolled out.
    Done,
    /// Nothing more can change by itself; the controller waits for this (the last wait event).
    Stuck(String),
}

/// The simulated cluster. `Clone` is a full snapshot (the timeline keeps some).
#[derive(Debug, Clone)]
pub struct Cluster {
    pub(crate) now: SimTime,
    pub(crate) rng: Pcg32,
    pub(crate) seed: u64,
    pub(crate) version: KubeVersion,
    pub(crate) gates: FeatureGates,
    pub(crate) namespace: String,
    pub(crate) set_name: String,
    pub(crate) set: Option<SetState>,
    pub(crate) services: Vec<ServiceState>,
    pub(crate) revisions: Vec<Revision>,
    pub(crate) pods: BTreeMap<i32, Pod>,
    pub(crate) claims: BTreeMap<String, Claim>,
    pub(crate) timers: BinaryHeap<Reverse<Timer>>,
    pub(crate) timer_seq: u64,
    pub(crate) next_uid: u64,
    pub(crate) events: Vec<Event>,
    /// Kubernetes Events as the components' recorders write them (`kubectl get events`).
    pub(crate) recorded: Vec<super::event::Recorded>,
    /// The event recorders' correlator caches (aggregation, counting, spam filter).
    pub(crate) recorder: super::recorder::RecorderState,
    /// Helm's release records (one per revision), as its storage driver keeps them in the namespace.
    pub(crate) releases: Vec<crate::helm::Release>,
    /// What the kubelet knows besides the pods: images on the node, pulls under way, probes failing.
    pub(crate) node: kubelet::NodeState,
    /// The cluster's nodes, by name ([`super::node`]).
    pub(crate) nodes: Vec<super::node::Node>,
    /// PodDisruptionBudgets, by name ([`super::disruption`]).
    pub(crate) pdbs: Vec<super::disruption::PdbState>,
    /// StorageClasses of the paste ([`super::storage`]).
    pub(crate) storage_classes: Vec<super::storage::StorageClassState>,
    /// `kubectl drain` runs, the running ones last ([`super::drain`]).
    pub(crate) drains: Vec<super::drain::Drain>,
    pub(crate) next_drain: u64,
    /// The controller must run (a watched object changed).
    pub(crate) dirty: bool,
    /// The controller's last wait, so an unchanged wait is told once (spec: "every wait says what it waits for").
    pub(crate) last_wait: Option<String>,
    /// `break-image`: the next revision created will be broken.
    pub(crate) break_next_revision: bool,
    pub(crate) last_traffic: Option<super::traffic::TrafficReport>,
    /// The last request to one pod's DNS name (`Action::Request`), until the next traffic.
    pub(crate) last_request: Option<super::traffic::DirectRequest>,
    /// The namespace's ConfigMaps and Secrets, and whether missing ones are assumed.
    pub(crate) configuration: super::configuration::Configuration,
}

/// Safety net for `settle`: far more steps than any scenario needs (see [`crate::limits`]).
const SETTLE_STEP_LIMIT: usize = crate::limits::MAX_SETTLE_STEPS;

impl Cluster {
    /// Builds a cluster and submits the StatefulSet at time 0 (as `kubectl apply` would); nothing runs
    /// until it is stepped.
    pub fn new(config: ClusterConfig) -> Cluster {
        let set_name = config.statefulset.metadata.name.clone().unwrap_or_default();
        let mut cluster = Cluster {
            now: SimTime::ZERO,
            rng: Pcg32::new(config.seed, 0x5eed),
            seed: config.seed,
            version: config.version,
            gates: config.gates,
            namespace: config.namespace,
            set_name,
            set: None,
            services: Vec::new(),
            revisions: Vec::new(),
            pods: BTreeMap::new(),
            claims: BTreeMap::new(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            next_uid: 1,
            events: Vec::new(),
            recorded: Vec::new(),
            recorder: Default::default(),
            releases: Vec::new(),
            node: Default::default(),
            nodes: super::node::default_nodes(),
            pdbs: Vec::new(),
            storage_classes: Vec::new(),
            drains: Vec::new(),
            next_drain: 0,
            dirty: false,
            last_wait: None,
            break_next_revision: false,
            last_traffic: None,
            last_request: None,
            configuration: super::configuration::Configuration::from_paste(
                &config.config_maps,
                &config.secrets,
                config.assume_missing_references,
            ),
        };
        for svc in config.services {
            cluster.add_service(svc);
        }
        // The create goes through the API server: defaulted, then validated (issue #11).
        match cluster.admit_statefulset(config.statefulset, None) {
            Ok(object) => match crate::apiserver::validation::lab_limits(&object) {
                Ok(()) => cluster.install_set(object),
                Err(message) => {
                    // The API server would take it; the lab does not simulate it, and says why.
                    let name = cluster.set_name.clone();
                    cluster.log(
                        EventKind::Rejected,
                        name,
                        None,
                        "7",
                        format!("The lab does not simulate this StatefulSet: {message}"),
                    );
                }
            },
            Err(message) => {
                // The API server refuses the create: there is no StatefulSet to simulate.
                let name = cluster.set_name.clone();
                cluster.log(
                    EventKind::Rejected,
                    name,
                    None,
                    "7",
                    format!(
                        "The API server rejects the StatefulSet, nothing is created: {message}{}",
                        cluster.version_note(&message)
                    ),
                );
            }
        }
        cluster
    }

    /// Builds a cluster from a parsed paste: the StatefulSet named `name` (or the first one), on the
    /// newest release with `gates` as given.
    pub fn from_release(
        release: &crate::model::Release,
        name: Option<&str>,
        seed: u64,
        gates: FeatureGates,
    ) -> Result<Cluster, String> {
        Cluster::from_release_on(release, name, seed, KubeVersion::LATEST, gates, true)
    }

    /// [`Cluster::from_release`] on a chosen Kubernetes release; `assume_missing_references` is
    /// [`ClusterConfig::assume_missing_references`].
    pub fn from_release_on(
        release: &crate::model::Release,
        name: Option<&str>,
        seed: u64,
        version: KubeVersion,
        gates: FeatureGates,
        assume_missing_references: bool,
    ) -> Result<Cluster, String> {
        let info = match name {
            Some(n) => release
                .statefulsets
                .iter()
                .find(|s| s.object.metadata.name.as_deref() == Some(n))
                .ok_or_else(|| format!("no StatefulSet named {n:?} in the input"))?,
            None => release.statefulsets.first().ok_or_else(|| "the input has no StatefulSet".to_string())?,
        };
        crate::apiserver::validation::lab_limits(&info.object)?;
        let mut services = release.services.clone();
        if let Some(g) = &info.governing_service {
            if !services.iter().any(|s| s.metadata.name == g.metadata.name) {
                services.push(g.clone());
            }
        }
        let mut cluster = Cluster::new(ClusterConfig {
            statefulset: info.object.clone(),
            services,
            namespace: release.namespace().to_string(),
            seed,
            version,
            gates,
            config_maps: release.config_maps.clone(),
            secrets: release.secrets.clone(),
            assume_missing_references,
        });
        // Created with the release, before anything runs (no claim exists yet).
        for sc in &release.storage_classes {
            cluster.add_storage_class(sc.clone());
        }
        for pdb in &release.pod_disruption_budgets {
            cluster.add_pdb(pdb.clone());
        }
        // A helm log (or a values.yaml rendered through the lab chart) is a release helm installed:
        // its first revision, so `helm history`, `upgrade` and `rollback` have it.
        if let Some(content) = crate::helm::Content::from_paste(release, info) {
            cluster.releases.push(crate::helm::Release {
                name: release.name.clone().unwrap_or_else(|| crate::scene::source::LAB_RELEASE.to_string()),
                namespace: release.namespace().to_string(),
                version: 1,
                status: crate::helm::Status::Deployed,
                description: "Install complete".into(),
                deployed_at: SimTime::ZERO,
                content: std::sync::Arc::new(content),
            });
        }
        Ok(cluster)
    }

    /// Helm's release revisions in the cluster (all releases, all revisions).
    pub fn releases(&self) -> &[crate::helm::Release] {
        &self.releases
    }

    /// `DELETE` of a Service (helm uninstall, or an upgrade that drops it).
    pub(crate) fn remove_service(&mut self, name: &str) {
        let before = self.services.len();
        self.services.retain(|s| s.name != name);
        if self.services.len() != before {
            self.dirty = true;
        }
    }

    pub(crate) fn add_service(&mut self, mut object: Service) {
        crate::apiserver::defaults::set_defaults_service(&mut object);
        let name = object.metadata.name.clone().unwrap_or_default();
        if self.services.iter().any(|s| s.name == name) {
            return;
        }
        let headless = object.spec.as_ref().and_then(|s| s.cluster_ip.as_deref()) == Some("None");
        let cluster_ip = if headless {
            None
        } else if let Some(ip) = object.spec.as_ref().and_then(|s| s.cluster_ip.clone()).filter(|ip| !ip.is_empty()) {
            Some(ip)
        } else {
            // The service CIDR of kubeadm/minikube is 10.96.0.0/12; .0.1 is the `kubernetes` Service.
            let r = self.rng.next_u32();
            Some(format!("10.{}.{}.{}", 96 + (r >> 24) % 16, (r >> 16) & 0xff, 1 + (r & 0xff) % 254))
        };
        self.services.push(ServiceState { object, name, cluster_ip, created_at: self.now });
    }

    /// Stores a StatefulSet object as the new desired state. The object is the one the API server
    /// stores: defaulted and validated ([`Cluster::admit_statefulset`]), so the template hashed into
    /// the ControllerRevision name is the defaulted one, as the real controller sees it.
    pub(crate) fn install_set(&mut self, object: StatefulSet) {
        let spec = SetSpec::from_object(&object);
        if let Some(pod) = &spec.template.spec {
            // What the template names and nothing defines was in the student's cluster (the setting).
            self.configuration.assume_references(pod);
        }
        // The revision data as this release's controller encodes it ([`super::upgrade::revision_data`]).
        let template_json: Arc<str> = super::upgrade::revision_data(&spec.template, self.version).into();
        self.set_name = spec.name.clone();
        match &mut self.set {
            Some(set) => {
                if set.object.spec != object.spec {
                    set.generation += 1;
                }
                set.object = object;
                set.spec = Arc::new(spec);
                set.template_json = template_json;
            }
            None => {
                self.set = Some(SetState {
                    object,
                    spec: Arc::new(spec),
                    template_json,
                    generation: 1,
                    status: SetStatus::default(),
                    created_at: self.now,
                    deleting: false,
                });
                // Adoption: pods and revisions orphaned by an earlier `--cascade=orphan` match again.
                for pod in self.pods.values_mut() {
                    pod.owned = true;
                    pod.claim_owners = None;
                }
            }
        }
        self.dirty = true;
    }

    // ----- driving -------------------------------------------------------------------------

    /// Does the next piece of work — a controller sync if something it watches changed, else the next
    /// node-side change (moving the clock to it) — and keeps going until at least one event was
    /// logged. `None` when nothing is pending. This is the UI's "step" button.
    pub fn step(&mut self) -> Option<StepReport> {
        let first = self.events.len();
        let mut worked = false;
        while self.events.len() == first {
            if !self.work_once(None) {
                break;
            }
            worked = true;
        }
        worked.then_some(StepReport { at: self.now, events: first..self.events.len() })
    }

    /// Runs one controller sync now, whether or not anything changed (what a periodic resync does).
    pub fn reconcile(&mut self) {
        self.dirty = false;
        controller::sync(self);
    }

    /// Runs the controller while something it watches has changed, without moving the clock: the
    /// controller reacts within milliseconds, before a person types the next command.
    pub fn sync_pending(&mut self) {
        let mut guard = 0;
        while self.dirty && guard < crate::limits::MAX_SYNCS_PER_REACTION {
            self.dirty = false;
            controller::sync(self);
            guard += 1;
        }
    }

    /// Exactly one unit of work — one controller sync or one node-side change — even if it logs no
    /// event (e.g. a pod being scheduled). `false` when nothing is pending. For callers that observe
    /// every state, like `kubectl get -w`.
    pub fn tick(&mut self) -> bool {
        self.work_once(None)
    }

    /// One unit of work; `limit` bounds the clock. Returns false when nothing was due.
    fn work_once(&mut self, limit: Option<SimTime>) -> bool {
        if self.dirty {
            self.dirty = false;
            controller::sync(self);
            return true;
        }
        let due = match self.timers.peek() {
            Some(Reverse(t)) => limit.is_none_or(|l| t.at <= l),
            None => false,
        };
        if !due {
            return false;
        }
        let Reverse(timer) = self.timers.pop().expect("peeked");
        if timer.at > self.now {
            let from = self.now;
            self.now = timer.at;
            kubelet::catch_up(self, from);
        }
        kubelet::fire(self, timer.kind);
        // `kubectl drain` polls for the pods it evicted (waitForDelete).
        self.drain_observe();
        true
    }

    /// Runs everything due within `d` and moves the clock by exactly `d`. At most
    /// [`crate::limits::MAX_ADVANCE_STEPS`] units of work run (a wait is at most a day, which no
    /// lesson comes near); what is left runs at the next step, late.
    pub fn advance(&mut self, d: SimDuration) {
        let target = self.now.plus(d);
        let mut steps = 0;
        while steps < crate::limits::MAX_ADVANCE_STEPS && self.work_once(Some(target)) {
            steps += 1;
        }
        if target > self.now {
            let from = self.now;
            self.now = target;
            kubelet::catch_up(self, from);
        }
    }

    /// Runs until nothing changes or nothing can change (a crash-looping pod that the controller waits
    /// for forever changes nothing the controller looks at).
    pub fn settle(&mut self) -> Settled {
        let mut steps = 0;
        while self.work_once(None) {
            steps += 1;
            if steps >= SETTLE_STEP_LIMIT {
                break;
            }
        }
        match &self.last_wait {
            Some(w) if !self.rolled_out() => Settled::Stuck(w.clone()),
            // Parallel does not wait on a pod, but a lost node or a pod no node fits still holds it.
            None if !self.rolled_out() => {
                self.node_stuck().or_else(|| self.config_stuck()).map_or(Settled::Done, Settled::Stuck)
            }
            _ => Settled::Done,
        }
    }

    /// True when the controller has nothing pending and every pod it wants is healthy at the revision
    /// the spec asks for.
    pub fn rolled_out(&self) -> bool {
        let Some(set) = &self.set else { return true };
        let s = &set.status;
        s.observed_generation == set.generation
            && s.ready_replicas == set.spec.replicas
            && s.replicas == set.spec.replicas
            && self.timers.is_empty()
    }

    /// What the controller last said it waits for, while it still does (cleared when it acts again).
    pub fn waiting_for(&self) -> Option<&str> {
        self.last_wait.as_deref()
    }

    /// Whether the controller will run at the next `step`/`tick` (something it watches changed).
    pub fn has_pending_sync(&self) -> bool {
        self.dirty
    }

    /// Whether anything is pending (a sync or a node-side change).
    pub fn is_idle(&self) -> bool {
        !self.dirty && self.timers.is_empty()
    }

    /// When the next node-side change is due, if any.
    pub fn next_change_at(&self) -> Option<SimTime> {
        self.timers.peek().map(|Reverse(t)| t.at)
    }

    // ----- reading ---------------------------------------------------------------------------

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn gates(&self) -> FeatureGates {
        self.gates
    }

    /// The Kubernetes release simulated.
    pub fn version(&self) -> KubeVersion {
        self.version
    }

    /// Flips feature gates, as restarting the control plane with other `--feature-gates` would
    /// (spec §0: maxUnavailable is a toggle). The controller runs again with the new behaviour; a
    /// `maxUnavailable` already stored stays (the API server only drops it on writes while off).
    pub fn set_gates(&mut self, gates: FeatureGates) {
        if gates != self.gates {
            self.gates = gates;
            self.dirty = true;
        }
    }

    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The StatefulSet's name (kept after it is deleted, for the pods and claims it left).
    pub fn set_name(&self) -> &str {
        &self.set_name
    }

    /// The StatefulSet, unless it was deleted.
    pub fn statefulset(&self) -> Option<&SetState> {
        self.set.as_ref()
    }

    pub fn status(&self) -> Option<&SetStatus> {
        self.set.as_ref().map(|s| &s.status)
    }

    /// Pods in ordinal order.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.pods.values()
    }

    pub fn pod(&self, ordinal: i32) -> Option<&Pod> {
        self.pods.get(&ordinal)
    }

    /// Claims in name order (kubectl's order).
    pub fn claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.values()
    }

    pub fn claim(&self, name: &str) -> Option<&Claim> {
        self.claims.get(name)
    }

    /// Whether a pod currently mounts this claim.
    pub fn claim_in_use(&self, claim: &Claim) -> bool {
        self.pods.contains_key(&claim.ordinal)
    }

    /// ControllerRevisions, oldest `.revision` first.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    pub fn revision(&self, name: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.name == name)
    }

    pub fn services(&self) -> &[ServiceState] {
        &self.services
    }

    /// The whole event log.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Kubernetes Events, oldest first (what `kubectl get events` lists).
    pub fn recorded(&self) -> &[super::event::Recorded] {
        &self.recorded
    }

    /// The claim that stores a pod's counter: the first volumeClaimTemplate's claim of its ordinal.
    pub fn counter_claim_of(&self, pod: &Pod) -> Option<&Claim> {
        let tpl = self.counter_template()?;
        self.claims.get(&claim_name(&tpl, &self.set_name, pod.ordinal))
    }

    pub(crate) fn counter_template(&self) -> Option<String> {
        if let Some(set) = &self.set {
            return set.spec.claims.first().map(|c| c.name.clone());
        }
        self.claims.values().next().map(|c| c.template.clone())
    }

    /// The visit counter a pod reads (`{"count": N}`): on its claim when it has one, else in the
    /// container. `None` while the file does not exist yet.
    pub fn visits_of(&self, pod: &Pod) -> Option<u64> {
        match self.counter_claim_of(pod) {
            Some(c) => c.visits,
            None if self.counter_template().is_some() => None,
            None => pod.local_visits,
        }
    }

    // ----- changes used by the controller, the kubelet and actions ---------------------------------

    pub(crate) fn log(
        &mut self,
        kind: EventKind,
        object: impl Into<String>,
        revision: Option<&str>,
        rule: &'static str,
        text: String,
    ) {
        let seq = self.events.len();
        self.events.push(Event {
            seq,
            t: self.now,
            kind,
            object: object.into(),
            revision: revision.map(str::to_string),
            rule,
            text,
        });
    }

    pub(crate) fn schedule(&mut self, after: SimDuration, kind: TimerKind) {
        self.timer_seq += 1;
        self.timers.push(Reverse(Timer { at: self.now.plus(after), seq: self.timer_seq, kind }));
    }

    pub(crate) fn uid(&mut self) -> u64 {
        self.next_uid += 1;
        self.next_uid
    }

    /// Creates a claim from a template (spec §5: before the pod, one per template per ordinal).
    pub(crate) fn create_claim(&mut self, spec: &SetSpec, template: usize, ordinal: i32, text: String) {
        let tpl = &spec.claims[template];
        let name = claim_name(&tpl.name, &spec.name, ordinal);
        let uid = self.uid();
        let (owned_by_set, _) = controller::retention::desired_owners(spec, true, 0);
        self.claims.insert(
            name.clone(),
            Claim {
                name: name.clone(),
                template: tpl.name.clone(),
                ordinal,
                uid,
                status: ClaimStatus::Pending,
                bound: false,
                volume: None,
                capacity: tpl.storage.clone(),
                access_modes: tpl.access_modes.clone(),
                storage_class: tpl.storage_class.clone(),
                created_at: self.now,
                owned_by_set,
                owned_by_pod: None,
                visits: None,
                selected_node: None,
                selected_for: None,
                node_affinity: None,
            },
        );
        self.log(EventKind::CreatePvc, name.clone(), None, "5", text);
        // WaitForFirstConsumer: nothing is provisioned until the scheduler picks a node for its pod.
        if !self.delays_binding(&tpl.storage_class) {
            self.schedule(timing::CLAIM_BIND, TimerKind::ClaimBound { name, uid });
        }
    }

    /// Creates a pod object at a revision (its claims must exist).
    pub(crate) fn create_pod(
        &mut self,
        spec: &SetSpec,
        ordinal: i32,
        revision: &str,
        rule: &'static str,
        text: String,
    ) {
        let shape = self.revision(revision).map(|r| (r.shape, r.broken));
        let (shape, broken) = shape.unwrap_or((PodShape::of(&spec.template), false));
        let uid = self.uid();
        let name = pod_name(&spec.name, ordinal);
        let pod = Pod {
            name: name.clone(),
            ordinal,
            uid,
            revision: revision.to_string(),
            created_at: self.now,
            phase: PodPhase::Pending,
            stage: Stage::Unscheduled,
            ready: false,
            ready_since: None,
            started_at: None,
            scheduled_at: None,
            deletion: None,
            containers_stopped: false,
            crash_looping: broken,
            readiness_broken: false,
            kills: 0,
            last_kill: None,
            killed_run_started: None,
            ip: None,
            node: None,
            unschedulable: None,
            containers: shape.containers,
            init_containers: shape.init_containers,
            owned: true,
            local_visits: None,
            claim_owners: None,
            config_error: None,
        };
        self.pods.insert(ordinal, pod);
        self.log(EventKind::CreatePod, name, Some(revision), rule, text);
        kubelet::try_schedule(self, ordinal, timing::SCHEDULE);
    }

    /// Starts a graceful deletion: Terminating now, containers stop on SIGTERM, then the object goes.
    pub(crate) fn delete_pod(&mut self, ordinal: i32, rule: &'static str, text: String) {
        let Some(pod) = self.pods.get_mut(&ordinal) else {
            return;
        };
        if pod.deletion.is_some() {
            return;
        }
        let (uid, name, rev) = (pod.uid, pod.name.clone(), pod.revision.clone());
        if self.on_unreachable_node(ordinal) {
            // Nothing reaches the kubelet: the deletionTimestamp is set and nothing follows.
            self.pods.get_mut(&ordinal).expect("exists").deletion = Some(self.now);
            let stuck = self.stuck_terminating_text(ordinal);
            self.log(EventKind::DeletePod, name, Some(&rev), rule, format!("{text}{stuck}"));
            self.dirty = true;
            return;
        }
        // The kubelet stops the running containers; after that the pod counts as terminating.
        kubelet::killing(self, ordinal);
        self.pods.get_mut(&ordinal).expect("exists").deletion = Some(self.now);
        self.log(EventKind::DeletePod, name, Some(&rev), rule, text);
        self.finish_deletion(ordinal, uid);
        self.dirty = true;
    }

    /// Starts a claim's deletion; pvc-protection keeps it Terminating while a pod mounts it.
    pub(crate) fn delete_claim(&mut self, name: &str, rule: &'static str, text: String) {
        let Some(claim) = self.claims.get_mut(name) else {
            return;
        };
        if claim.status == ClaimStatus::Terminating {
            return;
        }
        claim.status = ClaimStatus::Terminating;
        let (uid, ordinal) = (claim.uid, claim.ordinal);
        self.log(EventKind::DeletePvc, name.to_string(), None, rule, text);
        if !self.pods.contains_key(&ordinal) {
            self.schedule(timing::CLAIM_REMOVE, TimerKind::ClaimGone { name: name.to_string(), uid });
        }
        self.dirty = true;
    }

    /// Foreground deletion ends when the set owns no pod any more: the set and its revisions go.
    pub(crate) fn finish_foreground_deletion(&mut self) {
        let done = self.set.as_ref().is_some_and(|s| s.deleting) && !self.pods.values().any(|p| p.owned);
        if done {
            let name = self.set_name.clone();
            self.set = None;
            self.revisions.clear();
            self.log(
                EventKind::Status,
                name.clone(),
                None,
                "3",
                format!("StatefulSet {name} is gone: foreground deletion removed it after all its pods."),
            );
        }
    }

    /// Logs a controller wait unless it is the same as the last one.
    pub(crate) fn wait(&mut self, object: String, rule: &'static str, text: String) {
        if self.last_wait.as_deref() == Some(text.as_str()) {
            return;
        }
        self.last_wait = Some(text.clone());
        self.log(EventKind::Wait, object, None, rule, text);
    }
}

pub fn pod_name(set: &str, ordinal: i32) -> String {
    format!("{set}-{ordinal}")
}

/// spec §1: `<claimTemplateName>-<sts>-<ordinal>`.
pub fn claim_name(template: &str, set: &str, ordinal: i32) -> String {
    format!("{template}-{set}-{ordinal}")
}
