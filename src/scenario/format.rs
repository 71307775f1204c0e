//! The scenario file format (issue #4): YAML with the input, a seed, feature gates, which
//! StatefulSet, and a list of steps. The same format the web app imports and exports.
//!
//! ```yaml
//! input: ../fixtures/lab.txt     # a path relative to this file, or `input_text: |` inline
//! seed: 7
//! version: "1.35.2"              # optional: the Kubernetes release (1.33-1.37), its gate defaults
//! gates: {MaxUnavailableStatefulSet: false}   # flips gates from the release's defaults
//! assume_missing_references: false   # optional, default true: see below
//! statefulset: web
//! steps:
//!   - settle
//!   - wait: 30s
//!   - scale: 5
//!   - kubectl: get po,sts,svc,pvc
//! ```
//!
//! Steps: `settle` (run until nothing changes or nothing can change), `step` / `step: N` (one
//! `Cluster::step` each), `wait: 30s`, `traffic: N`, `request: N` (one request to pod N's own DNS
//! name, `curl web-1.nginx`), `scale: N`, `image: REF`, `partition: N`,
//! `max-unavailable: N|"50%"`, `strategy: OnDelete|RollingUpdate`, `policy: Parallel|OrderedReady`
//! (immutable: rejected), `retention: {whenScaled: .., whenDeleted: ..}`, `ordinals-start: N`,
//! `min-ready-seconds: N`, `delete-pod: N`, `evict-pod: N`, `kill-container: N`, `break-readiness: N`, `fix-readiness: N`,
//! `node-down: NODE` (the node stops reporting), `node-up: NODE` (it reports again),
//! `force-delete-pod: N` (`kubectl delete pod --force --grace-period=0`), `cordon: NODE`, `uncordon: NODE`,
//! `drain: NODE`, `taint: "NODE KEY[=VALUE]:EFFECT"` (or `"NODE KEY[:EFFECT]-"`),
//! `upgrade-control-plane: "1.34.1"` (`minikube start --kubernetes-version=v1.34.1` on the running cluster),
//! `create-secret: {name: N, from-literal: {KEY: VALUE}}`, `create-configmap: {...}`, `delete-secret: N`,
//! `delete-configmap: N`,
//! `break-image` (the next revision never gets Ready), `rollback` / `rollback: N`, `restart`,
//! `delete-statefulset`, `delete-statefulset-foreground`, `orphan-statefulset`, `apply: {input_text: ..} | {input: PATH}`, and
//! `kubectl: <any command the lab's terminal runs>` (`crate::kubectl::run`: read-only commands record
//! their stdout and stderr; a command that changes the cluster is applied and records what kubectl
//! prints; `get pods -w` records the lines printed during the next step; `rollout status` runs the
//! simulation until the rollout completes or nothing more can change, as kubectl waits), and
//! `helm: <command>` (or `helm: {command: ..., files: {NAME: TEXT}}` for its `-f` files): `install`,
//! `upgrade`, `rollback` and `uninstall` write the release and are actions; the others
//! (`history`, `get values`, `template`, dry runs) record their output.
//!
//! `assume_missing_references` (default `true`): the Secrets and ConfigMaps the pod template names
//! but the paste does not define are taken to be in the cluster already, with the keys the
//! template asks for, as they were where the chart ran (the lab chart reads Secret `secret-base`,
//! which it does not create). `false` runs on a fresh cluster: a pod whose environment needs a
//! missing object or key stops at `CreateContainerConfigError` until it is created
//! (`create-secret: {name: N, from-literal: {KEY: VALUE}}`, `create-configmap: {...}`, or
//! `kubectl: create secret generic N --from-literal=KEY=VALUE`); `delete-secret: N` and
//! `delete-configmap: N` delete one.
//!
//! Parsing is pure: reading the `input:` file is left to a loader the caller passes (the CLI reads
//! from disk; the web app has the text already). Every error carries a 1-based line and column.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use yaml_serde::Value;

use crate::engine::{
    Action, ConfigKind, FeatureGates, KubeVersion, PodManagementPolicy, RetentionPolicy, SimDuration, UpdateStrategy,
};
use crate::limits::{MAX_INPUTS, MAX_REQUESTS_PER_ACTION};

