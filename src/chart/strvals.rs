//! `helm install|upgrade --set a.b=c,list[0]=x,l={1,2}`: Helm's own parser (helm v3
//! `pkg/strvals/parser.go`, `ParseInto`), ported rule for rule so a typed `--set` gives the values
//! and the error texts helm gives. Only `--set` (typed values: `true`, `false`, `null`, whole numbers
//! without a leading zero become bool/nil/int64, everything else a string); not `--set-string`,
//! `--set-json` or `--set-file`.
//!
//! Written by hand: no crate implements helm's grammar, and its errors are part of what a student sees.

use std::sync::Arc;

use gotmpl::Value;

use super::functions::strings::go_quote;
use super::values::Map;

/// strvals.MaxIndex: the largest list index `--set` accepts.
const MAX_INDEX: i64 = 65536;
/// strvals.MaxNestedNameLevel: how deep `a.b.c...` may go.
const MAX_NESTED_NAME_LEVEL: usize = 30;

/// Parses one `--set` argument into `dest` (which already holds the merged `-f` files, as in
/// helm's `values.Options.MergeValues`). `Err` is helm's message (without helm's
/// `failed parsing --set data: ` prefix).
pub fn parse_into(s: &str, dest: &mut Map) -> Result<(), String> {
    let mut p = Parser { chars: s.chars().collect(), pos: 0 };
    loop {
        match p.key(dest, 0) {
            Ok(()) => continue,
            Err(Stop::Eof) => return Ok(()),
            Err(Stop::Error(e)) => return Err(e),
        }
    }
}

/// Why parsing stopped: the end of the text (Go's `io.EOF`, not an error at the top) or an error.
enum Stop {
    Eof,
    Error(String),
}

