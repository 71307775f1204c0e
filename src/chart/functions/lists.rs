//! Sprig's list functions (`list`, `first`, `append`, `until`, ...).

use gotmpl::{FuncMap, Value};

use super::{add, arity, fail, go_type, to_int64};
use crate::limits::{MAX_LIST_ITEMS, MAX_REPLICAS};

/// A key telling scalars apart exactly as `==` does (type and value), or None for a list or dict.
fn scalar_key(v: &Value) -> Option<String> {
    Some(match v {
        Value::Nil => "n".into(),
        Value::Bool(b) => format!("b{b}"),
        Value::Int(n) => format!("i{n}"),
        Value::Uint(n) => format!("u{n}"),
        Value::Float(f) if *f == 0.0 => "f0".into(),
        Value::Float(f) if f.is_nan() => return None,
        Value::Float(f) => format!("f{}", f.to_bits()),
        Value::String(s) => format!("s{s}"),
        _ => return None,
    })
}

fn as_list<'a>(name: &str, v: &'a Value) -> Result<&'a [Value], gotmpl::TemplateError> {
    match v {
        Value::List(l) => Ok(l),
        other => Err(fail(format!("Cannot find {name} on type {}", go_type(other)))),
    }
}

pub(crate) fn register(m: &mut FuncMap) {
    add(m, "list", |a| Ok(Value::List(a.to_vec().into())));
    add(m, "first", |a| {
        arity("first", a, 1)?;
        Ok(as_list("first", &a[0])?.first().cloned().unwrap_or(Value::Nil))
    });
    add(m, "last", |a| {
        arity("last", a, 1)?;
        Ok(as_list("last", &a[0])?.last().cloned().unwrap_or(Value::Nil))
    });
    add(m, "rest", |a| {
        arity("rest", a, 1)?;
        let l = as_list("rest", &a[0])?;
        Ok(if l.is_empty() { Value::Nil } else { Value::List(l[1..].to_vec().into()) })
    });
    add(m, "initial", |a| {
        arity("initial", a, 1)?;
        let l = as_list("initial", &a[0])?;
        Ok(if l.is_empty() { Value::Nil } else { Value::List(l[..l.len() - 1].to_vec().into()) })
    });
    // Sprig: `append LIST ITEM` (alias `push`).
    for name in ["append", "push"] {
        add(m, name, move |a| {
            arity(name, a, 2)?;
            let mut l = as_list("append", &a[0])?.to_vec();
            l.push(a[1].clone());
            Ok(Value::List(l.into()))
        });
    }
    add(m, "prepend", |a| {
        arity("prepend", a, 2)?;
        let mut l = vec![a[1].clone()];
        l.extend(as_list("prepend", &a[0])?.iter().cloned());
        Ok(Value::List(l.into()))
    });
    add(m, "concat", |a| {
        let mut out = Vec::new();
        for v in a {
            out.extend(as_list("concat", v)?.iter().cloned());
        }
        Ok(Value::List(out.into()))
    });
    // Sprig: `has NEEDLE LIST`.
    add(m, "has", |a| {
        arity("has", a, 2)?;
        Ok(Value::Bool(match &a[1] {
            Value::List(l) => l.contains(&a[0]),
            _ => false,
        }))
    });
    add(m, "reverse", |a| {
        arity("reverse", a, 1)?;
        let mut l = as_list("reverse", &a[0])?.to_vec();
        l.reverse();
        Ok(Value::List(l.into()))
    });
    add(m, "uniq", |a| {
        arity("uniq", a, 1)?;
        let list = as_list("uniq", &a[0])?;
        let mut out: Vec<Value> = Vec::new();
        // Scalars are found in a set; comparing every item with every other made a long list quadratic.
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for v in list {
            match scalar_key(v) {
                Some(key) => {
                    if seen.insert(key) {
                        out.push(v.clone());
                    }
                }
                None => {
                    if out.len() > 1_000 {
                        return Err(fail("uniq of a list of lists or dicts: the lab compares at most 1000 of them"));
                    }
                    if !out.contains(v) {
                        out.push(v.clone());
                    }
                }
            }
        }
        Ok(Value::List(out.into()))
    });
    add(m, "compact", |a| {
        arity("compact", a, 1)?;
        let out: Vec<Value> = as_list("compact", &a[0])?.iter().filter(|v| !super::is_empty(v)).cloned().collect();
        Ok(Value::List(out.into()))
    });
    add(m, "sortAlpha", |a| {
        arity("sortAlpha", a, 1)?;
        let mut out: Vec<String> = match &a[0] {
            Value::List(l) => l.iter().map(super::strval).collect(),
            other => vec![super::strval(other)],
        };
        crate::sorting::sort(&mut out);
        Ok(Value::List(out.into_iter().map(super::s).collect::<Vec<_>>().into()))
    });
    // Sprig: `until N` is [0, 1, ..., N-1]; handy to name a StatefulSet's pods.
    add(m, "until", |a| {
        arity("until", a, 1)?;
        let n = to_int64(&a[0]);
        if n.unsigned_abs() > MAX_LIST_ITEMS as u64 {
            return Err(fail(format!(
                "until {n}: the lab's templates count to at most {MAX_LIST_ITEMS} (a StatefulSet has at most \
                 {MAX_REPLICAS} pods here, and a longer list would keep the page busy)"
            )));
        }
        let list: Vec<Value> =
            if n >= 0 { (0..n).map(Value::Int).collect() } else { (n + 1..=0).rev().map(Value::Int).collect() };
        Ok(Value::List(list.into()))
    });
}