/// A parsed scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The paste the cluster is built from.
    pub input_text: String,
    pub seed: u64,
    /// The Kubernetes release simulated (`version: "1.35.2"`).
    pub version: KubeVersion,
    pub gates: FeatureGates,
    /// `assume_missing_references:` (default true, [`crate::engine::ClusterConfig::assume_missing_references`]).
    pub assume_missing_references: bool,
    /// Which StatefulSet of the input, when it has several.
    pub statefulset: Option<String>,
    pub steps: Vec<Step>,
}

/// One step with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub line: usize,
    pub column: usize,
    /// The step as written (one line), for the transcript.
    pub source: String,
    pub kind: StepKind,
}

/// What a step does.
#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// Run until nothing changes, or nothing can change.
    Settle,
    /// N single steps (`Cluster::step`).
    Step(u32),
    /// Let simulated time pass.
    Wait(SimDuration),
    /// A user action.
    Action(Action),
    /// Record a kubectl command's output: `get TYPES [-o wide]`, `get pods -w` (watches the next
    /// step), `rollout status statefulset/NAME`, `exec POD -- cat FILE`.
    Kubectl(String),
    /// Record a helm command's output (one that does not write a release: `history`, `get values`,
    /// `template`, a dry run, or one helm refuses), without `helm `.
    Helm(String),
}

/// A scenario error at a position of the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct ScenarioError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

fn err(pos: (usize, usize), message: impl Into<String>) -> ScenarioError {
    ScenarioError { line: pos.0, column: pos.1, message: message.into() }
}

/// Parses a scenario; `load(path)` returns the text of a file named relative to the scenario.
pub fn parse(text: &str, load: &dyn Fn(&str) -> Result<String, String>) -> Result<Scenario, ScenarioError> {
    parse_on(text, load, None)
}

/// [`parse`], run on `version` instead of the file's own (`sts-lab run FILE --version 1.35.2`): the
/// gates start as that release ships them and the file's `gates:` still flip them.
pub fn parse_on(
    text: &str,
    load: &dyn Fn(&str) -> Result<String, String>,
    version: Option<KubeVersion>,
) -> Result<Scenario, ScenarioError> {
    // Before the YAML reader, whose time grows with depth × tokens (100,000 `[` took 11 s).
    crate::input::nesting::check(text).map_err(|(line, column, message)| err((line, column), message))?;
    let value: Value = yaml_serde::from_str(text).map_err(|e| {
        let (l, c) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        err((l, c), e.to_string())
    })?;
    let Some(map) = value.as_mapping() else {
        return Err(err((1, 1), "a scenario is a mapping with `input` or `input_text`, `seed` and `steps`"));
    };
    let known =
        ["input", "input_text", "seed", "version", "gates", "assume_missing_references", "statefulset", "steps"];
    for key in map.keys() {
        let k = key.as_str().unwrap_or("");
        if !known.contains(&k) {
            return Err(err(locate_key(text, k), format!("unknown key `{k}` (expected one of: {})", known.join(", "))));
        }
    }
    let input_text = match (value.get("input"), value.get("input_text")) {
        (Some(_), Some(_)) => {
            return Err(err(locate_key(text, "input_text"), "give either `input` or `input_text`, not both"))
        }
        (Some(path), None) => {
            let path = path.as_str().ok_or_else(|| err(locate_key(text, "input"), "`input` must be a path"))?;
            load(path).map_err(|e| err(locate_key(text, "input"), format!("cannot read input {path:?}: {e}")))?
        }
        (None, Some(t)) => {
            t.as_str().ok_or_else(|| err(locate_key(text, "input_text"), "`input_text` must be a string"))?.to_string()
        }
        (None, None) => return Err(err((1, 1), "missing `input` (a path) or `input_text` (the paste)")),
    };
    let seed = match value.get("seed") {
        None => 0,
        Some(s) => s.as_u64().ok_or_else(|| err(locate_key(text, "seed"), "`seed` must be a non-negative integer"))?,
    };
    // A file without `version` predates versions: it runs on the newest release with the gates it
    // names and every other gate off, as the lab ran it then. With `version`, the gates start as
    // that release ships them and `gates:` flips them, as a cluster admin's --feature-gates would.
    let (version, mut gates) = match (version, value.get("version")) {
        (Some(v), _) => (v, FeatureGates::for_version(v)),
        (None, None) => (KubeVersion::LATEST, FeatureGates::default()),
        (None, Some(v)) => {
            let pos = locate_key(text, "version");
            let t = match v {
                Value::String(t) => t.clone(),
                // `version: 1.35` is read by YAML as a number; the text is what was meant.
                Value::Number(n) => n.to_string(),
                _ => return Err(err(pos, "`version` is a Kubernetes release such as \"1.35.2\"")),
            };
            let version = KubeVersion::parse(&t).map_err(|m| err(pos, m))?;
            (version, FeatureGates::for_version(version))
        }
    };
    if let Some(g) = value.get("gates") {
        let pos = locate_key(text, "gates");
        let g = g.as_mapping().ok_or_else(|| err(pos, "`gates` must be a mapping of gate names to true/false"))?;
        for (k, v) in g {
            let on = v.as_bool().ok_or_else(|| err(pos, "a gate is true or false"))?;
            let name = k.as_str().unwrap_or("");
            set_gate(&mut gates, version, name, on).map_err(|m| err(pos, m))?;
        }
    }
    let assume_missing_references = match value.get("assume_missing_references") {
        None => true,
        Some(v) => v.as_bool().ok_or_else(|| {
            err(
                locate_key(text, "assume_missing_references"),
                "`assume_missing_references` is true (the objects the paste names but does not define are in the \
                 cluster already) or false (a fresh cluster)",
            )
        })?,
    };
    let statefulset = match value.get("statefulset") {
        None => None,
        Some(s) => Some(
            s.as_str().ok_or_else(|| err(locate_key(text, "statefulset"), "`statefulset` must be a name"))?.to_string(),
        ),
    };
    let positions = locate_steps(text);
    let steps_pos = locate_key(text, "steps");
    let mut steps = Vec::new();
    // Inputs the steps stand for, counted before anything is allocated or replayed.
    let mut inputs = 0usize;
    if let Some(list) = value.get("steps") {
        let list = list.as_sequence().ok_or_else(|| err(steps_pos, "`steps` must be a list"))?;
        for (i, item) in list.iter().enumerate() {
            let pos = positions.get(i).map(|p| (p.0, p.1)).unwrap_or(steps_pos);
            let source = positions.get(i).map(|p| p.2.clone()).unwrap_or_else(|| format!("{item:?}"));
            let kind = parse_step(item, statefulset.as_deref(), load).map_err(|m| err(pos, m))?;
            inputs = inputs.saturating_add(match &kind {
                StepKind::Step(n) => *n as usize,
                // A command that may change the cluster is one input, as the action it stands for.
                StepKind::Kubectl(cmd) => usize::from(crate::kubectl::cli::may_act(cmd)),
                StepKind::Helm(_) => 0,
                _ => 1,
            });
            if inputs > MAX_INPUTS {
                return Err(err(pos, too_many_inputs()));
            }
            steps.push(Step { line: pos.0, column: pos.1, source, kind });
        }
    }
    Ok(Scenario { input_text, seed, version, gates, assume_missing_references, statefulset, steps })
}

