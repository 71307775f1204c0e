//! What the API server refuses (spec §7): `ValidateStatefulSet` / `ValidateStatefulSetUpdate`
//! (pkg/apis/apps/validation/validation.go) and the ObjectMeta checks, with the API server's exact
//! messages. One place for both callers: the engine's writes ([`crate::apiserver::statefulset`]) and
//! the paste (`input/statefulset.rs`), which reports each error at the line of its field.
//! Each error is `<field path>: <body>`, as `field.Error.Error()` renders it.

use k8s_openapi::api::apps::v1::{StatefulSet, StatefulSetSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// spec §7: the rejection of any change outside the mutable fields, word for word.
pub const FORBIDDEN_UPDATE: &str = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/// What validation depends on besides the object (Go's `StatefulSetValidationOptions`, filled from
/// feature gates by the registry strategy).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidationOptions {
    /// `StatefulSetRecreateStrategy` (1.37, alpha, off by default): `updateStrategy.type: Recreate`
    /// is accepted only while on (pkg/registry/apps/statefulset strategy_test.go
    /// `TestStatefulSetStrategy_RecreateStrategy_Validate`: with the gate off, an Invalid error
    /// at `spec.updateStrategy`).
    pub allow_recreate: bool,
    /// Kubernetes 1.33 (apimachinery v0.33): `field.Error.ErrorBody` prints a struct value with
    /// Go's `%#v` (after dereferencing a pointer); from v0.34 it prints `json.Marshal` of it.
    /// Read in kubernetes/apimachinery `pkg/util/validation/field/errors.go` at v0.33.10 and v0.34.0.
    pub go_syntax_values: bool,
}

/// Validates a create (`old` = None) or an update of a defaulted object; `Err` holds the full
/// message kubectl prints (`The StatefulSet "web" is invalid: ...`).
pub fn validate(new: &StatefulSet, old: Option<&StatefulSet>, opts: ValidationOptions) -> Result<(), String> {
    let name = new.metadata.name.clone().unwrap_or_default();
    let errors = validate_stateful_set(new, old, opts);
    match errors.len() {
        0 => Ok(()),
        1 => Err(format!("The StatefulSet \"{name}\" is invalid: {}", errors[0])),
        _ => Err(format!("The StatefulSet \"{name}\" is invalid: [{}]", errors.join(", "))),
    }
}

/// The field path of one error (`spec.replicas` of `spec.replicas: Invalid value: ...`).
pub fn error_field(error: &str) -> &str {
    error.split_once(": ").map_or(error, |(f, _)| f)
}

