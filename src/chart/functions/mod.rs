//! The Helm and Sprig template functions, as pure functions over `gotmpl::Value`.
//!
//! One file per family, like Sprig's own sources: `strings`, `lists`, `dicts`, `encoding`
//! (base64, digests, JSON/YAML), `semver`. The functions that need the template set or the
//! render's state (`include`, `tpl`, `required`, `fail`, `lookup`) live in `render.rs`.
//!
//! Argument conventions follow Go's text/template calling the Go function: a parameter typed
//! `string` refuses a number (`wrong type for value; expected string; got float64`) and a
//! missing value (`invalid value; expected string`), exactly as `helm template` does. Numbers
//! read from values are float64, as in Helm.

pub mod dicts;
pub mod encoding;
pub mod lists;
pub mod semver;
pub mod strings;
pub mod yaml;

use crate::sorting::CollectMap;
use std::collections::BTreeMap;
use std::sync::Arc;

use gotmpl::{FuncMap, TemplateError, Value};

use crate::limits::MAX_TEMPLATE_STRING_BYTES;

/// Every pure function this module provides, by template name.
pub fn pure_functions() -> FuncMap {
    let mut m = FuncMap::new();
    strings::register(&mut m);
    lists::register(&mut m);
    dicts::register(&mut m);
    encoding::register(&mut m);
    semver::register(&mut m);
    register_logic(&mut m);
    m
}

/// Adds one function to a map.
pub(crate) fn add(
    m: &mut FuncMap,
    name: &str,
    f: impl Fn(&[Value]) -> Result<Value, TemplateError> + Send + Sync + 'static,
) {
    m.insert(name.to_string(), Arc::new(f));
}

/// An execution error carrying just the message (the renderer adds file, line and column).
pub(crate) fn fail(msg: impl Into<String>) -> TemplateError {
    TemplateError::Exec(msg.into())
}

/// Go's arity error for a call with the wrong number of arguments.
pub(crate) fn arity(name: &str, args: &[Value], want: usize) -> Result<(), TemplateError> {
    if args.len() != want {
        return Err(fail(format!("wrong number of args for {name}: want {want} got {}", args.len())));
    }
    Ok(())
}

/// Go's name for a value's dynamic type, as it appears in Helm's error messages.
pub(crate) fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Nil => "<nil>",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int",
        Value::Uint(_) => "uint",
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        Value::Function(_) => "func",
    }
}

/// A wrong argument: Go reports it at the argument, not as "error calling"; the renderer reads
/// the `ARG[i]` mark to point there.
pub(crate) fn bad_arg(i: usize, msg: String) -> TemplateError {
    fail(format!("ARG[{i}]{msg}"))
}

/// A parameter Go declares as `string`.
pub(crate) fn arg_str(args: &[Value], i: usize) -> Result<&str, TemplateError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        Some(Value::Nil) | None => Err(bad_arg(i, "invalid value; expected string".into())),
        Some(other) => Err(bad_arg(i, format!("wrong type for value; expected string; got {}", go_type(other)))),
    }
}

/// A parameter Go declares as `int`.
pub(crate) fn arg_int(args: &[Value], i: usize) -> Result<i64, TemplateError> {
    match args.get(i) {
        Some(Value::Int(n)) => Ok(*n),
        Some(Value::Uint(n)) => Ok(*n as i64),
        Some(Value::Nil) | None => Err(bad_arg(i, "invalid value; expected int".into())),
        Some(other) => Err(bad_arg(i, format!("wrong type for value; expected int; got {}", go_type(other)))),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which is also what `%v` prints: the shortest
/// digits, in exponent form below 1e-4 and from 1e6 on (`1e+06`), which is why Helm famously
/// prints a big number from values as `1e+06`.
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let e = format!("{:e}", f);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{esign}{:02}", exp.abs());
    }
    if exp >= 0 {
        let exp = exp as usize;
        if digits.len() > exp + 1 {
            format!("{sign}{}.{}", &digits[..=exp], &digits[exp + 1..])
        } else {
            format!("{sign}{}{}", digits, "0".repeat(exp + 1 - digits.len()))
        }
    } else {
        format!("{sign}0.{}{}", "0".repeat((-exp - 1) as usize), digits)
    }
}