/// Flips one gate by its Kubernetes name, refusing a gate the release does not have.
pub fn set_gate(gates: &mut FeatureGates, version: KubeVersion, name: &str, on: bool) -> Result<(), String> {
    match name {
        "MaxUnavailableStatefulSet" => gates.max_unavailable_stateful_set = on,
        "StatefulSetRecreateStrategy" if FeatureGates::has_recreate_strategy(version) => {
            gates.stateful_set_recreate_strategy = on
        }
        "StatefulSetRecreateStrategy" => {
            return Err(format!("Kubernetes {version} has no feature gate StatefulSetRecreateStrategy (added in 1.37)"))
        }
        "StatefulSetSemanticRevisionComparison" => gates.stateful_set_semantic_revision_comparison = on,
        other => {
            return Err(format!(
                "unknown feature gate {other:?} (known: {})",
                gate_map(*gates, version).keys().copied().collect::<Vec<_>>().join(", ")
            ))
        }
    }
    Ok(())
}

/// The refusal of a scenario that records more than [`MAX_INPUTS`] inputs.
pub fn too_many_inputs() -> String {
    format!(
        "this scenario records more than {MAX_INPUTS} inputs (steps, waits and actions); the lab replays at most \
         {MAX_INPUTS}, about a second of work, so a link or a file cannot freeze the page"
    )
}

fn int(v: &Value, what: &str) -> Result<i32, String> {
    let out_of_range = |n: String| {
        format!("`{what}: {n}` is out of range: the API server's field is an int32 ({}..{})", i32::MIN, i32::MAX)
    };
    match (v.as_i64(), v.as_u64()) {
        (Some(i), _) => i32::try_from(i).map_err(|_| out_of_range(i.to_string())),
        (None, Some(u)) => Err(out_of_range(u.to_string())),
        _ => Err(format!("`{what}` needs an integer")),
    }
}

