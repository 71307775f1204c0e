//! `-o yaml|json|name|jsonpath=...`: kubectl's generic printers over the objects `get` found.
//! `kubectl get` reads objects unstructured (maps), so both JSON (encoding/json, map keys sorted,
//! four-space indent, `<>&` escaped) and YAML (sigs.k8s.io/yaml → go-yaml v2, keys sorted,
//! sequences not indented under their key) print keys in alphabetical order.

use serde_json::{json, Value};

use crate::engine::Cluster;

use super::objects::{self, Item};
use super::resource::Res;

/// Prints what `get` found; `single` when exactly one object was named (no List wrapper).
pub fn print(cluster: &Cluster, output: &str, found: &[(Res, Vec<Item>)], single: bool) -> Result<String, String> {
    if output == "name" {
        // printers.NamePrinter: `kind.group/name`.
        let mut out = String::new();
        for (res, items) in found {
            for i in items {
                out.push_str(&format!("{}{}\n", res.prefix(), i.name));
            }
        }
        return Ok(out);
    }
    let mut objs = Vec::new();
    for (res, items) in found {
        for i in items {
            match objects::object(cluster, *res, &i.name) {
                Some(o) => objs.push(o),
                None => return Err(format!("the lab's terminal has no `-o {output}` view of {}", res.qualified())),
            }
        }
    }
    let value = if single && objs.len() == 1 {
        objs.pop().expect("one")
    } else {
        // get.go printGeneric: several objects (or a list request) print as one v1 List.
        json!({"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}})
    };
    let (kind, arg) = output.split_once('=').unwrap_or((output, ""));
    match kind {
        "json" => Ok(to_json(&value) + "\n"),
        "yaml" => Ok(to_yaml(&value)),
        "jsonpath" => jsonpath(&value, arg),
        // printflags.go: the formats kubectl allows, in its error text.
        _ => Err(format!(
            "unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml"
        )),
    }
}

/// encoding/json MarshalIndent(v, "", "    "), with Go's HTML escaping of `<`, `>` and `&`.
pub fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("a Value serialises");
    String::from_utf8(buf).expect("utf-8").replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// go-yaml v2 as sigs.k8s.io/yaml drives it (JSONToYAML): two-space indent, keys sorted, list
/// items at their key's indent, strings quoted only when they would read as another type.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => yaml_map(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => yaml_seq(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0));
            out.push('\n');
        }
    }
    out
}