/// Every error of a create (`old` = None) or an update, each `<field>: <body>`.
pub fn validate_stateful_set(new: &StatefulSet, old: Option<&StatefulSet>, opts: ValidationOptions) -> Vec<String> {
    let name = new.metadata.name.clone().unwrap_or_default();
    let spec = new.spec.clone().unwrap_or_default();
    let mut errors: Vec<String> = Vec::new();
    if old.is_none() {
        if name.is_empty() {
            errors.push("metadata.name: Required value: name or generateName is required".into());
        } else {
            errors.extend(dns_label_errors("metadata.name", &name));
        }
    }
    // ValidateStatefulSetSpec, in its order: podManagementPolicy, updateStrategy, retention.
    match spec.pod_management_policy.as_deref().unwrap_or("") {
        "" => errors.push("spec.podManagementPolicy: Required value".into()),
        "OrderedReady" | "Parallel" => {}
        other => errors.push(format!(
            "spec.podManagementPolicy: Invalid value: \"{other}\": must be 'OrderedReady' or 'Parallel'"
        )),
    }
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    match strategy.type_.as_deref().unwrap_or("") {
        "" => errors.push("spec.updateStrategy: Required value".into()),
        "OnDelete" | "RollingUpdate" => {}
        "Recreate" if opts.allow_recreate => {}
        // Without the gate, Recreate is refused like any unknown type, with the message the
        // switch's default case has always given (the gate-on wording is not in the lab's sources).
        other => {
            let shown = if opts.go_syntax_values {
                format!(
                    "apps.StatefulSetUpdateStrategy{{Type:\"{other}\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)({})}}",
                    if strategy.rolling_update.is_some() { GO_POINTER } else { "nil" }
                )
            } else {
                format!(
                    "{{\"Type\":\"{other}\",\"RollingUpdate\":{}}}",
                    strategy
                        .rolling_update
                        .as_ref()
                        .map_or("null".to_string(), |ru| internal_rolling_update(ru, false))
                )
            };
            errors.push(format!("spec.updateStrategy: Invalid value: {shown}: must be 'RollingUpdate' or 'OnDelete'"))
        }
    }
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (field, v) in [("whenDeleted", &policy.when_deleted), ("whenScaled", &policy.when_scaled)] {
            let v = v.as_deref().unwrap_or("");
            if v != "Retain" && v != "Delete" {
                errors.push(format!(
                    "spec.persistentVolumeClaimRetentionPolicy.{field}: Unsupported value: \"{v}\": supported values: \"Retain\", \"Delete\""
                ));
            }
        }
    }
    errors.extend(metadata_errors("metadata", &new.metadata.labels, &new.metadata.annotations));
    if let Some(meta) = &spec.template.metadata {
        errors.extend(metadata_errors("spec.template.metadata", &meta.labels, &meta.annotations));
    }
    if let Some(service) = spec.service_name.as_deref().filter(|s| !s.is_empty()) {
        // spec §1: since 1.33 a non-empty serviceName must be a DNS-1123 label.
        errors.extend(dns_label_errors("spec.serviceName", service));
    }
    let nonneg = |errors: &mut Vec<String>, path: &str, v: Option<i32>| {
        if let Some(v) = v.filter(|v| *v < 0) {
            errors.push(format!("{path}: Invalid value: {v}: must be greater than or equal to 0"));
        }
    };
    nonneg(&mut errors, "spec.replicas", spec.replicas);
    nonneg(&mut errors, "spec.minReadySeconds", spec.min_ready_seconds);
    nonneg(&mut errors, "spec.ordinals.start", spec.ordinals.as_ref().and_then(|o| o.start));
    if let Some(strategy) = &spec.update_strategy {
        let ru = strategy.rolling_update.as_ref();
        nonneg(&mut errors, "spec.updateStrategy.rollingUpdate.partition", ru.and_then(|r| r.partition));
        let recreate = opts.allow_recreate && strategy.type_.as_deref() == Some("Recreate");
        if strategy.type_.as_deref() == Some("OnDelete") || recreate {
            if let Some(ru) = ru {
                let shown = internal_rolling_update(ru, opts.go_syntax_values);
                errors.push(format!(
                    "spec.updateStrategy.rollingUpdate: Invalid value: {shown}: only allowed for updateStrategy 'RollingUpdate'"
                ));
            }
        }
        if let Some(mu) = ru.and_then(|r| r.max_unavailable.as_ref()) {
            let (value, shown) = match mu {
                IntOrString::Int(i) => (Some(*i as i64), i.to_string()),
                IntOrString::String(s) => (s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()), format!("\"{s}\"")),
            };
            match value {
                Some(0) => errors.push(format!("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: {shown}: cannot be 0")),
                Some(v) if v < 0 => errors.push(format!(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: {shown}: must be greater than or equal to 0"
                )),
                Some(v) if v > 100 && matches!(mu, IntOrString::String(_)) => errors.push(format!(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: {shown}: must not be greater than 100%"
                )),
                None => errors.push(format!(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: {shown}: a valid percent string must be a numeric string followed by an ending '%'"
                )),
                _ => {}
            }
        }
    }
    // spec §7: selector non-empty and matching the template labels. Since 1.34 (apimachinery
    // "Nicer value rendering in API errors") field.Invalid renders maps and structs as JSON; 1.33
    // prints them with Go's `%#v`.
    let selector = spec.selector.match_labels.clone().unwrap_or_default();
    let expressions = spec.selector.match_expressions.as_ref().map_or(0, Vec::len);
    if selector.is_empty() && expressions == 0 {
        let shown = if opts.go_syntax_values {
            format!(
                "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:[]v1.LabelSelectorRequirement{}}}",
                go_string_map(spec.selector.match_labels.as_ref()),
                if spec.selector.match_expressions.is_some() { "{}" } else { "(nil)" }
            )
        } else {
            serde_json::to_string(&spec.selector).unwrap_or_default()
        };
        errors.push(format!("spec.selector: Invalid value: {shown}: empty selector is invalid for statefulset"));
    }
    let labels = spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    if !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        let shown = if opts.go_syntax_values {
            go_string_map(spec.template.metadata.as_ref().and_then(|m| m.labels.as_ref()))
        } else {
            serde_json::to_string(&labels).unwrap_or_default()
        };
        errors.push(format!(
            "spec.template.metadata.labels: Invalid value: {shown}: `selector` does not match template `labels`"
        ));
    }
    if let Some(policy) = spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_deref()) {
        if policy != "Always" {
            errors.push(format!(
                "spec.template.spec.restartPolicy: Unsupported value: \"{policy}\": supported values: \"Always\""
            ));
        }
    }
    if spec.template.spec.as_ref().is_some_and(|s| s.active_deadline_seconds.is_some()) {
        errors.push(
            "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"
                .into(),
        );
    }
    if let Some(old) = old {
        if immutable_part(&old.spec.clone().unwrap_or_default()) != immutable_part(&spec) {
            errors.push(FORBIDDEN_UPDATE.to_string());
        }
    }
    errors
}