fn ordinal(v: &Value, what: &str) -> Result<i32, String> {
    int(v, what)
}

fn parse_step(
    item: &Value,
    set: Option<&str>,
    load: &dyn Fn(&str) -> Result<String, String>,
) -> Result<StepKind, String> {
    if let Some(word) = item.as_str() {
        return match word.trim() {
            "settle" => Ok(StepKind::Settle),
            "step" => Ok(StepKind::Step(1)),
            "break-image" => Ok(StepKind::Action(Action::BreakImage)),
            "rollback" => Ok(StepKind::Action(Action::Rollback { to_revision: None })),
            "restart" => Ok(StepKind::Action(Action::Restart)),
            "delete-statefulset" => Ok(StepKind::Action(Action::DeleteStatefulSet)),
            "orphan-statefulset" => Ok(StepKind::Action(Action::OrphanStatefulSet)),
            "delete-statefulset-foreground" => Ok(StepKind::Action(Action::DeleteStatefulSetForeground)),
            other => Err(format!("unknown step `{other}`")),
        };
    }
    let Some(map) = item.as_mapping().filter(|m| m.len() == 1) else {
        return Err("a step is a word (`settle`) or a mapping with one key (`scale: 5`)".into());
    };
    let (key, v) = map.iter().next().expect("one entry");
    let key = key.as_str().unwrap_or("");
    let action = |a: Action| Ok(StepKind::Action(a));
    match key {
        "step" => {
            let n = v.as_u64().filter(|n| *n > 0).ok_or("`step` needs a positive count")?;
            // Checked, not `as u32`: 4294967296 must not become 0 steps.
            match u32::try_from(n) {
                Ok(n) if n as usize <= MAX_INPUTS => Ok(StepKind::Step(n)),
                _ => Err(too_many_inputs()),
            }
        }
        "wait" => {
            let text = match v {
                Value::Number(n) => n.to_string(),
                other => other.as_str().ok_or("`wait` needs a duration like 30s")?.to_string(),
            };
            Ok(StepKind::Wait(SimDuration::parse(&text)?))
        }
        "traffic" => {
            let n = v.as_u64().ok_or("`traffic` needs a number of requests (0 or more)")?;
            if n > MAX_REQUESTS_PER_ACTION {
                return Err(format!(
                    "the lab sends up to {MAX_REQUESTS_PER_ACTION} requests at once; this asks for {n} (each request is \
                     one random pick of an endpoint)"
                ));
            }
            action(Action::Traffic(n))
        }
        "request" => action(Action::Request(ordinal(v, "request")?)),
        "scale" => action(Action::Scale(int(v, "scale")?)),
        "image" => action(Action::Image(v.as_str().ok_or("`image` needs an image reference")?.to_string())),
        "partition" => action(Action::Partition(int(v, "partition")?)),
        "max-unavailable" => action(Action::MaxUnavailable(match v {
            Value::String(s) => IntOrString::String(s.clone()),
            other => IntOrString::Int(int(other, "max-unavailable")?),
        })),
        "strategy" => action(Action::Strategy(match v.as_str() {
            Some("OnDelete") => UpdateStrategy::OnDelete,
            Some("RollingUpdate") => UpdateStrategy::RollingUpdate,
            Some("Recreate") => UpdateStrategy::Recreate,
            _ => return Err("`strategy` is OnDelete, RollingUpdate or Recreate".into()),
        })),
        "policy" | "pod-management-policy" => action(Action::PodManagementPolicy(match v.as_str() {
            Some("OrderedReady") => PodManagementPolicy::OrderedReady,
            Some("Parallel") => PodManagementPolicy::Parallel,
            _ => return Err("`policy` is OrderedReady or Parallel".into()),
        })),
        "retention" => {
            let m = v.as_mapping().ok_or("`retention` needs {whenScaled: ..., whenDeleted: ...}")?;
            let mut when_scaled = RetentionPolicy::Retain;
            let mut when_deleted = RetentionPolicy::Retain;
            for (k, val) in m {
                let p = val.as_str().and_then(RetentionPolicy::parse).ok_or("retention values are Retain or Delete")?;
                match k.as_str() {
                    Some("whenScaled") => when_scaled = p,
                    Some("whenDeleted") => when_deleted = p,
                    _ => return Err("`retention` keys are whenScaled and whenDeleted".into()),
                }
            }
            action(Action::Retention { when_scaled, when_deleted })
        }
        "ordinals-start" => action(Action::OrdinalsStart(int(v, "ordinals-start")?)),
        "min-ready-seconds" => action(Action::MinReadySeconds(int(v, "min-ready-seconds")?)),
        "delete-pod" => action(Action::DeletePod(ordinal(v, "delete-pod")?)),
        "break-readiness" => action(Action::BreakReadiness(ordinal(v, "break-readiness")?)),
        "evict-pod" => action(Action::EvictPod(ordinal(v, "evict-pod")?)),
        "kill-container" => action(Action::KillContainer(ordinal(v, "kill-container")?)),
        "fix-readiness" => action(Action::FixReadiness(ordinal(v, "fix-readiness")?)),
        "cordon" | "uncordon" | "drain" => {
            let node = v.as_str().ok_or(format!("`{key}` needs a node name"))?.to_string();
            action(match key {
                "drain" => Action::Drain(node),
                _ => Action::Cordon { node, on: key == "cordon" },
            })
        }
        "taint" => {
            let usage = "`taint` needs \"NODE KEY[=VALUE]:EFFECT\" (or \"NODE KEY[:EFFECT]-\" to remove)";
            let (node, spec) = v.as_str().and_then(|s| s.trim().split_once(' ')).ok_or(usage)?;
            let (key, value, effect, remove) = crate::kubectl::mutate::parse_taint_spec(spec.trim())?;
            action(Action::Taint { node: node.to_string(), key, value, effect, remove })
        }
        "force-delete-pod" => action(Action::ForceDeletePod(ordinal(v, "force-delete-pod")?)),
        "create-secret" => action(create_config(ConfigKind::Secret, v)?),
        "create-configmap" => action(create_config(ConfigKind::ConfigMap, v)?),
        "delete-secret" | "delete-configmap" => {
            let kind = if key == "delete-secret" { ConfigKind::Secret } else { ConfigKind::ConfigMap };
            let name = v.as_str().ok_or_else(|| format!("`{key}` needs a name"))?.to_string();
            action(Action::DeleteConfig { kind, name })
        }
        "node-down" => action(Action::NodeDown(v.as_str().ok_or("`node-down` needs a node name")?.to_string())),
        "node-up" => action(Action::NodeUp(v.as_str().ok_or("`node-up` needs a node name")?.to_string())),
        "upgrade-control-plane" => {
            let text = v.as_str().ok_or("`upgrade-control-plane` needs a release in quotes, e.g. \"1.34.1\"")?;
            action(Action::UpgradeControlPlane(crate::engine::KubeVersion::parse(text)?))
        }
        "rollback" => action(Action::Rollback {
            to_revision: match v {
                Value::Null => None,
                other => Some(other.as_i64().ok_or("`rollback` takes an optional revision number")?),
            },
        }),
        "apply" => {
            let text = match (v.get("input_text"), v.get("input")) {
                (Some(t), None) => t.as_str().ok_or("`input_text` must be a string")?.to_string(),
                (None, Some(p)) => {
                    let p = p.as_str().ok_or("`input` must be a path")?;
                    load(p).map_err(|e| format!("cannot read {p:?}: {e}"))?
                }
                _ => return Err("`apply` needs {input_text: ...} or {input: PATH}".into()),
            };
            let release = crate::input::parse(&text);
            let info = match set {
                Some(name) => release.statefulsets.iter().find(|s| s.object.metadata.name.as_deref() == Some(name)),
                None => release.statefulsets.first(),
            }
            .ok_or("apply: the manifest has no matching StatefulSet")?;
            action(Action::Apply { statefulset: Box::new(info.object.clone()), services: release.services.clone() })
        }
        "patch" => {
            // `patch: {type: strategic|merge|json, patch: '<json>'}`: what `kubectl patch statefulset` sends.
            let m = v.as_mapping().ok_or("`patch` needs {type: strategic|merge|json, patch: '<json>'}")?;
            let mut patch_type = crate::engine::PatchType::Strategic;
            let mut body = None;
            for (k, val) in m {
                match (k.as_str(), val.as_str()) {
                    (Some("type"), Some("strategic")) => patch_type = crate::engine::PatchType::Strategic,
                    (Some("type"), Some("merge")) => patch_type = crate::engine::PatchType::Merge,
                    (Some("type"), Some("json")) => patch_type = crate::engine::PatchType::Json,
                    (Some("type"), _) => return Err("`patch` type is strategic, merge or json".into()),
                    (Some("patch"), Some(text)) => body = Some(text.to_string()),
                    _ => return Err("`patch` keys are type and patch (a JSON string)".into()),
                }
            }
            let patch = body.ok_or("`patch` needs its body: patch: '<json>'")?;
            action(Action::Patch { patch_type, patch })
        }
        "kubectl" => {
            let cmd = v.as_str().ok_or("`kubectl` needs a command, e.g. get po,sts,svc,pvc")?.trim();
            let cmd = cmd.strip_prefix("kubectl ").unwrap_or(cmd).to_string();
            if let Err(e) = crate::kubectl::shell::split(&cmd) {
                return Err(format!("kubectl: {e}"));
            }
            Ok(StepKind::Kubectl(cmd))
        }
        "helm" => {
            // `helm: <command>` or `helm: {command: <command>, files: {NAME: TEXT}}` (the `-f` files).
            let usage = "`helm` needs a command, e.g. upgrade python ./helm-python --set replicaCount=3";
            let (line, files) = match (v.as_str(), v.as_mapping()) {
                (Some(s), _) => (s.to_string(), Vec::new()),
                (None, Some(m)) => {
                    let mut line = None;
                    let mut files = Vec::new();
                    for (k, val) in m {
                        match k.as_str() {
                            Some("command") => line = Some(val.as_str().ok_or(usage)?.to_string()),
                            Some("files") => {
                                let fm = val.as_mapping().ok_or("`files` maps each -f name to its text")?;
                                for (n, t) in fm {
                                    let (Some(n), Some(t)) = (n.as_str(), t.as_str()) else {
                                        return Err("`files` maps each -f name to its text".into());
                                    };
                                    files.push((n.to_string(), t.to_string()));
                                }
                            }
                            _ => return Err("`helm` keys are command and files".into()),
                        }
                    }
                    (line.ok_or(usage)?, files)
                }
                _ => return Err(usage.into()),
            };
            let line = line.trim();
            let line = line.strip_prefix("helm ").unwrap_or(line).to_string();
            let cmd = crate::helm::HelmCommand { line, files };
            // A command that writes a release is an action (recorded, shared, replayed); the others
            // are observations, like `kubectl` steps.
            match cmd.parse() {
                Ok(inv) if inv.verb.writes() && !inv.dry_run() => action(Action::Helm(Box::new(cmd))),
                _ => Ok(StepKind::Helm(cmd.line)),
            }
        }
        other => Err(format!("unknown step `{other}`")),
    }
}

