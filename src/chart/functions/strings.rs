//! Sprig's string functions. Argument order as Sprig's: the string operated on comes LAST, so
//! that it can be piped (`.Values.name | trunc 63 | trimSuffix "-"`).

use gotmpl::{FuncMap, Value};

use super::{add, arg_int, arg_str, arity, bounded_join, check_len, fail, s, strval};

pub(crate) fn register(m: &mut FuncMap) {
    register_sized_builtins(m);
    // Go's fmt.Sprint / Sprintln (text/template's print, println), numbers formatted as Go does.
    add(m, "print", |a| {
        let mut out = String::new();
        for (i, v) in a.iter().enumerate() {
            if i > 0 && !matches!(v, Value::String(_)) && !matches!(a[i - 1], Value::String(_)) {
                out.push(' ');
            }
            out.push_str(&super::go_fmt_v(v));
            check_len("print", out.len() as u128)?;
        }
        Ok(s(out))
    });
    add(m, "println", |a| Ok(s(bounded_join("println", a.iter().map(super::go_fmt_v), " ")? + "\n")));
    add(m, "quote", |a| {
        let parts = a.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| go_quote(&strval(v)));
        Ok(s(bounded_join("quote", parts, " ")?))
    });
    add(m, "squote", |a| {
        let parts = a.iter().filter(|v| !matches!(v, Value::Nil)).map(|v| format!("'{}'", strval(v)));
        Ok(s(bounded_join("squote", parts, " ")?))
    });
    add(m, "trunc", |a| {
        arity("trunc", a, 2)?;
        Ok(s(trunc(arg_int(a, 0)?, arg_str(a, 1)?)))
    });
    add(m, "trimSuffix", |a| {
        arity("trimSuffix", a, 2)?;
        let (suffix, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.strip_suffix(suffix).unwrap_or(text)))
    });
    add(m, "trimPrefix", |a| {
        arity("trimPrefix", a, 2)?;
        let (prefix, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.strip_prefix(prefix).unwrap_or(text)))
    });
    add(m, "trim", |a| {
        arity("trim", a, 1)?;
        Ok(s(arg_str(a, 0)?.trim_matches(go_space)))
    });
    add(m, "trimAll", |a| {
        arity("trimAll", a, 2)?;
        let (cut, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        Ok(s(text.trim_matches(|c| cut.contains(c))))
    });
    add(m, "upper", |a| {
        arity("upper", a, 1)?;
        Ok(s(arg_str(a, 0)?.to_uppercase()))
    });
    add(m, "lower", |a| {
        arity("lower", a, 1)?;
        Ok(s(arg_str(a, 0)?.to_lowercase()))
    });
    add(m, "title", |a| {
        arity("title", a, 1)?;
        Ok(s(title(arg_str(a, 0)?)))
    });
    // Sprig: `replace OLD NEW STRING`.
    add(m, "replace", |a| {
        arity("replace", a, 3)?;
        let (old, new, text) = (arg_str(a, 0)?, arg_str(a, 1)?, arg_str(a, 2)?);
        // Sized before it is made: an empty OLD puts NEW between every character.
        let count = if old.is_empty() { text.chars().count() as u128 + 1 } else { text.matches(old).count() as u128 };
        let size = text.len() as u128 + count * new.len() as u128;
        check_len("replace", size.saturating_sub(count * old.len() as u128))?;
        Ok(s(go_replace_all(text, old, new)))
    });
    // Sprig: `contains SUBSTRING STRING`.
    add(m, "contains", |a| {
        arity("contains", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.contains(arg_str(a, 0)?)))
    });
    add(m, "hasPrefix", |a| {
        arity("hasPrefix", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.starts_with(arg_str(a, 0)?)))
    });
    add(m, "hasSuffix", |a| {
        arity("hasSuffix", a, 2)?;
        Ok(Value::Bool(arg_str(a, 1)?.ends_with(arg_str(a, 0)?)))
    });
    // `indent N STRING` pads every line; `nindent` adds a newline first.
    add(m, "indent", |a| {
        arity("indent", a, 2)?;
        let (n, text) = (arg_int(a, 0)?, arg_str(a, 1)?);
        check_len("indent", indented_len(n, text))?;
        Ok(s(indent(n, text)))
    });
    add(m, "nindent", |a| {
        arity("nindent", a, 2)?;
        let (n, text) = (arg_int(a, 0)?, arg_str(a, 1)?);
        check_len("nindent", indented_len(n, text) + 1)?;
        Ok(s(format!("\n{}", indent(n, text))))
    });
    add(m, "repeat", |a| {
        arity("repeat", a, 2)?;
        let n = arg_int(a, 0)?;
        if n < 0 {
            return Err(fail("strings: negative Repeat count"));
        }
        let text = arg_str(a, 1)?;
        check_len("repeat", n as u128 * text.len() as u128)?;
        Ok(s(text.repeat(n as usize)))
    });
    add(m, "substr", |a| {
        arity("substr", a, 3)?;
        Ok(s(substr(arg_int(a, 0)?, arg_int(a, 1)?, arg_str(a, 2)?)))
    });
    add(m, "nospace", |a| {
        arity("nospace", a, 1)?;
        Ok(s(arg_str(a, 0)?.chars().filter(|c| !c.is_whitespace()).collect::<String>()))
    });
    add(m, "cat", |a| Ok(s(bounded_join("cat", a.iter().filter(|v| !matches!(v, Value::Nil)).map(strval), " ")?)));
    // Sprig: `join SEP LIST`.
    add(m, "join", |a| {
        arity("join", a, 2)?;
        let sep = arg_str(a, 0)?;
        let joined = match &a[1] {
            Value::List(l) => bounded_join("join", l.iter().filter(|v| !matches!(v, Value::Nil)).map(strval), sep)?,
            Value::Nil => String::new(),
            other => strval(other),
        };
        Ok(s(joined))
    });
    // Sprig: `splitList SEP STRING`.
    add(m, "splitList", |a| {
        arity("splitList", a, 2)?;
        let (sep, text) = (arg_str(a, 0)?, arg_str(a, 1)?);
        let parts: Vec<Value> = if sep.is_empty() {
            text.chars().map(|c| s(c.to_string())).collect()
        } else {
            text.split(sep).map(s).collect()
        };
        Ok(Value::List(parts.into()))
    });
}