fn fail<T>(msg: String) -> Result<T, Stop> {
    Err(Stop::Error(msg))
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn read(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// runesUntil: the text up to one of `stop` (a backslash escapes the next character) and the
    /// stop character; `None` at the end of the text.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') => match self.read() {
                    Some(next) => v.push(next),
                    None => return (v, None),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn key(&mut self, data: &mut Map, nested: usize) -> Result<(), Stop> {
        let (k, last) = self.until(&['=', '[', ',', '.']);
        match last {
            None if k.is_empty() => Err(Stop::Eof),
            None => fail(format!("key {} has no value", go_quote(&k))),
            Some('[') => {
                let i = self.key_index()?;
                let mut list = match data.get(k.as_str()) {
                    None => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => return fail(conversion(other, "[]interface {}")),
                };
                let result = self.list_item(&mut list, i, nested);
                set(data, &k, Value::List(list.into()));
                result
            }
            Some('=') => match self.val_list() {
                Ok(list) => {
                    set(data, &k, Value::List(list.into()));
                    Ok(())
                }
                Err(ListStop::Eof) => {
                    set(data, &k, Value::String("".into()));
                    Err(Stop::Eof)
                }
                Err(ListStop::NotList) => {
                    let (rs, _) = self.until(&[',']);
                    set(data, &k, typed_val(&rs));
                    Ok(())
                }
                Err(ListStop::Error(e)) => fail(e),
            },
            Some(',') => {
                set(data, &k, Value::String("".into()));
                fail(format!("key {} has no value (cannot end with ,)", go_quote(&k)))
            }
            Some(_) => {
                // '.': a nested map.
                let nested = nested + 1;
                if nested > MAX_NESTED_NAME_LEVEL {
                    return fail(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    ));
                }
                let mut inner = match data.get(k.as_str()) {
                    None => Map::new(),
                    Some(Value::Map(m)) => (**m).clone(),
                    Some(other) => return fail(conversion(other, "map[string]interface {}")),
                };
                let e = self.key(&mut inner, nested);
                if e.is_ok() && inner.is_empty() {
                    return fail(format!("key map {} has no value", go_quote(&k)));
                }
                if !inner.is_empty() {
                    set(data, &k, Value::Map(Arc::new(inner)));
                }
                e
            }
        }
    }

    fn key_index(&mut self) -> Result<i64, Stop> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return fail("error parsing index: EOF".into());
        }
        // strconv.Atoi
        v.parse::<i64>()
            .or_else(|_| fail(format!("error parsing index: strconv.Atoi: parsing {}: invalid syntax", go_quote(&v))))
    }

    fn list_item(&mut self, list: &mut Vec<Value>, i: i64, nested: usize) -> Result<(), Stop> {
        if i < 0 {
            return fail(format!("negative {i} index not allowed"));
        }
        let (k, last) = self.until(&['[', '.', '=']);
        if !k.is_empty() {
            return fail(format!("unexpected data at end of array index: {}", go_quote(&k)));
        }
        match last {
            None => Err(Stop::Eof),
            Some('=') => match self.val_list() {
                Ok(vl) => set_index(list, i, Value::List(vl.into())),
                Err(ListStop::Eof) => set_index(list, i, Value::String("".into())),
                Err(ListStop::NotList) => {
                    let (rs, _) = self.until(&[',']);
                    set_index(list, i, typed_val(&rs))
                }
                Err(ListStop::Error(e)) => fail(e),
            },
            Some('[') => {
                let next = self.key_index()?;
                let mut current = match list.get(i as usize) {
                    None | Some(Value::Nil) => Vec::new(),
                    Some(Value::List(l)) => l.to_vec(),
                    Some(other) => return fail(conversion(other, "[]interface {}")),
                };
                self.list_item(&mut current, next, nested)?;
                set_index(list, i, Value::List(current.into()))
            }
            Some(_) => {
                // '.': a map inside the list.
                let mut inner = match list.get(i as usize) {
                    Some(Value::Map(m)) => (**m).clone(),
                    _ => Map::new(),
                };
                self.key(&mut inner, nested)?;
                set_index(list, i, Value::Map(Arc::new(inner)))
            }
        }
    }

    /// valList: `{a,b,c}` as a list; anything else is not a list.
    fn val_list(&mut self) -> Result<Vec<Value>, ListStop> {
        match self.read() {
            None => return Err(ListStop::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListStop::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListStop::Error("list must terminate with '}'".into())),
                Some('}') => {
                    if let Some(c) = self.read() {
                        if c != ',' {
                            self.unread();
                        }
                    }
                    list.push(typed_val(&rs));
                    return Ok(list);
                }
                Some(_) => list.push(typed_val(&rs)),
            }
        }
    }
}

enum ListStop {
    Eof,
    NotList,
    Error(String),
}

fn set(data: &mut Map, key: &str, value: Value) {
    if !key.is_empty() {
        data.insert(key.into(), value);
    }
}

fn set_index(list: &mut Vec<Value>, index: i64, value: Value) -> Result<(), Stop> {
    if index < 0 {
        return fail(format!("negative {index} index not allowed"));
    }
    if index > MAX_INDEX {
        return fail(format!("index of {index} is greater than maximum supported index of {MAX_INDEX}"));
    }
    let index = index as usize;
    if list.len() <= index {
        list.resize(index + 1, Value::Nil);
    }
    list[index] = value;
    Ok(())
}

/// typedVal: `true`/`false`/`null` (any case), `0`, and whole numbers without a leading zero are
/// typed; everything else stays a string (so `1.5` and `007` are strings, as in helm).
fn typed_val(v: &str) -> Value {
    if v.eq_ignore_ascii_case("true") {
        return Value::Bool(true);
    }
    if v.eq_ignore_ascii_case("false") {
        return Value::Bool(false);
    }
    if v.eq_ignore_ascii_case("null") {
        return Value::Nil;
    }
    if v == "0" {
        return Value::Int(0);
    }
    if !v.is_empty() && !v.starts_with('0') {
        // strconv.ParseInt(val, 10, 64): an optional sign, then digits only.
        let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(i) = v.parse::<i64>() {
                return Value::Int(i);
            }
        }
    }
    Value::String(v.into())
}