/// `create-secret: {name: NAME, from-literal: {KEY: VALUE, ...}}` (and `create-configmap`): what
/// `kubectl create secret generic NAME --from-literal=KEY=VALUE` sends, the keys checked as kubectl
/// checks them.
fn create_config(kind: ConfigKind, v: &Value) -> Result<Action, String> {
    let step = match kind {
        ConfigKind::Secret => "create-secret",
        ConfigKind::ConfigMap => "create-configmap",
    };
    let usage = || format!("`{step}` needs {{name: NAME, from-literal: {{KEY: VALUE}}}}");
    let m = v.as_mapping().ok_or_else(usage)?;
    let mut name = None;
    let mut data = Vec::new();
    for (k, val) in m {
        match k.as_str() {
            Some("name") => name = Some(val.as_str().ok_or_else(usage)?.to_string()),
            Some("from-literal") => {
                for (key, value) in val.as_mapping().ok_or_else(usage)? {
                    let key = key.as_str().ok_or_else(usage)?.to_string();
                    let value = match value {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => return Err(usage()),
                    };
                    if let Some(e) = crate::engine::configuration::config_key_errors(&key).first() {
                        return Err(format!("`{step}`: key {key:?}: {e}"));
                    }
                    data.push((key, value));
                }
            }
            _ => return Err(usage()),
        }
    }
    Ok(Action::CreateConfig { kind, name: name.ok_or_else(usage)?, data })
}

