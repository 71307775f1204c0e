//! Values: the chart's defaults, the user's `-f` files, and how Helm combines them.
//!
//! `helm install -f a.yaml -f b.yaml`: the files merge left to right (later wins, maps merge
//! deeply), then the result is coalesced over the chart's values.yaml: user values win, maps
//! merge, and a user `null` deletes the chart's key. A subchart's values are its own
//! values.yaml under the parent's `<subchart>:` section, plus `global` copied from the parent.

use crate::sorting::CollectMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::Value;

use super::functions::yaml::parse_yaml;

/// A string-keyed map of values (the shape of `.Values`).
pub type Map = BTreeMap<Arc<str>, Value>;

/// The map inside a value, or an empty map.
pub fn as_map(v: &Value) -> Map {
    match v {
        Value::Map(m) => (**m).clone(),
        _ => Map::new(),
    }
}

/// Parses one values file; an empty file is an empty map. Errors are the parser's message.
pub fn parse_values(text: &str) -> Result<Map, String> {
    match parse_yaml(text)? {
        Value::Map(m) => Ok((*m).clone()),
        Value::Nil => Ok(Map::new()),
        _ => Err("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal non-map into Go value of type map[string]interface {}".into()),
    }
}

/// Helm's `mergeMaps` for several `-f` files: later files win, maps merge recursively.
pub fn merge_user_values(base: &mut Map, over: &Map) {
    for (k, v) in over {
        match (base.get(k), v) {
            (Some(Value::Map(b)), Value::Map(o)) => {
                let mut merged = (**b).clone();
                merge_user_values(&mut merged, o);
                base.insert(k.clone(), Value::Map(Arc::new(merged)));
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Helm's coalesce of user values over chart defaults: user wins, maps merge, a user `null`
/// removes the key.
pub fn coalesce(defaults: &Map, user: &Map) -> Map {
    let mut out = defaults.clone();
    for (k, uv) in user {
        match (defaults.get(k), uv) {
            (_, Value::Nil) => {
                out.remove(k);
            }
            (Some(Value::Map(d)), Value::Map(u)) => {
                out.insert(k.clone(), Value::Map(Arc::new(coalesce(d, u))));
            }
            _ => {
                out.insert(k.clone(), strip_nulls(uv));
            }
        }
    }
    out
}

/// Nulls inside user maps that have no default to delete are dropped too (Helm removes them
/// while coalescing).
fn strip_nulls(v: &Value) -> Value {
    match v {
        Value::Map(m) => Value::Map(Arc::new(
            m.iter().filter(|(_, v)| !matches!(v, Value::Nil)).map(|(k, v)| (k.clone(), strip_nulls(v))).collect_map(),
        )),
        other => other.clone(),
    }
}

/// Reads a dotted path (`mylib.enabled`) in a values map.
pub fn lookup_path<'a>(values: &'a Map, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = values.get(parts.next()?)?;
    for p in parts {
        match cur {
            Value::Map(m) => cur = m.get(p)?,
            _ => return None,
        }
    }
    Some(cur)
}