/// Go's `fmt.Sprint(v)` (`%v`) for template values. Stops writing a little past
/// [`MAX_TEMPLATE_STRING_BYTES`]: a list holding the same big string 100,000 times must not be
/// printed whole (the renderer refuses any string that long).
pub fn go_fmt_v(v: &Value) -> String {
    let mut out = String::new();
    write_go_fmt_v(v, &mut out);
    out
}

fn write_go_fmt_v(v: &Value, out: &mut String) {
    if out.len() > MAX_TEMPLATE_STRING_BYTES {
        return;
    }
    match v {
        Value::Nil => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Uint(n) => out.push_str(&n.to_string()),
        Value::Float(f) => out.push_str(&format_float_g(*f)),
        // Every string is at most the limit itself: the result stays below twice the limit.
        Value::String(s) => out.push_str(s),
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_go_fmt_v(item, out);
                if out.len() > MAX_TEMPLATE_STRING_BYTES {
                    return;
                }
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push_str("map[");
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_go_fmt_v(item, out);
                if out.len() > MAX_TEMPLATE_STRING_BYTES {
                    return;
                }
            }
            out.push(']');
        }
        Value::Function(_) => out.push_str("<func>"),
    }
}

/// Bytes a value weighs for the render's budget without walking into it: a string its length, a
/// list 8 bytes an item and a map 16 an entry (copying an item costs about that much more than a
/// byte of text), anything else 1.
pub fn shallow_weight(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::List(l) => l.len().saturating_mul(8),
        Value::Map(m) => m.len().saturating_mul(16),
        _ => 1,
    }
}

/// The refusal of a string longer than [`MAX_TEMPLATE_STRING_BYTES`], before or after making it.
pub fn too_long(what: &str, bytes: u128) -> TemplateError {
    fail(format!(
        "{what} would make a string of {bytes} bytes; the lab's templates make strings of at most {MAX_TEMPLATE_STRING_BYTES} \
         bytes (2 MiB: nothing longer could be read back as a paste, and it would exhaust the page's memory)"
    ))
}

/// Checks the size a function is about to allocate.
pub fn check_len(what: &str, bytes: u128) -> Result<(), TemplateError> {
    if bytes > MAX_TEMPLATE_STRING_BYTES as u128 {
        return Err(too_long(what, bytes));
    }
    Ok(())
}

/// Joins strings with a separator, refusing before the result passes the string limit.
pub fn bounded_join(what: &str, parts: impl IntoIterator<Item = String>, sep: &str) -> Result<String, TemplateError> {
    let mut out = String::new();
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        check_len(what, out.len() as u128 + part.len() as u128)?;
        out.push_str(&part);
    }
    Ok(out)
}

/// Sprig's `strval`: strings as they are, anything else as `%v`.
pub fn strval(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => go_fmt_v(other),
    }
}

/// Sprig's `empty`: nil, false, 0, "", and empty lists and maps.
pub fn is_empty(v: &Value) -> bool {
    match v {
        Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(n) => *n == 0,
        Value::Uint(n) => *n == 0,
        Value::Float(f) => *f == 0.0,
        Value::String(s) => s.is_empty(),
        Value::List(l) => l.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::Function(_) => false,
    }
}

/// spf13/cast `ToInt64`: numbers truncate, strings parse (base prefixes allowed), the rest is 0.
pub fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(n) => *n,
        Value::Uint(n) => *n as i64,
        Value::Float(f) => *f as i64,
        Value::Bool(b) => i64::from(*b),
        Value::String(s) => parse_go_int(s.trim()).unwrap_or(0),
        _ => 0,
    }
}

/// spf13/cast `ToFloat64`.
pub fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(n) => *n as f64,
        Value::Uint(n) => *n as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::String(s) => s.trim().parse().unwrap_or(0.0),
        _ => 0.0,
    }
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let t = t.replace('_', "");
    let n = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()?
    } else if let Some(o) = t.strip_prefix("0o").or_else(|| t.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -n } else { n })
}

/// A map value from entries.
pub fn map_of(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    let m: BTreeMap<Arc<str>, Value> = entries.into_iter().map(|(k, v)| (Arc::from(k.as_str()), v)).collect_map();
    Value::Map(Arc::new(m))
}

/// A string value.
pub fn s(text: impl AsRef<str>) -> Value {
    Value::String(Arc::from(text.as_ref()))
}