/// Line and column (1-based) of a top-level key.
fn locate_key(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix(key) {
            if rest.trim_start().starts_with(':') {
                return (i + 1, 1);
            }
        }
    }
    (1, 1)
}

/// Positions (line, column of the value) and source text of each item of the top-level `steps:` list.
fn locate_steps(text: &str) -> Vec<(usize, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines.iter().position(|l| l.starts_with("steps:")) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut indent: Option<usize> = None;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ind = line.len() - trimmed.len();
        if ind == 0 && !trimmed.starts_with('-') {
            break;
        }
        let item_indent = *indent.get_or_insert(ind);
        if ind == item_indent && (trimmed.starts_with("- ") || trimmed == "-") {
            let value = trimmed[1..].trim_start();
            let col = ind + (trimmed.len() - value.len()) + 1;
            let source = strip_comment(value).trim_end().to_string();
            out.push((i + 1, col, source));
        } else if ind < item_indent {
            break;
        }
    }
    out
}

fn strip_comment(s: &str) -> &str {
    // A `#` after whitespace starts a comment (outside quotes; scenario steps rarely quote `#`).
    let mut in_quote: Option<char> = None;
    let bytes: Vec<char> = s.chars().collect();
    for (i, ch) in bytes.iter().enumerate() {
        match (in_quote, ch) {
            (None, '"' | '\'') => in_quote = Some(*ch),
            (Some(q), c) if *c == q => in_quote = None,
            (None, '#') if i > 0 && bytes[i - 1].is_whitespace() => {
                return &s[..s.char_indices().nth(i).map_or(s.len(), |x| x.0)]
            }
            _ => {}
        }
    }
    s
}