/// The message of the Go panic helm recovers from when a path meets a value of another type
/// (`--set a=1,a.b=2`): `unable to parse key: interface conversion: ...`.
fn conversion(found: &Value, wanted: &str) -> String {
    let go_type = match found {
        Value::Nil => "nil",
        Value::Bool(_) => "bool",
        Value::Int(_) => "int64",
        Value::Uint(_) => "uint64",
        // Values read from `-f` files are JSON numbers to helm: float64.
        Value::Float(_) => "float64",
        Value::String(_) => "string",
        Value::List(_) => "[]interface {}",
        Value::Map(_) => "map[string]interface {}",
        _ => "func",
    };
    format!("unable to parse key: interface conversion: interface {{}} is {go_type}, not {wanted}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::functions::yaml::to_yaml;

    fn set(s: &str) -> Result<String, String> {
        let mut m = Map::new();
        parse_into(s, &mut m)?;
        Ok(to_yaml(&Value::Map(Arc::new(m))))
    }

    #[test]
    fn typed_values_as_strvals_typed_val() {
        // pkg/strvals/parser.go typedVal
        assert_eq!(set("replicaCount=3").unwrap(), "replicaCount: 3\n");
        assert_eq!(set("a=true,b=FALSE,c=null,d=0").unwrap(), "a: true\nb: false\nc: null\nd: 0\n");
        assert_eq!(set("a=007,b=1.5,c=-2").unwrap(), "a: \"007\"\nb: \"1.5\"\nc: -2\n");
        assert_eq!(set("image.tag=v2,image.repository=x/y").unwrap(), "image:\n  repository: x/y\n  tag: v2\n");
    }

    #[test]
    fn lists_escapes_and_empty_values() {
        // parser.go valList, listItem, runesUntil
        assert_eq!(set("l={a,b}").unwrap(), "l:\n- a\n- b\n");
        assert_eq!(set("l[1]=x").unwrap(), "l:\n- null\n- x\n");
        assert_eq!(set("l[0].name=www").unwrap(), "l:\n- name: www\n");
        assert_eq!(set("a\\.b=c").unwrap(), "a.b: c\n");
        assert_eq!(set("a=").unwrap(), "a: \"\"\n");
        assert_eq!(set("a=x\\,y").unwrap(), "a: x,y\n");
    }

    #[test]
    fn helms_error_texts() {
        // parser.go key, keyIndex, listItem, setIndex
        assert_eq!(set("a").unwrap_err(), "key \"a\" has no value");
        assert_eq!(set("a,b=1").unwrap_err(), "key \"a\" has no value (cannot end with ,)");
        assert_eq!(set("a.=1").unwrap_err(), "key map \"a\" has no value");
        assert_eq!(set("l[x]=1").unwrap_err(), "error parsing index: strconv.Atoi: parsing \"x\": invalid syntax");
        assert_eq!(set("l[-1]=1").unwrap_err(), "negative -1 index not allowed");
        assert_eq!(set("l[70000]=1").unwrap_err(), "index of 70000 is greater than maximum supported index of 65536");
        assert_eq!(set("l={a,b").unwrap_err(), "list must terminate with '}'");
        assert_eq!(
            set("a=1,a.b=2").unwrap_err(),
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}"
        );
    }

    #[test]
    fn merges_into_the_values_files() {
        // values.Options.MergeValues: `-f` first, then ParseInto the same map.
        let mut m = crate::chart::values::parse_values("image:\n  repository: x\n  tag: v1\n").unwrap();
        parse_into("image.tag=v2", &mut m).unwrap();
        assert_eq!(to_yaml(&Value::Map(Arc::new(m))), "image:\n  repository: x\n  tag: v2\n");
    }
}