/// default, empty, coalesce, ternary, the casts and Sprig's integer arithmetic.
fn register_logic(m: &mut FuncMap) {
    // Sprig: `default DEFAULT GIVEN`; the piped value comes last.
    add(m, "default", |a| match a.len() {
        0 => Err(fail("wrong number of args for default: want at least 1 got 0")),
        1 => Ok(a[0].clone()),
        _ => Ok(if is_empty(&a[1]) { a[0].clone() } else { a[1].clone() }),
    });
    add(m, "empty", |a| {
        arity("empty", a, 1)?;
        Ok(Value::Bool(is_empty(&a[0])))
    });
    add(m, "coalesce", |a| Ok(a.iter().find(|v| !is_empty(v)).cloned().unwrap_or(Value::Nil)));
    add(m, "all", |a| Ok(Value::Bool(a.iter().all(|v| !is_empty(v)))));
    add(m, "any", |a| Ok(Value::Bool(a.iter().any(|v| !is_empty(v)))));
    // Sprig: `ternary TRUE-VALUE FALSE-VALUE CONDITION` (condition is a bool).
    add(m, "ternary", |a| {
        arity("ternary", a, 3)?;
        match &a[2] {
            Value::Bool(b) => Ok(if *b { a[0].clone() } else { a[1].clone() }),
            other => Err(fail(format!("wrong type for value; expected bool; got {}", go_type(other)))),
        }
    });
    add(m, "int", |a| {
        arity("int", a, 1)?;
        Ok(Value::Int(to_int64(&a[0])))
    });
    add(m, "int64", |a| {
        arity("int64", a, 1)?;
        Ok(Value::Int(to_int64(&a[0])))
    });
    add(m, "float64", |a| {
        arity("float64", a, 1)?;
        Ok(Value::Float(to_float64(&a[0])))
    });
    add(m, "atoi", |a| Ok(Value::Int(arg_str(a, 0)?.parse().unwrap_or(0))));
    add(m, "toString", |a| {
        arity("toString", a, 1)?;
        Ok(s(strval(&a[0])))
    });
    add(m, "add", |a| Ok(Value::Int(a.iter().map(to_int64).fold(0i64, i64::wrapping_add))));
    add(m, "add1", |a| {
        arity("add1", a, 1)?;
        Ok(Value::Int(to_int64(&a[0]).wrapping_add(1)))
    });
    add(m, "sub", |a| {
        arity("sub", a, 2)?;
        Ok(Value::Int(to_int64(&a[0]).wrapping_sub(to_int64(&a[1]))))
    });
    add(m, "mul", |a| Ok(Value::Int(a.iter().map(to_int64).fold(1i64, i64::wrapping_mul))));
    add(m, "div", |a| {
        arity("div", a, 2)?;
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(fail("runtime error: integer divide by zero"));
        }
        // Go defines MinInt64 / -1 as MinInt64 (two's complement overflow), no panic.
        Ok(Value::Int(to_int64(&a[0]).wrapping_div(d)))
    });
    add(m, "mod", |a| {
        arity("mod", a, 2)?;
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(fail("runtime error: integer divide by zero"));
        }
        // Go: MinInt64 % -1 is 0.
        Ok(Value::Int(to_int64(&a[0]).wrapping_rem(d)))
    });
    add(m, "max", |a| Ok(Value::Int(a.iter().map(to_int64).max().unwrap_or(0))));
    add(m, "min", |a| Ok(Value::Int(a.iter().map(to_int64).min().unwrap_or(0))));
    add(m, "kindOf", |a| {
        arity("kindOf", a, 1)?;
        Ok(s(match &a[0] {
            Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Uint(_) => "uint",
            Value::Float(_) => "float64",
            Value::String(_) => "string",
            Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Function(_) => "func",
        }))
    });
    add(m, "typeOf", |a| {
        arity("typeOf", a, 1)?;
        Ok(s(go_type(&a[0])))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        assert_eq!(format_float_g(1.0), "1");
        assert_eq!(format_float_g(100000.0), "100000");
        assert_eq!(format_float_g(1e6), "1e+06");
        assert_eq!(format_float_g(123456789.0), "1.23456789e+08");
        assert_eq!(format_float_g(0.5), "0.5");
        assert_eq!(format_float_g(0.0001), "0.0001");
        assert_eq!(format_float_g(0.00001), "1e-05");
        assert_eq!(format_float_g(-2.5), "-2.5");
    }
}
