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

use crate::sorting::CollectMap;
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
            crate::sorting::sort(&mut keys);
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
    m.iter().filter(|(k, _)| !k.starts_with('$')).map(|(k, v)| (k.clone(), v.clone())).collect_map()
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
                crate::sorting::sort_by_key(&mut original, |v| pos(v).unwrap_or(usize::MAX));
            }
            Ok(original)
        }
    }
}

/// What a diff leaves out (`strategicpatch.DiffOptions`).
#[derive(Debug, Clone, Copy)]
struct DiffOptions {
    ignore_deletions: bool,
    ignore_changes_and_additions: bool,
}

/// `strategicpatch.CreateThreeWayMergePatch` (overwrite on), what client-side `kubectl apply`
/// sends: the changes and additions from `current` (the live object) to `modified` (the manifest
/// with its new last-applied annotation), plus the deletions from `original` (the last-applied
/// manifest) to `modified`. So a field the manifest no longer has since the last apply is removed,
/// and a field set by someone else (`kubectl scale`, a default) is kept. `{}` means "unchanged".
/// Not generated: `$retainKeys` (volumes, resourceClaims), which only matters when a volume's
/// source type changes.
pub fn create_three_way_merge_patch(original: &Value, modified: &Value, current: &Value) -> Result<Value, String> {
    let empty = Map::new();
    let (o, m, c) = (
        original.as_object().unwrap_or(&empty),
        modified.as_object().unwrap_or(&empty),
        current.as_object().unwrap_or(&empty),
    );
    let delta =
        diff_maps(c, m, &mut Vec::new(), DiffOptions { ignore_deletions: true, ignore_changes_and_additions: false })?;
    let deletions =
        diff_maps(o, m, &mut Vec::new(), DiffOptions { ignore_deletions: false, ignore_changes_and_additions: true })?;
    Ok(Value::Object(merge_patches(deletions, delta, &mut Vec::new())))
}

/// `diffMaps`.
fn diff_maps(
    from: &Map<String, Value>,
    to: &Map<String, Value>,
    path: &mut Vec<String>,
    opts: DiffOptions,
) -> Result<Map<String, Value>, String> {
    let mut patch = Map::new();
    for (key, to_value) in to {
        if key.starts_with('$') {
            continue;
        }
        let Some(from_value) = from.get(key) else {
            if !opts.ignore_changes_and_additions {
                patch.insert(key.clone(), to_value.clone());
            }
            continue;
        };
        match (from_value, to_value) {
            (Value::Object(f), Value::Object(t)) => {
                path.push(key.clone());
                let sub = diff_maps(f, t, path, opts)?;
                path.pop();
                if !sub.is_empty() {
                    patch.insert(key.clone(), Value::Object(sub));
                }
            }
            (Value::Array(f), Value::Array(t)) => {
                path.push(key.clone());
                diff_lists(key, f, t, path, opts, &mut patch)?;
                path.pop();
            }
            (f, t) => {
                if !opts.ignore_changes_and_additions && f != t {
                    patch.insert(key.clone(), t.clone());
                }
            }
        }
    }
    if !opts.ignore_deletions {
        for key in from.keys().filter(|k| !to.contains_key(*k)) {
            patch.insert(key.clone(), Value::Null);
        }
    }
    Ok(patch)
}

/// `handleSliceDiff` / `diffLists`: merging lists by their merge key, the others replaced.
fn diff_lists(
    key: &str,
    from: &[Value],
    to: &[Value],
    path: &mut Vec<String>,
    opts: DiffOptions,
    patch: &mut Map<String, Value>,
) -> Result<(), String> {
    match list_strategy(path) {
        ListStrategy::Replace => {
            if !opts.ignore_changes_and_additions && from != to {
                patch.insert(key.to_string(), Value::Array(to.to_vec()));
            }
        }
        _ if from.is_empty() => {
            if !to.is_empty() && !opts.ignore_changes_and_additions {
                patch.insert(key.to_string(), Value::Array(to.to_vec()));
            }
        }
        ListStrategy::MergeByKey(merge_key) => {
            let key_of = |v: &Value| -> Result<Value, String> {
                v.get(merge_key)
                    .cloned()
                    .ok_or_else(|| format!("map: {} does not contain declared merge key: {merge_key}", go_value(v)))
            };
            let mut list = Vec::new();
            for t in to {
                let k = key_of(t)?;
                let found = from.iter().map(|f| key_of(f).map(|fk| (fk, f))).collect::<Result<Vec<_>, _>>()?;
                match found.into_iter().find(|(fk, _)| *fk == k) {
                    Some((_, Value::Object(f))) => {
                        let Value::Object(t) = t else { continue };
                        let mut sub = diff_maps(f, t, path, opts)?;
                        if !sub.is_empty() {
                            sub.insert(merge_key.to_string(), k);
                            list.push(Value::Object(sub));
                        }
                    }
                    _ if !opts.ignore_changes_and_additions => list.push(t.clone()),
                    _ => {}
                }
            }
            if !opts.ignore_deletions {
                for f in from {
                    let k = key_of(f)?;
                    if !to.iter().any(|t| t.get(merge_key) == Some(&k)) {
                        let mut d = Map::new();
                        d.insert(merge_key.to_string(), k);
                        d.insert("$patch".into(), "delete".into());
                        list.push(Value::Object(d));
                    }
                }
            }
            let order_same =
                from.len() == to.len() && from.iter().zip(to).all(|(f, t)| f.get(merge_key) == t.get(merge_key));
            let set_order = (!opts.ignore_changes_and_additions && (!list.is_empty() || !order_same))
                || (!opts.ignore_deletions && !list.is_empty());
            if !list.is_empty() {
                patch.insert(key.to_string(), Value::Array(list));
            }
            if set_order {
                let order = to.iter().map(|t| serde_json::json!({ merge_key: t.get(merge_key) })).collect();
                patch.insert(format!("$setElementOrder/{key}"), Value::Array(order));
            }
        }
        ListStrategy::MergePrimitive => {
            let adds: Vec<Value> = to.iter().filter(|t| !from.contains(t)).cloned().collect();
            let dels: Vec<Value> = from.iter().filter(|f| !to.contains(f)).cloned().collect();
            if !opts.ignore_changes_and_additions && !adds.is_empty() {
                patch.insert(key.to_string(), Value::Array(adds));
            }
            if !opts.ignore_deletions && !dels.is_empty() {
                patch.insert(format!("$deleteFromPrimitiveList/{key}"), Value::Array(dels));
            }
        }
    }
    Ok(())
}