impl StepKind {
    /// The step as one line of scenario YAML (what `parse` reads back).
    pub fn to_yaml(&self) -> String {
        use Action as A;
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        match self {
            StepKind::Settle => "settle".into(),
            StepKind::Step(1) => "step".into(),
            StepKind::Step(n) => format!("step: {n}"),
            StepKind::Wait(d) => format!("wait: {}ms", d.0),
            StepKind::Kubectl(cmd) => format!("kubectl: {}", q(cmd)),
            StepKind::Helm(cmd) => format!("helm: {}", q(cmd)),
            StepKind::Action(a) => match a {
                A::Scale(n) => format!("scale: {n}"),
                A::Image(i) => format!("image: {}", q(i)),
                A::Partition(p) => format!("partition: {p}"),
                A::MaxUnavailable(IntOrString::Int(n)) => format!("max-unavailable: {n}"),
                A::MaxUnavailable(IntOrString::String(s)) => format!("max-unavailable: {}", q(s)),
                A::Strategy(s) => format!("strategy: {}", s.as_str()),
                A::PodManagementPolicy(p) => format!("policy: {}", p.as_str()),
                A::Retention { when_scaled, when_deleted } => {
                    format!(
                        "retention: {{whenScaled: {}, whenDeleted: {}}}",
                        when_scaled.as_str(),
                        when_deleted.as_str()
                    )
                }
                A::OrdinalsStart(s) => format!("ordinals-start: {s}"),
                A::MinReadySeconds(s) => format!("min-ready-seconds: {s}"),
                A::DeletePod(o) => format!("delete-pod: {o}"),
                A::EvictPod(o) => format!("evict-pod: {o}"),
                A::KillContainer(o) => format!("kill-container: {o}"),
                A::BreakReadiness(o) => format!("break-readiness: {o}"),
                A::FixReadiness(o) => format!("fix-readiness: {o}"),
                A::BreakImage => "break-image".into(),
                A::Rollback { to_revision: None } => "rollback".into(),
                A::Rollback { to_revision: Some(n) } => format!("rollback: {n}"),
                A::Restart => "restart".into(),
                A::DeleteStatefulSet => "delete-statefulset".into(),
                A::OrphanStatefulSet => "orphan-statefulset".into(),
                A::DeleteStatefulSetForeground => "delete-statefulset-foreground".into(),
                A::Traffic(n) => format!("traffic: {n}"),
                A::Request(o) => format!("request: {o}"),
                A::NodeDown(n) => format!("node-down: {}", q(n)),
                A::NodeUp(n) => format!("node-up: {}", q(n)),
                A::ForceDeletePod(o) => format!("force-delete-pod: {o}"),
                A::Cordon { node, on: true } => format!("cordon: {}", q(node)),
                A::Cordon { node, on: false } => format!("uncordon: {}", q(node)),
                A::Drain(n) => format!("drain: {}", q(n)),
                A::UpgradeControlPlane(v) => format!("upgrade-control-plane: \"{v}\""),
                a @ A::Taint { node, .. } => {
                    // `kubectl taint nodes NODE SPEC` → `taint: "NODE SPEC"`.
                    let cmd = a.kubectl_command("");
                    let spec = cmd.rsplit(' ').next().unwrap_or_default();
                    format!("taint: {}", q(&format!("{node} {spec}")))
                }
                A::CreateConfig { kind, name, data } => {
                    let step = match kind {
                        ConfigKind::Secret => "create-secret",
                        ConfigKind::ConfigMap => "create-configmap",
                    };
                    let literals: Vec<String> = data.iter().map(|(k, v)| format!("{}: {}", q(k), q(v))).collect();
                    format!("{step}: {{name: {}, from-literal: {{{}}}}}", q(name), literals.join(", "))
                }
                A::DeleteConfig { kind: ConfigKind::Secret, name } => format!("delete-secret: {}", q(name)),
                A::DeleteConfig { kind: ConfigKind::ConfigMap, name } => format!("delete-configmap: {}", q(name)),
                A::Patch { patch_type, patch } => {
                    format!("patch: {{type: {}, patch: {}}}", patch_type.as_str(), q(patch))
                }
                A::Helm(cmd) if cmd.files.is_empty() => format!("helm: {}", q(&cmd.line)),
                A::Helm(cmd) => {
                    let files: Vec<String> = cmd.files.iter().map(|(n, t)| format!("{}: {}", q(n), q(t))).collect();
                    format!("helm: {{command: {}, files: {{{}}}}}", q(&cmd.line), files.join(", "))
                }
                A::Apply { statefulset, services } => {
                    // JSON is YAML: the manifest travels as JSON documents inside one quoted string.
                    let mut docs: Vec<String> =
                        services.iter().map(|s| serde_json::to_string(s).unwrap_or_default()).collect();
                    docs.push(serde_json::to_string(statefulset).unwrap_or_default());
                    format!("apply: {{input_text: {}}}", q(&docs.join("\n---\n")))
                }
            },
        }
    }
}