fn yaml_map(m: &serde_json::Map<String, Value>, indent: usize, out: &mut String) {
    let mut first = true;
    for (k, v) in m {
        if !first || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        first = false;
        out.push_str(&yaml_string(k, indent));
        out.push(':');
        match v {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_map(inner, indent + 2, out);
            }
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                yaml_seq(a, indent, out);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn yaml_seq(a: &[Value], indent: usize, out: &mut String) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match v {
            Value::Object(inner) if !inner.is_empty() => yaml_map(inner, indent + 2, out),
            Value::Array(inner) if !inner.is_empty() => {
                // `- - x`: go-yaml puts a nested sequence on the next line, indented.
                out.truncate(out.len() - 1);
                out.push('\n');
                yaml_seq(inner, indent + 2, out);
            }
            other => {
                out.push_str(&scalar(other, indent + 2));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value, indent: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s, indent),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
    }
}

/// go-yaml v2 encoder stringv + the emitter's scalar analysis.
fn yaml_string(s: &str, indent: usize) -> String {
    if s.contains('\n') {
        // Literal block: `|` keeps one trailing newline, `|-` none, `|+` more.
        let chomp = if !s.ends_with('\n') {
            "-"
        } else if s.ends_with("\n\n") {
            "+"
        } else {
            ""
        };
        let lead = if s.starts_with(' ') { "2" } else { "" };
        let body = s.strip_suffix('\n').unwrap_or(s);
        let mut out = format!("|{lead}{chomp}");
        for line in body.split('\n') {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(&" ".repeat(indent.max(2)));
                out.push_str(line);
            }
        }
        return out;
    }
    if resolves_to_non_string(s) {
        return format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    }
    if plain_allowed(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// go-yaml v2 resolve: would this plain scalar read back as a bool, int, float or null?
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True",
        "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF", "-.inf",
        "-.Inf", "-.INF", "+.inf", ".nan", ".NaN", ".NAN",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let t = s.strip_prefix(['-', '+']).unwrap_or(s);
    let plain = t.replace('_', "");
    if !plain.is_empty() && plain.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(h) = t.strip_prefix("0x") {
        return !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(b) = t.strip_prefix("0b") {
        return !b.is_empty() && b.chars().all(|c| c == '0' || c == '1');
    }
    // Floats: digits with one dot and/or an exponent.
    let f = plain.as_str();
    let (mant, exp) = match f.find(['e', 'E']) {
        Some(i) => (&f[..i], Some(&f[i + 1..])),
        None => (f, None),
    };
    let mant_ok = mant.chars().filter(|c| *c == '.').count() <= 1
        && mant.chars().any(|c| c.is_ascii_digit())
        && mant.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mant_ok && exp_ok && (mant.contains('.') || exp.is_some())
}

/// libyaml yaml_emitter_analyze_scalar: may this string be written plain in block context?
fn plain_allowed(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-`, `?`, `:` are fine when followed by a non-space.
        let second = s.chars().nth(1);
        if !(matches!(first, '-' | '?' | ':') && second.is_some_and(|c| c != ' ')) {
            return false;
        }
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.contains('\t') {
        return false;
    }
    s.chars().all(|c| !c.is_control())
}

/// client-go util/jsonpath, the subset a student types: `{.a.b}`, `{.items[*].metadata.name}`,
/// `{.items[0]}`, `{range .items[*]}...{end}`, `{"\n"}` and literal text between.
pub fn jsonpath(v: &Value, template: &str) -> Result<String, String> {
    let parts = tokenize(template)?;
    let mut out = String::new();
    exec(&parts, std::slice::from_ref(v), &mut out)?;
    Ok(out)
}

#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Field(String),
    Range(String, Vec<Part>),
}

fn tokenize(t: &str) -> Result<Vec<Part>, String> {
    let mut stack: Vec<(Option<String>, Vec<Part>)> = vec![(None, Vec::new())];
    let mut rest = t;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let end = rest.find('}').ok_or_else(|| format!("error parsing jsonpath {t}, unclosed action"))?;
                let inner = rest[1..end].trim();
                rest = &rest[end + 1..];
                if let Some(path) = inner.strip_prefix("range ") {
                    stack.push((Some(path.trim().to_string()), Vec::new()));
                } else if inner == "end" {
                    let (path, body) = stack.pop().expect("a frame");
                    let Some(path) = path else {
                        return Err(format!("error parsing jsonpath {t}, not in range, nothing to end"));
                    };
                    stack.last_mut().expect("outer").1.push(Part::Range(path, body));
                } else if (inner.starts_with('"') && inner.ends_with('"') && inner.len() >= 2)
                    || (inner.starts_with('\'') && inner.ends_with('\'') && inner.len() >= 2)
                {
                    let lit = &inner[1..inner.len() - 1];
                    let lit = lit.replace("\\n", "\n").replace("\\t", "\t");
                    stack.last_mut().expect("frame").1.push(Part::Text(lit));
                } else {
                    stack.last_mut().expect("frame").1.push(Part::Field(inner.to_string()));
                }
            }
            Some(i) => {
                stack.last_mut().expect("frame").1.push(Part::Text(rest[..i].to_string()));
                rest = &rest[i..];
            }
            None => {
                stack.last_mut().expect("frame").1.push(Part::Text(rest.to_string()));
                rest = "";
            }
        }
    }
    if stack.len() != 1 {
        return Err(format!("error parsing jsonpath {t}, unclosed range"));
    }
    Ok(stack.pop().expect("root").1)
}

fn exec(parts: &[Part], data: &[Value], out: &mut String) -> Result<(), String> {
    let root = &data[0];
    for p in parts {
        match p {
            Part::Text(s) => out.push_str(s),
            Part::Field(path) => {
                let vals = select(root, path)?;
                let texts: Vec<String> = vals.iter().map(text).collect();
                out.push_str(&texts.join(" "));
            }
            Part::Range(path, body) => {
                for v in select(root, path)? {
                    exec(body, std::slice::from_ref(&v), out)?;
                }
            }
        }
    }
    Ok(())
}

/// jsonpath's printing of one value: strings raw, everything else as JSON.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn select(root: &Value, path: &str) -> Result<Vec<Value>, String> {
    let path = path.trim();
    let path = path.strip_prefix('$').unwrap_or(path);
    let mut cur = vec![root.clone()];
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            rest = &r[end..];
            if key.is_empty() {
                continue;
            }
            if key == "*" {
                cur = cur
                    .iter()
                    .flat_map(|v| match v {
                        Value::Object(m) => m.values().cloned().collect(),
                        Value::Array(a) => a.clone(),
                        _ => Vec::new(),
                    })
                    .collect();
                continue;
            }
            cur = cur.iter().filter_map(|v| v.get(key).cloned()).collect();
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| format!("error parsing jsonpath {path}, unterminated array"))?;
            let idx = r[..end].trim();
            rest = &r[end + 1..];
            cur = cur
                .iter()
                .flat_map(|v| {
                    let Value::Array(a) = v else {
                        return Vec::new();
                    };
                    if idx == "*" || idx == ":" {
                        return a.clone();
                    }
                    if let Some(key) = idx.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
                        return v.get(key).cloned().into_iter().collect();
                    }
                    match idx.parse::<i64>() {
                        Ok(i) => {
                            let i = if i < 0 { a.len() as i64 + i } else { i };
                            a.get(i as usize).cloned().into_iter().collect()
                        }
                        Err(_) => Vec::new(),
                    }
                })
                .collect();
        } else {
            return Err(format!("error parsing jsonpath {{{path}}}, unrecognized character in action: {rest}"));
        }
    }
    Ok(cur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_as_go_yaml_v2_writes_it() {
        let v = json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""},
            "items": [{"a": {"b": ["x", "80", "true"]}, "c": "has: colon", "d": {}, "e": "*"}]});
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nitems:\n- a:\n    b:\n    - x\n    - \"80\"\n    - \"true\"\n  c: 'has: colon'\n  d: {}\n  e: '*'\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
        assert_eq!(to_yaml(&json!({"m": "a\nb\n"})), "m: |\n  a\n  b\n");
    }

    #[test]
    fn json_as_marshal_indent() {
        assert_eq!(
            to_json(&json!({"b": 1, "a": ["<x>"]})),
            "{\n    \"a\": [\n        \"\\u003cx\\u003e\"\n    ],\n    \"b\": 1\n}"
        );
    }

    #[test]
    fn jsonpath_subset() {
        let v = json!({"items": [{"metadata": {"name": "web-0"}}, {"metadata": {"name": "web-1"}}]});
        assert_eq!(jsonpath(&v, "{.items[*].metadata.name}").unwrap(), "web-0 web-1");
        assert_eq!(jsonpath(&v, "{range .items[*]}{.metadata.name}{\"\\n\"}{end}").unwrap(), "web-0\nweb-1\n");
        assert_eq!(jsonpath(&v, "{.items[-1].metadata.name}").unwrap(), "web-1");
    }
}
