//! Turning objects into JSON values and back, one way each, as the API server's codec does.
//!
//! Why a module for two functions: every distinct serde (de)serializer a Kubernetes type meets is
//! a separate copy of that type's whole (de)serialisation code in the wasm. The lab reads pasted
//! objects through `serde_path_to_error` over a `yaml_serde::Value` (to point at a bad field's
//! line) and writes JSON with `serde_json::to_string` (the ControllerRevision hash); these two
//! functions reuse exactly those, so a patch or `kubectl get -o json` adds no third copy of the
//! k8s-openapi tree (issue #13 measured each copy at about a tenth of the page).

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// An object as a JSON value (via its JSON text: the same serializer as the revision hash).
pub fn to_value<T: Serialize>(object: T) -> serde_json::Result<Value> {
    serde_json::from_str(&serde_json::to_string(&object)?)
}

/// A JSON value decoded as `T` through the paste's own decoder; `Err` names the field path as
/// the API server's decoder does (`spec.replicas: invalid type: ...`).
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    let yaml = to_yaml(value);
    serde_path_to_error::deserialize::<_, T>(&yaml).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            inner.to_string()
        } else {
            format!("{path}: {inner}")
        }
    })
}

/// JSON is YAML: the same tree in the YAML value type the decoder reads.
fn to_yaml(value: &Value) -> yaml_serde::Value {
    match value {
        Value::Null => yaml_serde::Value::Null,
        Value::Bool(b) => yaml_serde::Value::Bool(*b),
        Value::Number(n) => yaml_serde::Value::Number(if let Some(i) = n.as_i64() {
            i.into()
        } else if let Some(u) = n.as_u64() {
            u.into()
        } else {
            n.as_f64().unwrap_or_default().into()
        }),
        Value::String(s) => yaml_serde::Value::String(s.clone()),
        Value::Array(items) => yaml_serde::Value::Sequence(items.iter().map(to_yaml).collect()),
        Value::Object(map) => yaml_serde::Value::Mapping(
            map.iter().map(|(k, v)| (yaml_serde::Value::String(k.clone()), to_yaml(v))).collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::StatefulSet;

    #[test]
    fn a_statefulset_goes_to_json_and_back_unchanged() {
        let json = serde_json::json!({
            "metadata": {"name": "web", "labels": {"app": "nginx"}},
            "spec": {"replicas": 3, "serviceName": "nginx", "selector": {"matchLabels": {"app": "nginx"}},
                     "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                     "ports": [{"containerPort": 80}]}]}}}
        });
        let set: StatefulSet = super::from_value(&json).unwrap();
        assert_eq!(set.spec.as_ref().and_then(|s| s.replicas), Some(3));
        // k8s-openapi writes the type's apiVersion and kind, as the API server's encoder does.
        let mut expected = json.clone();
        expected["apiVersion"] = "apps/v1".into();
        expected["kind"] = "StatefulSet".into();
        assert_eq!(super::to_value(&set).unwrap(), expected);
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let json = serde_json::json!({"metadata": {"name": "web"}, "spec": {"replicas": "three"}});
        let err = super::from_value::<StatefulSet>(&json).unwrap_err();
        assert!(err.starts_with("spec.replicas: invalid type: string \"three\""), "{err}");
    }
}
