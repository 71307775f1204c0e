//! The three patch types the API server takes (`kubectl patch --type=strategic|merge|json`), applied
//! to the stored object as JSON:
//!
//! - strategic merge patch (`strategicpatch.StrategicMergePatch`, apimachinery
//!   `pkg/util/strategicpatch/patch.go`): maps merge, `null` deletes a key, lists whose field carries a
//!   `patchStrategy:"merge"` tag merge by their `patchMergeKey` (see [`list_strategy`]), every other
//!   list is replaced; the directives `$patch: replace|delete|merge`, `$retainKeys`,
//!   `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured. There is no Rust
//!   crate for it, so this file is the lab's own small implementation, for the kinds the lab stores
//!   (StatefulSet and its pod template);
//! - JSON merge patch (RFC 7386) and JSON patch (RFC 6902), both from the `json-patch` crate.

use serde_json::{Map, Value};

/// How a list field is patched, from the `patchStrategy`/`patchMergeKey` tags of
/// `k8s.io/api/core/v1/types.go`, `apps/v1/types.go` and `meta/v1/types.go`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListStrategy {
    /// No patch strategy: the patch's list replaces the stored one (atomic).
    Replace,
    /// `patchStrategy:"merge"` on a list of maps: elements matched by this key are merged.
    MergeByKey(&'static str),
    /// `patchStrategy:"merge"` on a list of scalars (`finalizers`): a set union.
    MergePrimitive,
}

const CONTAINER_LISTS: [&str; 3] = ["containers", "initContainers", "ephemeralContainers"];

/// The strategy of the list at `path` (field names from the object's root, list indices left out).
pub fn list_strategy(path: &[String]) -> ListStrategy {
    let Some(name) = path.last().map(String::as_str) else { return ListStrategy::Replace };
    let parent = path.len().checked_sub(2).map(|i| path[i].as_str()).unwrap_or("");
    match name {
        // PodSpec.containers / initContainers / ephemeralContainers: patchMergeKey=name.
        n if CONTAINER_LISTS.contains(&n) => ListStrategy::MergeByKey("name"),
        // Container.ports: patchMergeKey=containerPort; ServiceSpec.ports: patchMergeKey=port.
        "ports" if CONTAINER_LISTS.contains(&parent) => ListStrategy::MergeByKey("containerPort"),
        "ports" => ListStrategy::MergeByKey("port"),
        // Container.env, PodSpec.volumes / imagePullSecrets / schedulingGates / resourceClaims: name.
        "env" | "volumes" | "imagePullSecrets" | "schedulingGates" | "resourceClaims" => {
            ListStrategy::MergeByKey("name")
        }
        "volumeMounts" => ListStrategy::MergeByKey("mountPath"),
        "volumeDevices" => ListStrategy::MergeByKey("devicePath"),
        "hostAliases" => ListStrategy::MergeByKey("ip"),
        "topologySpreadConstraints" => ListStrategy::MergeByKey("topologyKey"),
        "ownerReferences" => ListStrategy::MergeByKey("uid"),
        "conditions" => ListStrategy::MergeByKey("type"),
        "finalizers" => ListStrategy::MergePrimitive,
        _ => ListStrategy::Replace,
    }
}