/// `mergeMap(deletions, delta)` of CreateThreeWayMergePatch: two patches into one (lists merged by
/// key, directives kept).
fn merge_patches(mut a: Map<String, Value>, b: Map<String, Value>, path: &mut Vec<String>) -> Map<String, Value> {
    for (key, bv) in b {
        let merged = match (a.remove(&key), bv) {
            (Some(Value::Object(x)), Value::Object(y)) => {
                path.push(key.clone());
                let m = merge_patches(x, y, path);
                path.pop();
                Value::Object(m)
            }
            (Some(Value::Array(mut x)), Value::Array(y)) if !key.starts_with('$') => {
                path.push(key.clone());
                if let ListStrategy::MergeByKey(mk) = list_strategy(path) {
                    for e in y {
                        match x.iter().position(|xe| xe.get(mk).is_some() && xe.get(mk) == e.get(mk)) {
                            Some(i) => {
                                if let (Value::Object(xo), Value::Object(eo)) = (x[i].take(), e) {
                                    x[i] = Value::Object(merge_patches(xo, eo, path));
                                }
                            }
                            None => x.push(e),
                        }
                    }
                } else {
                    x.extend(y);
                }
                path.pop();
                Value::Array(x)
            }
            (_, bv) => bv,
        };
        a.insert(key, merged);
    }
    a
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

    #[test]
    fn create_three_way_merge_patch_removes_what_the_manifest_dropped_and_keeps_others_changes() {
        let original = json!({"spec": {"replicas": 3, "minReadySeconds": 5,
            "template": {"spec": {"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}]}}}});
        let modified = json!({"spec": {"replicas": 3,
            "template": {"spec": {"containers": [{"name": "a", "image": "a:2"}]}}}});
        // Live: scaled to 5 by someone else, a default filled in, the manifest's fields as applied.
        let current = json!({"spec": {"replicas": 5, "minReadySeconds": 5, "revisionHistoryLimit": 10,
            "template": {"spec": {"containers": [
                {"name": "a", "image": "a:1", "imagePullPolicy": "IfNotPresent"},
                {"name": "b", "image": "b:1", "imagePullPolicy": "IfNotPresent"}]}}}});
        let patch = create_three_way_merge_patch(&original, &modified, &current).unwrap();
        let result = strategic_merge_patch(&current, &patch).unwrap();
        assert_eq!(result["spec"]["replicas"], 3, "the manifest says 3: it wins over the live 5");
        assert!(result["spec"].get("minReadySeconds").is_none(), "dropped from the manifest: removed");
        assert_eq!(result["spec"]["revisionHistoryLimit"], 10, "never in the manifest: kept");
        assert_eq!(
            result["spec"]["template"]["spec"]["containers"],
            json!([{"name": "a", "image": "a:2", "imagePullPolicy": "IfNotPresent"}])
        );
        // The same manifest again against the result: nothing to send.
        let again = create_three_way_merge_patch(&modified, &modified, &result).unwrap();
        assert_eq!(again, json!({}));
    }

    #[test]
    fn create_three_way_merge_patch_leaves_replicas_alone_when_the_manifest_never_had_them() {
        let manifest = json!({"spec": {"serviceName": "nginx"}});
        let current = json!({"spec": {"serviceName": "nginx", "replicas": 7}});
        assert_eq!(create_three_way_merge_patch(&manifest, &manifest, &current).unwrap(), json!({}));
    }
}