/// The internal `apps.RollingUpdateStatefulSetStrategy` as `field.Invalid` renders it: from 1.34
/// `json.Marshal` (no json tags, so Go field names; Partition defaulted to 0 by conversion,
/// MaxUnavailable null when unset), on 1.33 Go's `%#v`, where a set pointer prints its address.
fn internal_rolling_update(
    ru: &k8s_openapi::api::apps::v1::RollingUpdateStatefulSetStrategy,
    go_syntax: bool,
) -> String {
    if go_syntax {
        return format!(
            "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:(*intstr.IntOrString)({})}}",
            ru.partition.unwrap_or(0),
            if ru.max_unavailable.is_some() { GO_POINTER } else { "nil" }
        );
    }
    format!(
        "{{\"Partition\":{},\"MaxUnavailable\":{}}}",
        ru.partition.unwrap_or(0),
        ru.max_unavailable.as_ref().map_or("null".to_string(), |m| serde_json::to_string(m).unwrap_or_default())
    )
}

/// Go's `%#v` of a `map[string]string`: keys sorted (fmt sorts maps), `(nil)` for a nil map.
fn go_string_map(m: Option<&std::collections::BTreeMap<String, String>>) -> String {
    let Some(m) = m else { return "map[string]string(nil)".into() };
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let items: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

/// What `%#v` prints for a non-nil pointer field: the address, which differs on every request of
/// a real API server; the lab prints one fixed heap address of the Go runtime's usual form so its
/// transcripts stay deterministic.
const GO_POINTER: &str = "0xc000a3c1e0";

/// The spec with every mutable field cleared and the defaults of the rest filled in, so that two
/// specs compare equal exactly when an update would be allowed.
fn immutable_part(spec: &StatefulSetSpec) -> serde_json::Value {
    let mut s = spec.clone();
    s.replicas = None;
    s.ordinals = None;
    s.template = Default::default();
    s.update_strategy = None;
    s.persistent_volume_claim_retention_policy = None;
    s.min_ready_seconds = None;
    s.pod_management_policy = Some(s.pod_management_policy.clone().unwrap_or_else(|| "OrderedReady".into()));
    s.revision_history_limit = Some(s.revision_history_limit.unwrap_or(10));
    s.service_name = Some(s.service_name.clone().unwrap_or_default());
    if s.volume_claim_templates.as_ref().is_some_and(Vec::is_empty) {
        s.volume_claim_templates = None;
    }
    crate::apiserver::codec::to_value(&s).unwrap_or_default()
}

/// apimachinery's size checks of an object's labels and annotations (ValidateLabels,
/// ValidateAnnotations), with the API server's messages: all annotations together at most 256 KiB,
/// a label value at most 63 characters, a key's name part at most 63 and its prefix at most 253.
pub fn metadata_errors(
    path: &str,
    labels: &Option<std::collections::BTreeMap<String, String>>,
    annotations: &Option<std::collections::BTreeMap<String, String>>,
) -> Vec<String> {
    use crate::limits::{quoted, MAX_ANNOTATIONS_BYTES, MAX_KEY_PREFIX_CHARS, MAX_LABEL_VALUE_CHARS};
    let mut errors = Vec::new();
    let key_errors = |errors: &mut Vec<String>, field: &str, key: &str| {
        let (prefix, name) = match key.split_once('/') {
            Some((p, n)) => (Some(p), n),
            None => (None, key),
        };
        if name.chars().count() > MAX_LABEL_VALUE_CHARS {
            errors.push(format!(
                "{path}.{field}: Invalid value: {:?}: name part must be no more than {MAX_LABEL_VALUE_CHARS} characters",
                quoted(key)
            ));
        }
        if prefix.is_some_and(|p| p.chars().count() > MAX_KEY_PREFIX_CHARS) {
            errors.push(format!(
                "{path}.{field}: Invalid value: {:?}: prefix part must be no more than {MAX_KEY_PREFIX_CHARS} characters",
                quoted(key)
            ));
        }
    };
    for (k, v) in labels.iter().flatten() {
        key_errors(&mut errors, "labels", k);
        if v.chars().count() > MAX_LABEL_VALUE_CHARS {
            errors.push(format!(
                "{path}.labels: Invalid value: {:?}: must be no more than {MAX_LABEL_VALUE_CHARS} characters",
                quoted(v)
            ));
        }
    }
    let mut total = 0usize;
    for (k, v) in annotations.iter().flatten() {
        key_errors(&mut errors, "annotations", k);
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > MAX_ANNOTATIONS_BYTES {
        errors.push(format!("{path}.annotations: Too long: must have at most {MAX_ANNOTATIONS_BYTES} bytes"));
    }
    errors
}

/// What the lab refuses to simulate although the API server would accept it, in words that say
/// the limit is the lab's and why ([`crate::limits`]). Checked on create, scale, `ordinals.start`
/// and apply, after the API server's own validation.
pub fn lab_limits(set: &StatefulSet) -> Result<(), String> {
    use crate::limits::{MAX_ORDINAL, MAX_REPLICAS};
    let spec = set.spec.clone().unwrap_or_default();
    let replicas = spec.replicas.unwrap_or(1);
    if replicas > MAX_REPLICAS {
        return Err(format!(
            "the lab animates up to {MAX_REPLICAS} replicas; this set asks for {replicas} \
             (Kubernetes accepts any int32, but the lab draws every pod and replays the timeline to rewind, \
             which past a few hundred pods no longer answers within a second)"
        ));
    }
    let start = spec.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0);
    if i64::from(start) + i64::from(replicas.max(0)) > i64::from(MAX_ORDINAL) {
        return Err(format!(
            "ordinals.start {start} with {replicas} replicas would number pods past {MAX_ORDINAL}: the controller reads \
             an ordinal back from a pod's name as an int32, so start + replicas must stay at most {MAX_ORDINAL}"
        ));
    }
    Ok(())
}

/// apimachinery's IsDNS1123Label messages.
fn dns_label_errors(path: &str, value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push(format!("{path}: Invalid value: \"{value}\": must be no more than 63 characters"));
    }
    let bytes = value.as_bytes();
    let ok_char = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-';
    let alnum = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if value.is_empty() || !bytes.iter().all(ok_char) || !alnum(bytes.first()) || !alnum(bytes.last()) {
        errors.push(format!(
            "{path}: Invalid value: \"{value}\": a lowercase RFC 1123 label must consist of lower case alphanumeric \
             characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', \
             regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        ));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(spec: serde_json::Value) -> StatefulSet {
        let mut s: StatefulSet =
            serde_json::from_value(serde_json::json!({"metadata": {"name": "web"}, "spec": spec})).unwrap();
        crate::apiserver::defaults::set_object_defaults_stateful_set(&mut s, Default::default());
        s
    }

    #[test]
    fn error_body_of_kubernetes_1_33_prints_complex_values_with_go_syntax() {
        // apimachinery v0.33 `field.Error.ErrorBody`: `%#v` of the value, a pointer dereferenced.
        let go = ValidationOptions { go_syntax_values: true, ..Default::default() };
        let s = set(serde_json::json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"tier": "db", "app": "other"}},
                "spec": {"containers": [{"name": "c", "image": "i"}]}}
        }));
        assert_eq!(
            validate_stateful_set(&s, None, go),
            vec!["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\", \"tier\":\"db\"}: `selector` does not match template `labels`"]
        );
        let on_delete = set(serde_json::json!({
            "selector": {"matchLabels": {"app": "web"}},
            "updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
        }));
        assert_eq!(
            validate_stateful_set(&on_delete, None, go),
            vec!["spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:1, MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"]
        );
        let recreate = set(serde_json::json!({
            "selector": {"matchLabels": {"app": "web"}},
            "updateStrategy": {"type": "Recreate"},
            "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
        }));
        assert_eq!(
            validate_stateful_set(&recreate, None, go),
            vec!["spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Recreate\", RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"]
        );
    }

    #[test]
    fn validate_stateful_set_spec_renders_complex_values_as_json_since_1_34() {
        let s = set(serde_json::json!({
            "selector": {"matchLabels": {"app": "web"}},
            "template": {"metadata": {"labels": {"app": "other", "tier": "db"}},
                "spec": {"activeDeadlineSeconds": 5, "containers": [{"name": "c", "image": "i"}]}}
        }));
        assert_eq!(
            validate_stateful_set(&s, None, ValidationOptions::default()),
            vec![
                "spec.template.metadata.labels: Invalid value: {\"app\":\"other\",\"tier\":\"db\"}: `selector` does not match template `labels`",
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
            ]
        );
        let empty = set(serde_json::json!({"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}));
        assert_eq!(
            validate_stateful_set(&empty, None, ValidationOptions::default()),
            vec!["spec.selector: Invalid value: {}: empty selector is invalid for statefulset"]
        );
    }
}