/// text/template's own string builtins, called through gotmpl after their output is sized: a
/// width of 65535 (`%65535d`) or a list printed with `%v` must not be made before it is counted.
fn register_sized_builtins(m: &mut FuncMap) {
    for name in ["printf", "html", "js", "urlquery"] {
        add(m, name, move |a| {
            let mut size: u128 = 0;
            for (i, v) in a.iter().enumerate() {
                size += match v {
                    Value::String(text) if i == 0 && name == "printf" => text.len() as u128 + padding(text),
                    Value::String(text) => text.len() as u128,
                    other => super::go_fmt_v(other).len() as u128,
                };
            }
            check_len(name, size)?;
            call_builtin(name, a)
        });
    }
}

/// Bytes the widths of a printf format may pad to: gotmpl caps each width at 65535.
fn padding(format: &str) -> u128 {
    let b = format.as_bytes();
    let mut total = 0u128;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            i += 1;
            while i < b.len() && matches!(b[i], b'-' | b'+' | b'#' | b' ' | b'0') {
                i += 1;
            }
            if i < b.len() && (b[i].is_ascii_digit() || b[i] == b'*' || b[i] == b'.') {
                total += 65_535;
            }
        }
        i += 1;
    }
    total
}

/// Calls a gotmpl builtin (`{{NAME .a0 .a1 ...}}`) on these arguments.
fn call_builtin(name: &str, args: &[Value]) -> Result<Value, gotmpl::TemplateError> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    /// One parsed `{{NAME .a0 ...}}` per builtin and argument count.
    type Cache = Mutex<HashMap<(String, usize), Arc<gotmpl::Template>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (name.to_string(), args.len());
    let cached = CACHE.get_or_init(Default::default).lock().ok().and_then(|c| c.get(&key).cloned());
    let template = match cached {
        Some(t) => t,
        None => {
            let src = format!("{{{{{name}{}}}}}", (0..args.len()).map(|i| format!(" .a{i}")).collect::<String>());
            let t = Arc::new(gotmpl::Template::new(name).parse(&src)?);
            if let Ok(mut c) = CACHE.get_or_init(Default::default).lock() {
                if c.len() < 256 {
                    c.insert(key, t.clone());
                }
            }
            t
        }
    };
    let data = super::map_of(args.iter().enumerate().map(|(i, v)| (format!("a{i}"), v.clone())));
    Ok(s(template.execute_to_string(&data)?))
}

/// Go's unicode.IsSpace, for `trim` (strings.TrimSpace).
fn go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
        || (c.is_whitespace() && c as u32 > 0xff)
}

/// Sprig's `trunc`: a negative count keeps the end. Counts bytes, as Go slices strings.
pub fn trunc(c: i64, text: &str) -> String {
    let len = text.len() as i64;
    let cut = |from: usize, to: usize| -> String { String::from_utf8_lossy(&text.as_bytes()[from..to]).into_owned() };
    if c < 0 && len + c > 0 {
        return cut((len + c) as usize, text.len());
    }
    if c >= 0 && len > c {
        return cut(0, c as usize);
    }
    text.to_string()
}

/// The length `indent n text` would have, computed before making it (`indent 2147483647` would
/// otherwise ask for 2 GB).
pub fn indented_len(n: i64, text: &str) -> u128 {
    let lines = text.bytes().filter(|b| *b == b'\n').count() as u128 + 1;
    n.max(0) as u128 * lines + text.len() as u128
}

/// Sprig's `indent`: the pad before the text and after every newline.
pub fn indent(n: i64, text: &str) -> String {
    let pad = " ".repeat(n.max(0) as usize);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

fn substr(start: i64, end: i64, text: &str) -> String {
    let b = text.as_bytes();
    let len = b.len() as i64;
    let (start, end) = if start < 0 { (0, end) } else { (start, end) };
    let end = if end < 0 || end > len { len } else { end };
    if start > len || start > end {
        return String::new();
    }
    String::from_utf8_lossy(&b[start as usize..end as usize]).into_owned()
}

/// Go's strings.Replace(s, old, new, -1) (an empty `old` inserts between every rune).
fn go_replace_all(text: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in text.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    text.replace(old, new)
}

/// Go's strings.Title (deprecated but what Sprig uses): upper-case the first letter of each word.
pub fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev_sep = true;
    for c in text.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = is_title_separator(c);
    }
    out
}

fn is_title_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

/// Go's `%q` (strconv.Quote).
pub fn go_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (0x80..0xa0).contains(&(c as u32)) || c == '\u{ad}' || c == '\u{feff}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
