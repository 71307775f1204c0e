//! Sprig's dict functions. Values are immutable here, so `merge` returns the merged dict and
//! does not change its first argument as Sprig's does (`$_ := merge $a $b` then reading `$a`
//! is not supported).

use crate::sorting::CollectMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, Value};

use super::{add, arg_str, arity, fail, go_type, is_empty, strval};

fn as_map(v: &Value) -> Result<&BTreeMap<Arc<str>, Value>, gotmpl::TemplateError> {
    match v {
        Value::Map(m) => Ok(m),
        other => Err(fail(format!("wrong type for value; expected map[string]interface {{}}; got {}", go_type(other)))),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    // `dict "k1" v1 "k2" v2`: keys are stringified; a missing last value is "".
    add(m, "dict", |a| {
        let mut out = BTreeMap::new();
        for pair in a.chunks(2) {
            let value = pair.get(1).cloned().unwrap_or_else(|| super::s(""));
            out.insert(Arc::from(strval(&pair[0]).as_str()), value);
        }
        Ok(Value::Map(Arc::new(out)))
    });
    // `merge DST SRC...`: DST wins; SRC fills what DST lacks or has empty (mergo without override).
    add(m, "merge", |a| {
        if a.is_empty() {
            return Err(fail("wrong number of args for merge: want at least 1 got 0"));
        }
        let mut dst = as_map(&a[0])?.clone();
        for src in &a[1..] {
            merge_into(&mut dst, as_map(src)?, false);
        }
        Ok(Value::Map(Arc::new(dst)))
    });
    add(m, "mergeOverwrite", |a| {
        if a.is_empty() {
            return Err(fail("wrong number of args for mergeOverwrite: want at least 1 got 0"));
        }
        let mut dst = as_map(&a[0])?.clone();
        for src in &a[1..] {
            merge_into(&mut dst, as_map(src)?, true);
        }
        Ok(Value::Map(Arc::new(dst)))
    });
    // `set DICT KEY VALUE` / `unset DICT KEY`: return the changed dict (the argument itself
    // cannot change here; charts use them as `$_ := set ...` mostly for that side effect).
    add(m, "set", |a| {
        arity("set", a, 3)?;
        let mut d = as_map(&a[0])?.clone();
        d.insert(Arc::from(arg_str(a, 1)?), a[2].clone());
        Ok(Value::Map(Arc::new(d)))
    });
    add(m, "unset", |a| {
        arity("unset", a, 2)?;
        let mut d = as_map(&a[0])?.clone();
        d.remove(arg_str(a, 1)?);
        Ok(Value::Map(Arc::new(d)))
    });
    add(m, "hasKey", |a| {
        arity("hasKey", a, 2)?;
        Ok(Value::Bool(as_map(&a[0])?.contains_key(arg_str(a, 1)?)))
    });
    add(m, "get", |a| {
        arity("get", a, 2)?;
        Ok(as_map(&a[0])?.get(arg_str(a, 1)?).cloned().unwrap_or_else(|| super::s("")))
    });
    add(m, "keys", |a| {
        let mut out = Vec::new();
        for d in a {
            out.extend(as_map(d)?.keys().map(|k| Value::String(k.clone())));
        }
        Ok(Value::List(out.into()))
    });
    add(m, "values", |a| {
        arity("values", a, 1)?;
        Ok(Value::List(as_map(&a[0])?.values().cloned().collect::<Vec<_>>().into()))
    });
    add(m, "pick", |a| {
        let d = as_map(a.first().unwrap_or(&Value::Nil))?;
        let keys: Vec<String> = a[1..].iter().map(strval).collect();
        Ok(Value::Map(Arc::new(
            d.iter()
                .filter(|(k, _)| keys.iter().any(|x| x == &***k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect_map(),
        )))
    });
    add(m, "omit", |a| {
        let d = as_map(a.first().unwrap_or(&Value::Nil))?;
        let keys: Vec<String> = a[1..].iter().map(strval).collect();
        Ok(Value::Map(Arc::new(
            d.iter()
                .filter(|(k, _)| !keys.iter().any(|x| x == &***k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect_map(),
        )))
    });
}

/// mergo.Merge semantics: maps merge recursively; otherwise DST keeps its value unless it is
/// missing or empty (or `overwrite`, for `mergeOverwrite`, and SRC is not empty).
pub fn merge_into(dst: &mut BTreeMap<Arc<str>, Value>, src: &BTreeMap<Arc<str>, Value>, overwrite: bool) {
    for (k, sv) in src {
        match (dst.get(k), sv) {
            (Some(Value::Map(dm)), Value::Map(sm)) => {
                let mut merged = (**dm).clone();
                merge_into(&mut merged, sm, overwrite);
                dst.insert(k.clone(), Value::Map(Arc::new(merged)));
            }
            (None, _) => {
                dst.insert(k.clone(), sv.clone());
            }
            (Some(dv), _) => {
                if is_empty(dv) || (overwrite && !is_empty(sv)) {
                    dst.insert(k.clone(), sv.clone());
                }
            }
        }
    }
}