impl Scenario {
    /// A scenario recording what was done on a timeline (the web app's "export"): each input
    /// becomes a step (`step`, `wait`, `settle` or the action).
    pub fn from_inputs(
        input_text: String,
        seed: u64,
        version: KubeVersion,
        gates: FeatureGates,
        statefulset: Option<String>,
        inputs: &[crate::engine::Input],
    ) -> Scenario {
        use crate::engine::Input;
        let steps = inputs
            .iter()
            .map(|i| {
                let kind = match i {
                    Input::Action(a) => StepKind::Action(a.clone()),
                    Input::Step => StepKind::Step(1),
                    Input::Advance(d) => StepKind::Wait(*d),
                    Input::Settle => StepKind::Settle,
                };
                Step { line: 0, column: 0, source: kind.to_yaml(), kind }
            })
            .collect();
        Scenario { input_text, seed, version, gates, assume_missing_references: true, statefulset, steps }
    }

    /// Writes the scenario back as YAML with the input inline (what the web app exports);
    /// `parse` reads it back to the same scenario.
    pub fn to_yaml(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!("seed: {}\n", self.seed));
        out.push_str(&version_and_gates_yaml(self.version, self.gates));
        out.push_str(&assume_yaml(self.assume_missing_references));
        if let Some(s) = &self.statefulset {
            out.push_str(&format!("statefulset: {s}\n"));
        }
        out.push_str("input_text: |2\n");
        for line in self.input_text.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("steps:\n");
        for step in &self.steps {
            out.push_str(&format!("  - {}\n", step.kind.to_yaml()));
        }
        out
    }
}

/// Gate names as written in scenario files, for the gates `version` has.
pub fn gate_map(g: FeatureGates, version: KubeVersion) -> BTreeMap<&'static str, bool> {
    let mut map = BTreeMap::from([
        ("MaxUnavailableStatefulSet", g.max_unavailable_stateful_set),
        ("StatefulSetSemanticRevisionComparison", g.stateful_set_semantic_revision_comparison),
    ]);
    if FeatureGates::has_recreate_strategy(version) {
        map.insert("StatefulSetRecreateStrategy", g.stateful_set_recreate_strategy);
    }
    map
}

/// The `assume_missing_references:` line of a written scenario: only when off (true is the default,
/// and files and links from before the setting read as true).
pub fn assume_yaml(assume_missing_references: bool) -> String {
    if assume_missing_references {
        String::new()
    } else {
        "assume_missing_references: false\n".to_string()
    }
}

/// The `version:` and `gates:` lines of a written scenario: every gate the release has, so the
/// file reads back to the same gates whatever that release's defaults are.
pub fn version_and_gates_yaml(version: KubeVersion, gates: FeatureGates) -> String {
    let gates: Vec<String> = gate_map(gates, version).into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("version: \"{version}\"\ngates: {{{}}}\n", gates.join(", "))
}