/// Go's `%v` of a decoded JSON value (`map[image:nginx name:web]`), for the API server's messages.
pub fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            format!("map[{}]", keys.iter().map(|k| format!("{k}:{}", go_value(&m[*k]))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// `strategicpatch.StrategicMergePatch` of a JSON object. `Err` is the API server's message.
pub fn strategic_merge_patch(original: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Object(patch) = patch else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(patch)
        ));
    };
    let mut result = original.as_object().cloned().unwrap_or_default();
    let mut path = Vec::new();
    match merge_map(&mut result, patch, &mut path)? {
        true => Ok(Value::Object(result)),
        false => Ok(Value::Object(Map::new())),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Merges `patch` into `original`; `Ok(false)` when the patch says `$patch: delete` for this map.
fn merge_map(
    original: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    path: &mut Vec<String>,
) -> Result<bool, String> {
    match patch.get("$patch") {
        None => {}
        Some(Value::String(d)) if d == "replace" => {
            *original = strip_directives(patch);
            return Ok(true);
        }
        Some(Value::String(d)) if d == "delete" => return Ok(false),
        Some(Value::String(d)) if d == "merge" => {}
        Some(other) => {
            return Err(format!(
                "Unknown patch type: {} in map: {}",
                go_value(other),
                go_value(&Value::Object(patch.clone()))
            ))
        }
    }
    for (key, value) in patch {
        if let Some(field) = key.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(Value::Array(list)), Value::Array(remove)) = (original.get_mut(field), value) {
                list.retain(|v| !remove.contains(v));
            }
            continue;
        }
        if key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                original.remove(key);
            }
            Value::Object(p) => {
                path.push(key.clone());
                let keep = match original.get_mut(key) {
                    Some(Value::Object(o)) => merge_map(o, p, path)?,
                    _ => {
                        let mut fresh = Map::new();
                        let keep = merge_map(&mut fresh, p, path)?;
                        original.insert(key.clone(), Value::Object(fresh));
                        keep
                    }
                };
                path.pop();
                if !keep {
                    original.remove(key);
                }
            }
            Value::Array(p) => {
                path.push(key.clone());
                let order = match patch.get(&format!("$setElementOrder/{key}")) {
                    Some(Value::Array(o)) => Some(o.as_slice()),
                    _ => None,
                };
                let old = match original.remove(key) {
                    Some(Value::Array(o)) => o,
                    _ => Vec::new(),
                };
                let merged = merge_list(old, p, order, path)?;
                path.pop();
                original.insert(key.clone(), Value::Array(merged));
            }
            scalar => {
                original.insert(key.clone(), scalar.clone());
            }
        }
    }
    if let Some(Value::Array(retain)) = patch.get("$retainKeys") {
        original.retain(|k, _| retain.iter().any(|r| r.as_str() == Some(k)));
    }
    Ok(true)
}

