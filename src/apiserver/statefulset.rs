//! The StatefulSet registry (`pkg/registry/apps/statefulset`): what happens to a create, an update
//! or a patch between the request and the store. Its steps, in the API server's order:
//!
//! 1. a patch is applied to the stored object's JSON (`patch.go` `patchResource`);
//! 2. the result is decoded and defaulted ([`super::defaults::set_object_defaults_stateful_set`]);
//! 3. `PrepareForCreate` / `PrepareForUpdate`: `status` is the stored one (writes to the main
//!    resource never change it), fields of disabled gates are dropped (`dropStatefulSetDisabledFields`:
//!    `rollingUpdate.maxUnavailable` unless the gate is on or the stored object already used it),
//!    `metadata.generation` is bumped when the spec changed (`Cluster::install_set`);
//! 4. `Validate` / `ValidateUpdate` ([`super::validation::validate`]).

use k8s_openapi::api::apps::v1::StatefulSet;
use serde_json::Value;

use super::defaults::{set_object_defaults_stateful_set, DefaultingGates};
use super::patch;
use super::validation;
use crate::engine::{ActionError, Cluster, PatchType};

/// The annotation `kubectl apply` keeps the applied manifest in (client-side apply).
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What `kubectl apply` writes into [`LAST_APPLIED_ANNOTATION`]: the manifest without that
/// annotation, as compact JSON with sorted keys and a final newline (`util.GetModifiedConfiguration`
/// encodes the unstructured object with Go's encoder, which sorts map keys).
pub fn last_applied_configuration(manifest: &StatefulSet) -> String {
    let mut m = manifest.clone();
    if let Some(a) = m.metadata.annotations.as_mut() {
        a.remove(LAST_APPLIED_ANNOTATION);
        if a.is_empty() {
            m.metadata.annotations = None;
        }
    }
    let mut value = crate::apiserver::codec::to_value(&m).unwrap_or_default();
    if let Value::Object(o) = &mut value {
        // The manifest names its kind; a k8s-openapi object without them still has them.
        o.entry("apiVersion").or_insert_with(|| "apps/v1".into());
        o.entry("kind").or_insert_with(|| "StatefulSet".into());
    }
    sorted(&mut value);
    serde_json::to_string(&value).unwrap_or_default() + "\n"
}

/// Sorts every object's keys (serde_json keeps insertion order only with `preserve_order`).
fn sorted(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(m).into_iter().collect();
            crate::sorting::sort_by(&mut entries, |a, b| a.0.cmp(&b.0));
            for (k, mut v) in entries {
                sorted(&mut v);
                m.insert(k, v);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(sorted),
        _ => {}
    }
}

/// `dropStatefulSetDisabledFields`: `maxUnavailable` is dropped while the gate is off, unless the
/// stored object already had it.
fn drop_disabled_fields(new: &mut StatefulSet, old: Option<&StatefulSet>, gate_on: bool) {
    let used = |s: &StatefulSet| {
        s.spec
            .as_ref()
            .and_then(|s| s.update_strategy.as_ref())
            .and_then(|u| u.rolling_update.as_ref())
            .is_some_and(|r| r.max_unavailable.is_some())
    };
    if gate_on || old.is_some_and(used) {
        return;
    }
    if let Some(ru) = new.spec.as_mut().and_then(|s| s.update_strategy.as_mut()).and_then(|u| u.rolling_update.as_mut())
    {
        ru.max_unavailable = None;
    }
}

/// Parses a `-p` body as kubectl does (`yaml.ToJSON`: JSON, or YAML). `Err` is kubectl's message,
/// `error: unable to parse "<body>": yaml: line N: <problem>`.
pub fn parse_patch_body(body: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(body) {
        Ok(v) => Ok(v),
        Err(_) => yaml_serde::from_str::<Value>(body)
            .map_err(|e| format!("error: unable to parse {body:?}: {}", go_yaml_error(&e.to_string()))),
    }
}

/// libyaml's problem as go-yaml words it (`parser.fail` in yaml.go): `yaml: line N: <problem>`,
/// where N is the problem mark's 0-based line for a parser error and 1-based for a scanner error
/// (go-yaml's own quirk), and no `line` part when that is 0. Both wrap libyaml, so the problem text
/// is the same; `yaml_serde` says `<problem> at line L column C, while <context>`.
fn go_yaml_error(message: &str) -> String {
    let Some((problem, rest)) = message.split_once(" at line ") else {
        return format!("yaml: {message}");
    };
    let line: usize = rest.split(' ').next().and_then(|l| l.parse().ok()).unwrap_or(0);
    let line = if rest.contains("while scanning") { line } else { line.saturating_sub(1) };
    match line {
        0 => format!("yaml: {problem}"),
        n => format!("yaml: line {n}: {problem}"),
    }
}