fn strip_directives(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter().filter(|(k, _)| !k.starts_with('$')).map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn merge_list(
    mut original: Vec<Value>,
    patch: &[Value],
    order: Option<&[Value]>,
    path: &mut Vec<String>,
) -> Result<Vec<Value>, String> {
    let strategy = list_strategy(path);
    let replace_all = patch.iter().any(|e| e.get("$patch").and_then(Value::as_str) == Some("replace"));
    match strategy {
        ListStrategy::Replace => Ok(patch.to_vec()),
        _ if replace_all => Ok(patch
            .iter()
            .filter(|e| e.get("$patch").is_none())
            .map(|e| match e {
                Value::Object(m) => Value::Object(strip_directives(m)),
                other => other.clone(),
            })
            .collect()),
        ListStrategy::MergePrimitive => {
            for v in patch {
                if !original.contains(v) {
                    original.push(v.clone());
                }
            }
            Ok(original)
        }
        ListStrategy::MergeByKey(merge_key) => {
            for element in patch {
                let Value::Object(p) = element else {
                    // A scalar in a list of maps: the API server refuses it.
                    return Err(format!("map: {} does not contain declared merge key: {merge_key}", go_value(element)));
                };
                let Some(key) = p.get(merge_key) else {
                    return Err(format!("map: {} does not contain declared merge key: {merge_key}", go_value(element)));
                };
                let at = original.iter().position(|o| o.get(merge_key) == Some(key));
                if p.get("$patch").and_then(Value::as_str) == Some("delete") {
                    original.retain(|o| o.get(merge_key) != Some(key));
                    continue;
                }
                match at {
                    Some(i) => {
                        if let Value::Object(o) = &mut original[i] {
                            if !merge_map(o, p, path)? {
                                original.remove(i);
                            }
                        }
                    }
                    None => {
                        let mut fresh = Map::new();
                        if merge_map(&mut fresh, p, path)? {
                            original.push(Value::Object(fresh));
                        }
                    }
                }
            }
            if let Some(order) = order {
                let pos = |v: &Value| order.iter().position(|o| o.get(merge_key) == v.get(merge_key));
                // Elements named in $setElementOrder take its order; the others keep theirs, after them.
                original.sort_by_key(|v| pos(v).unwrap_or(usize::MAX));
            }
            Ok(original)
        }
    }
}

/// RFC 7386 JSON merge patch (`--type=merge`).
pub fn json_merge_patch(original: &Value, patch: &Value) -> Value {
    let mut doc = original.clone();
    json_patch::merge(&mut doc, patch);
    doc
}

/// RFC 6902 JSON patch (`--type=json`). `Err` is the API server's message.
pub fn json_patch(original: &Value, patch: &Value) -> Result<Value, String> {
    let ops: json_patch::Patch = serde_json::from_value(patch.clone()).map_err(|e| match patch {
        Value::Array(_) => format!("json: {e}"),
        other => format!("json: cannot unmarshal {} into Go value of type jsonpatch.Patch", json_kind(other)),
    })?;
    let mut doc = original.clone();
    json_patch::patch(&mut doc, &ops)
        .map_err(|e| format!("the server rejected our request due to an error in our request: {e}"))?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn smp(original: Value, patch: Value) -> Value {
        strategic_merge_patch(&original, &patch).unwrap()
    }

    #[test]
    fn strategic_merge_patch_merges_containers_by_name() {
        let original = json!({"spec": {"template": {"spec": {"containers": [
            {"name": "a", "image": "a:1", "ports": [{"containerPort": 80, "protocol": "TCP"}]},
            {"name": "b", "image": "b:1"}]}}}});
        let patched = smp(
            original,
            json!({"spec": {"template": {"spec": {
                "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
                "containers": [{"name": "b", "image": "b:2"}]}}}}),
        );
        let cs = &patched["spec"]["template"]["spec"]["containers"];
        assert_eq!(cs[0]["image"], "a:1");
        assert_eq!(cs[0]["ports"][0]["containerPort"], 80);
        assert_eq!(cs[1], json!({"name": "b", "image": "b:2"}));
    }

    #[test]
    fn strategic_merge_patch_null_deletes_and_scalar_lists_replace() {
        let original = json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
            "template": {"spec": {"containers": [{"name": "a", "args": ["x", "y"]}]}}}});
        let patched = smp(
            original.clone(),
            json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": null},
                "template": {"spec": {"containers": [{"name": "a", "args": ["z"]}]}}}}),
        );
        assert_eq!(patched["spec"]["updateStrategy"], json!({"type": "OnDelete"}));
        assert_eq!(patched["spec"]["template"]["spec"]["containers"][0]["args"], json!(["z"]));
        // Without the null the defaulted block stays (kubernetes/website #47038).
        let kept = smp(original, json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}));
        assert_eq!(kept["spec"]["updateStrategy"]["rollingUpdate"], json!({"partition": 0}));
    }

    #[test]
    fn strategic_merge_patch_directives() {
        let original = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "meta": {"x": 1, "y": 2}, "finalizers": ["f1"]});
        let patched = smp(
            original.clone(),
            json!({"env": [{"name": "A", "$patch": "delete"}], "meta": {"$patch": "replace", "z": 3},
                "finalizers": ["f2"]}),
        );
        assert_eq!(patched["env"], json!([{"name": "B", "value": "2"}]));
        assert_eq!(patched["meta"], json!({"z": 3}));
        assert_eq!(patched["finalizers"], json!(["f1", "f2"]));
        let replaced =
            smp(original, json!({"env": [{"name": "C"}, {"$patch": "replace"}], "meta": {"$patch": "delete"}}));
        assert_eq!(replaced["env"], json!([{"name": "C"}]));
        assert!(replaced.get("meta").is_none());
    }

    #[test]
    fn strategic_merge_patch_needs_the_merge_key() {
        let err = strategic_merge_patch(
            &json!({}),
            &json!({"spec": {"template": {"spec": {"containers": [{"image": "x"}]}}}}),
        )
        .unwrap_err();
        assert_eq!(err, "map: map[image:x] does not contain declared merge key: name");
    }

    #[test]
    fn merge_and_json_patch() {
        let original = json!({"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}}}});
        let merged =
            json_merge_patch(&original, &json!({"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}));
        assert_eq!(merged["spec"]["template"]["spec"]["containers"], json!([{"name": "c"}]));
        let patched = json_patch(
            &original,
            &json!([{"op": "replace", "path": "/spec/template/spec/containers/1/name", "value": "z"}]),
        )
        .unwrap();
        assert_eq!(patched["spec"]["template"]["spec"]["containers"][1]["name"], "z");
    }
}