impl Cluster {
    fn defaulting_gates(&self) -> DefaultingGates {
        DefaultingGates { max_unavailable_stateful_set: self.gates.max_unavailable_stateful_set }
    }

    /// Steps 2-4 for a decoded object: defaulted, prepared and validated, as it would be stored.
    /// `Err` is the API server's message (`The StatefulSet "web" is invalid: ...`).
    pub fn admit_statefulset(&self, mut new: StatefulSet, old: Option<&StatefulSet>) -> Result<StatefulSet, String> {
        set_object_defaults_stateful_set(&mut new, self.defaulting_gates());
        drop_disabled_fields(&mut new, old, self.gates.max_unavailable_stateful_set);
        new.status = old.and_then(|o| o.status.clone());
        // The registry's validation options ratchet: an object already stored with Recreate may
        // keep it with the gate off (pkg/registry/apps/statefulset strategy_test.go
        // TestStatefulSetStrategy_RecreateStrategy_ValidateUpdate, "Recreate to Recreate, RecreateFG
        // off - allowed").
        let old_recreate = old
            .and_then(|o| o.spec.as_ref())
            .and_then(|s| s.update_strategy.as_ref())
            .is_some_and(|u| u.type_.as_deref() == Some("Recreate"));
        let opts = validation::ValidationOptions {
            allow_recreate: self.gates.stateful_set_recreate_strategy || old_recreate,
            go_syntax_values: self.version.minor < 34,
        };
        validation::validate(&new, old, opts)?;
        Ok(new)
    }

    /// An update of the stored StatefulSet to `new` (already merged by the caller). `Ok(true)` when
    /// the stored object changed; nothing is stored on `Err`.
    pub(crate) fn update_statefulset(&mut self, new: StatefulSet) -> Result<bool, ActionError> {
        let Some(old) = self.set.as_ref().map(|s| s.object.clone()) else {
            return Err(self.not_found());
        };
        let new = match self.admit_statefulset(new, Some(&old)) {
            Ok(n) => n,
            Err(message) => return Err(self.reject(message)),
        };
        // The API server would take it (replicas up to int32); the lab refuses with its own reason.
        validation::lab_limits(&new).map_err(ActionError::Refused)?;
        if new == old {
            return Ok(false);
        }
        self.install_set(new);
        Ok(true)
    }

    /// `PATCH` of the StatefulSet with a body of `patch_type`, as `kubectl patch` and the other
    /// kubectl commands that patch send it. `Ok(true)` when the stored object changed.
    pub(crate) fn patch_statefulset(&mut self, patch_type: PatchType, body: &str) -> Result<bool, ActionError> {
        let body = parse_patch_body(body).map_err(ActionError::Refused)?;
        let Some(old) = self.set.as_ref().map(|s| s.object.clone()) else {
            return Err(self.not_found());
        };
        let original = crate::apiserver::codec::to_value(&old).unwrap_or_default();
        let patched = match patch_type {
            PatchType::Strategic => patch::strategic_merge_patch(&original, &body),
            PatchType::Merge => Ok(patch::json_merge_patch(&original, &body)),
            PatchType::Json => patch::json_patch(&original, &body),
        };
        let patched = match patched {
            Ok(p) => p,
            Err(message) => return Err(self.reject(format!("Error from server (BadRequest): {message}"))),
        };
        let new: StatefulSet = match super::codec::from_value(&patched) {
            Ok(n) => n,
            Err(e) => {
                return Err(self.reject(format!(
                "Error from server (BadRequest): StatefulSet in version \"v1\" cannot be handled as a StatefulSet: {e}"
            )))
            }
        };
        if new.metadata.name != old.metadata.name {
            let (n, o) = (new.metadata.name.unwrap_or_default(), old.metadata.name.unwrap_or_default());
            return Err(self.reject(format!(
                "Error from server (BadRequest): the name of the object ({n}) does not match the name on the URL ({o})"
            )));
        }
        self.update_statefulset(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_applied_configuration_is_sorted_compact_json_with_a_newline() {
        let s: StatefulSet = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web", "annotations": {LAST_APPLIED_ANNOTATION: "old"}},
            "spec": {"serviceName": "nginx", "replicas": 3}
        }))
        .unwrap();
        assert_eq!(
            last_applied_configuration(&s),
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"StatefulSet\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3,\"selector\":{},\"serviceName\":\"nginx\",\"template\":{}}}\n"
        );
    }

    #[test]
    fn a_patch_body_is_json_or_yaml() {
        assert_eq!(parse_patch_body("{\"a\":1}").unwrap(), serde_json::json!({"a": 1}));
        assert_eq!(parse_patch_body("a: 1").unwrap(), serde_json::json!({"a": 1}));
        assert_eq!(
            parse_patch_body("{\"a\":").unwrap_err(),
            "error: unable to parse \"{\\\"a\\\":\": yaml: line 1: did not find expected node content"
        );
    }
}
